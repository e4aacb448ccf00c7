/**
 * One candidate's verdict: history check, indicators, anti-hype gates and score, every gate
 * with its numbers. Pure: candles in, verdict out.
 */
import {
  DEFAULT_MIN_HISTORY,
  readIndicators,
  seriesLength,
  sliceSeries,
} from '../../domain/indicators/index.js';
import { INTERVAL_MS } from '../../domain/market.js';
import type { ScanGate, ScanVerdict } from '../../domain/scan.js';
import type { SettingsReader } from '../contract.js';
import { antiHypeGates } from './antiHype.js';
import { SCORE_GATES, scoreReading } from './score.js';
import type { SymbolSeries } from './KlineCache.js';
import type { UniverseEntry } from './universe.js';

/** Name of the verdict gate that needs enough candle history. */
export const HISTORY_GATE = 'history';
/** Name of the verdict gate that needs a high enough score. */
export const SCORE_GATE = 'score';

const I15 = INTERVAL_MS['15m'];

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function rejected(symbol: string, gate: ScanGate): ScanVerdict {
  return { symbol, score: 0, passed: false, gates: [gate] };
}

/**
 * Analyses closed 15-minute candles only: at a scan on the quarter hour the open candle is
 * seconds old, and its near-zero volume would make every volume ratio meaningless.
 */
export function analyseSymbol(input: {
  readonly entry: UniverseEntry;
  readonly series: SymbolSeries | undefined;
  readonly failure?: string;
  readonly now: number;
  readonly settings: SettingsReader;
}): ScanVerdict {
  const { entry, now, settings } = input;
  const symbol = entry.symbol;
  if (input.failure !== undefined || !input.series) {
    return rejected(symbol, {
      gate: HISTORY_GATE,
      ok: false,
      value: `klines unavailable: ${input.failure ?? 'none'}`,
    });
  }
  const { candles, indicators } = input.series;
  let closedCount = seriesLength(candles);
  while (closedCount > 0 && candles.openTimes[closedCount - 1]! + I15 > now) closedCount -= 1;
  const closed = sliceSeries(candles, 0, closedCount);
  const expectedLast = Math.floor(now / I15) * I15 - I15;
  const last = closedCount > 0 ? closed.openTimes[closedCount - 1]! : undefined;
  if (last !== undefined && last < expectedLast) {
    return rejected(symbol, {
      gate: HISTORY_GATE,
      ok: false,
      value: `last closed candle ${iso(last)} UTC is stale`,
      limit: `${iso(expectedLast)} UTC`,
    });
  }
  // The cache holds `klineLimit` candles including the open one, so at most klineLimit − 1 are closed.
  const minHistory = Math.min(DEFAULT_MIN_HISTORY, settings.get('scanner.klineLimit') - 1);
  const reading = readIndicators(closed, { minHistory, latest: indicators });
  if (!reading.ok) {
    return rejected(symbol, {
      gate: HISTORY_GATE,
      ok: false,
      value: reading.reason,
      limit: `≥ ${reading.need} closed candles`,
    });
  }
  const historyGate: ScanGate = {
    gate: HISTORY_GATE,
    ok: true,
    value: `${reading.candles} closed candles`,
    limit: `≥ ${minHistory}`,
  };
  const hype = antiHypeGates(
    {
      change24hFraction: entry.ticker.priceChangeFraction,
      change1hPct: reading.change1hPct,
      volumeRatio: reading.volumeRatio,
      close: reading.close,
      upperBand: reading.bands.upper,
    },
    {
      maxChange24hPct: settings.get('scanner.maxChange24hPct'),
      maxChange1hPct: settings.get('scanner.maxChange1hPct'),
      maxVolumeSpike: settings.get('scanner.maxVolumeSpike'),
    },
  );
  const { score, gates } = scoreReading(reading, {
    rsiBuyMax: settings.get('scanner.rsiBuyMax'),
    minVolumeRatio: settings.get('scanner.minVolumeRatio'),
  });
  const minScore = settings.get('scanner.minScore');
  const scoreGate: ScanGate = {
    gate: SCORE_GATE,
    ok: score >= minScore,
    value: String(score),
    limit: `≥ ${minScore}`,
  };
  const passed = hype.every((g) => g.ok) && scoreGate.ok;
  return { symbol, score, passed, gates: [historyGate, ...hype, ...gates, scoreGate] };
}

/** The first failing gate of a verdict, as a short sentence for notes and reports. */
export function verdictSummary(verdict: ScanVerdict): string {
  // Score components that earned no points are not failures; only rejections and the total are.
  const components: readonly string[] = Object.values(SCORE_GATES);
  const failed = verdict.gates.find((g) => !g.ok && !components.includes(g.gate));
  if (!failed) return `${verdict.symbol} score ${verdict.score}`;
  const numbers = [failed.value, failed.limit].filter((x) => x !== undefined).join(' vs ');
  return `${verdict.symbol}: ${failed.gate} ${numbers}`;
}
