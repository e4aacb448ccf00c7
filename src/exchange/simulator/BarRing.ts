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

/** Field offsets of a hot-path row (a Float64Array of ROW_SIZE): see {@link BarRing.add}. */
export const ROW_OPEN_TIME = 0;
/** Row index of the open price in a ring's column layout. */
export const ROW_OPEN = 1;
/** Row index of the high price. */
export const ROW_HIGH = 2;
/** Row index of the low price. */
export const ROW_LOW = 3;
/** Row index of the close price. */
export const ROW_CLOSE = 4;
/** Row index of the base volume. */
export const ROW_VOLUME = 5;
/** Row index of the quote volume. */
export const ROW_QUOTE_VOLUME = 6;
/** Number of values a ring stores per candle. */
export const ROW_SIZE = 7;
/** Extra slot of the accumulator: open time of the newest completed row. */
const LAST_OPEN_TIME = 7;

/** Stores the latest candles of one symbol at one width in fixed typed arrays, oldest dropped first. */
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
  /**
   * The bucket in progress (a row; open time -1 = none yet) plus the newest completed open
   * time. Doubles live in a typed array because this runs for every symbol every minute and V8
   * boxes a fresh double stored into an object field: that garbage grew the heap by tens of MB.
   */
  readonly #acc = new Float64Array(ROW_SIZE + 1);

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
    this.#acc[ROW_OPEN_TIME] = -1;
    this.#acc[LAST_OPEN_TIME] = Number.NaN;
  }

  bucketOf(time: number): number {
    return Math.floor(time / this.intervalMs) * this.intervalMs;
  }

  /** Adds a completed row (see ROW_*) whose duration divides this ring's interval and is aligned to it. */
  add(row: Float64Array): void {
    const acc = this.#acc;
    const bucket = this.bucketOf(row[ROW_OPEN_TIME] ?? 0);
    if (acc[ROW_OPEN_TIME] === bucket) {
      if ((row[ROW_HIGH] ?? 0) > (acc[ROW_HIGH] ?? 0)) acc[ROW_HIGH] = row[ROW_HIGH] ?? 0;
      if ((row[ROW_LOW] ?? 0) < (acc[ROW_LOW] ?? 0)) acc[ROW_LOW] = row[ROW_LOW] ?? 0;
      acc[ROW_CLOSE] = row[ROW_CLOSE] ?? 0;
      acc[ROW_VOLUME] = (acc[ROW_VOLUME] ?? 0) + (row[ROW_VOLUME] ?? 0);
      acc[ROW_QUOTE_VOLUME] = (acc[ROW_QUOTE_VOLUME] ?? 0) + (row[ROW_QUOTE_VOLUME] ?? 0);
      return;
    }
    if ((acc[ROW_OPEN_TIME] ?? -1) >= 0) this.#push();
    acc[ROW_OPEN_TIME] = bucket;
    for (let i = ROW_OPEN; i < ROW_SIZE; i++) acc[i] = row[i] ?? 0;
  }

  #push(): void {
    const acc = this.#acc;
    const openTime = acc[ROW_OPEN_TIME] ?? 0;
    // A hole in the series (never expected) restarts the ring rather than mislabel old rows.
    if (this.#count > 0 && openTime !== (acc[LAST_OPEN_TIME] ?? 0) + this.intervalMs) this.#count = 0;
    const i = this.#head;
    this.#open[i] = acc[ROW_OPEN] ?? 0;
    this.#high[i] = acc[ROW_HIGH] ?? 0;
    this.#low[i] = acc[ROW_LOW] ?? 0;
    this.#close[i] = acc[ROW_CLOSE] ?? 0;
    this.#volume[i] = acc[ROW_VOLUME] ?? 0;
    this.#quoteVolume[i] = acc[ROW_QUOTE_VOLUME] ?? 0;
    this.#head = (i + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
    acc[LAST_OPEN_TIME] = openTime;
  }

  /** The bucket in progress as a Bar, if any. */
  #accBar(): Bar | undefined {
    const acc = this.#acc;
    const openTime = acc[ROW_OPEN_TIME] ?? -1;
    if (openTime < 0) return undefined;
    return {
      openTime,
      open: acc[ROW_OPEN] ?? 0,
      high: acc[ROW_HIGH] ?? 0,
      low: acc[ROW_LOW] ?? 0,
      close: acc[ROW_CLOSE] ?? 0,
      volume: acc[ROW_VOLUME] ?? 0,
      quoteVolume: acc[ROW_QUOTE_VOLUME] ?? 0,
    };
  }

  get #lastOpenTime(): number {
    return this.#acc[LAST_OPEN_TIME] ?? Number.NaN;
  }

  /** Rows held (completed ones plus the bucket in progress): bounded by capacity + 1. */
  get size(): number {
    return this.#count + ((this.#acc[ROW_OPEN_TIME] ?? -1) >= 0 ? 1 : 0);
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
    const acc = this.#accBar();
    if (acc && acc.openTime >= from && acc.openTime < to) out.push(acc);
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
    const acc = this.#accBar();
    if (acc && acc.openTime >= from && acc.openTime < to) {
      take(acc.openTime, acc.open, acc.high, acc.low, acc.close, acc.volume, acc.quoteVolume);
    }
    return summary;
  }
}
