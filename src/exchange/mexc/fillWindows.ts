/**
 * Paging over MEXC myTrades, which has no `fromId` and returns at most 100 rows: walk forward in
 * windows of at most 24 h, split any window that comes back full (exactly the limit, so rows may
 * be missing) in halves, dedupe by trade id and sort by time.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/spot-account-trade (Account Trade List)
 */
import { ExchangeError, ExchangeErrorKind } from '../../domain/errors.js';
import type { Fill } from '../../domain/market.js';

/** The widest time range MEXC accepts in one myTrades request (24 hours). */
export const MAX_FILL_WINDOW_MS = 24 * 60 * 60_000;
/** The most rows MEXC returns from one myTrades request; a window this full may be missing rows. */
export const MY_TRADES_LIMIT = 100;
/** Below this width a full window is accepted as is (no account fills 100 times a second). */
export const MIN_FILL_WINDOW_MS = 1_000;

/** The time range to page through and the call that reads one window of it. */
export interface FillWindowOptions {
  readonly startTime: number;
  /** Exclusive. */
  readonly endTime: number;
  /** One myTrades call for `[start, end)`; returns every row it got (mapped). */
  readonly fetchWindow: (start: number, end: number) => Promise<readonly Fill[]>;
  readonly maxWindowMs?: number;
  readonly pageLimit?: number;
  readonly minWindowMs?: number;
  /** Hard stop against a misbehaving server that always answers full pages. */
  readonly maxRequests?: number;
  /** Told when a window at minimum width still came back full (rows may be missing). */
  readonly onFullMinimalWindow?: (start: number, end: number) => void;
}

/** Fills with `startTime <= time < endTime`, unique by trade id, ascending by time then id. */
export async function collectFillsInWindows(options: FillWindowOptions): Promise<Fill[]> {
  const {
    startTime,
    endTime,
    fetchWindow,
    maxWindowMs = MAX_FILL_WINDOW_MS,
    pageLimit = MY_TRADES_LIMIT,
    minWindowMs = MIN_FILL_WINDOW_MS,
    maxRequests = 5_000,
  } = options;
  // Stack of windows, earliest on top, so requests walk forward in time.
  const stack: [number, number][] = [];
  for (let start = startTime; start < endTime; start += maxWindowMs) {
    stack.push([start, Math.min(start + maxWindowMs, endTime)]);
  }
  stack.reverse();

  const byId = new Map<string, Fill>();
  let requests = 0;
  for (let window = stack.pop(); window !== undefined; window = stack.pop()) {
    const [start, end] = window;
    if (++requests > maxRequests) {
      throw new ExchangeError(
        `GET /api/v3/myTrades: paging stopped after ${maxRequests} requests (window ${start}–${end})`,
        { kind: ExchangeErrorKind.Temporary, endpoint: 'GET /api/v3/myTrades' },
      );
    }
    const rows = await fetchWindow(start, end);
    if (rows.length >= pageLimit) {
      if (end - start > minWindowMs) {
        const mid = start + Math.floor((end - start) / 2);
        stack.push([mid, end], [start, mid]);
        continue;
      }
      options.onFullMinimalWindow?.(start, end);
    }
    for (const fill of rows) {
      // The exchange's end bound may be inclusive: keep each row in exactly one window.
      if (fill.time >= start && fill.time < end) byId.set(fill.tradeId, fill);
    }
  }
  return [...byId.values()].sort((a, b) => a.time - b.time || (a.tradeId < b.tradeId ? -1 : 1));
}
