/**
 * The replay on exact bigint decimals gives decimal.js's results digit for digit: random fill
 * sequences (long decimals, so every division and product rounds; BTC on USDC and USDT, altcoins,
 * fees in the quote, the base and MX held by the fills; fills sharing a millisecond; repeats;
 * prices recorded or not) replayed by the bot's replay and by the decimal.js replay it replaced
 * (`decimalReplay.ts`) must agree on every position figure, every realisation and every warning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, dec } from '../../../src/domain/money.js';
import { costAssetOf, makeToCostAsset } from '../../../src/domain/portfolio/conversion.js';
import type { Position } from '../../../src/domain/portfolio/position.js';
import {
  positionsFromFills,
  type PositionFill,
  type Realisation,
} from '../../../src/domain/portfolio/positions.js';
import { decimalPositionsFromFills, decimalToCostAsset, type DecimalRealisation } from './decimalReplay.js';

const T0 = Date.UTC(2026, 4, 1);
const SYMBOLS = [
  ['BTCUSDC', 'BTC', 'USDC'],
  ['BTCUSDT', 'BTC', 'USDT'],
  ['SOLUSDT', 'SOL', 'USDT'],
  ['MXUSDT', 'MX', 'USDT'],
  ['ETHUSDC', 'ETH', 'USDC'],
] as const;

/** A decimal with up to `places` decimals from an integer draw: never float money. */
const amountArb = (maxUnits: number, places: number) =>
  fc.integer({ min: 1, max: maxUnits }).map((units) => dec(units).div(dec(10).pow(places)));

const fillArb = fc.record({
  symbol: fc.integer({ min: 0, max: SYMBOLS.length - 1 }),
  sell: fc.boolean(),
  price: fc.oneof(amountArb(99_999_999, 4), amountArb(999_999, 8)),
  qty: fc.oneof(amountArb(999_999, 6), amountArb(99_999_999, 3)),
  // quote quantity: exactly price × qty, or as MEXC rounds it
  quoteExact: fc.boolean(),
  fee: fc.constantFrom('none', 'quote', 'base', 'mx'),
  feeRate: fc.constantFrom('0.0005', '0.001', '0.000123'),
  step: fc.constantFrom(0, 0, 1, 7, 60_000),
  priced: fc.constantFrom(true, true, false),
  usdcUsdt: fc.integer({ min: 99_000_000, max: 101_000_000 }),
  mxPrice: fc.integer({ min: 1_000_000, max: 9_999_999 }),
  // the market MX's price was recorded on: either stablecoin, or one no conversion knows
  mxQuote: fc.constantFrom('USDT', 'USDT', 'USDC', 'BTC'),
  repeat: fc.constantFrom(false, false, false, true),
});

type FillSpec = typeof fillArb extends fc.Arbitrary<infer T> ? T : never;

function makeFills(specs: FillSpec[]): PositionFill[] {
  const fills: PositionFill[] = [];
  let time = T0;
  specs.forEach((s, i) => {
    time += s.step;
    const [symbol, base, quote] = SYMBOLS[s.symbol]!;
    const exact = s.price.times(s.qty);
    const quoteQty = s.quoteExact ? exact : exact.toDecimalPlaces(8, Decimal.ROUND_HALF_UP);
    const fee =
      s.fee === 'quote'
        ? { commission: quoteQty.times(s.feeRate), commissionAsset: quote }
        : s.fee === 'base'
          ? { commission: s.qty.times(s.feeRate), commissionAsset: base }
          : s.fee === 'mx'
            ? { commission: quoteQty.times(s.feeRate).div(3), commissionAsset: 'MX' }
            : { commission: dec(0), commissionAsset: quote };
    const fill: PositionFill = {
      symbol,
      baseAsset: base,
      quoteAsset: quote,
      tradeId: String(i + 1),
      orderId: `o${i + 1}`,
      side: s.sell ? 'SELL' : 'BUY',
      price: s.price,
      qty: s.qty,
      quoteQty: quoteQty.isZero() ? dec('0.00000001') : quoteQty,
      ...fee,
      time,
      isMaker: false,
      ...(s.priced
        ? {
            prices: {
              usdcUsdt: dec(s.usdcUsdt).div(100_000_000),
              ...(s.fee === 'mx' ? { feePrice: dec(s.mxPrice).div(1_000_000), feeQuote: s.mxQuote } : {}),
            },
          }
        : {}),
    };
    fills.push(fill);
    if (s.repeat) fills.push({ ...fill });
  });
  return fills;
}

function positionText(p: Position): string {
  return [
    p.asset,
    p.costAsset,
    p.qty,
    p.avgCost,
    p.realisedPnl,
    p.feesPaid,
    p.realisedPnlUsdc,
    p.feesPaidUsdc,
  ]
    .map((x) => (x === undefined ? '-' : typeof x === 'string' ? x : x.toFixed()))
    .join(' ');
}

function realisationText(r: Realisation | DecimalRealisation): string {
  return `${r.kind} ${r.asset} ${r.symbol} #${r.tradeId} ${r.qty.toFixed()} ${r.pnl.toFixed()} ${r.pnlUsdc?.toFixed() ?? '-'}`;
}

const market = {
  prices: new Map<string, Decimal>([['MXUSDT', dec('2.71828182845904523536')]]),
  usdcUsdt: dec('0.99971'),
};

describe('replay on exact decimals', () => {
  it('equals the decimal.js replay digit for digit on random fill sequences', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 60 }), (specs) => {
        const fills = makeFills(specs);
        const exact: Realisation[] = [];
        const reference: DecimalRealisation[] = [];
        const got = positionsFromFills(fills, {
          costAssetOf,
          toCostAsset: makeToCostAsset(market),
          onRealised: (r) => exact.push(r),
        });
        const want = decimalPositionsFromFills(fills, {
          costAssetOf,
          toCostAsset: decimalToCostAsset(market),
          onRealised: (r) => reference.push(r),
        });
        expect([...got.positions.values()].map(positionText)).toEqual(
          [...want.positions.values()].map(positionText),
        );
        expect(exact.map(realisationText)).toEqual(reference.map(realisationText));
        expect(got.warnings).toEqual(want.warnings);
      }),
      { numRuns: 150 },
    );
  });
});
