import { describe, expect, it } from 'vitest';
import { sliceSeries } from '../../../src/domain/indicators/index.js';
import type { ScanVerdict } from '../../../src/domain/scan.js';
import { analyseSymbol, verdictSummary } from '../../../src/strategies/scanner/analyseSymbol.js';
import { KlineCache, type SymbolSeries } from '../../../src/strategies/scanner/KlineCache.js';
import type { UniverseEntry } from '../../../src/strategies/scanner/universe.js';
import {
  calmSeries,
  dipSeries,
  I15,
  RecordingKlineSource,
  type SeriesFn,
} from '../../helpers/klineSource.js';
import { snap, T0, testSettings } from '../../helpers/strategySnapshot.js';

async function seriesOf(series: SeriesFn): Promise<SymbolSeries> {
  const source = new RecordingKlineSource({ now: T0, series: { X: series } });
  const r = await new KlineCache().refresh({ source, symbols: ['X'], limit: 250, now: T0 });
  return r.series.get('X')!;
}

function entry(changeFraction = '0.05'): UniverseEntry {
  const t = snap()
    .ticker('XUSDT', { last: '1', quoteVolume: '9000000', changeFraction })
    .build()
    .tickers.get('XUSDT')!;
  return { symbol: 'XUSDT', baseAsset: 'X', quoteVolume: t.quoteVolume, lastPrice: t.lastPrice, ticker: t };
}

async function verdict(
  series: SeriesFn,
  changeFraction?: string,
  settings = testSettings(),
): Promise<ScanVerdict> {
  return analyseSymbol({ entry: entry(changeFraction), series: await seriesOf(series), now: T0, settings });
}

function gate(v: ScanVerdict, name: string) {
  const g = v.gates.find((x) => x.gate === name);
  expect(g, `gate ${name}`).toBeDefined();
  return g!;
}

describe('anti-hype filter', () => {
  it('a strong dip candidate passes every gate (baseline for the rejections below)', async () => {
    const v = await verdict(dipSeries(T0));
    expect(v.passed).toBe(true);
    expect(v.gates.filter((g) => !g.ok)).toEqual([]);
  });

  it('rejects a 24 h change above maxChange24hPct, reading the ticker change as a fraction', async () => {
    const v = await verdict(dipSeries(T0), '0.25');
    expect(v.passed).toBe(false);
    expect(gate(v, '24 h change')).toEqual({
      gate: '24 h change',
      ok: false,
      value: '25.00%',
      limit: '≤ 20.00%',
    });
    expect(verdictSummary(v)).toBe('XUSDT: 24 h change 25.00% vs ≤ 20.00%');
    const ok = await verdict(dipSeries(T0), '0.2');
    expect(gate(ok, '24 h change').ok, 'exactly 20% is allowed').toBe(true);
  });

  it('rejects a 1 h change above maxChange1hPct', async () => {
    const v = await verdict(calmSeries(T0, { lastClose: 1.07 }));
    expect(v.passed).toBe(false);
    const g = gate(v, '1 h change');
    expect(g.ok).toBe(false);
    expect(g.value).toMatch(/^6\.\d\d%$|^7\.\d\d%$/);
    expect(g.limit).toBe('≤ 6.00%');
  });

  it('rejects a volume spike above maxVolumeSpike', async () => {
    const v = await verdict(calmSeries(T0, { lastVolume: 9000 }));
    expect(v.passed).toBe(false);
    expect(gate(v, 'volume spike')).toEqual({
      gate: 'volume spike',
      ok: false,
      value: '9.00×',
      limit: '≤ 8×',
    });
    expect(v.gates.filter((g) => !g.ok && !g.points && g.gate !== 'score').map((g) => g.gate)).toContain(
      'volume spike',
    );
  });

  it('rejects a close above the upper band even when the move is small', async () => {
    const v = await verdict(calmSeries(T0, { lastClose: 1.02 }));
    const g = gate(v, 'below upper band');
    expect(g.ok).toBe(false);
    expect(g.value).toBe('1.02');
    expect(gate(v, '1 h change').ok, 'a 2% move is not a 1 h pump').toBe(true);
  });

  it('a dip that scores 100 is still rejected when pumping: anti-hype overrides the score', async () => {
    const v = await verdict(dipSeries(T0, 20_000));
    expect(v.score, 'the volume ratio still scores').toBe(100);
    expect(v.passed).toBe(false);
  });

  it('thresholds are live settings', async () => {
    const v = await verdict(
      calmSeries(T0, { lastVolume: 9000 }),
      undefined,
      testSettings({ 'scanner.maxVolumeSpike': '10' }),
    );
    expect(gate(v, 'volume spike').ok).toBe(true);
  });
});

describe('history gate', () => {
  it('too little history is a verdict, not garbage numbers', async () => {
    const full = await seriesOf(dipSeries(T0));
    const series: SymbolSeries = { candles: sliceSeries(full.candles, -60), indicators: full.indicators };
    const v = analyseSymbol({ entry: entry(), series, now: T0, settings: testSettings() });
    expect(v).toEqual({
      symbol: 'XUSDT',
      score: 0,
      passed: false,
      gates: [
        {
          gate: 'history',
          ok: false,
          value: 'not enough history: 59 candles, need 100',
          limit: '≥ 100 closed candles',
        },
      ],
    });
  });

  it('stale candles (the last closed one is not the previous quarter hour) are rejected', async () => {
    const series = await seriesOf(dipSeries(T0));
    const v = analyseSymbol({ entry: entry(), series, now: T0 + 2 * I15, settings: testSettings() });
    expect(v.passed).toBe(false);
    expect(v.gates[0]!.value).toMatch(/is stale$/);
  });

  it('a failed kline request is a verdict with the error', () => {
    const v = analyseSymbol({
      entry: entry(),
      series: undefined,
      failure: 'HTTP 503',
      now: T0,
      settings: testSettings(),
    });
    expect(v.gates[0]).toEqual({ gate: 'history', ok: false, value: 'klines unavailable: HTTP 503' });
  });
});
