import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, dec } from '../../../src/domain/money.js';
import { costAssetOf, makeToCostAsset } from '../../../src/domain/portfolio/conversion.js';
import type { Position } from '../../../src/domain/portfolio/position.js';
import {
  positionsFromFills,
  type PositionFill,
  type PositionOptions,
} from '../../../src/domain/portfolio/positions.js';
import { splitSymbol, T0 } from '../../helpers/fills.js';
import { div, frac, fracToString, lotModel, mul, type Frac, type LotModelOptions } from './lotModel.js';

// ---------------------------------------------------------------------------------------------
// Exact scenario generator. Quantities are whole numbers of 0.001 units; after every buy the
// held count is one of NICE (factors 2 and 5 only, exponents ≤ 3), and conversion rates are
// 1.25 and 2.5, so every exact result has a finite decimal form well inside Decimal's 40
// digits. The implementation must then match the exact reference to the last digit.
// ---------------------------------------------------------------------------------------------

const NICE = [1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000];
const SMALL_FEE = [1, 2, 4, 5, 8, 10];
const MAX_BUYS_PER_ASSET = 6;
const UNIT = dec('0.001');

/** This test's fixed rates: USDCUSDT = 1.25, MXUSDT = 2.5. */
const USDC_USDT = frac(5n, 4n);
const MX_USDT = frac(5n, 2n);

function exactConvert(amount: Frac, from: string, to: string): Frac {
  if (from === to) return amount;
  if (from === 'USDT' && to === 'USDC') return div(amount, USDC_USDT);
  if (from === 'USDC' && to === 'USDT') return mul(amount, USDC_USDT);
  if (from === 'MX') return exactConvert(mul(amount, MX_USDT), 'USDT', to);
  throw new Error(`reference cannot convert ${from} to ${to}`);
}

const referenceOptions: LotModelOptions = { costAssetOf, convert: exactConvert };
const implOptions: PositionOptions = {
  costAssetOf,
  toCostAsset: makeToCostAsset({ prices: new Map([['MXUSDT', dec('2.5')]]), usdcUsdt: dec('1.25') }),
};

const ASSETS = [
  { base: 'BTC', symbols: ['BTCUSDC', 'BTCUSDT'] },
  { base: 'SOL', symbols: ['SOLUSDT', 'SOLUSDC'] },
  { base: 'MX', symbols: ['MXUSDT', 'MXUSDT'] },
] as const;

const stepArb = fc.record({
  asset: fc.integer({ min: 0, max: 2 }),
  otherQuote: fc.boolean(),
  action: fc.constantFrom('buy', 'buy', 'sell', 'oversell'),
  pick: fc.nat({ max: 10_000 }),
  priceCents: fc.integer({ min: 1, max: 10_000_000 }),
  feeKind: fc.constantFrom('none', 'base', 'quote', 'mx'),
  feePick: fc.nat({ max: SMALL_FEE.length - 1 }),
  quoteFeeCents: fc.integer({ min: 0, max: 1_000 }),
  sameTime: fc.boolean(),
});
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Step = ValueOf<typeof stepArb>;

/** Turns random steps into fills in processing order (times ascending, a buy never right after a sell in one instant, trade ids ascending). */
function buildFills(steps: readonly Step[]): PositionFill[] {
  const held = new Map<string, number>();
  const buys = new Map<string, number>();
  const fills: PositionFill[] = [];
  let time = T0;
  for (const step of steps) {
    const { base, symbols } = ASSETS[step.asset]!;
    const symbol = symbols[step.otherQuote ? 1 : 0]!;
    const { quote } = splitSymbol(symbol);
    const count = held.get(base) ?? 0;
    // An MX fee on an MX trade is a fee in the base asset.
    let feeKind = base === 'MX' && step.feeKind === 'mx' ? 'base' : step.feeKind;
    const feeUnits = SMALL_FEE[step.feePick]!;
    let side: 'BUY' | 'SELL';
    let qtyUnits: number;
    if (step.action === 'buy' && (buys.get(base) ?? 0) < MAX_BUYS_PER_ASSET) {
      const targets = NICE.filter((t) => t > count);
      if (targets.length === 0) continue;
      const target = targets[step.pick % targets.length]!;
      side = 'BUY';
      qtyUnits = target - count + (feeKind === 'base' ? feeUnits : 0);
      held.set(base, target);
      buys.set(base, (buys.get(base) ?? 0) + 1);
    } else if (step.action === 'oversell') {
      // Leaving units must be NICE: the held share of the proceeds divides by them.
      const totals = NICE.filter((t) => t > count && t > (feeKind === 'base' ? feeUnits : 0));
      if (totals.length === 0) continue;
      const leaving = totals[step.pick % totals.length]!;
      side = 'SELL';
      qtyUnits = leaving - (feeKind === 'base' ? feeUnits : 0);
      held.set(base, 0);
    } else {
      if (feeKind === 'base' && count - feeUnits < 1) feeKind = 'quote';
      const sellable = count - (feeKind === 'base' ? feeUnits : 0);
      if (sellable < 1) continue;
      side = 'SELL';
      qtyUnits = 1 + (step.pick % sellable);
      held.set(base, count - qtyUnits - (feeKind === 'base' ? feeUnits : 0));
    }
    if (feeKind === 'mx') held.set('MX', Math.max(0, (held.get('MX') ?? 0) - feeUnits));

    const price = new Decimal(step.priceCents).div(100);
    const qty = UNIT.times(qtyUnits);
    const commission =
      feeKind === 'none'
        ? dec(0)
        : feeKind === 'quote'
          ? new Decimal(step.quoteFeeCents).div(100)
          : UNIT.times(feeUnits);
    const commissionAsset =
      feeKind === 'base' ? base : feeKind === 'mx' ? 'MX' : feeKind === 'quote' ? quote : '';
    // A buy right after a sell of the same instant would be applied before it: give it its own time.
    if (!step.sameTime || (side === 'BUY' && fills.at(-1)?.side === 'SELL')) time += 60_000;
    const id = 95 + fills.length; // crosses 99 → 100: ids must order by number, not text
    fills.push({
      symbol,
      baseAsset: base,
      quoteAsset: quote,
      tradeId: String(id),
      orderId: `o${id}`,
      side,
      price,
      qty,
      quoteQty: price.times(qty),
      commission,
      commissionAsset,
      time,
      isMaker: false,
    });
  }
  return fills;
}

/** Deterministic shuffle from a seed (mulberry32), so fast-check can replay failures. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function withDuplicates<T>(items: readonly T[], picks: readonly number[]): T[] {
  return items.length === 0 ? [...items] : [...items, ...picks.map((p) => items[p % items.length]!)];
}

const scenarioArb = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 30 }),
  shuffleSeed: fc.integer(),
  duplicates: fc.array(fc.nat(), { maxLength: 10 }),
});

function snapshot(positions: ReadonlyMap<string, Position>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [asset, p] of [...positions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[asset] = [p.qty, p.avgCost, p.realisedPnl, p.feesPaid].map((d) => d.toFixed());
  }
  return out;
}

describe('positionsFromFills against an exact lot-by-lot reference', () => {
  it('average cost, quantity, realised PnL and fees agree exactly, whatever the input order and duplicates', () => {
    fc.assert(
      fc.property(scenarioArb, ({ steps, shuffleSeed, duplicates }) => {
        const fills = buildFills(steps);
        const expected = lotModel(fills, referenceOptions);
        const input = shuffled(withDuplicates(fills, duplicates), shuffleSeed);
        const { positions } = positionsFromFills(input, implOptions);
        expect([...positions.keys()].sort(), 'same assets').toEqual([...expected.keys()].sort());
        for (const [asset, ref] of expected) {
          const got = positions.get(asset)!;
          for (const field of ['qty', 'avgCost', 'realisedPnl', 'feesPaid'] as const) {
            const want = fracToString(ref[field]);
            expect(
              got[field].equals(dec(want)),
              `${asset} ${field}: got ${got[field].toFixed()}, exact ${want}`,
            ).toBe(true);
          }
          expect(got.qty.isNegative(), `${asset} quantity never negative`).toBe(false);
        }
      }),
      { seed: 20_260_101, numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Invariants on unconstrained decimals (rounding allowed): these compare the implementation
// with itself, so they hold exactly whatever the digits.
// ---------------------------------------------------------------------------------------------

const SYMBOLS = ['BTCUSDC', 'BTCUSDT', 'ETHUSDC', 'SOLUSDT', 'SOLUSDC', 'MXUSDT'] as const;
const decimalArb = (maxScale: number) =>
  fc
    .record({
      digits: fc.integer({ min: 1, max: 999_999_999 }),
      scale: fc.integer({ min: 0, max: maxScale }),
    })
    .map(({ digits, scale }) => new Decimal(digits).div(new Decimal(10).pow(scale)));

const rawFillArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom('BUY', 'SELL', 'BUY'),
  price: decimalArb(6),
  qty: decimalArb(9),
  fee: fc.option(fc.record({ amount: decimalArb(10), in: fc.constantFrom('base', 'quote', 'MX') }), {
    nil: undefined,
  }),
  dt: fc.constantFrom(0, 0, 1_000, 60_000),
});

function generalFills(raws: readonly ValueOf<typeof rawFillArb>[]): PositionFill[] {
  let time = T0;
  return raws.map((r, i) => {
    const { base, quote } = splitSymbol(r.symbol);
    time += r.dt;
    const feeAsset =
      r.fee === undefined ? '' : r.fee.in === 'base' ? base : r.fee.in === 'quote' ? quote : 'MX';
    return {
      symbol: r.symbol,
      baseAsset: base,
      quoteAsset: quote,
      tradeId: String(990 + i),
      orderId: `o${i}`,
      side: r.side,
      price: r.price,
      qty: r.qty,
      quoteQty: r.price.times(r.qty),
      commission: r.fee?.amount ?? dec(0),
      commissionAsset: feeAsset,
      time,
      isMaker: false,
    };
  });
}

const realistic: PositionOptions = {
  costAssetOf,
  toCostAsset: makeToCostAsset({ prices: new Map([['MXUSDT', dec('2.4137')]]), usdcUsdt: dec('0.998') }),
};

describe('positionsFromFills invariants', () => {
  it('selling (or spending as a fee) never changes any average cost; only a buy re-averages its own asset', () => {
    fc.assert(
      fc.property(fc.array(rawFillArb, { minLength: 1, maxLength: 40 }), (raws) => {
        const fills = generalFills(raws);
        let before = positionsFromFills([], realistic).positions;
        for (let i = 0; i < fills.length; i++) {
          const after = positionsFromFills(fills.slice(0, i + 1), realistic).positions;
          const fill = fills[i]!;
          for (const [asset, p] of after) {
            expect(p.qty.isNegative(), `${asset} never negative`).toBe(false);
            if (fill.side === 'BUY' && asset === fill.baseAsset) continue;
            const prev = before.get(asset);
            if (prev === undefined) continue;
            const expected = p.qty.isZero() ? '0' : prev.avgCost.toFixed();
            expect(
              p.avgCost.toFixed(),
              `${asset} average after ${fill.side} ${fill.symbol} #${fill.tradeId}`,
            ).toBe(expected);
          }
          before = after;
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('duplicating random fills changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(rawFillArb, { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        (raws, picks) => {
          const fills = generalFills(raws);
          const once = positionsFromFills(fills, realistic);
          const twice = positionsFromFills(withDuplicates(fills, picks), realistic);
          expect(snapshot(twice.positions), 'positions ignore repeated trade ids').toEqual(
            snapshot(once.positions),
          );
          expect(twice.warnings, 'no extra warnings from duplicates').toEqual(once.warnings);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('fills at the same time are ordered by trade id (a buy ahead of a sell it lets happen): any input permutation gives identical results', () => {
    fc.assert(
      fc.property(fc.array(rawFillArb, { minLength: 2, maxLength: 40 }), fc.integer(), (raws, seed) => {
        const fills = generalFills(raws.map((r) => ({ ...r, dt: 0 })));
        const inOrder = positionsFromFills(fills, realistic);
        const permuted = positionsFromFills(shuffled(fills, seed), realistic);
        expect(snapshot(permuted.positions), 'order of equal-time fills is fixed').toEqual(
          snapshot(inOrder.positions),
        );
        expect(permuted.warnings).toEqual(inOrder.warnings);
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});
