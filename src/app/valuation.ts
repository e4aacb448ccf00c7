/**
 * Pure valuation for /balance and /pnl: converts amounts to USDC with the latest prices (USDT
 * through the live `USDCUSDT` price, never assumed 1:1) and builds the typed views. No I/O.
 */
import { CORE_ASSETS, STABLECOINS, type Balance } from '../domain/market.js';
import { HUNDRED, ZERO, sumDec, type Decimal } from '../domain/money.js';
import type { Position } from '../domain/portfolio/position.js';
import type { BalanceLineView, BalancesView, PnlAssetView, PnlPeriodsView, PnlView } from './appViews.js';

/** Latest prices by symbol, for valuing balances. */
export type PriceMap = ReadonlyMap<string, Decimal>;

const CORE: ReadonlySet<string> = new Set(CORE_ASSETS);

/** The USDCUSDT price (USDT per USDC), when known and positive. */
export function usdcUsdtPrice(prices: PriceMap): Decimal | undefined {
  const p = prices.get('USDCUSDT');
  return p && p.greaterThan(0) ? p : undefined;
}

/** Price of `asset` in `quote` from a direct symbol; undefined when none is listed. */
export function priceIn(asset: string, quote: string, prices: PriceMap): Decimal | undefined {
  if (asset === quote) return undefined;
  const p = prices.get(`${asset}${quote}`);
  return p && p.greaterThan(0) ? p : undefined;
}

/** Value of `amount` of `asset` in USDC; undefined when no price path exists. */
export function toUsdc(amount: Decimal, asset: string, prices: PriceMap): Decimal | undefined {
  if (asset === 'USDC') return amount;
  const usdcUsdt = usdcUsdtPrice(prices);
  if (asset === 'USDT') return usdcUsdt ? amount.div(usdcUsdt) : undefined;
  const direct = priceIn(asset, 'USDC', prices);
  if (direct) return amount.times(direct);
  const viaUsdt = priceIn(asset, 'USDT', prices);
  if (viaUsdt && usdcUsdt) return amount.times(viaUsdt).div(usdcUsdt);
  return undefined;
}

/** Which part of the portfolio split an asset belongs to: core coin, altcoin or stablecoin. */
export function assetGroup(asset: string): 'core' | 'alt' | 'stable' {
  if (CORE.has(asset)) return 'core';
  if (STABLECOINS.has(asset)) return 'stable';
  return 'alt';
}

/** /balance: every non-zero balance with its USDC value, and the alts/core split. */
export function buildBalancesView(balances: readonly Balance[], prices: PriceMap): BalancesView {
  const lines: BalanceLineView[] = [];
  const unpriced: string[] = [];
  for (const b of balances) {
    const total = b.free.plus(b.locked);
    if (total.isZero()) continue;
    const valueUsdc = toUsdc(total, b.asset, prices);
    if (valueUsdc === undefined) unpriced.push(b.asset);
    lines.push({
      asset: b.asset,
      free: b.free,
      locked: b.locked,
      total,
      valueUsdc,
      group: assetGroup(b.asset),
    });
  }
  lines.sort(
    (a, b) => (b.valueUsdc ?? ZERO).comparedTo(a.valueUsdc ?? ZERO) || a.asset.localeCompare(b.asset),
  );
  const sumGroup = (g: BalanceLineView['group']) =>
    sumDec(lines.filter((l) => l.group === g).map((l) => l.valueUsdc ?? ZERO));
  const coreUsdc = sumGroup('core');
  const altsUsdc = sumGroup('alt');
  const stableUsdc = sumGroup('stable');
  const risk = coreUsdc.plus(altsUsdc);
  return {
    available: true,
    lines,
    unpriced,
    split: {
      coreUsdc,
      altsUsdc,
      stableUsdc,
      totalUsdc: coreUsdc.plus(altsUsdc).plus(stableUsdc),
      altSharePct: risk.isZero() ? undefined : altsUsdc.div(risk).times(HUNDRED),
    },
  };
}

/** A per-cost-asset amount map summed in USDC; undefined when a conversion is impossible. */
export function sumInUsdc(amounts: ReadonlyMap<string, Decimal>, prices: PriceMap): Decimal | undefined {
  let total = ZERO;
  for (const [asset, amount] of amounts) {
    if (amount.isZero()) continue;
    const v = toUsdc(amount, asset, prices);
    if (v === undefined) return undefined;
    total = total.plus(v);
  }
  return total;
}

/** /pnl: per asset quantity, average cost, price, value, unrealised; realised by period; totals in USDC. */
export function buildPnlView(input: {
  positions: readonly Position[];
  prices: PriceMap;
  realised: PnlPeriodsView;
}): PnlView {
  const { positions, prices } = input;
  const warnings: string[] = [];
  const usdcUsdt = usdcUsdtPrice(prices);
  if (!usdcUsdt) warnings.push('no USDCUSDT price: USDT amounts are not converted');
  const assets: PnlAssetView[] = [];
  let valueUsdc = ZERO;
  let costUsdc = ZERO;
  let feesUsdc = ZERO;
  let realisedAllUsdc: Decimal | undefined = ZERO;
  for (const p of positions) {
    const price = priceIn(p.asset, p.costAsset, prices);
    const value = price ? p.qty.times(price) : undefined;
    const cost = p.qty.times(p.avgCost);
    const unrealised = value ? value.minus(cost) : undefined;
    const unrealisedPct = unrealised && !cost.isZero() ? unrealised.div(cost).times(HUNDRED) : undefined;
    const v = value ? toUsdc(value, p.costAsset, prices) : undefined;
    if (p.qty.greaterThan(0) && v === undefined)
      warnings.push(`${p.asset}: no price, value left out of totals`);
    const c = toUsdc(cost, p.costAsset, prices);
    const f = toUsdc(p.feesPaid, p.costAsset, prices);
    const r = toUsdc(p.realisedPnl, p.costAsset, prices);
    if (v && c) {
      valueUsdc = valueUsdc.plus(v);
      costUsdc = costUsdc.plus(c);
    }
    if (f) feesUsdc = feesUsdc.plus(f);
    realisedAllUsdc = r && realisedAllUsdc ? realisedAllUsdc.plus(r) : undefined;
    if (p.costBasisSource !== 'fills') {
      warnings.push(
        `${p.asset}: cost basis ${p.costBasisSource === 'owner' ? 'set by the owner' : 'from the price at first sight'}`,
      );
    }
    if (p.qty.isZero() && p.realisedPnl.isZero()) continue;
    assets.push({
      asset: p.asset,
      qty: p.qty,
      avgCost: p.avgCost,
      costAsset: p.costAsset,
      price,
      value,
      valueUsdc: v,
      unrealised,
      unrealisedPct,
      realised: p.realisedPnl,
      fees: p.feesPaid,
      costBasis: p.costBasisSource,
    });
  }
  assets.sort(
    (a, b) => (b.valueUsdc ?? ZERO).comparedTo(a.valueUsdc ?? ZERO) || a.asset.localeCompare(b.asset),
  );
  return {
    available: true,
    assets,
    realised: { ...input.realised, all: input.realised.all ?? realisedAllUsdc },
    feesUsdc,
    totals: { valueUsdc, costUsdc, unrealisedUsdc: valueUsdc.minus(costUsdc) },
    usdcUsdt,
    warnings,
  };
}

/** Midnight of the day containing `now` in `timeZone`, as Unix ms. */
export function startOfDay(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(now));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const sinceMidnight = (get('hour') * 3600 + get('minute') * 60 + get('second')) * 1000 + (now % 1000);
  return now - sinceMidnight;
}
