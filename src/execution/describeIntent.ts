/**
 * The human text of a proposed order: exact symbol, side, quantity, price, value and what
 * is left of the quote asset above its reserve afterwards, plus the strategy's reason.
 */
import type { SymbolRules } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { PreparedOrder } from '../domain/orderRules.js';
import type { OrderIntent } from '../domain/intent.js';
import { formatMoney, formatPrice, formatQty } from '../domain/format.js';

/** An order intent with the prepared order and balances needed to describe it to the owner. */
export interface IntentDescriptionInput {
  readonly intent: OrderIntent;
  readonly rules: SymbolRules;
  readonly prepared: Extract<PreparedOrder, { ok: true }>;
  /** Free quote balance now. */
  readonly quoteFree: Decimal;
  /** Remaining notional of the bot's open buys in the quote asset. */
  readonly openBuys: Decimal;
  readonly reserve: Decimal;
}

/** The text a confirmation shows: the exact order, its value, what it leaves above the reserve, and why. */
export function describeIntent(input: IntentDescriptionInput): string {
  const { intent, rules, prepared, quoteFree, openBuys, reserve } = input;
  const q = rules.quoteAsset;
  const price = prepared.price ?? intent.price;
  const after =
    intent.side === 'BUY'
      ? quoteFree.minus(openBuys).minus(prepared.notional)
      : quoteFree.minus(openBuys).plus(prepared.notional);
  const market = prepared.price ? '' : ' (market, estimated)';
  return (
    `${intent.side} ${formatQty(prepared.quantity, rules.stepSize)} ${rules.baseAsset} on ${intent.symbol} at ${formatPrice(price, rules.tickSize)} ${q}${market}` +
    ` = ${formatMoney(prepared.notional)} ${q}, ${intent.type}. ` +
    `${q} free after open buys and this order: ${formatMoney(after)} (reserve ${formatMoney(reserve)} ${q}). ` +
    `Why: ${intent.reason}`
  );
}
