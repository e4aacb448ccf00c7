/**
 * Which core asset (BTC or ETH) should receive the next USDC: the one furthest below its
 * target share of the core (`core.btcSharePct`). One rule shared by `accumulate`,
 * `core-balance` and `split-balance`.
 */
import type { CoreAsset } from '../domain/market.js';
import { HUNDRED, ZERO, type Decimal } from '../domain/money.js';
import type { SettingsReader, StrategySnapshot } from './contract.js';
import { formatNumber, formatPercent } from '../domain/format.js';
import { coreBidUsdc, heldQty } from './common/markets.js';

/** The core valued in USDC and the BTC share against its target. */
export interface CoreShares {
  readonly valueUsdc: Readonly<Record<CoreAsset, Decimal>>;
  readonly priceUsdc: Readonly<Record<CoreAsset, Decimal>>;
  readonly totalUsdc: Decimal;
  /** BTC share of the core in percent; undefined when the core is empty. */
  readonly btcSharePct: Decimal | undefined;
  readonly targetBtcPct: Decimal;
}

/** BTC's and ETH's USDC values and shares of the core, or why they cannot be valued now. */
export type CoreSharesResult =
  ({ readonly ok: true } & CoreShares) | { readonly ok: false; readonly reason: string };

/** Values BTC and ETH holdings (free + locked) at their USDC bids. */
export function coreShares(snapshot: StrategySnapshot, settings: SettingsReader): CoreSharesResult {
  const price = { BTC: coreBidUsdc(snapshot, 'BTC'), ETH: coreBidUsdc(snapshot, 'ETH') };
  if (!price.BTC || !price.ETH) {
    const missing = !price.BTC ? 'BTC' : 'ETH';
    return { ok: false, reason: `no ${missing} price (neither ${missing}USDC nor ${missing}USDT has a bid)` };
  }
  const valueUsdc = {
    BTC: heldQty(snapshot, 'BTC').times(price.BTC),
    ETH: heldQty(snapshot, 'ETH').times(price.ETH),
  };
  const totalUsdc = valueUsdc.BTC.plus(valueUsdc.ETH);
  return {
    ok: true,
    valueUsdc,
    priceUsdc: { BTC: price.BTC, ETH: price.ETH },
    totalUsdc,
    btcSharePct: totalUsdc.isZero() ? undefined : valueUsdc.BTC.div(totalUsdc).times(HUNDRED),
    targetBtcPct: settings.get('core.btcSharePct'),
  };
}

/** The current and target share of one core asset, in percent. */
export function shareOf(
  shares: CoreShares,
  asset: CoreAsset,
): { readonly share: Decimal; readonly target: Decimal } {
  const btc = shares.btcSharePct ?? ZERO;
  return asset === 'BTC'
    ? { share: btc, target: shares.targetBtcPct }
    : {
        share: shares.totalUsdc.isZero() ? ZERO : HUNDRED.minus(btc),
        target: HUNDRED.minus(shares.targetBtcPct),
      };
}

/** The core asset to buy next, the other one, and how far the chosen one is below its target share. */
export interface CoreChoice {
  readonly ok: true;
  readonly asset: CoreAsset;
  readonly other: CoreAsset;
  /** Chosen asset's share of the core and its target, in percent. */
  readonly sharePct: Decimal;
  readonly targetPct: Decimal;
  /** Percentage points the chosen asset is under its target (≤ 0 when exactly on target). */
  readonly gapPct: Decimal;
  readonly shares: CoreShares;
  /** "BTC 2.1 % under target share (47.9 % of core, target 50 %)". */
  readonly reason: string;
}

/**
 * Picks BTC or ETH for the next buy: the one below its target share. On an exactly balanced
 * core, or an empty one, the asset with the larger target wins (BTC on a tie).
 */
export function chooseCoreAsset(
  snapshot: StrategySnapshot,
  settings: SettingsReader,
): CoreChoice | { readonly ok: false; readonly reason: string } {
  const shares = coreShares(snapshot, settings);
  if (!shares.ok) return shares;
  const btcGap = shares.targetBtcPct.minus(shares.btcSharePct ?? ZERO);
  let asset: CoreAsset;
  if (shares.btcSharePct === undefined) asset = shares.targetBtcPct.greaterThanOrEqualTo(50) ? 'BTC' : 'ETH';
  else if (btcGap.isZero()) asset = shares.targetBtcPct.greaterThanOrEqualTo(50) ? 'BTC' : 'ETH';
  else asset = btcGap.greaterThan(ZERO) ? 'BTC' : 'ETH';
  const other: CoreAsset = asset === 'BTC' ? 'ETH' : 'BTC';
  const { share, target } = shareOf(shares, asset);
  const gap = target.minus(share);
  const reason =
    shares.btcSharePct === undefined
      ? `core is empty; ${asset} has the larger target share (${formatPercent(target, { digits: 0 })})`
      : `${asset} ${formatPercent(gap)} under target share (${formatPercent(share)} of core ${formatNumber(shares.totalUsdc)} USDC, target ${formatPercent(target, { digits: 0 })})`;
  return { ok: true, asset, other, sharePct: share, targetPct: target, gapPct: gap, shares, reason };
}
