/**
 * Order builders shared by the rebalancing strategies (`split-balance`, `core-balance`):
 * in-profit-only sells and near-market buys, both IMMEDIATE_OR_CANCEL at the touch so
 * a rebalancing step never leaves a resting order behind and its outcome is known at once.
 */
import { OrderType } from '../../domain/market.js';
import { dec, minDec, ZERO, type Decimal } from '../../domain/money.js';
import type { Intent } from '../../domain/intent.js';
import type { OrderOrigin } from '../../domain/strategy.js';
import type { StrategySnapshot } from '../contract.js';
import { formatNumber, formatPercent } from '../../domain/format.js';
import { historyPendingNote } from './history.js';
import { convertStable, freeQty, type Market } from './markets.js';
import { preflight } from './preflight.js';
import { breakEvenPrice, exitFeeRate, netProfitFraction } from './profit.js';

/** Moves smaller than this (in USDC) are not worth an order; leftovers stay as cash. */
export const MOVE_DUST_USDC = dec(1);

/**
 * An order a rebalancing step would place with its value, or a note saying why none is placed
 * (with the asset when the reason is its trade history still being read).
 */
export type Built =
  | { readonly intent: Intent; readonly quoteValue: Decimal }
  | { readonly note: string; readonly waiting?: string };

/**
 * A sell of up to `maxQuote` (in the market's quote) of `market.baseAsset`, only when the bid
 * is at or above the break-even floor of the position. Sells at most the quantity the fills
 * explain (min of free balance and position); nothing while the asset's history is being read.
 */
export function sellInProfit(input: {
  readonly snapshot: StrategySnapshot;
  readonly origin: OrderOrigin;
  readonly market: Market;
  readonly maxQuote: Decimal;
  readonly why: string;
}): Built {
  const { snapshot, market } = input;
  const asset = market.baseAsset;
  const pending = historyPendingNote(snapshot, asset);
  if (pending) return { note: pending, waiting: asset };
  const position = snapshot.positions.get(asset);
  if (!position || position.qty.lessThanOrEqualTo(ZERO) || position.avgCost.lessThanOrEqualTo(ZERO)) {
    return { note: `${asset}: no cost basis from fills; not sold` };
  }
  const avgCost = convertStable(snapshot, position.avgCost, position.costAsset, market.quoteAsset);
  const fee = exitFeeRate(market.rules);
  const floor = breakEvenPrice(avgCost, fee);
  const bid = market.book.bid;
  if (bid.lessThan(floor)) {
    return {
      note: `${asset}: bid ${formatNumber(bid)} is below break-even ${formatNumber(floor)} (avg cost ${formatNumber(avgCost)} plus fees); not sold (never at a loss)`,
    };
  }
  const sellable = minDec(freeQty(snapshot, asset), position.qty);
  const qty = minDec(sellable, input.maxQuote.div(bid));
  if (qty.lessThanOrEqualTo(ZERO)) return { note: `${asset}: nothing free to sell` };
  const profitPct = netProfitFraction(bid, avgCost, fee).times(100);
  const intent: Intent = {
    kind: 'order',
    origin: input.origin,
    symbol: market.symbol,
    side: 'SELL',
    type: OrderType.ImmediateOrCancel,
    price: bid,
    quantity: qty,
    minSellPrice: floor,
    reason: `${input.why}: sell ${formatNumber(qty)} ${asset} at the bid ${formatNumber(bid)} (${formatPercent(profitPct)} over avg cost ${formatNumber(avgCost)} after fees; never below ${formatNumber(floor)})`,
  };
  const refused = preflight(intent, market.rules);
  if (refused) return { note: `${asset}: sell would be refused: ${refused}` };
  return { intent, quoteValue: qty.times(bid) };
}

/** An IOC buy of `quoteAmount` at the best ask. */
export function buyAtAsk(input: {
  readonly origin: OrderOrigin;
  readonly market: Market;
  readonly quoteAmount: Decimal;
  readonly why: string;
}): Built {
  const { market, quoteAmount } = input;
  const intent: Intent = {
    kind: 'order',
    origin: input.origin,
    symbol: market.symbol,
    side: 'BUY',
    type: OrderType.ImmediateOrCancel,
    price: market.book.ask,
    quoteAmount,
    reason: `${input.why}: buy ${formatNumber(quoteAmount)} ${market.quoteAsset} of ${market.baseAsset} at the ask ${formatNumber(market.book.ask)}`,
  };
  const refused = preflight(intent, market.rules);
  if (refused) return { note: `${market.baseAsset}: buy would be refused: ${refused}` };
  return { intent, quoteValue: quoteAmount };
}

/**
 * A `USDCUSDT` conversion worth up to `amountUsdc`, sized at the real book price (never 1:1).
 * `to: 'USDC'` BUYs USDC at the ask spending at most `availableUsdt`; `to: 'USDT'` SELLs USDC
 * at the bid, at most `availableUsdc`.
 */
export function convertStablecoin(input: {
  readonly snapshot: StrategySnapshot;
  readonly origin: OrderOrigin;
  readonly market: Market;
  readonly to: 'USDC' | 'USDT';
  readonly amountUsdc: Decimal;
  readonly available: Decimal;
  readonly why: string;
}): Built {
  const { market, snapshot } = input;
  if (input.to === 'USDC') {
    const ask = market.book.ask;
    const spendUsdt = minDec(input.amountUsdc.times(snapshot.usdcUsdt), input.available);
    const qty = spendUsdt.div(ask);
    const intent: Intent = {
      kind: 'order',
      origin: input.origin,
      symbol: market.symbol,
      side: 'BUY',
      type: OrderType.ImmediateOrCancel,
      price: ask,
      quantity: qty,
      reason: `${input.why}: convert ${formatNumber(spendUsdt)} USDT to ${formatNumber(qty)} USDC at ${market.symbol} ask ${formatNumber(ask)}`,
    };
    const refused = preflight(intent, market.rules);
    return refused ? { note: `conversion would be refused: ${refused}` } : { intent, quoteValue: spendUsdt };
  }
  const bid = market.book.bid;
  const wantUsdt = input.amountUsdc.times(snapshot.usdcUsdt);
  const qty = minDec(wantUsdt.div(bid), input.available);
  const intent: Intent = {
    kind: 'order',
    origin: input.origin,
    symbol: market.symbol,
    side: 'SELL',
    type: OrderType.ImmediateOrCancel,
    price: bid,
    quantity: qty,
    reason: `${input.why}: convert ${formatNumber(qty)} USDC to ${formatNumber(qty.times(bid))} USDT at ${market.symbol} bid ${formatNumber(bid)}`,
  };
  const refused = preflight(intent, market.rules);
  return refused
    ? { note: `conversion would be refused: ${refused}` }
    : { intent, quoteValue: qty.times(bid) };
}

/** Clamps negatives to zero. */
export function nonNegative(value: Decimal): Decimal {
  return value.greaterThan(ZERO) ? value : ZERO;
}
