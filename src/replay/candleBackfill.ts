/**
 * Brings the candle store up to a replay's needs: local candles first, and only the missing
 * ranges asked of the exchange, 500 candles a request, at the rate limiter's background priority
 * (live trading and the chat never wait behind it). A range the exchange has no candles for
 * (older than it keeps, before a listing) is simply left missing: the replay prices a symbol only
 * where candles exist.
 */
import { INTERVAL_MS, type Candle, type KlineInterval } from '../domain/market.js';
import type { KlineQuery } from '../exchange/ExchangePort.js';
import type { CandleRepository } from '../persistence/CandleRepository.js';

/** Candles per klines request (MEXC returns at most 500). */
const PER_REQUEST = 500;

/** What to bring in: symbols, width and the span `[from, to)` of open times; `now` bounds it to closed candles. */
export interface BackfillRequest {
  readonly symbols: readonly string[];
  readonly interval: KlineInterval;
  readonly from: number;
  readonly to: number;
  readonly now: number;
}

/** What a backfill did. */
export interface BackfillResult {
  readonly requests: number;
  readonly fetched: number;
  /** Symbols whose requests failed, with the message (their candles stay as they were). */
  readonly failures: ReadonlyMap<string, string>;
}

/** The ranges `[start, end)` of open times in the span with no stored candle, on the interval's grid. */
export function missingRanges(
  stored: readonly number[],
  interval: KlineInterval,
  from: number,
  to: number,
): { start: number; end: number }[] {
  const width = INTERVAL_MS[interval];
  const have = new Set(stored);
  const ranges: { start: number; end: number }[] = [];
  let open: number | undefined;
  const first = Math.ceil(from / width) * width;
  for (let t = first; t < to; t += width) {
    if (have.has(t)) {
      if (open !== undefined) ranges.push({ start: open, end: t });
      open = undefined;
    } else if (open === undefined) open = t;
  }
  if (open !== undefined) ranges.push({ start: open, end: Math.ceil(to / width) * width });
  return ranges;
}

/**
 * Fetches the closed candles missing from the store and keeps them; `onRequest` is told after
 * each request (for a progress line).
 */
export async function backfillCandles(input: {
  readonly store: Pick<CandleRepository, 'openTimes' | 'keep'>;
  readonly source: { getKlines(query: KlineQuery): Promise<readonly Candle[]> };
  readonly request: BackfillRequest;
  readonly onRequest?: (done: number) => void;
}): Promise<BackfillResult> {
  const { store, source, request } = input;
  const width = INTERVAL_MS[request.interval];
  // Only candles closed by now: the one in progress would be stored half-made.
  const to = Math.min(request.to, Math.floor(request.now / width) * width);
  let requests = 0;
  let fetched = 0;
  const failures = new Map<string, string>();
  for (const symbol of request.symbols) {
    const stored = store.openTimes(symbol, request.interval, request.from, to);
    try {
      for (const range of missingRanges(stored, request.interval, request.from, to)) {
        for (let start = range.start; start < range.end; start += PER_REQUEST * width) {
          const end = Math.min(range.end, start + PER_REQUEST * width);
          const candles = await source.getKlines({
            symbol,
            interval: request.interval,
            startTime: start,
            endTime: end,
            limit: PER_REQUEST,
            background: true,
          });
          requests += 1;
          input.onRequest?.(requests);
          const closed = candles.filter(
            (c) => c.openTime >= start && c.openTime < end && c.openTime + width <= request.now,
          );
          fetched += store.keep(symbol, request.interval, closed);
        }
      }
    } catch (error) {
      failures.set(symbol, error instanceof Error ? error.message : String(error));
    }
  }
  return { requests, fetched, failures };
}
