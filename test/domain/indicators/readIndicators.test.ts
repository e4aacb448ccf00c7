import { describe, expect, it } from 'vitest';
import {
  candleSeriesOf,
  changePct,
  MIN_CANDLES_FOR_VALUES,
  readIndicators,
  sliceSeries,
  streamOver,
  volumeRatio,
} from '../../../src/domain/indicators/index.js';
import { candles15m, T0 } from '../../helpers/strategySnapshot.js';

const ramp = (n: number) => Array.from({ length: n }, (_, i) => (100 + i * 0.5).toFixed(2));

describe('readIndicators', () => {
  it('too few candles give "not enough history", not numbers from a warm-up', () => {
    const r = readIndicators(candleSeriesOf(candles15m({ lastOpenTime: T0, closes: ramp(60) })));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('not enough history: 60 candles, need 100');
      expect(r.need).toBe(100);
    }
  });

  it('never goes below the technical minimum, whatever minHistory says', () => {
    const r = readIndicators(
      candleSeriesOf(candles15m({ lastOpenTime: T0, closes: ramp(MIN_CANDLES_FOR_VALUES - 1) })),
      {
        minHistory: 10,
      },
    );
    expect(r.ok, 'MACD needs slow + signal candles for two histograms').toBe(false);
    const ok = readIndicators(
      candleSeriesOf(candles15m({ lastOpenTime: T0, closes: ramp(MIN_CANDLES_FOR_VALUES) })),
      {
        minHistory: 10,
      },
    );
    expect(ok.ok).toBe(true);
  });

  it('reads the latest values at the last candle, with the previous histogram', () => {
    const closes = ramp(120);
    const volumes = Array.from({ length: 120 }, (_, i) => (i === 119 ? '3000' : '1000'));
    const r = readIndicators(candleSeriesOf(candles15m({ lastOpenTime: T0, closes, volumes })));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.openTime, 'stamped with the last candle').toBe(T0);
    expect(r.close).toBe(159.5);
    expect(r.rsi, 'a steady rise has no losses').toBe(100);
    expect(r.macd.macd, 'ramp of 0.5 per candle: 7 × 0.5').toBeCloseTo(3.5, 9);
    expect(r.macd.histogram).toBeCloseTo(0, 9);
    expect(r.prevHistogram).toBeCloseTo(0, 9);
    expect(r.bands.middle).toBeCloseTo(159.5 - 9.5 * 0.5, 9);
    expect(r.volumeRatio, '3000 vs mean 1000 of the previous 20').toBe(3);
    expect(r.change1hPct, 'four candles of +0.5 on 157.5').toBeCloseTo((159.5 / 157.5 - 1) * 100, 9);
  });

  it('volume ratio compares the last value with the mean of the previous 20 only', () => {
    const v = [...Array(10).fill(99999), ...Array(20).fill(100), 250];
    expect(volumeRatio(v, 20)).toBe(2.5);
    expect(volumeRatio(Array(20).fill(1), 20), 'needs 21 values').toBeUndefined();
    expect(volumeRatio([...Array(20).fill(0), 5], 20)).toBe(Number.POSITIVE_INFINITY);
  });

  it('1 h change uses the close four 15-minute candles back', () => {
    const c = candles15m({ lastOpenTime: T0, closes: ['100', '50', '50', '50', '106'] });
    expect(changePct(candleSeriesOf(c), { windowMs: 3_600_000, intervalMs: 900_000 })).toBeCloseTo(6, 9);
    expect(
      changePct(candleSeriesOf(c.slice(1)), { windowMs: 3_600_000, intervalMs: 900_000 }),
    ).toBeUndefined();
  });

  it('uses a kept stream reading only when it has reached the last candle', () => {
    const series = candleSeriesOf(candles15m({ lastOpenTime: T0, closes: ramp(120) }));
    const fresh = readIndicators(series);
    const behind = streamOver(sliceSeries(series, 0, 119)).reading;
    expect(() => readIndicators(series, { latest: behind })).toThrow(/stream is at candle/);
    expect(readIndicators(series, { latest: streamOver(series).reading })).toEqual(fresh);
  });
});
