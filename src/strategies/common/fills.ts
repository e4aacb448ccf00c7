/**
 * Questions strategies ask of the recent fills and open orders: cooldowns, today's spend,
 * and funds a strategy freed and has not redeployed yet.
 */
import { ZERO, type Decimal } from '../../domain/money.js';
import type { AttributedFill, OpenBotOrder } from '../../domain/intent.js';
import type { OrderOrigin } from '../../domain/strategy.js';
import type { StrategySnapshot } from '../contract.js';
import { toUsdc } from './markets.js';

/** One minute in milliseconds, for cooldowns. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds, for cooldowns and windows. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds, for daily caps and windows. */
export const DAY_MS = 86_400_000;

/** Start of the UTC calendar day containing `now`: daily caps reset at 00:00 UTC. */
export function utcDayStart(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** The most recent fill matching `match`, or undefined. */
export function lastFill(
  fills: readonly AttributedFill[],
  match: (fill: AttributedFill) => boolean,
): AttributedFill | undefined {
  let latest: AttributedFill | undefined;
  for (const f of fills) if (match(f) && (!latest || f.time > latest.time)) latest = f;
  return latest;
}

/**
 * Milliseconds left of a cooldown that started at the last matching fill, or 0 when none is
 * running. A cooldown of 0 never blocks.
 */
export function cooldownLeftMs(input: {
  readonly fills: readonly AttributedFill[];
  readonly match: (fill: AttributedFill) => boolean;
  readonly cooldownMs: number;
  readonly now: number;
}): number {
  if (input.cooldownMs <= 0) return 0;
  const last = lastFill(input.fills, input.match);
  if (!last) return 0;
  return Math.max(0, last.time + input.cooldownMs - input.now);
}

/** Open orders of one origin, optionally only on the given symbols and side. */
export function openOrdersOf(
  snapshot: StrategySnapshot,
  origin: OrderOrigin,
  filter: { readonly symbols?: readonly string[]; readonly side?: 'BUY' | 'SELL' } = {},
): readonly OpenBotOrder[] {
  return snapshot.openOrders.filter(
    (o) =>
      o.origin === origin &&
      (filter.side === undefined || o.side === filter.side) &&
      (filter.symbols === undefined || filter.symbols.includes(o.symbol)),
  );
}

/** The still unfilled quote value of an open order, in its quote asset. */
export function remainingQuote(order: OpenBotOrder): Decimal {
  const left = order.quantity.minus(order.executedQty);
  return left.greaterThan(ZERO) ? left.times(order.price) : ZERO;
}

/** Sum of fills' quote values in USDC (USDT converted at `usdcUsdt`). */
export function fillsValueUsdc(snapshot: StrategySnapshot, fills: readonly AttributedFill[]): Decimal {
  let total = ZERO;
  for (const f of fills) total = total.plus(toUsdc(snapshot, f.quoteQty, f.quoteAsset));
  return total;
}

/** How far back "freed and not yet redeployed" funds are looked for. */
export const PENDING_WINDOW_MS = DAY_MS;

/**
 * USDC value freed by the given sells and not yet spent by the given buys within the last
 * {@link PENDING_WINDOW_MS}, never negative.
 *
 * Why a window: fills are the only memory strategies have. Buys always follow the sells they
 * redeploy, so a window can only under-count what is pending (a buy whose sell dropped out of
 * the window), never over-count; old leftovers simply stay as free cash.
 */
export function pendingFreedUsdc(input: {
  readonly snapshot: StrategySnapshot;
  readonly sells: (fill: AttributedFill) => boolean;
  readonly buys: (fill: AttributedFill) => boolean;
}): Decimal {
  const { snapshot } = input;
  const since = snapshot.now - PENDING_WINDOW_MS;
  const recent = snapshot.recentFills.filter((f) => f.time >= since && f.time <= snapshot.now);
  const freed = fillsValueUsdc(
    snapshot,
    recent.filter((f) => f.side === 'SELL' && input.sells(f)),
  );
  const spent = fillsValueUsdc(
    snapshot,
    recent.filter((f) => f.side === 'BUY' && input.buys(f)),
  );
  const pending = freed.minus(spent);
  return pending.greaterThan(ZERO) ? pending : ZERO;
}
