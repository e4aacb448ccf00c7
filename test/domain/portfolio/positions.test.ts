import { describe, expect, it } from 'vitest';
import { Decimal, dec } from '../../../src/domain/money.js';
import { Exact } from '../../../src/domain/exact.js';
import { costAssetOf, makeToCostAsset } from '../../../src/domain/portfolio/conversion.js';
import {
  compareFills,
  positionsFromFills,
  type PositionFill,
  type PositionOptions,
  type Realisation,
} from '../../../src/domain/portfolio/positions.js';
import { makeFill, sequence, T0 } from '../../helpers/fills.js';

const prices = new Map<string, Decimal>([
  ['MXUSDT', dec('2.5')],
  ['USDCUSDT', dec('0.998')],
]);
const options: PositionOptions = {
  costAssetOf,
  toCostAsset: makeToCostAsset({ prices, usdcUsdt: dec('0.998') }),
};

function position(fills: readonly PositionFill[], asset = 'BTC', opts: PositionOptions = options) {
  const result = positionsFromFills(fills, opts);
  const p = result.positions.get(asset);
  if (p === undefined) throw new Error(`no ${asset} position`);
  return { ...p, warnings: result.warnings };
}

function expectDec(actual: Decimal, expected: string, why: string): void {
  expect(actual.toFixed(), why).toBe(dec(expected).toFixed());
}

describe('positionsFromFills', () => {
  it('buy 0.1 BTC at 60 000 then 0.1 at 62 000 → avg 61 000', () => {
    const p = position(
      sequence([
        { side: 'BUY', price: '60000', qty: '0.1' },
        { side: 'BUY', price: '62000', qty: '0.1' },
      ]),
    );
    expectDec(p.qty, '0.2', 'both buys counted');
    expectDec(p.avgCost, '61000', 'quantity-weighted average');
    expect(p.costAsset, 'BTC is costed in USDC').toBe('USDC');
    expect(p.costBasisSource).toBe('fills');
    expectDec(p.realisedPnl, '0', 'nothing sold');
  });

  it('fee in BTC reduces quantity, not money', () => {
    const p = position(
      sequence([{ side: 'BUY', price: '60000', qty: '0.1', fee: '0.0001', feeAsset: 'BTC' }]),
    );
    expectDec(p.qty, '0.0999', 'the fee came out of the coins received');
    expect(
      p.avgCost.equals(dec('6000').div('0.0999')),
      'the 6 000 USDC spent is spread over fewer coins',
    ).toBe(true);
    expectDec(p.feesPaid, '6', 'fee valued at the fill price: 0.0001 × 60 000');
  });

  it('fee in the quote asset raises the cost of a buy and cuts the proceeds of a sell', () => {
    const p = position(
      sequence([
        { side: 'BUY', price: '60000', qty: '0.1', fee: '3' },
        { side: 'SELL', price: '70000', qty: '0.05', fee: '1.75' },
      ]),
    );
    expectDec(p.avgCost, '60030', '(6 000 + 3) / 0.1');
    expectDec(p.realisedPnl, '496.75', '3 500 − 1.75 − 0.05 × 60 030');
    expectDec(p.feesPaid, '4.75', 'both fees');
  });

  it('fee in MX is valued at the fill through toCostAsset', () => {
    const calls: { amount: string; from: string; to: string; tradeId: string }[] = [];
    const fills = sequence([{ side: 'BUY', price: '60000', qty: '0.1', fee: '0.4', feeAsset: 'MX' }]);
    const p = position(fills, 'BTC', {
      costAssetOf,
      toCostAsset: (amount, from, to, fill) => {
        calls.push({ amount: amount.toFixed(), from, to, tradeId: fill.tradeId });
        return from === 'MX' ? amount.times(Exact.parse('2.5')!) : undefined;
      },
    });
    expect(calls, 'MX fee converted once, with the fill it belongs to').toEqual([
      { amount: '0.4', from: 'MX', to: 'USDC', tradeId: fills[0]!.tradeId },
    ]);
    expectDec(p.avgCost, '60010', '(6 000 + 0.4 MX × 2.5) / 0.1');
    expectDec(p.qty, '0.1', 'an MX fee leaves the BTC quantity alone');
    expectDec(p.feesPaid, '1', 'fee value');
  });

  it('fee in MX spends MX the fills hold, realising it at the fee value', () => {
    const fills = sequence([
      { side: 'BUY', symbol: 'MXUSDT', price: '2', qty: '100' },
      { side: 'BUY', symbol: 'SOLUSDT', price: '150', qty: '1', fee: '1', feeAsset: 'MX' },
    ]);
    const { positions } = positionsFromFills(fills, options);
    const mx = positions.get('MX')!;
    expectDec(mx.qty, '99', 'one MX paid as fee');
    expectDec(mx.avgCost, '2', 'spending units does not re-average');
    expectDec(mx.realisedPnl, '0.5', 'spent at 2.5 USDT, bought at 2');
    expectDec(positions.get('SOL')!.avgCost, '152.5', '150 + 1 MX × 2.5 USDT');
  });

  it('sell half realises against average and leaves the average unchanged', () => {
    const realised: Realisation[] = [];
    const p = position(
      sequence([
        { side: 'BUY', price: '60000', qty: '0.1' },
        { side: 'BUY', price: '62000', qty: '0.1' },
        { side: 'SELL', price: '63000', qty: '0.1', fee: '6.3' },
      ]),
      'BTC',
      { ...options, onRealised: (r) => realised.push(r) },
    );
    expectDec(p.qty, '0.1', 'half left');
    expectDec(p.avgCost, '61000', 'average unchanged by the sell');
    expectDec(p.realisedPnl, '193.7', '6 300 − 6.3 − 0.1 × 61 000');
    expect(realised.map((r) => [r.kind, r.asset, r.costAsset, r.qty.toFixed(), r.pnl.toFixed()])).toEqual([
      ['sell', 'BTC', 'USDC', '0.1', '193.7'],
    ]);
  });

  it('a sell fee in the base asset leaves the position with the sold units', () => {
    const p = position(
      sequence([
        { side: 'BUY', price: '100', qty: '10', symbol: 'SOLUSDT' },
        { side: 'SELL', price: '120', qty: '4', symbol: 'SOLUSDT', fee: '0.01', feeAsset: 'SOL' },
      ]),
      'SOL',
    );
    expectDec(p.qty, '5.99', '10 − 4 − 0.01');
    expectDec(p.avgCost, '100', 'unchanged');
    expectDec(p.realisedPnl, '79', '480 − 4.01 × 100');
  });

  it('malformed rows are skipped with a warning and the rest still count', () => {
    const good = sequence([
      { side: 'BUY', price: '60000', qty: '0.1' },
      { side: 'BUY', price: '62000', qty: '0.1' },
    ]);
    const zeroPrice = { ...makeFill({ side: 'BUY', price: '1', qty: '1' }), price: dec(0) };
    const nanQty = { ...makeFill({ side: 'BUY', price: '1', qty: '1' }), qty: new Decimal(NaN) };
    const noBase = { ...makeFill({ side: 'SELL', price: '1', qty: '1' }), baseAsset: '' };
    const negativeFee = { ...makeFill({ side: 'BUY', price: '1', qty: '1' }), commission: dec('-1') };
    const notDecimal = {
      ...makeFill({ side: 'BUY', price: '1', qty: '1' }),
      quoteQty: '5' as unknown as Decimal,
    };
    const noTime = { ...makeFill({ side: 'BUY', price: '1', qty: '1' }), time: Number.NaN };
    const noId = {
      ...makeFill({ side: 'BUY', price: '1', qty: '1' }),
      tradeId: undefined as unknown as string,
    };
    const result = positionsFromFills(
      [noTime, ...good, zeroPrice, nanQty, noId, noBase, negativeFee, notDecimal],
      options,
    );
    expect(result.warnings, 'one warning per bad row').toHaveLength(7);
    expect(result.warnings.join('\n')).toMatch(/time missing/);
    expect(result.warnings.join('\n')).toMatch(/symbol or trade id missing/);
    expect(result.warnings.join('\n')).toMatch(/price not positive/);
    expect(result.warnings.join('\n')).toMatch(/quantity not positive/);
    expect(result.warnings.join('\n')).toMatch(/quote quantity not positive/);
    const btc = result.positions.get('BTC')!;
    expectDec(btc.qty, '0.2', 'only the good rows');
    expectDec(btc.avgCost, '61000', 'unaffected by bad rows');
  });

  it('sell more than held realises only the held part, warns, and never goes negative', () => {
    const p = position(
      sequence([
        { side: 'BUY', price: '60000', qty: '0.1' },
        { side: 'SELL', price: '70000', qty: '0.3' },
      ]),
    );
    expectDec(p.qty, '0', 'flat, not negative');
    expectDec(p.avgCost, '0', 'flat positions have no average');
    expectDec(p.realisedPnl, '1000', 'a third of 21 000 proceeds against 0.1 × 60 000');
    expect(p.warnings, 'incomplete history reported').toHaveLength(1);
    expect(p.warnings[0]).toMatch(/sold 0\.3 BTC but fills explain only 0\.1/);
  });

  it('a sell with no history at all realises nothing', () => {
    const p = position(sequence([{ side: 'SELL', price: '70000', qty: '0.3' }]));
    expectDec(p.qty, '0', 'never negative');
    expectDec(p.realisedPnl, '0', 'nothing to measure against');
    expect(p.warnings).toHaveLength(1);
  });

  it('after going flat, the next buy starts a fresh average', () => {
    const p = position(
      sequence([
        { side: 'BUY', price: '60000', qty: '0.1' },
        { side: 'SELL', price: '61000', qty: '0.1' },
        { side: 'BUY', price: '50000', qty: '0.2' },
      ]),
    );
    expectDec(p.avgCost, '50000', 'old average forgotten');
    expectDec(p.realisedPnl, '100', 'first round trip');
  });

  it('duplicate trades (same symbol and trade id) count once; the same id on another symbol counts', () => {
    const [a, b] = sequence([
      { side: 'BUY', price: '60000', qty: '0.1', tradeId: '5' },
      { side: 'BUY', price: '62000', qty: '0.1', tradeId: '6' },
    ]);
    const other = makeFill({ side: 'BUY', price: '3000', qty: '1', symbol: 'ETHUSDC', tradeId: '5' });
    const { positions } = positionsFromFills([a!, b!, a!, b!, a!, other], options);
    expectDec(positions.get('BTC')!.qty, '0.2', 'duplicates ignored');
    expectDec(positions.get('ETH')!.qty, '1', 'trade ids are per symbol');
  });

  it('BTC bought on BTCUSDT is costed in USDC at USDCUSDT, never 1:1', () => {
    const p = position(sequence([{ side: 'BUY', symbol: 'BTCUSDT', price: '59880', qty: '0.1' }]));
    expect(p.avgCost.equals(dec('5988').div('0.998').div('0.1')), '5 988 USDT ÷ 0.998').toBe(true);
    expect(p.costAsset).toBe('USDC');
  });

  it('a fill whose quote cannot be converted is skipped with a warning', () => {
    const result = positionsFromFills(
      sequence([
        { side: 'BUY', price: '60000', qty: '0.1' },
        { side: 'BUY', symbol: 'BTCUSDT', price: '60000', qty: '0.1' },
      ]),
      { costAssetOf, toCostAsset: () => undefined },
    );
    expectDec(result.positions.get('BTC')!.qty, '0.1', 'only the convertible fill');
    expect(result.warnings[0]).toMatch(/cannot convert 6000 USDT to USDC/);
  });

  it('an unvaluable fee is counted as zero with a warning, the trade still counts', () => {
    const result = positionsFromFills(
      sequence([{ side: 'BUY', price: '10', qty: '1', fee: '1', feeAsset: 'XYZ' }]),
      {
        costAssetOf,
        toCostAsset: () => undefined,
      },
    );
    expectDec(result.positions.get('BTC')!.avgCost, '10', 'fee not added');
    expect(result.warnings[0]).toMatch(/fee 1 XYZ cannot be valued in USDC/);
  });

  it('processes by time, then trade id numerically, whatever the input order', () => {
    const early = makeFill({ side: 'BUY', price: '100', qty: '1', tradeId: '9', time: T0 });
    const late = makeFill({ side: 'SELL', price: '200', qty: '1', tradeId: '10', time: T0 });
    const later = makeFill({ side: 'BUY', price: '300', qty: '1', tradeId: '2', time: T0 + 1 });
    expect([later, late, early].sort(compareFills), 'id 9 before id 10 at the same time').toEqual([
      early,
      late,
      later,
    ]);
    const p = position([later, late, early], 'BTC');
    expectDec(p.realisedPnl, '100', 'bought at 100 before selling at 200');
    expectDec(p.avgCost, '300', 'the later buy opens a new position');
  });
});
