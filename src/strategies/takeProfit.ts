/**
 * `take-profit`: sells part of BTC and ETH when the bid is far enough above the average
 * cost after fees, never below cost plus fees.
 *
 * Fees: the position's average cost already includes the entry fee, so only the exit
 * (taker) fee is applied. The profit test uses the price the order will actually be placed
 * at (bid less `priceOffsetBps`), so the realised profit after fees is at least
 * `minProfitPct`; `minSellPrice` is the break-even floor `avgCost / (1 − takerFee)`, which
 * the executor enforces again when it re-prices after `orderTtlMin`.
 *
 * Quantity: `sellPct` of the free quantity the fills explain (min of free balance and
 * position quantity, so coins without a cost basis are never sold), always leaving `keepQty`.
 */
import { CORE_ASSETS, OrderType, type CoreAsset } from '../domain/market.js';
import { bps, minDec, ONE, pct, ZERO } from '../domain/money.js';
import type { Decision, SettingsReader, StrategyDefinition, StrategySnapshot } from './contract.js';
import type { Intent } from '../domain/intent.js';
import { cooldownLeftMs, MINUTE_MS, openOrdersOf } from './common/fills.js';
import { formatDuration, formatNumber, formatPercent } from '../domain/format.js';
import { inactiveDecision } from './common/guard.js';
import { historyPendingNote } from './common/history.js';
import { convertStable, coreMarket, freeQty } from './common/markets.js';
import { preflight } from './common/preflight.js';
import { breakEvenPrice, exitFeeRate, netProfitFraction, targetSellPrice } from './common/profit.js';

const ID = 'take-profit';

function decideAsset(
  snapshot: StrategySnapshot,
  settings: SettingsReader,
  asset: CoreAsset,
): { intent?: Intent; note?: string; waiting?: string } {
  const pending = historyPendingNote(snapshot, asset);
  if (pending) return { note: pending, waiting: asset };
  const position = snapshot.positions.get(asset);
  if (!position || position.qty.lessThanOrEqualTo(ZERO)) return { note: `${asset}: no position` };
  if (position.avgCost.lessThanOrEqualTo(ZERO)) return { note: `${asset}: no cost basis; never sold blind` };

  const open = openOrdersOf(snapshot, ID, { side: 'SELL', symbols: [`${asset}USDC`, `${asset}USDT`] });
  if (open.length > 0) {
    return {
      note: `${asset}: sell ${open[0]!.clientOrderId} at ${formatNumber(open[0]!.price)} still open; the executor re-prices it`,
    };
  }
  const left = cooldownLeftMs({
    fills: snapshot.recentFills,
    match: (f) => f.origin === ID && f.side === 'SELL' && f.baseAsset === asset,
    cooldownMs: settings.get('take-profit.cooldownMin') * MINUTE_MS,
    now: snapshot.now,
  });
  if (left > 0)
    return {
      note: `${asset}: cooldown after the last take-profit sell, ${formatDuration(left, { roundUp: true })} left`,
    };

  const lookup = coreMarket(snapshot, asset, 'SELL');
  if (!lookup.ok) return { note: `${asset}: no market to sell on: ${lookup.reason}` };
  const { market } = lookup;
  const quote = market.quoteAsset;
  const avgCost = convertStable(snapshot, position.avgCost, position.costAsset, quote);
  const fee = exitFeeRate(market.rules);
  const bid = market.book.bid;
  const price = bid.times(ONE.minus(bps(settings.get('take-profit.priceOffsetBps'))));
  const minProfitPct = settings.get('take-profit.minProfitPct');
  const trigger = targetSellPrice(avgCost, fee, pct(minProfitPct));
  const profitPct = netProfitFraction(price, avgCost, fee).times(100);
  const costText = `avg cost ${formatNumber(avgCost)} ${quote}`;
  if (price.lessThan(trigger)) {
    return {
      note: `${asset}: bid ${formatNumber(bid)} gives ${formatPercent(profitPct, { truncate: true })} after fees at ${formatNumber(price)}; needs ${formatPercent(minProfitPct)} (sell price ≥ ${formatNumber(trigger)}, ${costText})`,
    };
  }

  const base = minDec(freeQty(snapshot, asset), position.qty);
  const keep = settings.get('take-profit.keepQty');
  const qty = minDec(base.times(pct(settings.get('take-profit.sellPct'))), base.minus(keep));
  if (qty.lessThanOrEqualTo(ZERO)) {
    return {
      note: `${asset}: in profit but nothing to sell (free ${formatNumber(base)}, keep ${formatNumber(keep)})`,
    };
  }
  const minSellPrice = breakEvenPrice(avgCost, fee);
  const pnl = qty.times(price.times(ONE.minus(fee)).minus(avgCost));
  const fallback = lookup.fallbackReason ? `; ${lookup.fallbackReason}, so selling on ${market.symbol}` : '';
  const intent: Intent = {
    kind: 'order',
    origin: ID,
    symbol: market.symbol,
    side: 'SELL',
    type: OrderType.Limit,
    price,
    quantity: qty,
    minSellPrice,
    ttlMs: settings.get('take-profit.orderTtlMin') * MINUTE_MS,
    repriceOnExpiry: true,
    reason: `${asset} bid ${formatNumber(bid)} is ${formatPercent(profitPct)} above ${costText} after fees (target ${formatPercent(minProfitPct)}); sell ${formatNumber(qty)} ${asset} at ${formatNumber(price)}, ≈ ${formatNumber(pnl)} ${quote} realised; never below ${formatNumber(minSellPrice)}${fallback}`,
  };
  const refused = preflight(intent, market.rules);
  if (refused) return { note: `${asset}: sell would be refused: ${refused}` };
  return { intent };
}

/** One run of `take-profit`: at most one sell per core asset. */
export function decideTakeProfit(snapshot: StrategySnapshot, settings: SettingsReader): Decision {
  const inactive = inactiveDecision(ID, settings);
  if (inactive) return inactive;
  const intents: Intent[] = [];
  const notes: string[] = [];
  const waiting: string[] = [];
  for (const asset of CORE_ASSETS) {
    const r = decideAsset(snapshot, settings, asset);
    if (r.intent) intents.push(r.intent);
    if (r.note) notes.push(r.note);
    if (r.waiting) waiting.push(r.waiting);
  }
  return { intents, notes, waiting };
}

/** The `take-profit` strategy definition. */
export function createTakeProfit(): StrategyDefinition {
  return {
    id: ID,
    needs: { tickers: false },
    schedule: (settings) => ({ kind: 'interval', everyMs: settings.get('take-profit.intervalSec') * 1000 }),
    decide: ({ snapshot, settings }) => decideTakeProfit(snapshot, settings),
  };
}
