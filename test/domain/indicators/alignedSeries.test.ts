import { describe, expect, it } from 'vitest';
import {
  alignToCandles,
  bollingerSeries,
  macdSeries,
  rsiSeries,
} from '../../../src/domain/indicators/index.js';
import { candles15m, T0 } from '../../helpers/strategySnapshot.js';

const I = 15 * 60_000;

/** Wilder's RSI written from the definition: SMA seed of the first `period` changes, then (prev·(p−1)+x)/p. */
function wilderRsi(closes: readonly number[], period: number): number[] {
  const out: number[] = [];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = closes[i]! - closes[i - 1]!;
    gain += Math.max(d, 0);
    loss += Math.max(-d, 0);
  }
  gain /= period;
  loss /= period;
  const rsi = () => (loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
  out.push(rsi());
  for (let i = period + 1; i < closes.length; i++) {
    const d = closes[i]! - closes[i - 1]!;
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out.push(rsi());
  }
  return out;
}

// A fixed, irregular series (seeded LCG) so the golden test is not a trivially smooth curve.
function fixedSeries(n: number): number[] {
  let s = 42;
  let price = 100;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    price *= 1 + (s / 2 ** 31 - 0.5) * 0.02;
    out.push(Number(price.toFixed(4)));
  }
  return out;
}

describe('aligned indicator series', () => {
  it('RSI(14) matches a hand-written Wilder RSI within 0.01 at every candle', () => {
    const closes = fixedSeries(200);
    const candles = candles15m({ lastOpenTime: T0, closes });
    const got = rsiSeries(candles, 14);
    const want = wilderRsi(closes, 14);
    expect(got.length, 'n − period values').toBe(200 - 14);
    expect(want.length).toBe(got.length);
    for (let i = 0; i < got.length; i++) {
      expect(Math.abs(got[i]!.value - want[i]!), `RSI at output ${i}`).toBeLessThanOrEqual(0.01);
    }
  });

  it('stamps RSI outputs with the open time of the candle they belong to (end-aligned)', () => {
    const candles = candles15m({ lastOpenTime: T0, closes: fixedSeries(100) });
    const rsi = rsiSeries(candles, 14);
    expect(rsi[0]!.openTime, 'first RSI is at candle 14').toBe(candles[14]!.openTime);
    expect(rsi.at(-1)!.openTime, 'last RSI is at the last candle').toBe(candles[99]!.openTime);
  });

  it('MACD(12,26,9) on a linear ramp: MACD = signal = 7, histogram 0, first histogram at candle 33', () => {
    // EMAs of a ramp lag by (period − 1)/2 once seeded with an SMA: 12.5 − 5.5 = 7 exactly.
    const closes = Array.from({ length: 100 }, (_, i) => 100 + i);
    const candles = candles15m({ lastOpenTime: T0, closes });
    const macd = macdSeries(candles, { fast: 12, slow: 26, signal: 9 });
    expect(macd.length, 'n − slow + 1 values').toBe(75);
    expect(macd[0]!.openTime, 'first MACD at candle 25').toBe(candles[25]!.openTime);
    expect(macd[7]!.value.histogram, 'signal warm-up has no histogram').toBeUndefined();
    expect(macd[8]!.openTime, 'first histogram at candle 33').toBe(candles[33]!.openTime);
    const last = macd.at(-1)!.value;
    expect(last.macd).toBeCloseTo(7, 9);
    expect(last.signal!).toBeCloseTo(7, 9);
    expect(last.histogram!).toBeCloseTo(0, 9);
  });

  it('Bollinger(20,2) on a linear ramp: middle = last − 9.5, width = 2·sqrt(399/12)', () => {
    const closes = Array.from({ length: 60 }, (_, i) => 10 + i);
    const candles = candles15m({ lastOpenTime: T0, closes });
    const bb = bollingerSeries(candles, { period: 20, stdDev: 2 });
    expect(bb.length, 'n − period + 1 values').toBe(41);
    expect(bb[0]!.openTime).toBe(candles[19]!.openTime);
    const last = bb.at(-1)!.value;
    const sd = Math.sqrt(399 / 12); // population SD of 20 consecutive integers
    expect(last.middle).toBeCloseTo(69 - 9.5, 9);
    expect(last.upper).toBeCloseTo(69 - 9.5 + 2 * sd, 9);
    expect(last.lower).toBeCloseTo(69 - 9.5 - 2 * sd, 9);
  });

  it('refuses outputs longer than the input instead of misaligning them', () => {
    const candles = candles15m({ lastOpenTime: T0, closes: ['1', '2'] });
    expect(() => alignToCandles(candles, [1, 2, 3])).toThrow(/3 values for 2 candles/);
    expect(alignToCandles(candles, [5]).map((v) => v.openTime)).toEqual([T0]);
    expect(T0 - I, 'candles are 15 minutes apart').toBe(candles[0]!.openTime);
  });
});
