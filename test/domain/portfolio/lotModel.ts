/**
 * A reference model for positionsFromFills, written independently: exact rational arithmetic
 * (BigInt fractions) and lot-by-lot bookkeeping. Every buy is its own lot; a sale takes the same
 * fraction from every lot, which is what the average-cost method means. Nothing is rounded, so
 * the model gives the exact value the Decimal implementation must reproduce.
 */
import type { PositionFill } from '../../../src/domain/portfolio/positions.js';

export interface Frac {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function frac(n: bigint, d = 1n): Frac {
  if (d === 0n) throw new Error('division by zero in the reference model');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d);
  return { n: (sign * n) / g, d: (sign * d) / g };
}

export const F0 = frac(0n);
export const add = (a: Frac, b: Frac): Frac => frac(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Frac, b: Frac): Frac => frac(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Frac, b: Frac): Frac => frac(a.n * b.n, a.d * b.d);
export const div = (a: Frac, b: Frac): Frac => frac(a.n * b.d, a.d * b.n);
export const lt = (a: Frac, b: Frac): boolean => a.n * b.d < b.n * a.d;
export const isZero = (a: Frac): boolean => a.n === 0n;

/** Parses a plain decimal string ("-12.0345") exactly. */
export function parseFrac(text: string): Frac {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) throw new Error(`not a plain decimal: ${text}`);
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const scale = 10n ** BigInt((m[3] ?? '').length);
  return frac((m[1] === '-' ? -1n : 1n) * BigInt(digits), scale);
}

/** The exact decimal string of a fraction; throws when it does not terminate. */
export function fracToString(f: Frac): string {
  let d = f.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) [d, twos] = [d / 2n, twos + 1];
  while (d % 5n === 0n) [d, fives] = [d / 5n, fives + 1];
  if (d !== 1n) throw new Error(`reference value ${f.n}/${f.d} has no finite decimal form`);
  const places = Math.max(twos, fives);
  const scaled = (f.n * 10n ** BigInt(places)) / f.d;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return (negative ? '-' : '') + text;
}

export interface LotPosition {
  readonly qty: Frac;
  readonly avgCost: Frac;
  readonly realisedPnl: Frac;
  readonly feesPaid: Frac;
}

export interface LotModelOptions {
  costAssetOf(asset: string): string;
  /** Exact conversion of an amount into another asset, for this test's fixed rates. */
  convert(amount: Frac, from: string, to: string): Frac;
}

interface Lot {
  qty: Frac;
  cost: Frac;
}

interface Ledger {
  lots: Lot[];
  realised: Frac;
  fees: Frac;
}

/**
 * Runs fills already in processing order and free of duplicates (the caller's generator
 * guarantees both), and returns exact positions by base asset.
 */
export function lotModel(fills: readonly PositionFill[], options: LotModelOptions): Map<string, LotPosition> {
  const ledgers = new Map<string, Ledger>();
  const ledger = (asset: string): Ledger => {
    let l = ledgers.get(asset);
    if (!l) ledgers.set(asset, (l = { lots: [], realised: F0, fees: F0 }));
    return l;
  };
  const held = (l: Ledger): Frac => l.lots.reduce((s, lot) => add(s, lot.qty), F0);

  const sell = (l: Ledger, units: Frac, proceeds: Frac): void => {
    const have = held(l);
    const covered = lt(have, units) ? have : units;
    if (isZero(covered)) return;
    const keep = div(sub(have, covered), have);
    let removedCost = F0;
    for (const lot of l.lots) {
      const remaining = mul(lot.cost, keep);
      removedCost = add(removedCost, sub(lot.cost, remaining));
      lot.cost = remaining;
      lot.qty = mul(lot.qty, keep);
    }
    l.lots = l.lots.filter((lot) => !isZero(lot.qty));
    l.realised = add(l.realised, sub(mul(proceeds, div(covered, units)), removedCost));
  };

  for (const f of fills) {
    const costAsset = options.costAssetOf(f.baseAsset);
    const price = parseFrac(f.price.toFixed());
    const qty = parseFrac(f.qty.toFixed());
    const quote = options.convert(parseFrac(f.quoteQty.toFixed()), f.quoteAsset, costAsset);
    const fee = parseFrac(f.commission.toFixed());
    const l = ledger(f.baseAsset);
    const baseFee = f.commissionAsset === f.baseAsset ? fee : F0;
    const moneyFee =
      isZero(fee) || f.commissionAsset === f.baseAsset
        ? F0
        : options.convert(fee, f.commissionAsset, costAsset);
    l.fees = add(
      l.fees,
      f.commissionAsset === f.baseAsset
        ? options.convert(mul(fee, price), f.quoteAsset, costAsset)
        : moneyFee,
    );
    if (f.side === 'BUY') l.lots.push({ qty: sub(qty, baseFee), cost: add(quote, moneyFee) });
    else sell(l, add(qty, baseFee), sub(quote, moneyFee));

    const feeAsset = f.commissionAsset;
    const spendsHolding =
      !isZero(fee) && feeAsset !== f.baseAsset && feeAsset !== f.quoteAsset && feeAsset !== costAsset;
    const feeLedger = ledgers.get(feeAsset);
    if (spendsHolding && feeLedger && !isZero(held(feeLedger))) {
      sell(feeLedger, fee, options.convert(fee, feeAsset, options.costAssetOf(feeAsset)));
    }
  }

  const out = new Map<string, LotPosition>();
  for (const [asset, l] of ledgers) {
    const qty = held(l);
    const cost = l.lots.reduce((s, lot) => add(s, lot.cost), F0);
    out.set(asset, {
      qty,
      avgCost: isZero(qty) ? F0 : div(cost, qty),
      realisedPnl: l.realised,
      feesPaid: l.fees,
    });
  }
  return out;
}
