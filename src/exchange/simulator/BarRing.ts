/**
 * Fixed-capacity candle storage for one symbol at one resolution. Internal to the simulator.
 *
 * Prices are integer tick counts (Int32) and volumes floats (Float32): the model is not money,
 * and the compact layout keeps 300 symbols × five resolutions within a few tens of megabytes
 * however long the simulation runs. Bars of any finer, aligned duration can be added; they
 * merge into the bucket in progress, which is pushed into the ring when the next bucket starts.
 */

/** One candle: prices in ticks, volumes in base and quote units. */
export interface Bar {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
}

/** Summary of a time range without allocating a bar per row (24 h tickers, average price). */
export interface RangeSummary {
  bars: number;
  firstOpenTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
}

const BYTES_PER_ROW = 24;

export class BarRing {
  readonly intervalMs: number;
  readonly capacity: number;
  readonly #open: Int32Array;
  readonly #high: Int32Array;
  readonly #low: Int32Array;
  readonly #close: Int32Array;
  readonly #volume: Float32Array;
  readonly #quoteVolume: Float32Array;
  #head = 0;
  #count = 0;
  #lastOpenTime = Number.NaN;
  /** The bucket in progress (-1: none yet). */
  #accOpenTime = -1;
  #accOpen = 0;
  #accHigh = 0;
  #accLow = 0;
  #accClose = 0;
  #accVolume = 0;
  #accQuoteVolume = 0;

  /** Bytes a ring of `capacity` rows needs in a shared buffer. */
  static bytesFor(capacity: number): number {
    return capacity * BYTES_PER_ROW;
  }

  /**
   * Rows live in `buffer` from `byteOffset` on (see {@link BarRing.bytesFor}). Sharing one
   * buffer between all rings matters: thousands of separate ArrayBuffers each report external
   * memory to V8 and trigger a garbage collection storm (seconds at start-up).
   */
  constructor(opts: { intervalMs: number; capacity: number; buffer?: ArrayBuffer; byteOffset?: number }) {
    const { intervalMs, capacity } = opts;
    this.intervalMs = intervalMs;
    this.capacity = capacity;
    const buffer = opts.buffer ?? new ArrayBuffer(BarRing.bytesFor(capacity));
    const at = opts.byteOffset ?? 0;
    this.#open = new Int32Array(buffer, at, capacity);
    this.#high = new Int32Array(buffer, at + capacity * 4, capacity);
    this.#low = new Int32Array(buffer, at + capacity * 8, capacity);
    this.#close = new Int32Array(buffer, at + capacity * 12, capacity);
    this.#volume = new Float32Array(buffer, at + capacity * 16, capacity);
    this.#quoteVolume = new Float32Array(buffer, at + capacity * 20, capacity);
  }

  bucketOf(time: number): number {
    return Math.floor(time / this.intervalMs) * this.intervalMs;
  }

  /** Adds a completed bar whose duration divides this ring's interval and is aligned to it. */
  add(bar: Bar): void {
    const bucket = this.bucketOf(bar.openTime);
    if (this.#accOpenTime === bucket) {
      if (bar.high > this.#accHigh) this.#accHigh = bar.high;
      if (bar.low < this.#accLow) this.#accLow = bar.low;
      this.#accClose = bar.close;
      this.#accVolume += bar.volume;
      this.#accQuoteVolume += bar.quoteVolume;
      return;
    }
    if (this.#accOpenTime >= 0) this.#push();
    // The bucket in progress lives in scalar fields: this runs for every symbol every minute,
    // and an object per bucket kept the garbage collector busy.
    this.#accOpenTime = bucket;
    this.#accOpen = bar.open;
    this.#accHigh = bar.high;
    this.#accLow = bar.low;
    this.#accClose = bar.close;
    this.#accVolume = bar.volume;
    this.#accQuoteVolume = bar.quoteVolume;
  }

  #push(): void {
    const openTime = this.#accOpenTime;
    // A hole in the series (never expected) restarts the ring rather than mislabel old rows.
    if (this.#count > 0 && openTime !== this.#lastOpenTime + this.intervalMs) this.#count = 0;
    const i = this.#head;
    this.#open[i] = this.#accOpen;
    this.#high[i] = this.#accHigh;
    this.#low[i] = this.#accLow;
    this.#close[i] = this.#accClose;
    this.#volume[i] = this.#accVolume;
    this.#quoteVolume[i] = this.#accQuoteVolume;
    this.#head = (i + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
    this.#lastOpenTime = openTime;
  }

  /** Rows held (completed ones plus the bucket in progress): bounded by capacity + 1. */
  get size(): number {
    return this.#count + (this.#accOpenTime >= 0 ? 1 : 0);
  }

  /** Index range [first, last] of completed rows with `from <= openTime < to`, or undefined. */
  #span(from: number, to: number): [number, number] | undefined {
    if (this.#count === 0) return undefined;
    const firstOpen = this.#lastOpenTime - (this.#count - 1) * this.intervalMs;
    const first = Math.max(0, Math.ceil((from - firstOpen) / this.intervalMs));
    const last = Math.min(this.#count - 1, Math.floor((to - 1 - firstOpen) / this.intervalMs));
    return first <= last ? [first, last] : undefined;
  }

  #slot(logical: number): number {
    return (this.#head - this.#count + logical + this.capacity) % this.capacity;
  }

  /** Appends rows (completed ones, then the bucket in progress) with `from <= openTime < to` to `out`. */
  collect(from: number, to: number, out: Bar[]): void {
    const span = this.#span(from, to);
    if (span) {
      const firstOpen = this.#lastOpenTime - (this.#count - 1) * this.intervalMs;
      for (let i = span[0]; i <= span[1]; i++) {
        const s = this.#slot(i);
        out.push({
          openTime: firstOpen + i * this.intervalMs,
          open: this.#open[s] ?? 0,
          high: this.#high[s] ?? 0,
          low: this.#low[s] ?? 0,
          close: this.#close[s] ?? 0,
          volume: this.#volume[s] ?? 0,
          quoteVolume: this.#quoteVolume[s] ?? 0,
        });
      }
    }
    const acc = this.#accOpenTime;
    if (acc >= 0 && acc >= from && acc < to) {
      out.push({
        openTime: acc,
        open: this.#accOpen,
        high: this.#accHigh,
        low: this.#accLow,
        close: this.#accClose,
        volume: this.#accVolume,
        quoteVolume: this.#accQuoteVolume,
      });
    }
  }

  /** One summary over rows with `from <= openTime < to` (completed rows and the bucket in progress). */
  summarise(from: number, to: number): RangeSummary | undefined {
    let summary: RangeSummary | undefined;
    const take = (openTime: number, o: number, h: number, l: number, c: number, v: number, q: number) => {
      if (!summary) {
        summary = {
          bars: 1,
          firstOpenTime: openTime,
          open: o,
          high: h,
          low: l,
          close: c,
          volume: v,
          quoteVolume: q,
        };
        return;
      }
      summary.bars++;
      if (h > summary.high) summary.high = h;
      if (l < summary.low) summary.low = l;
      summary.close = c;
      summary.volume += v;
      summary.quoteVolume += q;
    };
    const span = this.#span(from, to);
    if (span) {
      const firstOpen = this.#lastOpenTime - (this.#count - 1) * this.intervalMs;
      for (let i = span[0]; i <= span[1]; i++) {
        const s = this.#slot(i);
        take(
          firstOpen + i * this.intervalMs,
          this.#open[s] ?? 0,
          this.#high[s] ?? 0,
          this.#low[s] ?? 0,
          this.#close[s] ?? 0,
          this.#volume[s] ?? 0,
          this.#quoteVolume[s] ?? 0,
        );
      }
    }
    const acc = this.#accOpenTime;
    if (acc >= 0 && acc >= from && acc < to) {
      take(
        acc,
        this.#accOpen,
        this.#accHigh,
        this.#accLow,
        this.#accClose,
        this.#accVolume,
        this.#accQuoteVolume,
      );
    }
    return summary;
  }
}
