/**
 * The standard cost currencies and conversions used with {@link positionsFromFills}: BTC and ETH
 * are costed in USDC (bought on BTCUSDC/ETHUSDC), altcoins in USDT (their scanner markets).
 * USDT and USDC convert at the `USDCUSDT` price, never 1:1.
 */
import { Exact } from '../exact.js';
import { CORE_ASSETS } from '../market.js';
import { ONE, type Decimal } from '../money.js';
import type { ReplayFill, ReplayPrices } from './positions.js';

/** The core assets' cost currency. */
export const USDC = 'USDC';
/** The altcoins' cost currency. */
export const USDT = 'USDT';

/** `USDC` for BTC and ETH, `USDT` for every other asset. */
export function costAssetOf(asset: string): string {
  return (CORE_ASSETS as readonly string[]).includes(asset) ? USDC : USDT;
}

/** Looks a price up by symbol; a `Map` fits. */
export interface PriceLookup {
  get(symbol: string): Decimal | undefined;
}

/** The prices needed to convert fees and quotes into a position's cost currency. */
export interface ConversionRates {
  /** Last or mid prices by symbol (`MXUSDT` → 2.41). */
  readonly prices: PriceLookup;
  /** `USDCUSDT` price; undefined or non-positive when unknown. */
  readonly usdcUsdt: Decimal | undefined;
}

/** What {@link convertStable} needs of a number: `Decimal` and the replay's `Exact` both have it. */
export interface Rate<N> {
  times(x: N): N;
  div(x: N): N;
  isFinite(): boolean;
  isZero(): boolean;
  isNegative(): boolean;
}

/** Converts between USDT and USDC at `USDCUSDT` (USDT → USDC divides). */
export function convertStable<N extends Rate<N>>(
  amount: N,
  from: string,
  to: string,
  usdcUsdt: N | undefined,
): N | undefined {
  if (from === to) return amount;
  if (usdcUsdt === undefined || !usdcUsdt.isFinite() || usdcUsdt.isZero() || usdcUsdt.isNegative())
    return undefined;
  if (from === USDT && to === USDC) return amount.div(usdcUsdt);
  if (from === USDC && to === USDT) return amount.times(usdcUsdt);
  return undefined;
}

/** The prices {@link priceIn} reads, in one kind of number: `Decimal`, or the replay's `Exact`. */
interface RatesIn<N> {
  readonly prices: { get(symbol: string): N | undefined };
  readonly usdcUsdt: N | undefined;
}

/**
 * Price of `asset` in `to` (USDC or USDT): the direct market when it has a price, else the other
 * stablecoin's market converted at `USDCUSDT`. USDT in USDC is `1 / USDCUSDT`. Undefined when
 * no market has a price.
 */
export function priceIn(asset: string, to: string, rates: ConversionRates): Decimal | undefined {
  return priceInOf(asset, to, rates, ONE);
}

/** {@link priceIn} in any kind of number that has the operations (`one` is its 1). */
function priceInOf<N extends Rate<N>>(asset: string, to: string, rates: RatesIn<N>, one: N): N | undefined {
  if (asset === to) return one;
  const stable = convertStable(one, asset, to, rates.usdcUsdt);
  if (stable !== undefined) return stable;
  const direct = positive(rates.prices.get(asset + to));
  if (direct !== undefined) return direct;
  const other = to === USDC ? USDT : to === USDT ? USDC : undefined;
  if (other === undefined) return undefined;
  const viaOther = positive(rates.prices.get(asset + other));
  return viaOther === undefined ? undefined : convertStable(viaOther, other, to, rates.usdcUsdt);
}

function positive<N extends Rate<N>>(value: N | undefined): N | undefined {
  return value !== undefined && value.isFinite() && !value.isZero() && !value.isNegative()
    ? value
    : undefined;
}

const NO_PRICES: RatesIn<Exact>['prices'] = { get: () => undefined };

/**
 * The rates that value a fill whose prices are recorded: those prices (`USDCUSDT`, the fee
 * asset's price) and nothing else, so such a fill is valued the same today and in a year (and a
 * running total of such fills never needs the market).
 */
function recordedRates(fill: ReplayFill, recorded: ReplayPrices): RatesIn<Exact> {
  const feePrice = recorded.feePrice;
  const feeSymbol =
    feePrice !== undefined && recorded.feeQuote !== undefined
      ? fill.commissionAsset + recorded.feeQuote
      : undefined;
  return {
    prices:
      feeSymbol === undefined
        ? NO_PRICES
        : { get: (symbol) => (symbol === feeSymbol ? feePrice : undefined) },
    usdcUsdt: recorded.usdcUsdt,
  };
}

/** The `USDCUSDT` that converts a fill's stablecoins: recorded with it, else `fallback`'s. */
function usdcUsdtAtFill(fill: ReplayFill, fallback: ConversionRates): Exact | undefined {
  if (fill.prices !== undefined) return fill.prices.usdcUsdt;
  return fallback.usdcUsdt === undefined ? undefined : Exact.of(fallback.usdcUsdt);
}

/**
 * A `toCostAsset` for {@link positionsFromFills}, valuing each fill at the prices recorded with
 * it (and nothing else), or at `fallback` for a fill whose prices are not recorded yet:
 * - USDT ↔ USDC at the fill's `USDCUSDT`;
 * - the fill's own base asset at the fill's price (then its quote converted);
 * - any other asset (an MX fee) at its price recorded with the fill, else its USDC or USDT
 *   market price in `fallback`.
 *
 * `fallback` (today's prices) only stands in for fills recorded before their prices were known;
 * the fill-price job records them within minutes, after which those fills stop moving too.
 */
export function makeToCostAsset(
  fallback: ConversionRates,
): (amount: Exact, fromAsset: string, toAsset: string, fill: ReplayFill) => Exact | undefined {
  return (amount, fromAsset, toAsset, fill) => {
    if (fromAsset === toAsset) return amount;
    const usdcUsdt = usdcUsdtAtFill(fill, fallback);
    const stable = convertStable(amount, fromAsset, toAsset, usdcUsdt);
    if (stable !== undefined) return stable;
    if (fromAsset === fill.baseAsset) {
      return fill.price === undefined
        ? undefined
        : convertStable(amount.times(fill.price), fill.quoteAsset, toAsset, usdcUsdt);
    }
    // A fee in a third asset (MX): at its price recorded with the fill, or, before the fill's
    // prices are recorded, at today's market.
    if (fill.prices !== undefined) {
      const price = priceInOf(fromAsset, toAsset, recordedRates(fill, fill.prices), Exact.ONE);
      return price === undefined ? undefined : amount.times(price);
    }
    const price = priceIn(fromAsset, toAsset, fallback);
    const exact = price === undefined ? undefined : Exact.of(price);
    return exact === undefined ? undefined : amount.times(exact);
  };
}

/**
 * The fee asset of a fill whose price must be recorded with it: a fee paid in neither the
 * traded assets nor a cost stablecoin (MX). Undefined when the fee needs no price of its own.
 */
export function feeAssetToPrice(fill: {
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly commission: Decimal;
  readonly commissionAsset: string;
}): string | undefined {
  const asset = fill.commissionAsset;
  if (fill.commission.isZero() || asset === '') return undefined;
  if (asset === fill.baseAsset || asset === fill.quoteAsset || asset === USDC || asset === USDT)
    return undefined;
  return asset;
}
