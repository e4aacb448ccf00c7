/**
 * A recording {@link KlineSource} for scanner tests: serves 15-minute candles from a price
 * function per symbol, like MEXC (a lone `limit` returns the latest candles; `startTime` with
 * `endTime` returns that range, end exclusive), records every query and the peak number of
 * requests in flight.
 */
import type { Candle, KlineInterval } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import type { KlineSource } from '../../src/strategies/contract.js';

export const I15 = 900_000;

export type KlineQuery = Parameters<KlineSource['getKlines']>[0];

/** Close and volume of the candle opening at `openTime`; `open` is true for the still-open candle. */
export type SeriesFn = (openTime: number, open: boolean) => { close: number; volume: number };

export class RecordingKlineSource implements KlineSource {
  readonly calls: KlineQuery[] = [];
  inFlight = 0;
  maxInFlight = 0;
  now: number;
  readonly #series: Map<string, SeriesFn>;
  readonly #failing = new Set<string>();
  /** Closed candles made ahead by {@link prebuild}, by symbol and open time. */
  readonly #built = new Map<string, Map<number, Candle>>();

  constructor(input: { now: number; series: Record<string, SeriesFn> }) {
    this.now = input.now;
    this.#series = new Map(Object.entries(input.series));
  }

  fail(symbol: string): void {
    this.#failing.add(symbol);
  }

  /**
   * Makes every symbol's closed candles opening from `fromOpen` to `toOpen` now, so that answering
   * a request only picks them out. A benchmark timing what the scanner does with the answers
   * calls it first: a real exchange's answer costs the bot its parsing, not the making of the
   * candles.
   */
  prebuild(fromOpen: number, toOpen: number): void {
    for (const [symbol, fn] of this.#series) {
      const built = new Map<number, Candle>();
      for (let t = fromOpen; t <= toOpen; t += I15) built.set(t, candleAt(fn, t, false));
      this.#built.set(symbol, built);
    }
  }

  async getKlines(q: {
    readonly symbol: string;
    readonly interval: KlineInterval;
    readonly startTime?: number;
    readonly endTime?: number;
    readonly limit?: number;
  }): Promise<readonly Candle[]> {
    this.calls.push(q);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield to the event loop so concurrent requests overlap as they would over HTTP.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#failing.has(q.symbol)) throw new Error(`HTTP 503 for ${q.symbol}`);
      const fn = this.#series.get(q.symbol);
      if (!fn) return [];
      const openNow = Math.floor(this.now / I15) * I15;
      const limit = Math.min(q.limit ?? 500, 500);
      let times: number[];
      if (q.startTime !== undefined && q.endTime !== undefined) {
        times = [];
        for (let t = q.startTime; t < q.endTime && t <= openNow && times.length < limit; t += I15)
          times.push(t);
      } else {
        times = Array.from({ length: limit }, (_, i) => openNow - (limit - 1 - i) * I15);
      }
      const built = this.#built.get(q.symbol);
      return times.map((t) =>
        t === openNow ? candleAt(fn, t, true) : (built?.get(t) ?? candleAt(fn, t, false)),
      );
    } finally {
      this.inFlight -= 1;
    }
  }
}

function candleAt(fn: SeriesFn, openTime: number, open: boolean): Candle {
  const prev = fn(openTime - I15, false).close;
  const { close, volume } = fn(openTime, open);
  const o = dec(prev.toFixed(8));
  const c = dec(close.toFixed(8));
  return {
    openTime,
    open: o.toFixed(),
    high: (o.greaterThan(c) ? o : c).toFixed(),
    low: (o.lessThan(c) ? o : c).toFixed(),
    close: c.toFixed(),
    volume: volume.toFixed(4),
    quoteVolume: (volume * close).toFixed(4),
    closeTime: openTime + I15,
  };
}

/**
 * A sine wave of period 42 candles and 2 % amplitude whose last closed candle (at `now`) sits at
 * phase 37: RSI ≈ 38, MACD histogram just crossed zero, close in the lower half of the bands.
 * The last closed candle's volume is `lastVolume` (others 1000); the open candle has volume 5.
 */
export function dipSeries(now: number, lastVolume = 2000): SeriesFn {
  const lastClosed = Math.floor(now / I15) * I15 - I15;
  return (t, open) => {
    const k = 37 + (t - lastClosed) / I15;
    return {
      close: 100 * (1 + 0.02 * Math.sin((2 * Math.PI * k) / 42)),
      volume: open ? 5 : t === lastClosed ? lastVolume : 1000,
    };
  };
}

/** A calm series: tiny wiggle around `level`, constant volume except the last closed candle. */
export function calmSeries(
  now: number,
  o: { level?: number; lastVolume?: number; lastClose?: number } = {},
): SeriesFn {
  const lastClosed = Math.floor(now / I15) * I15 - I15;
  const level = o.level ?? 1;
  return (t, open) => {
    const k = t / I15;
    const base = level * (1 + 0.002 * Math.sin(k / 3));
    const isLast = t === lastClosed;
    return {
      close: isLast && o.lastClose !== undefined ? o.lastClose : base,
      volume: open ? 5 : isLast ? (o.lastVolume ?? 1000) : 1000,
    };
  };
}

/** mulberry32: a small seeded generator, so generated candles are the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded random walk with a slow cycle, occasional dips and volume bursts, `span` candles from
 * `firstOpen` (times outside repeat the edge candle); a pure function of time, so every scan of a
 * test or benchmark sees the same market. The open candle has a fiftieth of the volume.
 */
export function randomWalkSeries(input: { seed: number; firstOpen: number; span: number }): SeriesFn {
  const { firstOpen, span } = input;
  const rnd = prng(input.seed);
  const level = 10 ** (rnd() * 6 - 3);
  const period = 20 + Math.floor(rnd() * 60);
  const amplitude = 0.005 + rnd() * 0.04;
  const closes: number[] = [];
  const volumes: number[] = [];
  let walk = 0;
  for (let k = 0; k < span; k += 1) {
    walk += (rnd() - 0.5) * 0.01;
    if (rnd() < 0.02) walk -= rnd() * 0.05;
    closes.push(level * Math.exp(walk + amplitude * Math.sin((2 * Math.PI * k) / period)));
    volumes.push(1000 * (0.5 + rnd()) * (rnd() < 0.08 ? 2 + rnd() * 4 : 1));
  }
  return (openTime, open) => {
    const k = Math.min(Math.max(Math.round((openTime - firstOpen) / I15), 0), span - 1);
    return { close: closes[k]!, volume: open ? volumes[k]! / 50 : volumes[k]! };
  };
}
