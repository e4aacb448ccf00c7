/**
 * `split-balance`: keeps the altcoin share of (alts + core) near `targetAltSharePct`.
 *
 * A rebalance is a "move" of at most `maxMoveUsdc` that takes one to three runs, each step
 * using only funds that are already free:
 * 1. sell: when the alt share is outside target ± band and no cooldown runs, sell from the
 *    overweight side only positions in profit, sized to bring the share back to the
 *    target (at most `maxMoveUsdc`);
 * 2. convert: when the proceeds are in the other stablecoin than the buy side needs, convert
 *    them through `USDCUSDT` at the real book price (a BUY spends USDT for USDC at the ask;
 *    a SELL turns USDC into USDT at the bid);
 * 3. buy: the underweight side with the converted proceeds: BTC or ETH as
 *    {@link chooseCoreAsset} decides, or the scanner's current leaders.
 * Buys that would depend on funds not yet freed wait for the next run. What is pending is
 * read from split-balance's own fills of the last 24 h (see {@link splitMoveLedger}), so no
 * extra state is kept; a move continues regardless of the cooldown, and is abandoned (the
 * cash stays free) when the buy side is no longer under its target. The cooldown starts at
 * the last split-balance fill of any kind and only delays the next sell.
 *
 * Values: alts at their USDT bids converted to USDC by dividing by `usdcUsdt` (never 1:1);
 * the core at its USDC bids. Alt buys are split over the top leaders in parts of at least
 * `scanner.orderUsdt`, respecting `scanner.maxPositions` for new positions.
 */
import { OrderType } from '../domain/market.js';
import { HUNDRED, minDec, ZERO, type Decimal } from '../domain/money.js';
import { buyAmountWithin, buyFeeRate } from '../domain/orderRules.js';
import type { Decision, SettingsReader, StrategyDefinition, StrategySnapshot } from './contract.js';
import type { Intent } from '../domain/intent.js';
import { chooseCoreAsset, coreShares } from './chooseCoreAsset.js';
import { cooldownLeftMs, MINUTE_MS } from './common/fills.js';
import { formatDuration, formatNumber, formatPercent } from '../domain/format.js';
import { inactiveDecision } from './common/guard.js';
import {
  altHoldings,
  coreMarket,
  fromUsdc,
  headroomOf,
  lookupMarket,
  toUsdc,
  type Market,
} from './common/markets.js';
import {
  buyAtAsk,
  convertStablecoin,
  MOVE_DUST_USDC,
  nonNegative,
  sellInProfit,
  type Built,
} from './common/rebalance.js';
import { breakEvenPrice, exitFeeRate } from './common/profit.js';
import {
  CONVERSION_SYMBOL,
  splitMoveLedger,
  type MoveLedger,
  type Side,
  type Stable,
} from './splitMoveLedger.js';

const ID = 'split-balance';

export { CONVERSION_SYMBOL, splitMoveLedger, type MoveLedger } from './splitMoveLedger.js';

function collect(built: Built, intents: Intent[], notes: string[]): Decimal {
  if ('note' in built) {
    notes.push(built.note);
    return ZERO;
  }
  intents.push(built.intent);
  return built.quoteValue;
}

/** Tradable scan leaders to buy, respecting `scanner.maxPositions` for new positions. */
function leaderMarkets(snapshot: StrategySnapshot, settings: SettingsReader): Market[] {
  const dust = settings.get('alt-profit.minPositionUsdt');
  const held = new Set(
    altHoldings(snapshot)
      .priced.filter((h) => h.valueUsdt.greaterThanOrEqualTo(dust))
      .map((h) => h.symbol),
  );
  const room = settings.get('scanner.maxPositions') - held.size;
  const markets: Market[] = [];
  let fresh = 0;
  for (const symbol of snapshot.scanLeaders) {
    const lookup = lookupMarket(snapshot, symbol, 'BUY');
    if (!lookup.ok) continue;
    if (!held.has(symbol)) {
      if (fresh >= room) continue;
      fresh += 1;
    }
    markets.push(lookup.market);
  }
  return markets;
}

function continueMove(input: {
  snapshot: StrategySnapshot;
  settings: SettingsReader;
  buySide: Side;
  ledger: MoveLedger;
  notes: string[];
}): Decision {
  const { snapshot, settings, buySide, ledger, notes } = input;
  const intents: Intent[] = [];
  let budget = settings.get('split-balance.maxMoveUsdc');
  const why = `continuing the move to ${buySide === 'core' ? 'BTC/ETH' : 'altcoins'} (${formatNumber(ledger.pendingUsdc.USDC)} USDC + ${formatNumber(ledger.pendingUsdc.USDT)} USDT-worth freed)`;

  let quote: Stable;
  let core: { market: Market; reason: string } | undefined;
  let leaders: Market[] = [];
  if (buySide === 'core') {
    const choice = chooseCoreAsset(snapshot, settings);
    if (!choice.ok) return { intents, notes: [...notes, `cannot choose BTC or ETH: ${choice.reason}`] };
    const lookup = coreMarket(snapshot, choice.asset, 'BUY');
    if (!lookup.ok) return { intents, notes: [...notes, `${choice.asset}: ${lookup.reason}`] };
    core = { market: lookup.market, reason: choice.reason };
    quote = lookup.market.quoteAsset as Stable;
  } else {
    leaders = leaderMarkets(snapshot, settings);
    if (leaders.length === 0)
      return { intents, notes: [...notes, `${why}; no tradable scan leaders to buy yet`] };
    quote = 'USDT';
  }

  // The headroom must also pay the buys' fees: size them to what fits with the fee.
  const buyMarkets = core ? [core.market] : leaders;
  const feeRules = buyMarkets.reduce((a, b) =>
    buyFeeRate(b.rules, OrderType.ImmediateOrCancel).greaterThan(
      buyFeeRate(a.rules, OrderType.ImmediateOrCancel),
    )
      ? b
      : a,
  ).rules;
  const headroomUsdc = toUsdc(snapshot, headroomOf(snapshot, quote), quote);
  const buyUsdc = minDec(
    minDec(ledger.pendingUsdc[quote], buyAmountWithin(headroomUsdc, feeRules, OrderType.ImmediateOrCancel)),
    budget,
  );
  if (buyUsdc.greaterThanOrEqualTo(MOVE_DUST_USDC)) {
    if (core) {
      budget = budget.minus(buyUsdc);
      collect(
        buyAtAsk({
          origin: ID,
          market: core.market,
          quoteAmount: fromUsdc(snapshot, buyUsdc, quote),
          why: `${why}; ${core.reason}`,
        }),
        intents,
        notes,
      );
    } else {
      const totalUsdt = fromUsdc(snapshot, buyUsdc, 'USDT');
      const parts = Math.max(
        1,
        Math.min(leaders.length, totalUsdt.div(settings.get('scanner.orderUsdt')).floor().toNumber()),
      );
      const each = totalUsdt.div(parts);
      budget = budget.minus(buyUsdc);
      for (const market of leaders.slice(0, parts)) {
        collect(
          buyAtAsk({
            origin: ID,
            market,
            quoteAmount: each,
            why: `${why}; ${market.symbol} is a scan leader`,
          }),
          intents,
          notes,
        );
      }
    }
  }

  const other: Stable = quote === 'USDC' ? 'USDT' : 'USDC';
  const otherHeadroom = nonNegative(headroomOf(snapshot, other));
  const convertUsdc = minDec(
    minDec(ledger.pendingUsdc[other], toUsdc(snapshot, otherHeadroom, other)),
    budget,
  );
  if (convertUsdc.greaterThanOrEqualTo(MOVE_DUST_USDC)) {
    const lookup = lookupMarket(snapshot, CONVERSION_SYMBOL, quote === 'USDC' ? 'BUY' : 'SELL');
    if (!lookup.ok) notes.push(`cannot convert ${other} to ${quote}: ${lookup.reason}`);
    else {
      collect(
        convertStablecoin({
          snapshot,
          origin: ID,
          market: lookup.market,
          to: quote,
          amountUsdc: convertUsdc,
          // Buying USDC spends USDT plus the fee; selling USDC spends exactly the USDC sold.
          available:
            quote === 'USDC'
              ? buyAmountWithin(otherHeadroom, lookup.market.rules, OrderType.ImmediateOrCancel)
              : otherHeadroom,
          why: `${why}; the buy side needs ${quote}, the buy follows next run`,
        }),
        intents,
        notes,
      );
    }
  }
  if (intents.length === 0) {
    notes.push(
      `${why}; nothing to do: USDC headroom ${formatNumber(snapshot.headroom.usdc)}, USDT headroom ${formatNumber(snapshot.headroom.usdt)} (reserves kept)`,
    );
  }
  return { intents, notes };
}

/** One run of `split-balance`. */
export function decideSplitBalance(snapshot: StrategySnapshot, settings: SettingsReader): Decision {
  const inactive = inactiveDecision(ID, settings);
  if (inactive) return inactive;
  const nothing = (...notes: string[]): Decision => ({ intents: [], notes });

  const core = coreShares(snapshot, settings);
  if (!core.ok) return nothing(`cannot value the core: ${core.reason}`);
  const alts = altHoldings(snapshot);
  let altUsdt = ZERO;
  for (const h of alts.priced) altUsdt = altUsdt.plus(h.valueUsdt);
  const altUsdc = toUsdc(snapshot, altUsdt, 'USDT');
  const total = altUsdc.plus(core.totalUsdc);
  if (total.isZero()) return nothing('no altcoins and no BTC/ETH held: nothing to balance');
  const share = altUsdc.div(total).times(HUNDRED);
  const target = settings.get('split-balance.targetAltSharePct');
  const band = settings.get('split-balance.bandPct');
  const notes = [
    `alts ${formatNumber(altUsdc)} USDC (${formatPercent(share)}) vs BTC/ETH ${formatNumber(core.totalUsdc)} USDC; target ${formatPercent(target, { digits: 0 })} ± ${formatPercent(band, { digits: 0 })}${alts.unpriced.length > 0 ? `; unpriced: ${alts.unpriced.join(', ')}` : ''}`,
  ];

  const open = snapshot.openOrders.filter((o) => o.origin === ID);
  if (open.length > 0) return nothing(...notes, `waiting for ${open.length} open split-balance order(s)`);

  const ledger = splitMoveLedger(snapshot);
  const pendingTotal = ledger.pendingUsdc.USDC.plus(ledger.pendingUsdc.USDT);
  if (ledger.soldSide && pendingTotal.greaterThanOrEqualTo(MOVE_DUST_USDC)) {
    const buySide: Side = ledger.soldSide === 'alt' ? 'core' : 'alt';
    const stillUnder = buySide === 'core' ? share.greaterThan(target) : share.lessThan(target);
    if (stillUnder) return continueMove({ snapshot, settings, buySide, ledger, notes });
    notes.push(
      `the ${buySide} side is no longer under target; ${formatNumber(pendingTotal)} USDC-worth freed earlier stays as cash`,
    );
  }

  if (share.minus(target).abs().lessThanOrEqualTo(band))
    return nothing(...notes, 'within the band: nothing to do');
  const left = cooldownLeftMs({
    fills: snapshot.recentFills,
    match: (f) => f.origin === ID,
    cooldownMs: settings.get('split-balance.cooldownMin') * MINUTE_MS,
    now: snapshot.now,
  });
  if (left > 0)
    return nothing(
      ...notes,
      `cooldown after the last rebalance, ${formatDuration(left, { roundUp: true })} left`,
    );

  const altHeavy = share.greaterThan(target);
  const gapUsdc = altUsdc.minus(total.times(target).div(HUNDRED)).abs();
  let remaining = minDec(gapUsdc, settings.get('split-balance.maxMoveUsdc'));
  const why = `alts ${formatPercent(share)} vs target ${formatPercent(target, { digits: 0 })} ± ${formatPercent(band, { digits: 0 })}; moving ${formatNumber(remaining)} USDC from ${altHeavy ? 'altcoins to BTC/ETH' : 'BTC/ETH to altcoins'}`;
  const intents: Intent[] = [];

  const markets: Market[] = [];
  if (altHeavy) {
    const dust = settings.get('alt-profit.minPositionUsdt');
    const ranked: { market: Market; gain: Decimal }[] = [];
    for (const h of alts.priced) {
      if (h.valueUsdt.lessThan(dust)) continue;
      const lookup = lookupMarket(snapshot, h.symbol, 'SELL');
      if (!lookup.ok) {
        notes.push(`${h.asset}: ${lookup.reason}`);
        continue;
      }
      const pos = snapshot.positions.get(h.asset);
      const gain =
        pos && pos.avgCost.greaterThan(ZERO)
          ? lookup.market.book.bid.div(breakEvenPrice(pos.avgCost, exitFeeRate(lookup.market.rules)))
          : ZERO;
      ranked.push({ market: lookup.market, gain });
    }
    // Largest gain over break-even first: realise the best profits, keep the laggards.
    ranked.sort((a, b) => b.gain.comparedTo(a.gain));
    markets.push(...ranked.map((r) => r.market));
  } else {
    const choice = chooseCoreAsset(snapshot, settings);
    // The asset above its core target goes first (choice.other), then the other one.
    for (const asset of choice.ok ? [choice.other, choice.asset] : (['BTC', 'ETH'] as const)) {
      const lookup = coreMarket(snapshot, asset, 'SELL');
      if (lookup.ok) markets.push(lookup.market);
      else notes.push(`${asset}: ${lookup.reason}`);
    }
  }
  const waiting: string[] = [];
  for (const market of markets) {
    if (remaining.lessThan(MOVE_DUST_USDC)) break;
    const built = sellInProfit({
      snapshot,
      origin: ID,
      market,
      maxQuote: fromUsdc(snapshot, remaining, market.quoteAsset),
      why,
    });
    if ('waiting' in built && built.waiting !== undefined) waiting.push(built.waiting);
    const sold = collect(built, intents, notes);
    remaining = remaining.minus(toUsdc(snapshot, sold, market.quoteAsset));
  }
  if (intents.length === 0)
    notes.push(`${why}; nothing on the overweight side is in profit, so nothing is sold`);
  return { intents, notes, waiting };
}

/** The `split-balance` strategy definition. */
export function createSplitBalance(): StrategyDefinition {
  return {
    id: ID,
    needs: { tickers: false },
    schedule: (settings) => ({
      kind: 'interval',
      everyMs: settings.get('split-balance.intervalMin') * MINUTE_MS,
    }),
    decide: ({ snapshot, settings }) => decideSplitBalance(snapshot, settings),
  };
}
