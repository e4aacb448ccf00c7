/**
 * Values the account in USDC for /balance, /pnl, the daily report and equity snapshots:
 * per-asset value and unrealised PnL against the fills' average cost,
 * cash, and the BTC+ETH core versus altcoin split that `split-balance` steers towards 50/50.
 */
import { CORE_ASSETS, STABLECOINS, type Balance } from '../market.js';
import { HUNDRED, ONE, ZERO, minDec, type Decimal } from '../money.js';
import { convertStable, priceIn, USDC, USDT, type ConversionRates } from './conversion.js';
import type { Position } from './position.js';

/** The portfolio's three parts: cash (stablecoins), core (BTC and ETH) and altcoins. */
export const AssetClass = {
  /** USDC and USDT. */
  Cash: 'cash',
  /** BTC and ETH. */
  Core: 'core',
  Alt: 'alt',
  /** Stablecoins other than USDC/USDT: neither cash nor altcoins. */
  OtherStable: 'other-stable',
} as const;
export type AssetClass = (typeof AssetClass)[keyof typeof AssetClass];

/** An open position's paper gain or loss against its average cost, in its cost currency and in USDC. */
export interface UnrealisedPnl {
  /** `(price − avgCost) × qty` in the position's cost asset. */
  readonly amount: Decimal;
  readonly costAsset: string;
  readonly amountUsdc: Decimal;
  /** `(price / avgCost − 1) × 100`. */
  readonly pct: Decimal;
  /** Quantity measured: the smaller of the balance and the position. */
  readonly qty: Decimal;
}

/** One held asset's quantity, price and USDC value, with its unrealised PnL when it has a cost. */
export interface ValuedAsset {
  readonly asset: string;
  readonly assetClass: AssetClass;
  /** Free plus locked. */
  readonly qty: Decimal;
  readonly free: Decimal;
  readonly locked: Decimal;
  /** Undefined when no market gives a price: the asset is listed in `unpriced`. */
  readonly priceUsdc?: Decimal;
  readonly valueUsdc?: Decimal;
  /** The market the price came from (`BTCUSDC`, `SOLUSDT`, `USDCUSDT`…). */
  readonly priceSource?: string;
  readonly position?: Position;
  /** Present when a position with an average cost and a price exist. */
  readonly unrealised?: UnrealisedPnl;
}

/** The portfolio's USDC value in total and per part, and the altcoin share. */
export interface PortfolioTotals {
  readonly totalUsdc: Decimal;
  /** USDC plus USDT converted at USDCUSDT. */
  readonly cashUsdc: Decimal;
  readonly coreUsdc: Decimal;
  readonly altsUsdc: Decimal;
  readonly otherStableUsdc: Decimal;
  readonly unrealisedUsdc: Decimal;
  /** Altcoins' share of core + altcoins, in percent; undefined when both are zero. */
  readonly altSharePct?: Decimal;
}

/** The whole account valued in USDC: every asset, what could not be priced, and the totals. */
export interface PortfolioValuation {
  /** Priced assets by value (largest first), then unpriced ones by name. Zero balances are left out. */
  readonly assets: readonly ValuedAsset[];
  /** Assets held but without any price: excluded from totals, shown as such. */
  readonly unpriced: readonly string[];
  readonly totals: PortfolioTotals;
}

/** Balances, prices and positions: everything a valuation is computed from. */
export interface ValuationInput {
  readonly balances: readonly Balance[] | ReadonlyMap<string, Balance>;
  /** Last or mid price by symbol. */
  readonly prices: ReadonlyMap<string, Decimal>;
  /** `USDCUSDT` price; USDT converts to USDC by dividing by it. */
  readonly usdcUsdt: Decimal | undefined;
  /** Positions by base asset (after {@link reconcileHoldings} when available). */
  readonly positions: ReadonlyMap<string, Position>;
}

/** Cash (USDC, USDT), core (BTC, ETH), other stablecoins, or an altcoin. */
export function assetClassOf(asset: string): AssetClass {
  if (asset === USDC || asset === USDT) return AssetClass.Cash;
  if ((CORE_ASSETS as readonly string[]).includes(asset)) return AssetClass.Core;
  if (STABLECOINS.has(asset)) return AssetClass.OtherStable;
  return AssetClass.Alt;
}

function positive(value: Decimal | undefined): Decimal | undefined {
  return value !== undefined && value.isFinite() && value.greaterThan(0) ? value : undefined;
}

/** Where an asset's price comes from: a market quoted in USDC or USDT. */
export interface PriceQuote {
  /** Price in `quoteAsset`. */
  readonly price: Decimal;
  readonly quoteAsset: typeof USDC | typeof USDT;
  /** The market (`BTCUSDC`, `SOLUSDT`), or the asset itself for USDC and USDT. */
  readonly source: string;
}

/**
 * The market that prices an asset. BTC/ETH: `XUSDC`, else `XUSDT`. Altcoins and other
 * stablecoins: `XUSDT` (their deep markets), else `XUSDC`. USDT is 1 USDT, converted like any
 * USDT amount. Undefined when no market has a positive price.
 */
export function priceQuoteOf(asset: string, prices: ReadonlyMap<string, Decimal>): PriceQuote | undefined {
  if (asset === USDC || asset === USDT) return { price: ONE, quoteAsset: asset, source: asset };
  const on = (quoteAsset: typeof USDC | typeof USDT): PriceQuote | undefined => {
    const p = positive(prices.get(asset + quoteAsset));
    return p === undefined ? undefined : { price: p, quoteAsset, source: asset + quoteAsset };
  };
  return assetClassOf(asset) === AssetClass.Core ? (on(USDC) ?? on(USDT)) : (on(USDT) ?? on(USDC));
}

/** An amount of USDC or USDT in USDC (USDT divided by USDCUSDT). */
function inUsdc(amount: Decimal, asset: string, usdcUsdt: Decimal | undefined): Decimal | undefined {
  return convertStable(amount, asset, USDC, usdcUsdt);
}

function unrealisedOf(
  asset: string,
  qty: Decimal,
  position: Position | undefined,
  rates: ConversionRates,
): UnrealisedPnl | undefined {
  if (position === undefined || !position.avgCost.greaterThan(0) || !position.qty.greaterThan(0))
    return undefined;
  const price = priceIn(asset, position.costAsset, rates);
  if (price === undefined) return undefined;
  const measured = minDec(qty, position.qty);
  const amount = price.minus(position.avgCost).times(measured);
  const amountUsdc = inUsdc(amount, position.costAsset, rates.usdcUsdt);
  if (amountUsdc === undefined) return undefined;
  return {
    amount,
    costAsset: position.costAsset,
    amountUsdc,
    pct: price.div(position.avgCost).minus(1).times(HUNDRED),
    qty: measured,
  };
}

/**
 * Values balances in USDC. Never assumes USDT = USDC: USDT amounts are divided by `usdcUsdt`;
 * when it is unknown, USDT and USDT-priced assets are reported as unpriced. Assets without any
 * price are listed in `unpriced` instead of failing the whole valuation.
 *
 * @example
 * valuePortfolio({ balances, prices, usdcUsdt: dec('0.998'), positions }).totals.altSharePct
 */
export function valuePortfolio(input: ValuationInput): PortfolioValuation {
  const rates: ConversionRates = { prices: input.prices, usdcUsdt: input.usdcUsdt };
  const held = new Map<string, { free: Decimal; locked: Decimal }>();
  const balances = Array.isArray(input.balances) ? input.balances : [...input.balances.values()];
  for (const b of balances) {
    const prev = held.get(b.asset);
    held.set(
      b.asset,
      prev
        ? { free: prev.free.plus(b.free), locked: prev.locked.plus(b.locked) }
        : { free: b.free, locked: b.locked },
    );
  }

  const priced: ValuedAsset[] = [];
  const unpricedRows: ValuedAsset[] = [];
  const sums: Record<AssetClass, Decimal> = { cash: ZERO, core: ZERO, alt: ZERO, 'other-stable': ZERO };
  let unrealisedUsdc = ZERO;

  for (const [asset, { free, locked }] of held) {
    const qty = free.plus(locked);
    if (!qty.greaterThan(0)) continue;
    const assetClass = assetClassOf(asset);
    const position = input.positions.get(asset);
    const quote = priceQuoteOf(asset, input.prices);
    // Multiply first, divide by USDCUSDT last: 499 USDT at 0.998 is exactly 500 USDC.
    const valueUsdc = quote && inUsdc(qty.times(quote.price), quote.quoteAsset, input.usdcUsdt);
    const priceUsdc = quote && inUsdc(quote.price, quote.quoteAsset, input.usdcUsdt);
    if (quote === undefined || valueUsdc === undefined || priceUsdc === undefined) {
      unpricedRows.push({ asset, assetClass, qty, free, locked, ...(position ? { position } : {}) });
      continue;
    }
    sums[assetClass] = sums[assetClass].plus(valueUsdc);
    const unrealised = assetClass === AssetClass.Cash ? undefined : unrealisedOf(asset, qty, position, rates);
    if (unrealised) unrealisedUsdc = unrealisedUsdc.plus(unrealised.amountUsdc);
    priced.push({
      asset,
      assetClass,
      qty,
      free,
      locked,
      priceUsdc,
      valueUsdc,
      priceSource: quote.source,
      ...(position ? { position } : {}),
      ...(unrealised ? { unrealised } : {}),
    });
  }

  priced.sort((a, b) => b.valueUsdc!.comparedTo(a.valueUsdc!) || (a.asset < b.asset ? -1 : 1));
  unpricedRows.sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
  const risk = sums.core.plus(sums.alt);
  const totals: PortfolioTotals = {
    totalUsdc: sums.cash.plus(sums.core).plus(sums.alt).plus(sums['other-stable']),
    cashUsdc: sums.cash,
    coreUsdc: sums.core,
    altsUsdc: sums.alt,
    otherStableUsdc: sums['other-stable'],
    unrealisedUsdc,
    ...(risk.greaterThan(0) ? { altSharePct: sums.alt.div(risk).times(HUNDRED) } : {}),
  };
  return { assets: [...priced, ...unpricedRows], unpriced: unpricedRows.map((r) => r.asset), totals };
}
