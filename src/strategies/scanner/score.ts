/**
 * The scanner's score, 0–100 from four signals worth 25 points each:
 * - RSI(14) at or below `rsiBuyMax` (oversold side);
 * - MACD histogram rising through zero: 25 for a crossing (previous ≤ 0 < now); 15 when it
 *   is rising and still near zero, meaning |histogram| ≤ 0.05 % of the close — momentum is
 *   turning but has not crossed yet, or crossed a candle earlier;
 * - close between the lower Bollinger band and the middle (a dip, not a breakout);
 * - volume ratio at or above `minVolumeRatio` (interest is rising).
 * With the default `minScore` 60 a buy needs three full signals, or two plus a rising MACD.
 */
import type { Decimal } from '../../domain/money.js';
import type { IndicatorValues } from '../../domain/indicators/index.js';
import type { ScanGate } from '../../domain/scan.js';
import { formatNumber } from '../../domain/format.js';

/** What each signal adds to the score. */
export const SCORE_POINTS = { rsi: 25, macdCross: 25, macdRising: 15, bollinger: 25, volume: 25 } as const;

/** "Near zero" for the MACD histogram, as a fraction of the close (price-scale independent). */
export const MACD_NEAR_ZERO_FRACTION = 0.0005;

/** The names the score's signals carry in a verdict. */
export const SCORE_GATES = {
  rsi: 'RSI buy zone',
  macd: 'MACD histogram',
  bollinger: 'lower half of bands',
  volume: 'volume ratio',
} as const;

/** The owner's thresholds the score applies: the RSI buy zone and the minimum volume ratio. */
export interface ScoreLimits {
  readonly rsiBuyMax: Decimal;
  readonly minVolumeRatio: Decimal;
}

function signal(value: number): string {
  return formatNumber(Number(value.toPrecision(4)));
}

/** Scores a reading; every gate carries its value, limit and points. */
export function scoreReading(
  reading: IndicatorValues,
  limits: ScoreLimits,
): { readonly score: number; readonly gates: readonly ScanGate[] } {
  const rsiOk = reading.rsi <= limits.rsiBuyMax.toNumber();

  const hist = reading.macd.histogram;
  const prev = reading.prevHistogram;
  const crossed = prev <= 0 && hist > 0;
  const nearZero = Math.abs(hist) <= Math.abs(reading.close) * MACD_NEAR_ZERO_FRACTION;
  const rising = hist > prev;
  const macdPoints = crossed ? SCORE_POINTS.macdCross : rising && nearZero ? SCORE_POINTS.macdRising : 0;
  const macdLimit = crossed
    ? 'crossed zero'
    : rising && nearZero
      ? `rising near zero (|h| ≤ ${signal(Math.abs(reading.close) * MACD_NEAR_ZERO_FRACTION)})`
      : rising
        ? 'rising but not near zero'
        : 'not rising';

  const { lower, middle } = reading.bands;
  const bandOk = reading.close >= lower && reading.close <= middle;
  const volumeOk = reading.volumeRatio >= limits.minVolumeRatio.toNumber();

  const gates: ScanGate[] = [
    {
      gate: SCORE_GATES.rsi,
      ok: rsiOk,
      value: reading.rsi.toFixed(2),
      limit: `≤ ${formatNumber(limits.rsiBuyMax)}`,
      points: rsiOk ? SCORE_POINTS.rsi : 0,
    },
    {
      gate: SCORE_GATES.macd,
      ok: macdPoints > 0,
      value: `${signal(prev)} → ${signal(hist)}`,
      limit: macdLimit,
      points: macdPoints,
    },
    {
      gate: SCORE_GATES.bollinger,
      ok: bandOk,
      value: formatNumber(reading.close),
      limit: `${signal(lower)} … ${signal(middle)}`,
      points: bandOk ? SCORE_POINTS.bollinger : 0,
    },
    {
      gate: SCORE_GATES.volume,
      ok: volumeOk,
      value: `${Number.isFinite(reading.volumeRatio) ? reading.volumeRatio.toFixed(2) : '∞'}×`,
      limit: `≥ ${formatNumber(limits.minVolumeRatio)}×`,
      points: volumeOk ? SCORE_POINTS.volume : 0,
    },
  ];
  const score = gates.reduce((sum, g) => sum + (g.points ?? 0), 0);
  return { score, gates };
}
