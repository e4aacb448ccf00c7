/**
 * 15-minute candles per symbol kept between scans and topped up incrementally.
 * The runner keeps one instance for the life of the process (see `createScanner`).
 *
 * Per symbol and refresh:
 * - cold (nothing cached, or fewer than `limit` candles, or a gap longer than `limit`): one
 *   request for the latest `limit` candles — except that fewer than `limit` candles are enough
 *   once a cold answer has had fewer rows than asked (a young listing: there is nothing older to
 *   fetch, so asking again would only repeat the same answer);
 * - warm: one request for only the candles from the first one not known to be closed up to
 *   the candle open now, sent with both `startTime` and `endTime` because MEXC ignores a lone
 *   `startTime`; the candle that was still open last time is replaced;
 * - up to date (no candle has closed since the last request): no request at all, since the
 *   scanner analyses closed candles only.
 * At most `maxInFlight` (10) requests run at once, and two refreshes of one symbol share one
 * request. The series is kept gap-free and trimmed to the newest `limit` candles.
 *
 * Candles are held as numbers in typed arrays (see `candleSeries.ts`): decimals are for money,
 * and 80 symbols × 250 Decimal candles were the bulk of the scanner's heap. Each symbol also
 * keeps an {@link IndicatorStream} fed every candle once it has closed, so a scan updates the
 * indicators by one candle per symbol instead of recomputing them over the whole series. The
 * stream restarts from the cached series when the candles it has seen are no longer there (a
 * gap longer than `limit`). The per-symbol work runs one symbol per turn of the event loop, and
 * so does merging the answers of a cold scan.
 *
 * Fed by the kline stream ({@link KlineCache.applyStreamed}), a steady scan sends no request: a
 * pushed candle replaces the cached one with its open time, and a candle opening right after the
 * last cached one is appended. A candle counts as closed and final from the stream only when its
 * last push came on the stream's current unbroken live stretch (its `epoch`, set by
 * {@link KlineCache.setLiveEpoch}) and the candle has ended: MEXC pushes a candle's whole state
 * on every change, so on an unbroken stream the last push is the final state. Anything the stream
 * cannot vouch for (a symbol not cached yet, a candle without any push, a break in the stream) is
 * fetched over REST as before, from the first candle not known to be final.
 *
 * @see https://mexcdevelop.github.io/apidocs/spot_v3_en/#kline-candlestick-data
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import pLimit from 'p-limit';
import {
  candleSeriesOf,
  IndicatorStream,
  seriesLength,
  sliceSeries,
  streamOver,
  type CandleSeries,
  type StreamReading,
} from '../../domain/indicators/index.js';
import { TurnQueue } from '../../common/turns.js';
import type { NumericCandle } from '../../domain/candleColumns.js';
import { INTERVAL_MS, type Candle, type KlineInterval } from '../../domain/market.js';
import type { KlineSource } from '../contract.js';

/** MEXC returns at most 500 klines per call in practice. */
export const MAX_KLINES_PER_REQUEST = 500;

/** One candle request as the cache sends it. */
export type KlineQuery = Parameters<KlineSource['getKlines']>[0];

/** Candle width, request concurrency and how long an unused symbol stays cached. */
export interface KlineCacheOptions {
  readonly interval?: KlineInterval;
  /** Requests in flight at most (default 10, the most the scanner may have open at once). */
  readonly maxInFlight?: number;
  /** Drop a symbol not refreshed for this long (default one day) to bound memory. */
  readonly evictAfterMs?: number;
}

/** One symbol's cached candles and its indicators at the last closed candle. */
export interface SymbolSeries {
  /** Oldest first, gap-free; the last one may still be open. */
  readonly candles: CandleSeries;
  /** The indicator stream's values after the last candle closed at the refresh's `now`. */
  readonly indicators: StreamReading;
}

/** The candles after a refresh, the symbols that failed, and how many requests it took. */
export interface KlineRefresh {
  /** The cached series of every symbol refreshed successfully (may include the open candle). */
  readonly series: ReadonlyMap<string, SymbolSeries>;
  /** Symbols whose request failed, with the error message; their cache is left as it was. */
  readonly failures: ReadonlyMap<string, string>;
  /** Requests made by this refresh. */
  readonly requests: number;
}

interface Entry {
  candles: CandleSeries;
  /** Fed every closed candle of `candles` up to its reading's open time (and maybe older ones). */
  stream: IndicatorStream;
  /** Candles opening before this time are closed and final. */
  completeUntil: number;
  lastUsed: number;
  /** The live epoch in which the last candle's latest state was pushed; absent when it came over REST. */
  streamEpoch?: number;
  /**
   * The row count of the last cold request that was answered with fewer rows: the exchange has
   * nothing older, so a series shorter than this is all there is.
   */
  wholeHistoryBelow?: number;
}

/** Keeps each symbol's recent candles between scans and fetches only the new ones. */
export class KlineCache {
  readonly #interval: KlineInterval;
  readonly #intervalMs: number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #evictAfterMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<number>>();
  /** Answers that land together (ten at once on a cold scan) are merged one per turn. */
  readonly #mergeTurns = new TurnQueue();
  readonly #refreshListeners = new Set<(symbols: readonly string[]) => void>();
  #requests = 0;
  #liveEpoch: number | undefined;

  constructor(options: KlineCacheOptions = {}) {
    this.#interval = options.interval ?? '15m';
    this.#intervalMs = INTERVAL_MS[this.#interval];
    this.#limit = pLimit(options.maxInFlight ?? 10);
    this.#evictAfterMs = options.evictAfterMs ?? 86_400_000;
  }

  /** Requests made since the cache was created. */
  get requestCount(): number {
    return this.#requests;
  }

  /** Symbols currently cached. */
  get size(): number {
    return this.#entries.size;
  }

  /** Symbols currently cached (the ones worth streaming). */
  symbols(): readonly string[] {
    return [...this.#entries.keys()];
  }

  /** Calls `fn` with the cached symbols after every refresh; returns the unsubscribe function. */
  onRefresh(fn: (symbols: readonly string[]) => void): () => void {
    this.#refreshListeners.add(fn);
    return () => this.#refreshListeners.delete(fn);
  }

  /**
   * The kline stream's current unbroken live stretch, or undefined while it is not live. A new
   * number after every break: pushes of an earlier stretch no longer vouch for a candle's end.
   */
  setLiveEpoch(epoch: number | undefined): void {
    this.#liveEpoch = epoch;
  }

  /**
   * A candle pushed by the kline stream during live stretch `epoch`. Ignored unless the symbol is
   * cached and the candle is one of the cached ones or the next one (anything else is a gap the
   * next refresh fills over REST). Only the open candle is updated in place; appending copies.
   */
  applyStreamed(symbol: string, candle: NumericCandle, epoch: number): void {
    const entry = this.#entries.get(symbol);
    if (!entry || epoch !== this.#liveEpoch) return;
    const I = this.#intervalMs;
    const { openTimes } = entry.candles;
    const n = seriesLength(entry.candles);
    const last = openTimes[n - 1];
    if (last === undefined || candle.openTime % I !== 0) return;
    if (candle.openTime === last) {
      entry.candles.closes[n - 1] = candle.close;
      entry.candles.volumes[n - 1] = candle.volume;
      entry.streamEpoch = epoch;
      return;
    }
    if (candle.openTime !== last + I) return;
    // The previous candle's last push came on this unbroken stretch, so it is final.
    if (entry.streamEpoch === epoch && entry.completeUntil >= last) entry.completeUntil = candle.openTime;
    const grown = (values: Float64Array, value: number): Float64Array => {
      const next = new Float64Array(n);
      next.set(values.subarray(1));
      next[n - 1] = value;
      return next;
    };
    entry.candles = {
      openTimes: grown(openTimes, candle.openTime),
      closes: grown(entry.candles.closes, candle.close),
      volumes: grown(entry.candles.volumes, candle.volume),
    };
    entry.streamEpoch = epoch;
  }

  /** The cached series of a symbol, oldest first, or undefined. */
  candles(symbol: string): CandleSeries | undefined {
    return this.#entries.get(symbol)?.candles;
  }

  /**
   * The request a refresh at `now` would send for `symbol`, or undefined when the cache is up
   * to date. Exposed for tests and for the scan report's request estimate.
   */
  plan(symbol: string, limit: number, now: number): KlineQuery | undefined {
    const rows = Math.min(limit, MAX_KLINES_PER_REQUEST);
    const openNow = Math.floor(now / this.#intervalMs) * this.#intervalMs;
    const entry = this.#entries.get(symbol);
    const cold: KlineQuery = { symbol, interval: this.#interval, limit: rows };
    if (!entry) return cold;
    const wholeHistory = entry.wholeHistoryBelow !== undefined && rows <= entry.wholeHistoryBelow;
    if (seriesLength(entry.candles) < rows && !wholeHistory) return cold;
    this.#settleStreamed(entry, now);
    const start = entry.completeUntil;
    if (start >= openNow) return undefined;
    const missing = (openNow - start) / this.#intervalMs + 1;
    if (missing > rows) return cold;
    return {
      symbol,
      interval: this.#interval,
      startTime: start,
      // Exclusive end just after the candle open now (the candle opening at endTime is excluded).
      endTime: openNow + this.#intervalMs,
      limit: missing,
    };
  }

  /**
   * The last cached candle is final once it has ended, when its last push came on the current
   * unbroken live stretch and every candle before it is final.
   */
  #settleStreamed(entry: Entry, now: number): void {
    const last = entry.candles.openTimes[seriesLength(entry.candles) - 1];
    if (last === undefined || entry.streamEpoch === undefined || entry.streamEpoch !== this.#liveEpoch)
      return;
    const end = last + this.#intervalMs;
    if (now >= end && entry.completeUntil >= last) entry.completeUntil = Math.max(entry.completeUntil, end);
  }

  /** Brings every symbol up to date at `now`, `limit` candles each, through `source`. */
  async refresh(input: {
    readonly source: KlineSource;
    readonly symbols: readonly string[];
    readonly limit: number;
    readonly now: number;
  }): Promise<KlineRefresh> {
    const { source, limit, now } = input;
    for (const [symbol, entry] of this.#entries) {
      if (entry.lastUsed < now - this.#evictAfterMs) this.#entries.delete(symbol);
    }
    const failures = new Map<string, string>();
    let requests = 0;
    await Promise.all(
      input.symbols.map(async (symbol) => {
        try {
          // Not `requests += await …`: that would read `requests` before awaiting and lose updates.
          const made = await this.#refreshOne(source, symbol, limit, now);
          requests += made;
        } catch (error) {
          failures.set(symbol, error instanceof Error ? error.message : String(error));
        }
      }),
    );
    const series = new Map<string, SymbolSeries>();
    for (const symbol of input.symbols) {
      const entry = this.#entries.get(symbol);
      if (entry && !failures.has(symbol)) {
        // One symbol's indicator updates per turn: a cold start feeds 250 candles to each.
        await nextTurn();
        entry.lastUsed = now;
        series.set(symbol, { candles: entry.candles, indicators: this.#advance(entry, now) });
      }
    }
    const cached = this.symbols();
    for (const listener of this.#refreshListeners) listener(cached);
    return { series, failures, requests };
  }

  /** Feeds the entry's stream every candle closed at `now` that it has not seen yet. */
  #advance(entry: Entry, now: number): StreamReading {
    const I = this.#intervalMs;
    const { openTimes, closes } = entry.candles;
    const n = seriesLength(entry.candles);
    let closed = n;
    while (closed > 0 && openTimes[closed - 1]! + I > now) closed -= 1;
    // Gap-free, so the index of a time is its distance from the first candle.
    const at = n > 0 ? (entry.stream.reading.openTime - openTimes[0]!) / I : Number.NaN;
    if (!(at >= 0 && at < closed)) {
      // The last candle the stream saw is not among the closed candles held (a fresh stream, or
      // a gap longer than the cache): start again from the cached series.
      entry.stream = streamOver(sliceSeries(entry.candles, 0, closed));
      return entry.stream.reading;
    }
    for (let i = at + 1; i < closed; i += 1) entry.stream.push(openTimes[i]!, closes[i]!);
    return entry.stream.reading;
  }

  #refreshOne(source: KlineSource, symbol: string, limit: number, now: number): Promise<number> {
    const running = this.#inFlight.get(symbol);
    if (running) return running.then(() => 0);
    const query = this.plan(symbol, limit, now);
    if (!query) return Promise.resolve(0);
    const task = this.#limit(async () => {
      this.#requests += 1;
      const fetched = await source.getKlines(query);
      await this.#mergeTurns.next();
      this.#merge(symbol, fetched, limit, now);
      const entry = this.#entries.get(symbol);
      if (entry && query.startTime === undefined) {
        const asked = query.limit ?? MAX_KLINES_PER_REQUEST;
        if (fetched.length < asked) entry.wholeHistoryBelow = asked;
        else delete entry.wholeHistoryBelow;
      }
      return 1;
    }).finally(() => this.#inFlight.delete(symbol));
    this.#inFlight.set(symbol, task);
    return task;
  }

  #merge(symbol: string, fetched: readonly Candle[], limit: number, now: number): void {
    const I = this.#intervalMs;
    const openNow = Math.floor(now / I) * I;
    const incoming = candleSeriesOf(fetched);
    const old = this.#entries.get(symbol);
    // The candle the live stream is following holds a state at least as new as any REST answer.
    const followed =
      old?.streamEpoch !== undefined && old.streamEpoch === this.#liveEpoch
        ? old.candles.openTimes[seriesLength(old.candles) - 1]
        : undefined;
    const cap = Math.min(limit, MAX_KLINES_PER_REQUEST);
    const candles =
      (old && appendedRun(old.candles, incoming, { interval: I, openNow, followed, cap })) ??
      mergedRun(old?.candles, incoming, { interval: I, openNow, followed, cap });
    const last = candles.openTimes[seriesLength(candles) - 1];
    this.#entries.set(symbol, {
      candles,
      stream: old?.stream ?? new IndicatorStream(),
      completeUntil: last === undefined ? 0 : Math.min(openNow, last + I),
      lastUsed: now,
      ...(followed !== undefined && last === followed ? { streamEpoch: old!.streamEpoch } : {}),
      ...(old?.wholeHistoryBelow === undefined ? {} : { wholeHistoryBelow: old.wholeHistoryBelow }),
    });
  }
}

/**
 * The general merge: every cached and fetched row by open time (fetched rows win, except the
 * candle the stream follows), then the newest gap-free run of at most `cap` rows.
 */
function mergedRun(
  old: CandleSeries | undefined,
  incoming: CandleSeries,
  o: { interval: number; openNow: number; followed: number | undefined; cap: number },
): CandleSeries {
  const { interval: I, openNow, followed } = o;
  // Rows by open time, each an index into the old (≥ 0) or the incoming (< 0: −1 − i) series.
  const byTime = new Map<number, number>();
  if (old) for (let i = 0; i < seriesLength(old); i += 1) byTime.set(old.openTimes[i]!, i);
  // Fetched rows replace cached ones with the same open time (the previously open candle);
  // rows from the future or off the interval grid are ignored.
  for (let i = 0; i < seriesLength(incoming); i += 1) {
    const t = incoming.openTimes[i]!;
    if (t <= openNow && t % I === 0 && t !== followed) byTime.set(t, -1 - i);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  // Indicators need a gap-free series: keep the contiguous run that ends at the newest candle.
  let from = times.length - 1;
  while (from > 0 && times[from]! - times[from - 1]! === I) from -= 1;
  const kept = times.slice(Math.max(from, times.length - o.cap));
  const candles: CandleSeries = {
    openTimes: Float64Array.from(kept),
    closes: new Float64Array(kept.length),
    volumes: new Float64Array(kept.length),
  };
  kept.forEach((t, k) => {
    const i = byTime.get(t)!;
    const source = i >= 0 ? old! : incoming;
    const j = i >= 0 ? i : -1 - i;
    candles.closes[k] = source.closes[j]!;
    candles.volumes[k] = source.volumes[j]!;
  });
  return candles;
}

/**
 * The usual warm refresh without the general merge: when the fetched rows are a gap-free run on
 * the grid, none of them in the future or the candle the stream follows, starting within the
 * cached (gap-free) series or right after it, the result is the cached rows before that run, the
 * run, and the cached rows after it — trimmed to the newest `cap`. Undefined otherwise (the
 * general merge decides). Same rows as the general merge, without a map and a sort per refresh.
 */
function appendedRun(
  old: CandleSeries,
  incoming: CandleSeries,
  o: { interval: number; openNow: number; followed: number | undefined; cap: number },
): CandleSeries | undefined {
  const { interval: I, openNow, followed, cap } = o;
  const n = seriesLength(old);
  const m = seriesLength(incoming);
  if (n === 0 || m === 0) return undefined;
  const first = incoming.openTimes[0]!;
  const lastIn = incoming.openTimes[m - 1]!;
  if (first % I !== 0 || lastIn > openNow || lastIn - first !== (m - 1) * I) return undefined;
  for (let i = 1; i < m; i += 1)
    if (incoming.openTimes[i]! - incoming.openTimes[i - 1]! !== I) return undefined;
  if (followed !== undefined && followed >= first && followed <= lastIn) return undefined;
  const oldFirst = old.openTimes[0]!;
  const oldLast = old.openTimes[n - 1]!;
  if (first < oldFirst || first > oldLast + I) return undefined;
  const before = (first - oldFirst) / I; // cached rows kept in front of the run
  const after = Math.max(0, (oldLast - lastIn) / I); // cached rows kept behind it
  const total = before + m + after;
  const skip = Math.max(0, total - cap);
  const out: CandleSeries = {
    openTimes: new Float64Array(total - skip),
    closes: new Float64Array(total - skip),
    volumes: new Float64Array(total - skip),
  };
  for (const key of ['openTimes', 'closes', 'volumes'] as const) {
    const joined = new Float64Array(total);
    joined.set(old[key].subarray(0, before), 0);
    joined.set(incoming[key], before);
    joined.set(old[key].subarray(n - after), before + m);
    out[key].set(joined.subarray(skip));
  }
  return out;
}
