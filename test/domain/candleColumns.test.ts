import { describe, expect, it } from 'vitest';
import { candleAt, columnsOf, type NumericCandle } from '../../src/domain/candleColumns.js';

const candles: NumericCandle[] = [
  { openTime: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, quoteVolume: 15 },
  { openTime: 60_000, open: 1.5, high: 1.75, low: 1.25, close: 1.25, volume: 4, quoteVolume: 6 },
];

describe('candle columns', () => {
  it('hold each candle in one row of parallel columns and give it back', () => {
    const c = columnsOf(candles);
    expect([...c.openTimes]).toEqual([0, 60_000]);
    expect([...c.closes]).toEqual([1.5, 1.25]);
    expect([candleAt(c, 0), candleAt(c, 1)]).toEqual(candles);
  });

  it('read rows of another shape through the given mapping (stored decimal text)', () => {
    const stored = [{ t: 0, o: '1', h: '2', l: '0.5', c: '1.5', v: '10', q: '15' }];
    const c = columnsOf(stored, (r) => ({
      openTime: r.t,
      open: Number(r.o),
      high: Number(r.h),
      low: Number(r.l),
      close: Number(r.c),
      volume: Number(r.v),
      quoteVolume: Number(r.q),
    }));
    expect(candleAt(c, 0)).toEqual(candles[0]);
    expect(columnsOf([]).openTimes).toHaveLength(0);
  });
});
