/**
 * The anti-hype filter: a candidate is rejected when it is already pumping,
 * whatever its score. Each check is a gate with its measured value and limit, kept for `/why`.
 */
import type { Decimal } from '../../domain/money.js';
import type { ScanGate } from '../../domain/scan.js';
import { formatNumber, formatPercent } from '../../domain/format.js';

/** The names the anti-hype checks carry in a verdict. */
export const ANTI_HYPE_GATES = {
  change24h: '24 h change',
  change1h: '1 h change',
  volumeSpike: 'volume spike',
  upperBand: 'below upper band',
} as const;

/** The recent price changes and volume spike of one symbol. */
export interface AntiHypeInput {
  /** The 24 h ticker's change as a FRACTION (MEXC sends 0.0455 for 4.55 %). */
  readonly change24hFraction: Decimal;
  readonly change1hPct: number;
  readonly volumeRatio: number;
  readonly close: number;
  readonly upperBand: number;
}

/** How much recent rise and volume spike a candidate may show before it counts as already pumping. */
export interface AntiHypeLimits {
  readonly maxChange24hPct: Decimal;
  readonly maxChange1hPct: Decimal;
  readonly maxVolumeSpike: Decimal;
}

/** The four anti-hype gates; the candidate passes only when every gate is ok. */
export function antiHypeGates(input: AntiHypeInput, limits: AntiHypeLimits): ScanGate[] {
  const change24hPct = input.change24hFraction.times(100);
  return [
    {
      gate: ANTI_HYPE_GATES.change24h,
      ok: change24hPct.lessThanOrEqualTo(limits.maxChange24hPct),
      value: formatPercent(change24hPct),
      limit: `≤ ${formatPercent(limits.maxChange24hPct)}`,
    },
    {
      gate: ANTI_HYPE_GATES.change1h,
      // Signals are numbers (see domain/indicators); the threshold is converted, not the money.
      ok: input.change1hPct <= limits.maxChange1hPct.toNumber(),
      value: formatPercent(input.change1hPct),
      limit: `≤ ${formatPercent(limits.maxChange1hPct)}`,
    },
    {
      gate: ANTI_HYPE_GATES.volumeSpike,
      ok: input.volumeRatio <= limits.maxVolumeSpike.toNumber(),
      value: `${Number.isFinite(input.volumeRatio) ? input.volumeRatio.toFixed(2) : '∞'}×`,
      limit: `≤ ${formatNumber(limits.maxVolumeSpike)}×`,
    },
    {
      gate: ANTI_HYPE_GATES.upperBand,
      ok: input.close <= input.upperBand,
      value: formatNumber(input.close),
      limit: `≤ ${formatNumber(input.upperBand)}`,
    },
  ];
}
