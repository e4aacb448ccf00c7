/**
 * `core-balance`: keeps BTC vs ETH near `core.btcSharePct` ± `bandPct`, and redeploys
 * USDC freed by `take-profit` (and by its own rebalancing sells) into the asset
 * {@link chooseCoreAsset} picks. Runs every `intervalMin` and, by the runner, after
 * take-profit and split-balance fills.
 *
 * The redeploy rule, kept simple and safe:
 * - "freed" = USDC value of take-profit and core-balance sell fills of the last 24 h minus
 *   core-balance buy fills in that window (fills are the only memory; see pendingFreedUsdc);
 * - it spends at most min(freed, `maxMoveUsdc`, USDC headroom − the next accumulate order
 *   when accumulate is enabled), so accumulate's next buy is never starved and the reserve
 *   (already inside headroom) is never touched; other free USDC is left to accumulate;
 * - split-balance's proceeds are not redeployed here: split-balance spends them itself,
 *   through the same {@link chooseCoreAsset} choice.
 * While freed funds are being redeployed no rebalancing sell starts. A rebalancing sell is
 * an in-profit-only IOC at the bid of the overweight asset, sized to the target and
 * at most `maxMoveUsdc`; its proceeds buy the other asset on the next run.
 */
import { OrderType } from '../domain/market.js';
import { HUNDRED, minDec, ZERO } from '../domain/money.js';
import { buyAmountWithin } from '../domain/orderRules.js';
import type { Decision, SettingsReader, StrategyDefinition, StrategySnapshot } from './contract.js';
import { chooseCoreAsset, shareOf } from './chooseCoreAsset.js';
import { MINUTE_MS, pendingFreedUsdc } from './common/fills.js';
import { formatNumber, formatPercent } from '../domain/format.js';
import { inactiveDecision } from './common/guard.js';
import { coreMarket, fromUsdc, headroomOf, isCoreAsset, toUsdc } from './common/markets.js';
import { buyAtAsk, MOVE_DUST_USDC, nonNegative, sellInProfit } from './common/rebalance.js';

export { chooseCoreAsset, coreShares, type CoreChoice, type CoreShares } from './chooseCoreAsset.js';

const ID = 'core-balance';

/** USDC freed by take-profit and core-balance sells and not yet redeployed by core-balance. */
export function coreFreedUsdc(snapshot: StrategySnapshot) {
  return pendingFreedUsdc({
    snapshot,
    sells: (f) => (f.origin === 'take-profit' || f.origin === ID) && isCoreAsset(f.baseAsset),
    buys: (f) => f.origin === ID && isCoreAsset(f.baseAsset),
  });
}

/** One run of `core-balance`: redeploy freed funds, else rebalance BTC vs ETH when out of band. */
export function decideCoreBalance(snapshot: StrategySnapshot, settings: SettingsReader): Decision {
  const inactive = inactiveDecision(ID, settings);
  if (inactive) return inactive;
  const nothing = (...notes: string[]): Decision => ({ intents: [], notes });

  const open = snapshot.openOrders.filter((o) => o.origin === ID);
  if (open.length > 0) return nothing(`waiting for ${open.length} open core-balance order(s)`);
  const choice = chooseCoreAsset(snapshot, settings);
  if (!choice.ok) return nothing(`cannot value the core: ${choice.reason}`);
  const maxMove = settings.get('core-balance.maxMoveUsdc');

  const freed = coreFreedUsdc(snapshot);
  if (freed.greaterThanOrEqualTo(MOVE_DUST_USDC)) {
    const lookup = coreMarket(snapshot, choice.asset, 'BUY');
    if (!lookup.ok)
      return nothing(
        `${formatNumber(freed)} USDC freed, but ${choice.asset} cannot be bought: ${lookup.reason}`,
      );
    const { market } = lookup;
    const quote = market.quoteAsset;
    const accumulateNext =
      quote === 'USDC' && settings.get('accumulate.enabled') ? settings.get('accumulate.orderUsdc') : ZERO;
    // What the headroom can pay once the buy's fee is added (the reserve rule counts the fee).
    const spendable = buyAmountWithin(
      nonNegative(toUsdc(snapshot, headroomOf(snapshot, quote), quote).minus(accumulateNext)),
      market.rules,
      OrderType.ImmediateOrCancel,
    );
    const amount = minDec(minDec(freed, maxMove), spendable);
    if (amount.greaterThanOrEqualTo(MOVE_DUST_USDC)) {
      const built = buyAtAsk({
        origin: ID,
        market,
        quoteAmount: fromUsdc(snapshot, amount, quote),
        why: `redeploying ${formatNumber(freed)} USDC freed by take-profit/core-balance sells; ${choice.reason}${lookup.fallbackReason ? `; ${lookup.fallbackReason}` : ''}`,
      });
      if ('intent' in built) return { intents: [built.intent], notes: [] };
      return nothing(built.note);
    }
    // No rebalancing sell while freed USDC waits for headroom: the pending USDC already belongs
    // to the underweight asset, and selling more of the overweight one now would oversell it
    // (each run would sell another gap's worth while the earlier proceeds sit idle).
    return nothing(
      `${formatNumber(freed)} USDC freed, but ${quote} headroom ${formatNumber(headroomOf(snapshot, quote))} leaves nothing above accumulate's next order ${formatNumber(accumulateNext)}; no rebalancing sell until it is redeployed`,
    );
  }

  const shares = choice.shares;
  if (shares.btcSharePct === undefined) return nothing('no BTC or ETH held: nothing to balance');
  const band = settings.get('core-balance.bandPct');
  const btc = shareOf(shares, 'BTC');
  const status = `BTC ${formatPercent(btc.share)} of core ${formatNumber(shares.totalUsdc)} USDC, target ${formatPercent(btc.target, { digits: 0 })} ± ${formatPercent(band, { digits: 0 })}`;
  if (btc.share.minus(btc.target).abs().lessThanOrEqualTo(band)) return nothing(`${status}: within the band`);

  const heavy = choice.other;
  const gapUsdc = shares.valueUsdc[heavy].minus(
    shares.totalUsdc.times(shareOf(shares, heavy).target).div(HUNDRED),
  );
  const amount = minDec(gapUsdc, maxMove);
  const lookup = coreMarket(snapshot, heavy, 'SELL');
  if (!lookup.ok) return nothing(`${status}; ${heavy} cannot be sold: ${lookup.reason}`);
  const built = sellInProfit({
    snapshot,
    origin: ID,
    market: lookup.market,
    maxQuote: fromUsdc(snapshot, amount, lookup.market.quoteAsset),
    why: `${status}; ${heavy} overweight, moving ${formatNumber(amount)} USDC to ${choice.asset} (bought with the proceeds next run)`,
  });
  if ('note' in built) {
    const note = `${status}; ${heavy} overweight but ${built.note}`;
    return built.waiting === undefined ? nothing(note) : { ...nothing(note), waiting: [built.waiting] };
  }
  return { intents: [built.intent], notes: [] };
}

/** The `core-balance` strategy definition. */
export function createCoreBalance(): StrategyDefinition {
  return {
    id: ID,
    needs: { tickers: false },
    schedule: (settings) => ({
      kind: 'interval',
      everyMs: settings.get('core-balance.intervalMin') * MINUTE_MS,
    }),
    decide: ({ snapshot, settings }) => decideCoreBalance(snapshot, settings),
  };
}
