/**
 * `accumulate`: buys BTC and ETH with USDC, one maker order at a time, into whichever
 * is furthest below its target share of the core.
 *
 * Choices made here, beyond the settings:
 * - Only the most underweight asset is considered. When it is filtered (cooldown, above its
 *   24 h average, an order still open) the run does nothing rather than buying the
 *   overweight asset, so accumulation never works against the core balance.
 * - The daily cap counts today's accumulate buy fills plus the unfilled rest of every open
 *   accumulate buy, in USDC, by UTC calendar day. The last buy of a day is shrunk to what the
 *   cap has left.
 * - An unfilled order is not replaced by this strategy: the intent carries `ttlMs` and
 *   `repriceOnExpiry`, and the executor cancels and re-places it at the new best bid.
 */
import { OrderType, type CoreAsset } from '../domain/market.js';
import { bps, minDec, ONE, pct, ZERO } from '../domain/money.js';
import type { Decision, SettingsReader, StrategyDefinition, StrategySnapshot } from './contract.js';
import type { OrderIntent } from '../domain/intent.js';
import { chooseCoreAsset } from './chooseCoreAsset.js';
import {
  cooldownLeftMs,
  fillsValueUsdc,
  MINUTE_MS,
  openOrdersOf,
  remainingQuote,
  utcDayStart,
} from './common/fills.js';
import { formatDuration, formatNumber, formatPercent } from '../domain/format.js';
import { inactiveDecision } from './common/guard.js';
import { coreMarket, fromUsdc, headroomOf, toUsdc } from './common/markets.js';
import { preflight } from './common/preflight.js';

const ID = 'accumulate';

function coreSymbols(asset: CoreAsset): string[] {
  return [`${asset}USDC`, `${asset}USDT`];
}

/** USDC committed by accumulate today: buy fills since 00:00 UTC plus open buys' unfilled rest. */
export function accumulateSpentTodayUsdc(snapshot: StrategySnapshot) {
  const dayStart = utcDayStart(snapshot.now);
  const filled = fillsValueUsdc(
    snapshot,
    snapshot.recentFills.filter((f) => f.origin === ID && f.side === 'BUY' && f.time >= dayStart),
  );
  let open = ZERO;
  for (const o of openOrdersOf(snapshot, ID, { side: 'BUY' })) {
    const quote = snapshot.rules.get(o.symbol)?.quoteAsset ?? (o.symbol.endsWith('USDT') ? 'USDT' : 'USDC');
    open = open.plus(toUsdc(snapshot, remainingQuote(o), quote));
  }
  return { filled, open, total: filled.plus(open) };
}

/** One run of `accumulate`: at most one LIMIT_MAKER buy, or notes saying why not. */
export function decideAccumulate(snapshot: StrategySnapshot, settings: SettingsReader): Decision {
  const inactive = inactiveDecision(ID, settings);
  if (inactive) return inactive;
  const nothing = (note: string): Decision => ({ intents: [], notes: [note] });

  const choice = chooseCoreAsset(snapshot, settings);
  if (!choice.ok) return nothing(`cannot value the core: ${choice.reason}`);
  const asset = choice.asset;

  const open = openOrdersOf(snapshot, ID, { side: 'BUY', symbols: coreSymbols(asset) });
  if (open.length > 0) {
    return nothing(
      `${asset}: buy ${open[0]!.clientOrderId} at ${formatNumber(open[0]!.price)} still open; the executor re-prices it after ${settings.get('accumulate.orderTtlMin')} min`,
    );
  }

  const cooldownMs = settings.get('accumulate.cooldownMin') * MINUTE_MS;
  const left = cooldownLeftMs({
    fills: snapshot.recentFills,
    match: (f) => f.origin === ID && f.side === 'BUY' && f.baseAsset === asset,
    cooldownMs,
    now: snapshot.now,
  });
  if (left > 0)
    return nothing(
      `${asset}: cooldown after the last accumulate fill, ${formatDuration(left, { roundUp: true })} left`,
    );

  const lookup = coreMarket(snapshot, asset, 'BUY');
  if (!lookup.ok) return nothing(`${asset}: no market to buy on: ${lookup.reason}`);
  const { market } = lookup;
  const quote = market.quoteAsset;

  const orderUsdc = settings.get('accumulate.orderUsdc');
  const orderQuote = fromUsdc(snapshot, orderUsdc, quote);
  const headroom = headroomOf(snapshot, quote);
  if (headroom.lessThan(orderQuote)) {
    const reserve = quote === 'USDT' ? settings.get('reserve.usdt') : settings.get('reserve.usdc');
    return nothing(
      `${asset}: ${quote} headroom ${formatNumber(headroom)} is below the order ${formatNumber(orderQuote)} ${quote} (reserve ${formatNumber(reserve)} ${quote} kept)`,
    );
  }

  const maxDaily = settings.get('accumulate.maxDailyUsdc');
  const spent = accumulateSpentTodayUsdc(snapshot);
  const capLeft = maxDaily.minus(spent.total);
  if (capLeft.lessThanOrEqualTo(ZERO)) {
    return nothing(
      `daily cap reached: ${formatNumber(spent.total)} of ${formatNumber(maxDaily)} USDC committed today (${formatNumber(spent.filled)} filled, ${formatNumber(spent.open)} open)`,
    );
  }
  const amountUsdc = minDec(orderUsdc, capLeft);

  const day = snapshot.volumes24h.get(market.symbol);
  if (!day || day.volume.lessThanOrEqualTo(ZERO)) {
    return nothing(`${market.symbol}: no 24 h volume to compute the weighted average; skipped`);
  }
  const avg24h = day.quoteVolume.div(day.volume);
  const price = market.book.bid.times(ONE.minus(bps(settings.get('accumulate.priceOffsetBps'))));
  const maxAbove = settings.get('accumulate.maxAboveAvgPct');
  const ceiling = avg24h.times(ONE.plus(pct(maxAbove)));
  const abovePct = price.div(avg24h).minus(ONE).times(100);
  if (price.greaterThan(ceiling)) {
    return nothing(
      `${asset}: price ${formatNumber(price)} is ${formatPercent(abovePct)} above the 24 h average ${formatNumber(avg24h)} (limit ${formatPercent(maxAbove)}); skipped`,
    );
  }

  const quoteAmount = fromUsdc(snapshot, amountUsdc, quote);
  const capped = amountUsdc.lessThan(orderUsdc)
    ? ` (cut to the ${formatNumber(capLeft)} USDC left of today's cap)`
    : '';
  const fallback = lookup.fallbackReason
    ? `; ${lookup.fallbackReason}, so buying on ${market.symbol} with ${formatNumber(quoteAmount)} USDT`
    : '';
  const intent: OrderIntent = {
    kind: 'order',
    origin: ID,
    symbol: market.symbol,
    side: 'BUY',
    type: OrderType.LimitMaker,
    price,
    quoteAmount,
    reason: `${choice.reason}; 24 h avg ${formatNumber(avg24h)}; bid ${formatNumber(market.book.bid)}; buy ${formatNumber(quoteAmount)} ${quote} at ${formatNumber(price)}${capped}${fallback}`,
    ttlMs: settings.get('accumulate.orderTtlMin') * MINUTE_MS,
    repriceOnExpiry: true,
  };
  const refused = preflight(intent, market.rules);
  if (refused) return nothing(`${asset}: order would be refused: ${refused}`);
  return { intents: [intent], notes: [] };
}

/** The `accumulate` strategy definition. */
export function createAccumulate(): StrategyDefinition {
  return {
    id: ID,
    needs: { tickers: false, coreVolumes: true },
    schedule: (settings) => ({ kind: 'interval', everyMs: settings.get('accumulate.intervalSec') * 1000 }),
    decide: ({ snapshot, settings }) => decideAccumulate(snapshot, settings),
  };
}
