/**
 * The candle fill model and the historical market on a hand-made tape: a resting order fills only
 * when a candle that opened after it trades through its limit; an arrival meets the next minute's
 * open ± half the spread (+ slippage); prices and klines come only from the past; the backfill
 * asks only for the ranges the store lacks.
 */
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { missingRanges } from '../../src/replay/candleBackfill.js';
import { CandleFillModel } from '../../src/replay/CandleFillModel.js';
import { columnsOf, type NumericCandle } from '../../src/domain/candleColumns.js';
import { CandleTape } from '../../src/replay/CandleTape.js';
import { HistoricalMarket } from '../../src/replay/HistoricalMarket.js';
import { ManualClock } from '../../src/common/clock.js';
import { buildRules } from '../helpers/symbolRules.js';

const M = 60_000;
const T0 = Date.UTC(2026, 2, 2, 12);

function candle(i: number, open: number, high: number, low: number, close: number): NumericCandle {
  return { openTime: T0 + i * M, open, high, low, close, volume: 1, quoteVolume: open };
}

function setup(slippage = 0) {
  const clock = new ManualClock(T0);
  const tape = new CandleTape(
    new Map([
      [
        'BTCUSDC',
        {
          m1: columnsOf([
            candle(0, 100, 101, 99, 100),
            candle(1, 100, 100.5, 98, 99),
            candle(2, 99, 99.5, 97, 98),
            candle(3, 98, 102, 97.5, 101),
          ]),
        },
      ],
    ]),
  );
  const rules = new Map([
    [
      'BTCUSDC',
      buildRules({ symbol: 'BTCUSDC', baseAsset: 'BTC', quoteAsset: 'USDC', tickSize: dec('0.01') }),
    ],
  ]);
  const market = new HistoricalMarket({ clock, tape, rules, spreads: new Map([['BTCUSDC', 0.002]]) });
  const fills = new CandleFillModel({ clock, tape, market, slippage });
  return { clock, market, fills };
}

describe('the candle fill model', () => {
  it('fills a resting buy only once a later candle trades strictly below its limit', () => {
    const { clock, fills } = setup();
    const order = { symbol: 'BTCUSDC', side: 'BUY' as const, price: dec('98'), time: T0 + M };
    clock.set(T0 + 2 * M);
    expect(
      fills.restingFill(order, new Map()),
      'the candle of 12:01 touched 98 but did not go below',
    ).toBeUndefined();
    clock.set(T0 + 3 * M);
    expect(fills.restingFill(order, new Map())?.toFixed()).toBe('98');
  });

  it('ignores candles from before the order and the candle still open', () => {
    const { clock, fills } = setup();
    const order = { symbol: 'BTCUSDC', side: 'SELL' as const, price: dec('101.5'), time: T0 + 30_000 };
    clock.set(T0 + 3 * M + 30_000);
    // 12:00's high of 101 is before the order; 12:03 (high 102) is still open at 12:03:30.
    expect(fills.restingFill(order, new Map())).toBeUndefined();
    clock.set(T0 + 4 * M);
    expect(fills.restingFill(order, new Map())?.toFixed()).toBe('101.5');
  });

  it('meets an arriving order at the next minute’s open ± half the spread and the slippage', () => {
    const { clock, fills } = setup(0.001);
    clock.set(T0 + 2 * M);
    const top = fills.arrivalTop('BTCUSDC', new Map())!;
    // Open 99, half spread 0.1 % + slippage 0.1 %: 98.80 / 99.20 on the 0.01 grid.
    expect([top.bid.toFixed(), top.ask.toFixed()]).toEqual(['98.8', '99.2']);
  });
});

describe('the historical market', () => {
  it('prices at the open of the candle in progress and serves only closed candles', async () => {
    const { clock, market } = setup();
    clock.set(T0 + 2 * M + 30_000);
    const top = (await market.getBookTops()).get('BTCUSDC')!;
    expect([top.bid.toFixed(), top.ask.toFixed()]).toEqual(['98.9', '99.1']);
    const klines = await market.getKlines({ symbol: 'BTCUSDC', interval: '1m', limit: 10 });
    expect(klines.map((k) => k.openTime)).toEqual([T0, T0 + M]);
    expect(klines[1], 'recorded numbers as the exchange writes them').toMatchObject({
      open: '100',
      high: '100.5',
      close: '99',
    });
  });

  it('fails a kline request over a recorded value that is not a number', async () => {
    const clock = new ManualClock(T0 + 3 * M);
    const tape = new CandleTape(
      new Map([
        ['BTCUSDC', { m1: columnsOf([candle(0, 100, 101, 99, 100), candle(1, 100, 101, 99, Number.NaN)]) }],
      ]),
    );
    const market = new HistoricalMarket({ clock, tape, rules: new Map(), spreads: new Map() });
    await expect(market.getKlines({ symbol: 'BTCUSDC', interval: '1m', limit: 10 })).rejects.toThrow(
      'not a finite number',
    );
  });
});

describe('the candle backfill', () => {
  it('asks only for the ranges the store lacks', () => {
    const stored = [T0, T0 + M, T0 + 4 * M];
    expect(missingRanges(stored, '1m', T0, T0 + 6 * M)).toEqual([
      { start: T0 + 2 * M, end: T0 + 4 * M },
      { start: T0 + 5 * M, end: T0 + 6 * M },
    ]);
  });
});
