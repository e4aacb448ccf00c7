/**
 * The reserve arithmetic (docs/safety-rules.md), shared by the executor's check and the strategies' snapshot
 * so both see the same number: headroom = free − open buy orders' remaining notional − reserve.
 *
 * Open buys are subtracted even though the exchange may already show their funds as locked:
 * the double count errs on the safe side and also covers orders whose lock is not yet visible
 * (PENDING, UNKNOWN, a balance read taken just before the order was accepted).
 */
import { type Decimal, ZERO } from '../domain/money.js';
import type { SettingsReader } from '../strategies/contract.js';

/** The reserve kept in `quoteAsset`: `reserve.usdc` for USDC, `reserve.usdt` for USDT, else none. */
export function reserveFor(quoteAsset: string, settings: SettingsReader): Decimal {
  if (quoteAsset === 'USDC') return settings.get('reserve.usdc');
  if (quoteAsset === 'USDT') return settings.get('reserve.usdt');
  return ZERO;
}

/** The three amounts headroom is computed from: free balance, open buys and the reserve. */
export interface HeadroomInput {
  readonly free: Decimal;
  readonly openBuys: Decimal;
  readonly reserve: Decimal;
}

/** What may still be spent on new buys (negative when the reserve is already dipped into). */
export function headroom(input: HeadroomInput): Decimal {
  return input.free.minus(input.openBuys).minus(input.reserve);
}
