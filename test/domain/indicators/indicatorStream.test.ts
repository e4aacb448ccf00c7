import { BollingerBands, MACD, RSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { IndicatorStream, INDICATOR_PARAMS } from '../../../src/domain/indicators/index.js';

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

/** The stream's reading after each close. */
function feed(closes: readonly number[]) {
  const stream = new IndicatorStream();
  return closes.map((c, i) => {
    stream.push(i * I, c);
    return stream.reading;
  });
}

describe('IndicatorStream', () => {
  it('RSI(14) matches a hand-written Wilder RSI within 0.01 at every candle from candle 14', () => {
    const closes = fixedSeries(200);
    const readings = feed(closes);
    const want = wilderRsi(closes, 14);
    expect(readings[13]!.rsi, 'warming up').toBeUndefined();
    for (let i = 14; i < closes.length; i++) {
      expect(Math.abs(readings[i]!.rsi! - want[i - 14]!), `RSI at candle ${i}`).toBeLessThanOrEqual(0.01);
    }
  });

  it('gives exactly the values of the library’s whole-series calculate at every candle', () => {
    const closes = fixedSeries(300);
    const readings = feed(closes);
    const rsi = RSI.calculate({ period: INDICATOR_PARAMS.rsiPeriod, values: closes });
    const macd = MACD.calculate({
      values: closes,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    const bands = BollingerBands.calculate({ period: 20, stdDev: 2, values: closes });
    // Outputs are end-aligned: output i belongs to candle i + (n − length).
    rsi.forEach((v, i) => expect(readings[i + 300 - rsi.length]!.rsi).toBe(v));
    macd.forEach((v, i) => {
      const r = readings[i + 300 - macd.length]!;
      expect(r.macd!.macd).toBe(v.MACD);
      expect(r.macd!.histogram).toBe(v.histogram);
      if (i > 0) expect(r.prevHistogram).toBe(macd[i - 1]!.histogram);
    });
    bands.forEach((v, i) => expect(readings[i + 300 - bands.length]!.bands!.upper).toBe(v.upper));
  });

  it('MACD(12,26,9) on a linear ramp: MACD = signal = 7, histogram 0, first histogram at candle 33', () => {
    // EMAs of a ramp lag by (period − 1)/2 once seeded with an SMA: 12.5 − 5.5 = 7 exactly.
    const readings = feed(Array.from({ length: 100 }, (_, i) => 100 + i));
    expect(readings[24]!.macd, 'first MACD at candle 25').toBeUndefined();
    expect(readings[25]!.macd!.macd).toBeCloseTo(7, 9);
    expect(readings[32]!.macd!.histogram, 'signal warm-up has no histogram').toBeUndefined();
    expect(readings[33]!.macd!.histogram).toBeCloseTo(0, 9);
    expect(readings[33]!.prevHistogram, 'no histogram one candle earlier').toBeUndefined();
    expect(readings[34]!.prevHistogram).toBeCloseTo(0, 9);
    const last = readings.at(-1)!.macd!;
    expect(last.macd).toBeCloseTo(7, 9);
    expect(last.signal!).toBeCloseTo(7, 9);
  });

  it('Bollinger(20,2) on a linear ramp: middle = last − 9.5, width = 2·sqrt(399/12)', () => {
    const readings = feed(Array.from({ length: 60 }, (_, i) => 10 + i));
    expect(readings[18]!.bands).toBeUndefined();
    expect(readings[19]!.bands).toBeDefined();
    const last = readings.at(-1)!.bands!;
    const sd = Math.sqrt(399 / 12); // population SD of 20 consecutive integers
    expect(last.middle).toBeCloseTo(69 - 9.5, 9);
    expect(last.upper).toBeCloseTo(69 - 9.5 + 2 * sd, 9);
    expect(last.lower).toBeCloseTo(69 - 9.5 - 2 * sd, 9);
  });

  it('refuses a candle fed twice or out of order, and keeps its reading', () => {
    const stream = new IndicatorStream();
    stream.push(2 * I, 1);
    expect(() => stream.push(2 * I, 1)).toThrow(/fed after/);
    expect(() => stream.push(I, 1)).toThrow(/fed after/);
    expect(stream.reading).toMatchObject({ openTime: 2 * I, fed: 1 });
  });
});
