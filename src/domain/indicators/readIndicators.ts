/**
 * The scanner's indicator reading of one symbol: the latest RSI(14), MACD(12,26,9) with the
 * previous histogram, Bollinger(20,2), the volume ratio and the 1 h change, all at the last
 * candle given. Pure; numbers are signals, never money (see alignedSeries.ts).
 */
import type { Candle } from '../market.js';
import { INTERVAL_MS } from '../market.js';
import {
  bollingerSeries,
  closesOf,
  macdSeries,
  rsiSeries,
  volumesOf,
  type BandsValue,
} from './alignedSeries.js';

/** The periods the scanner's indicators use; also how much history a reading needs. */
export const INDICATOR_PARAMS = {
  rsiPeriod: 14,
  macd: { fast: 12, slow: 26, signal: 9 },
  bollinger: { period: 20, stdDev: 2 },
  /** The volume ratio compares the last candle with the mean of this many before it. */
  volumeLookback: 20,
} as const;

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
export function volumeRatio(volumes: readonly number[], lookback: number): number | undefined {
  if (volumes.length < lookback + 1) return undefined;
  const last = volumes[volumes.length - 1]!;
  const previous = volumes.slice(-(lookback + 1), -1);
  const mean = previous.reduce((a, b) => a + b, 0) / lookback;
  if (mean === 0) return last === 0 ? 0 : Number.POSITIVE_INFINITY;
  return last / mean;
}

/**
 * Percentage change of the last close against the close `windowMs` earlier, from candles of
 * one interval. Returns undefined when the history is too short or the reference close is 0.
 */
export function changePct(
  candles: readonly Candle[],
  options: { readonly windowMs: number; readonly intervalMs: number },
): number | undefined {
  const steps = Math.round(options.windowMs / options.intervalMs);
  if (candles.length < steps + 1) return undefined;
  const closes = closesOf(candles.slice(-(steps + 1)));
  const ref = closes[0]!;
  if (ref === 0) return undefined;
  return (closes[steps]! / ref - 1) * 100;
}

/**
 * Reads every scanner indicator at the last of `candles` (15-minute candles, oldest first,
 * gap-free). Too short a history gives `{ ok: false, reason: 'not enough history: …' }`.
 */
export function readIndicators(
  candles: readonly Candle[],
  options: { readonly minHistory?: number } = {},
): IndicatorReading {
  const need = Math.max(options.minHistory ?? DEFAULT_MIN_HISTORY, MIN_CANDLES_FOR_VALUES);
  if (candles.length < need) return notEnough(candles.length, need);

  const last = candles[candles.length - 1]!;
  const rsi = rsiSeries(candles, INDICATOR_PARAMS.rsiPeriod).at(-1);
  const macd = macdSeries(candles, INDICATOR_PARAMS.macd);
  const now = macd.at(-1);
  const prev = macd.at(-2);
  const bands = bollingerSeries(candles, INDICATOR_PARAMS.bollinger).at(-1);
  const ratio = volumeRatio(volumesOf(candles), INDICATOR_PARAMS.volumeLookback);
  const change1hPct = changePct(candles, { windowMs: 3_600_000, intervalMs: INTERVAL_MS['15m'] });

  // Each lookup is aligned to the last candle by construction; a missing one means the input
  // was shorter than the warm-up, which `need` already excludes; kept as a guard, not a path.
  if (
    rsi === undefined ||
    now?.value.histogram === undefined ||
    now.value.signal === undefined ||
    prev?.value.histogram === undefined ||
    bands === undefined ||
    ratio === undefined ||
    change1hPct === undefined ||
    now.openTime !== last.openTime ||
    rsi.openTime !== last.openTime ||
    bands.openTime !== last.openTime
  ) {
    return notEnough(candles.length, need, 'candles (indicator warm-up)');
  }

  return {
    ok: true,
    openTime: last.openTime,
    close: last.close.toNumber(),
    rsi: rsi.value,
    macd: { macd: now.value.macd, signal: now.value.signal, histogram: now.value.histogram },
    prevHistogram: prev.value.histogram,
    bands: bands.value,
    volumeRatio: ratio,
    change1hPct,
    candles: candles.length,
  };
}
