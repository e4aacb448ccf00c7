/**
 * /balance and /pnl read from one {@link PortfolioSnapshot}: these functions only pick and group
 * its figures (no valuation of their own), so both commands, /report and the chart headline show
 * the same portfolio total at the same instant.
 */
import { ZERO } from '../domain/money.js';
import { priceIn } from '../domain/portfolio/conversion.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import { AssetClass, type ValuedAsset } from '../domain/portfolio/valuation.js';
import type { BalanceLineView, BalancesView, DataAgeView, PnlAssetView, PnlView } from './appViews.js';

/**
 * Balances and prices read longer ago than this are flagged: the chat waits under a second for
 * a live read before it answers from the latest known one, so a view older than this means the
 * exchange did not answer in time.
 */
const FRESH_MS = 2_000;

/** How old the snapshot's balances and prices are, for the "as of" line of a view. */
export function dataAgeOf(snapshot: PortfolioSnapshot, timeZone: string): DataAgeView {
  const readAt = snapshot.market.at;
  return { readAt, now: snapshot.at, timeZone, stale: snapshot.at - readAt > FRESH_MS };
}

function groupOf(asset: ValuedAsset): BalanceLineView['group'] {
  if (asset.assetClass === AssetClass.Core) return 'core';
  if (asset.assetClass === AssetClass.Alt) return 'alt';
  return 'stable';
}

/** /balance: every non-zero balance with its USDC value, and the alts/core split. */
export function balancesViewOf(snapshot: PortfolioSnapshot, timeZone: string): BalancesView {
  const { assets, unpriced, totals } = snapshot.valuation;
  return {
    available: true,
    at: snapshot.at,
    dataAge: dataAgeOf(snapshot, timeZone),
    lines: assets.map((a) => ({
      asset: a.asset,
      free: a.free,
      locked: a.locked,
      total: a.qty,
      ...(a.valueUsdc !== undefined ? { valueUsdc: a.valueUsdc } : {}),
      group: groupOf(a),
    })),
    unpriced,
    split: {
      coreUsdc: totals.coreUsdc,
      altsUsdc: totals.altsUsdc,
      stableUsdc: totals.cashUsdc.plus(totals.otherStableUsdc),
      totalUsdc: totals.totalUsdc,
      ...(totals.altSharePct !== undefined ? { altSharePct: totals.altSharePct } : {}),
    },
  };
}

/**
 * /pnl: per position quantity (the balance), average cost, price, value and unrealised PnL;
 * realised PnL over the windows and fees in USDC; the portfolio total.
 */
export function pnlViewOf(snapshot: PortfolioSnapshot, timeZone: string): PnlView {
  const { valuation, positions, market } = snapshot;
  const warnings: string[] = [];
  if (market.usdcUsdt === undefined) warnings.push('no USDCUSDT price: USDT amounts are not converted');
  const valued = new Map(valuation.assets.map((a) => [a.asset, a]));
  const rates = { prices: market.prices, usdcUsdt: market.usdcUsdt };
  const assets: PnlAssetView[] = [];
  let valueUsdc = ZERO;
  let unrealisedUsdc = ZERO;
  for (const p of positions.values()) {
    const held = valued.get(p.asset);
    const qty = held?.qty ?? ZERO;
    if (qty.isZero() && p.realisedPnl.isZero()) continue;
    if (qty.greaterThan(0) && held?.valueUsdc === undefined)
      warnings.push(`${p.asset}: no price, value left out of totals`);
    if (p.costBasisSource !== 'fills') {
      warnings.push(
        `${p.asset}: cost basis ${p.costBasisSource === 'owner' ? 'set by the owner' : 'from the price at first sight (/cost to set it)'}`,
      );
    }
    const price = priceIn(p.asset, p.costAsset, rates);
    const u = held?.unrealised;
    if (held?.valueUsdc !== undefined && u !== undefined) {
      valueUsdc = valueUsdc.plus(held.valueUsdc);
      unrealisedUsdc = unrealisedUsdc.plus(u.amountUsdc);
    }
    assets.push({
      asset: p.asset,
      qty,
      avgCost: p.avgCost,
      costAsset: p.costAsset,
      ...(price !== undefined ? { price, value: qty.times(price) } : {}),
      ...(held?.valueUsdc !== undefined ? { valueUsdc: held.valueUsdc } : {}),
      ...(u !== undefined ? { unrealised: u.amount, unrealisedPct: u.pct } : {}),
      realised: p.realisedPnl,
      fees: p.feesPaid,
      costBasis: p.costBasisSource,
    });
  }
  assets.sort(
    (a, b) => (b.valueUsdc ?? ZERO).comparedTo(a.valueUsdc ?? ZERO) || a.asset.localeCompare(b.asset),
  );
  const r = snapshot.realisedUsdc;
  return {
    available: true,
    at: snapshot.at,
    dataAge: dataAgeOf(snapshot, timeZone),
    assets,
    realised: { today: r.today, d7: r.d7, d30: r.d30, all: r.all },
    feesUsdc: snapshot.feesUsdc,
    totals: {
      valueUsdc,
      costUsdc: valueUsdc.minus(unrealisedUsdc),
      unrealisedUsdc,
      portfolioUsdc: valuation.totals.totalUsdc,
    },
    ...(market.usdcUsdt !== undefined ? { usdcUsdt: market.usdcUsdt } : {}),
    warnings,
  };
}
