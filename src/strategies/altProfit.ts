/**
 * `alt-profit`: takes profit on held altcoins, optionally stops losses, and tops up
 * held scan leaders.
 *
 * Choices made here, beyond the settings:
 * - Sells are LIMIT orders `alt-profit.priceOffsetBps` under the bid, re-priced by the
 *   executor after `alt-profit.orderTtlMin`, with a per-asset `alt-profit.cooldownMin` after
 *   any alt-profit sell (as take-profit: the average cost does not move on a sell).
 * - The profit test is made at the order price after the exit fee; `minSellPrice` is the
 *   break-even floor. Only the quantity the fills explain is sold (min of free and position).
 * - A stop-loss (`stopLossPct` > 0) triggers when the bid is that far below the average cost
 *   and sells the whole explained free quantity with `allowLoss`, since the owner enabled it.
 * - Top-ups: at most one per symbol per UTC day, and at most `maxTopUpsPerDay` symbols per
 *   day, counted from alt-profit buy fills (so partial fills of one order count once) plus
 *   open alt-profit buys. They are IOC limits at the best ask, like the scanner's buys. A
 *   symbol sold or stopped out in the same run is not topped up.
 */
import { OrderType } from '../domain/market.js';
import { bps, minDec, ONE, pct, ZERO } from '../domain/money.js';
import type { Decision, SettingsReader, StrategyDefinition, StrategySnapshot } from './contract.js';
import type { Intent } from '../domain/intent.js';
import { cooldownLeftMs, MINUTE_MS, openOrdersOf, utcDayStart } from './common/fills.js';
import { formatDuration, formatNumber, formatPercent } from '../domain/format.js';
import { inactiveDecision } from './common/guard.js';
import { historyPendingNote } from './common/history.js';
import { altHoldings, convertStable, freeQty, lookupMarket, type AltHolding } from './common/markets.js';
import { preflight } from './common/preflight.js';
import { breakEvenPrice, exitFeeRate, netProfitFraction, targetSellPrice } from './common/profit.js';

const ID = 'alt-profit';

function decideSell(
  snapshot: StrategySnapshot,
  settings: SettingsReader,
  holding: AltHolding,
): { intent?: Intent; note?: string; waiting?: string } {
  const { asset, symbol } = holding;
  const pending = historyPendingNote(snapshot, asset);
  if (pending) return { note: pending, waiting: asset };
  const position = snapshot.positions.get(asset);
  if (!position || position.qty.lessThanOrEqualTo(ZERO) || position.avgCost.lessThanOrEqualTo(ZERO)) {
    return { note: `${asset}: no cost basis from fills; not sold` };
  }
  if (openOrdersOf(snapshot, ID, { side: 'SELL', symbols: [symbol] }).length > 0) {
    return { note: `${asset}: an alt-profit sell is still open; the executor re-prices it` };
  }
  const left = cooldownLeftMs({
    fills: snapshot.recentFills,
    match: (f) => f.origin === ID && f.side === 'SELL' && f.baseAsset === asset,
    cooldownMs: settings.get('alt-profit.cooldownMin') * MINUTE_MS,
    now: snapshot.now,
  });
  if (left > 0)
    return {
      note: `${asset}: cooldown after the last alt-profit sell, ${formatDuration(left, { roundUp: true })} left`,
    };
  const lookup = lookupMarket(snapshot, symbol, 'SELL');
  if (!lookup.ok) return { note: `${asset}: ${lookup.reason}` };
  const { market } = lookup;
  const avgCost = convertStable(snapshot, position.avgCost, position.costAsset, market.quoteAsset);
  const fee = exitFeeRate(market.rules);
  const bid = market.book.bid;
  const price = bid.times(ONE.minus(bps(settings.get('alt-profit.priceOffsetBps'))));
  const sellable = minDec(freeQty(snapshot, asset), position.qty);
  if (sellable.lessThanOrEqualTo(ZERO)) return { note: `${asset}: nothing free to sell` };
  const ttl = { ttlMs: settings.get('alt-profit.orderTtlMin') * MINUTE_MS, repriceOnExpiry: true };

  const stopLossPct = settings.get('alt-profit.stopLossPct');
  const stopPrice = avgCost.times(ONE.minus(pct(stopLossPct)));
  if (stopLossPct.greaterThan(ZERO) && bid.lessThanOrEqualTo(stopPrice)) {
    const lossPct = ONE.minus(bid.div(avgCost)).times(100);
    const intent: Intent = {
      kind: 'order',
      origin: ID,
      symbol,
      side: 'SELL',
      type: OrderType.Limit,
      price,
      quantity: sellable,
      allowLoss: true,
      ...ttl,
      reason: `STOP-LOSS ${asset}: bid ${formatNumber(bid)} is ${formatPercent(lossPct)} below avg cost ${formatNumber(avgCost)} USDT (stop-loss ${formatPercent(stopLossPct)} enabled by the owner); sell all ${formatNumber(sellable)} ${asset} at ${formatNumber(price)}, a loss`,
    };
    const refused = preflight(intent, market.rules);
    return refused ? { note: `${asset}: stop-loss sell would be refused: ${refused}` } : { intent };
  }

  const tpPct = settings.get('alt-profit.takeProfitPct');
  const trigger = targetSellPrice(avgCost, fee, pct(tpPct));
  const profitPct = netProfitFraction(price, avgCost, fee).times(100);
  if (price.lessThan(trigger)) {
    return {
      note: `${asset}: ${formatPercent(profitPct, { truncate: true })} after fees at ${formatNumber(price)} (avg cost ${formatNumber(avgCost)}); needs ${formatPercent(tpPct)}`,
    };
  }
  const qty = sellable.times(pct(settings.get('alt-profit.sellPct')));
  const minSellPrice = breakEvenPrice(avgCost, fee);
  const pnl = qty.times(price.times(ONE.minus(fee)).minus(avgCost));
  const intent: Intent = {
    kind: 'order',
    origin: ID,
    symbol,
    side: 'SELL',
    type: OrderType.Limit,
    price,
    quantity: qty,
    minSellPrice,
    ...ttl,
    reason: `${asset} bid ${formatNumber(bid)} is ${formatPercent(profitPct)} above avg cost ${formatNumber(avgCost)} USDT after fees (target ${formatPercent(tpPct)}); sell ${formatNumber(qty)} ${asset} at ${formatNumber(price)}, ≈ ${formatNumber(pnl)} USDT realised; never below ${formatNumber(minSellPrice)}`,
  };
  const refused = preflight(intent, market.rules);
  return refused ? { note: `${asset}: sell would be refused: ${refused}` } : { intent };
}

/** Symbols alt-profit topped up today (buy fills since 00:00 UTC) or is topping up now (open buys). */
export function toppedUpToday(snapshot: StrategySnapshot): Set<string> {
  const dayStart = utcDayStart(snapshot.now);
  const symbols = new Set<string>();
  for (const f of snapshot.recentFills) {
    if (f.origin === ID && f.side === 'BUY' && f.time >= dayStart) symbols.add(f.symbol);
  }
  for (const o of openOrdersOf(snapshot, ID, { side: 'BUY' })) symbols.add(o.symbol);
  return symbols;
}

/** One run of `alt-profit`: sells first, then top-ups of held leaders. */
export function decideAltProfit(snapshot: StrategySnapshot, settings: SettingsReader): Decision {
  const inactive = inactiveDecision(ID, settings);
  if (inactive) return inactive;
  const intents: Intent[] = [];
  const notes: string[] = [];
  const minValue = settings.get('alt-profit.minPositionUsdt');
  const { priced, unpriced } = altHoldings(snapshot);
  const positions = priced.filter((h) => h.valueUsdt.greaterThanOrEqualTo(minValue));
  const dust = priced.length - positions.length;
  if (dust > 0) notes.push(`${dust} holding(s) under ${formatNumber(minValue)} USDT ignored as dust`);
  if (unpriced.length > 0) notes.push(`no USDT price for ${unpriced.join(', ')}`);

  const selling = new Set<string>();
  const waiting: string[] = [];
  for (const holding of positions) {
    const r = decideSell(snapshot, settings, holding);
    if (r.intent) {
      intents.push(r.intent);
      selling.add(holding.symbol);
    }
    if (r.note) notes.push(r.note);
    if (r.waiting) waiting.push(r.waiting);
  }

  const maxTopUps = settings.get('alt-profit.maxTopUpsPerDay');
  const topUpUsdt = settings.get('alt-profit.topUpUsdt');
  const done = toppedUpToday(snapshot);
  const heldBySymbol = new Map(positions.map((h) => [h.symbol, h]));
  let headroom = snapshot.headroom.usdt;
  let count = done.size;
  for (const [rank, symbol] of snapshot.scanLeaders.entries()) {
    const holding = heldBySymbol.get(symbol);
    if (!holding || selling.has(symbol) || waiting.includes(holding.asset)) continue;
    if (done.has(symbol)) {
      notes.push(`${symbol}: already topped up today`);
      continue;
    }
    if (count >= maxTopUps) {
      notes.push(`top-up cap reached: ${count} of ${maxTopUps} today`);
      break;
    }
    if (headroom.lessThan(topUpUsdt)) {
      notes.push(
        `${symbol}: USDT headroom ${formatNumber(headroom.greaterThan(ZERO) ? headroom : ZERO)} is below the top-up ${formatNumber(topUpUsdt)} USDT (reserve ${formatNumber(settings.get('reserve.usdt'))} USDT kept)`,
      );
      break;
    }
    const lookup = lookupMarket(snapshot, symbol, 'BUY');
    if (!lookup.ok) {
      notes.push(`${symbol}: ${lookup.reason}`);
      continue;
    }
    const intent: Intent = {
      kind: 'order',
      origin: ID,
      symbol,
      side: 'BUY',
      type: OrderType.ImmediateOrCancel,
      price: lookup.market.book.ask,
      quoteAmount: topUpUsdt,
      reason: `${symbol} is scan leader #${rank + 1} and held (${formatNumber(holding.valueUsdt)} USDT); top up ${formatNumber(topUpUsdt)} USDT at the ask ${formatNumber(lookup.market.book.ask)} (${count + 1} of ${maxTopUps} today)`,
    };
    const refused = preflight(intent, lookup.market.rules);
    if (refused) {
      notes.push(`${symbol}: top-up would be refused: ${refused}`);
      continue;
    }
    intents.push(intent);
    headroom = headroom.minus(topUpUsdt);
    count += 1;
  }
  if (intents.length === 0 && positions.length === 0) notes.push('no altcoin positions above dust');
  return { intents, notes, waiting };
}

/** The `alt-profit` strategy definition. */
export function createAltProfit(): StrategyDefinition {
  return {
    id: ID,
    needs: { tickers: false },
    schedule: (settings) => ({ kind: 'interval', everyMs: settings.get('alt-profit.intervalSec') * 1000 }),
    decide: ({ snapshot, settings }) => decideAltProfit(snapshot, settings),
  };
}
