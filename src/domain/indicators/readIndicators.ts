/**
 * The scanner's indicator reading of one symbol: the latest RSI(14), MACD(12,26,9) with the
 * previous histogram, Bollinger(20,2), the volume ratio and the 1 h change, all at the last
 * candle given. Pure; numbers are signals, never money (see candleSeries.ts).
 */
import { INTERVAL_MS } from '../market.js';
import { seriesLength, type CandleSeries } from './candleSeries.js';
import { INDICATOR_PARAMS, IndicatorStream, type BandsValue, type StreamReading } from './indicatorStream.js';

/**
 * The fewest candles that yield every value at all: the MACD histogram appears at candle
 * slow + signal − 1 and we need two of them (now and previous).
 */
export const MIN_CANDLES_FOR_VALUES = INDICATOR_PARAMS.macd.slow + INDICATOR_PARAMS.macd.signal;

/**
 * The default history required before a reading is trusted. Fewer candles give numbers that are still warming
 * up (RSI(14) on 30 candles differs from the settled value by ~5 points), so they are refused as "not enough
 * history" instead of returned.
 */
export const DEFAULT_MIN_HISTORY = 100;

/** The scanner's signals at the last candle given: RSI, MACD, Bollinger, volume ratio and 1 h change. */
export interface IndicatorValues {
  /** Open time of the candle the reading is for (the last one given). */
  readonly openTime: number;
  readonly close: number;
  readonly rsi: number;
  readonly macd: { readonly macd: number; readonly signal: number; readonly histogram: number };
  /** The histogram one candle earlier, to tell rising from falling and zero crossings. */
  readonly prevHistogram: number;
  readonly bands: BandsValue;
  /** Last candle's volume / mean volume of the previous 20; Infinity when those were all zero. */
  readonly volumeRatio: number;
  /** Change of the close over the last hour (four 15-minute candles), in percent. */
  readonly change1hPct: number;
  readonly candles: number;
}

/** A reading, or why there is not enough history for one (with how much there is and how much is needed). */
export type IndicatorReading =
  | ({ readonly ok: true } & IndicatorValues)
  | { readonly ok: false; readonly reason: string; readonly have: number; readonly need: number };

function notEnough(have: number, need: number, what = 'candles'): IndicatorReading {
  return { ok: false, reason: `not enough history: ${have} ${what}, need ${need}`, have, need };
}

/**
 * Mean-based volume ratio of the last value against the `lookback` values before it.
 * Returns undefined when there are not enough values.
 */
export function volumeRatio(volumes: ArrayLike<number>, lookback: number): number | undefined {
  const n = volumes.length;
  if (n < lookback + 1) return undefined;
  const last = volumes[n - 1]!;
  // Summed oldest first, as a reduce over the window would.
  let sum = 0;
  for (let i = n - 1 - lookback; i < n - 1; i += 1) sum += volumes[i]!;
  const mean = sum / lookback;
  if (mean === 0) return last === 0 ? 0 : Number.POSITIVE_INFINITY;
  return last / mean;
}

/**
 * Percentage change of the last close against the close `windowMs` earlier, from candles of
 * one interval. Returns undefined when the history is too short or the reference close is 0.
 */
export function changePct(
  series: CandleSeries,
  options: { readonly windowMs: number; readonly intervalMs: number },
): number | undefined {
  const steps = Math.round(options.windowMs / options.intervalMs);
  const n = seriesLength(series);
  if (n < steps + 1) return undefined;
  const ref = series.closes[n - 1 - steps]!;
  if (ref === 0) return undefined;
  return (series.closes[n - 1]! / ref - 1) * 100;
}

/** A stream fed every candle of `series`: the reading of a symbol seen for the first time. */
export function streamOver(series: CandleSeries): IndicatorStream {
  const stream = new IndicatorStream();
  for (let i = 0; i < seriesLength(series); i += 1) stream.push(series.openTimes[i]!, series.closes[i]!);
  return stream;
}

/**
 * Reads every scanner indicator at the last candle of `series` (15-minute candles, oldest
 * first, gap-free). `latest` is the reading of a stream kept between scans, which must have
 * reached that candle; without it a stream is fed the whole series here. Too short a history
 * gives `{ ok: false, reason: 'not enough history: …' }`.
 */
export function readIndicators(
  series: CandleSeries,
  options: { readonly minHistory?: number; readonly latest?: StreamReading } = {},
): IndicatorReading {
  const n = seriesLength(series);
  const need = Math.max(options.minHistory ?? DEFAULT_MIN_HISTORY, MIN_CANDLES_FOR_VALUES);
  if (n < need) return notEnough(n, need);

  const lastOpenTime = series.openTimes[n - 1]!;
  const latest = options.latest ?? streamOver(series).reading;
  if (latest.openTime !== lastOpenTime) {
    throw new RangeError(
      `indicator stream is at candle ${latest.openTime}, the series ends at ${lastOpenTime}`,
    );
  }
  const { rsi, macd, prevHistogram, bands } = latest;
  const ratio = volumeRatio(series.volumes, INDICATOR_PARAMS.volumeLookback);
  const change1hPct = changePct(series, { windowMs: 3_600_000, intervalMs: INTERVAL_MS['15m'] });

  // A missing value means the stream is still warming up, which `need` already excludes for a
  // stream fed this series; kept as a guard, not a path.
  if (
    rsi === undefined ||
    macd?.histogram === undefined ||
    macd.signal === undefined ||
    prevHistogram === undefined ||
    bands === undefined ||
    ratio === undefined ||
    change1hPct === undefined
  ) {
    return notEnough(n, need, 'candles (indicator warm-up)');
  }

  return {
    ok: true,
    openTime: lastOpenTime,
    close: series.closes[n - 1]!,
    rsi,
    macd: { macd: macd.macd, signal: macd.signal, histogram: macd.histogram },
    prevHistogram,
    bands,
    volumeRatio: ratio,
    change1hPct,
    candles: n,
  };
}
