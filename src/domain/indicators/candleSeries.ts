/**
 * Candles as numbers for signals: open times, closes and base volumes in typed arrays, oldest
 * first. The scanner keeps hundreds of candles for each of ~80 symbols between scans; as
 * `Float64Array`s they cost 8 bytes a value and no garbage, where Decimal candles cost an
 * object per field.
 *
 * Numbers are acceptable here only because indicator inputs and outputs are signals, never
 * money: {@link candleSeriesOf} is the one place where candle decimals become numbers, and no
 * value derived from a series ever flows back into a price, quantity or amount.
 */
import type { Candle } from '../market.js';

/** Parallel typed arrays of one gap-free run of candles, oldest first; all three have one length. */
export interface CandleSeries {
  readonly openTimes: Float64Array;
  readonly closes: Float64Array;
  readonly volumes: Float64Array;
}

/** The one decimal text → number boundary for candles: closes and base volumes as numbers. */
export function candleSeriesOf(candles: readonly Candle[]): CandleSeries {
  const n = candles.length;
  const series = {
    openTimes: new Float64Array(n),
    closes: new Float64Array(n),
    volumes: new Float64Array(n),
  };
  for (let i = 0; i < n; i += 1) {
    const c = candles[i]!;
    series.openTimes[i] = c.openTime;
    series.closes[i] = Number(c.close);
    series.volumes[i] = Number(c.volume);
  }
  return series;
}

/** Candles `start` (inclusive) to `end` (exclusive) of a series, as views sharing its memory. */
export function sliceSeries(
  series: CandleSeries,
  start: number,
  end = series.openTimes.length,
): CandleSeries {
  const n = series.openTimes.length;
  const from = start < 0 ? Math.max(n + start, 0) : Math.min(start, n);
  const to = Math.max(from, end < 0 ? n + end : Math.min(end, n));
  return {
    openTimes: series.openTimes.subarray(from, to),
    closes: series.closes.subarray(from, to),
    volumes: series.volumes.subarray(from, to),
  };
}

/** Number of candles in a series. */
export function seriesLength(series: CandleSeries): number {
  return series.openTimes.length;
}
