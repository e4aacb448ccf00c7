/**
 * Paging over MEXC myTrades, which has no `fromId` and returns at most 100 rows: walk forward in
 * windows of at most 24 h, split any window that comes back full (exactly the limit, so rows may
 * be missing) in halves, dedupe by trade id and sort by time. A window still full at the minimum
 * width (many fills in one instant, e.g. a market order sweeping a thin book) cannot be separated
 * by time any more: it is read again one order at a time (`orderId`), for every order known to
 * have been working then and every order seen in the full page.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/spot-account-trade (Account Trade List)
 */
import { ExchangeError, ExchangeErrorKind } from '../../domain/errors.js';
import type { Fill } from '../../domain/market.js';

/** The widest time range MEXC accepts in one myTrades request (24 hours). */
export const MAX_FILL_WINDOW_MS = 24 * 60 * 60_000;
/** The most rows MEXC returns from one myTrades request; a window this full may be missing rows. */
export const MY_TRADES_LIMIT = 100;
/** Below this width a full window is not split by time any more but read per order. */
export const MIN_FILL_WINDOW_MS = 1_000;

/** One myTrades answer: the usable fills and how many rows the exchange sent (malformed ones included). */
export interface FillPage {
  readonly rows: number;
  readonly fills: readonly Fill[];
}

/** Options of {@link collectFillsInWindows}. */
export interface FillWindowOptions {
  readonly startTime: number;
  /** Exclusive. */
  readonly endTime: number;
  /** One myTrades call for `[start, end)`, of one order when `orderId` is given. */
  readonly fetchWindow: (start: number, end: number, orderId?: string) => Promise<FillPage>;
  /** Exchange order ids that may have filled in `[start, end)` (the bot's own orders). */
  readonly orderIdsIn?: (start: number, end: number) => readonly string[];
  readonly maxWindowMs?: number;
  readonly pageLimit?: number;
  readonly minWindowMs?: number;
  /** Hard stop against a misbehaving server that always answers full pages. */
  readonly maxRequests?: number;
  /** Told when even a per-order read of a minimal window came back full (rows may be missing). */
  readonly onFullMinimalWindow?: (start: number, end: number, orderId?: string) => void;
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
  const fetch = async (start: number, end: number, orderId?: string): Promise<FillPage> => {
    if (++requests > maxRequests) {
      throw new ExchangeError(
        `GET /api/v3/myTrades: paging stopped after ${maxRequests} requests (window ${start}–${end})`,
        { kind: ExchangeErrorKind.Temporary, endpoint: 'GET /api/v3/myTrades' },
      );
    }
    return fetchWindow(start, end, orderId);
  };
  const keep = (fills: readonly Fill[], start: number, end: number) => {
    for (const fill of fills) {
      // The exchange's end bound may be inclusive: keep each row in exactly one window.
      if (fill.time >= start && fill.time < end) byId.set(fill.tradeId, fill);
    }
  };

  for (let window = stack.pop(); window !== undefined; window = stack.pop()) {
    const [start, end] = window;
    const page = await fetch(start, end);
    keep(page.fills, start, end);
    if (page.rows < pageLimit) continue;
    if (end - start > minWindowMs) {
      const mid = start + Math.floor((end - start) / 2);
      stack.push([mid, end], [start, mid]);
      continue;
    }
    const orderIds = new Set(options.orderIdsIn?.(start, end) ?? []);
    for (const fill of page.fills) orderIds.add(fill.orderId);
    for (const orderId of [...orderIds].sort()) {
      const perOrder = await fetch(start, end, orderId);
      keep(perOrder.fills, start, end);
      if (perOrder.rows >= pageLimit) options.onFullMinimalWindow?.(start, end, orderId);
    }
  }
  return [...byId.values()].sort((a, b) => a.time - b.time || (a.tradeId < b.tradeId ? -1 : 1));
}
