/**
 * Thin adapter over `technicalindicators` that maps each output back
 * to the candle it belongs to.
 *
 * The library's outputs are shorter than the input and aligned to its END: output index `i`
 * belongs to input index `i + (n − out.length)`. Every indicator call in the project goes
 * through this file so that alignment is done once, here.
 *
 * Indicators operate on JavaScript numbers because the library is number-based. That is
 * acceptable only because indicator values are signals, never money: closes and volumes are
 * converted with `Decimal.toNumber()` in {@link closesOf}/{@link volumesOf} and nowhere else,
 * and no indicator value ever flows back into a price, quantity or amount.
 */
import { BollingerBands, MACD, RSI } from 'technicalindicators';
import type { Candle } from '../market.js';

/** An indicator value stamped with the open time of the candle it was computed at. */
export interface TimedValue<T> {
  readonly openTime: number;
  readonly value: T;
}

/** MACD at one candle; the signal and histogram appear once the signal line has warmed up. */
export interface MacdValue {
  readonly macd: number;
  /** Absent during the signal line's warm-up. */
  readonly signal?: number;
  readonly histogram?: number;
}

/** Bollinger bands at one candle. */
export interface BandsValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

/** The one Decimal → number boundary for prices: candle closes as numbers. */
// Each indicator asks for the closes of the same candle array; converting 250 decimals is most of
// an indicator's cost, so the numbers are kept per array (weakly: they go with the candles).
const closesByCandles = new WeakMap<readonly Candle[], readonly number[]>();

/** The candles' closes as plain numbers for the indicator library, computed once per candle array. */
export function closesOf(candles: readonly Candle[]): number[] {
  let closes = closesByCandles.get(candles);
  if (closes === undefined) {
    closes = candles.map((c) => c.close.toNumber());
    closesByCandles.set(candles, closes);
  }
  // A copy: the indicator library takes mutable arrays.
  return closes.slice();
}

/** The one Decimal → number boundary for volumes: base volumes as numbers. */
export function volumesOf(candles: readonly Candle[]): number[] {
  return candles.map((c) => c.volume.toNumber());
}

/**
 * Stamps end-aligned indicator outputs with their candles' open times. Throws when the library
 * returned more values than candles, which would mean the alignment assumption broke.
 */
export function alignToCandles<T>(candles: readonly Candle[], outputs: readonly T[]): TimedValue<T>[] {
  const offset = candles.length - outputs.length;
  if (offset < 0) {
    throw new RangeError(`indicator returned ${outputs.length} values for ${candles.length} candles`);
  }
  return outputs.map((value, i) => ({ openTime: candles[i + offset]!.openTime, value }));
}

/** RSI (Wilder), hard-rounded to 2 decimals by the library; n − period values. */
export function rsiSeries(candles: readonly Candle[], period: number): TimedValue<number>[] {
  return alignToCandles(candles, RSI.calculate({ period, values: closesOf(candles) }));
}

/**
 * Classic EMA MACD (both `SimpleMA*` flags false, EMAs seeded with an SMA like TA-Lib);
 * n − slow + 1 values, the first `signal − 1` without signal and histogram.
 */
export function macdSeries(
  candles: readonly Candle[],
  periods: { readonly fast: number; readonly slow: number; readonly signal: number },
): TimedValue<MacdValue>[] {
  const raw = MACD.calculate({
    values: closesOf(candles),
    fastPeriod: periods.fast,
    slowPeriod: periods.slow,
    signalPeriod: periods.signal,
    SimpleMAOscillator: false,
    SimpleMASignal: false,
  });
  return alignToCandles(
    candles,
    raw.map((o) => ({
      macd: o.MACD ?? Number.NaN,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
      ...(o.histogram === undefined ? {} : { histogram: o.histogram }),
    })),
  );
}

/** Bollinger bands on closes; n − period + 1 values. */
export function bollingerSeries(
  candles: readonly Candle[],
  options: { readonly period: number; readonly stdDev: number },
): TimedValue<BandsValue>[] {
  const raw = BollingerBands.calculate({
    period: options.period,
    stdDev: options.stdDev,
    values: closesOf(candles),
  });
  return alignToCandles(
    candles,
    raw.map((o) => ({ upper: o.upper, middle: o.middle, lower: o.lower })),
  );
}
