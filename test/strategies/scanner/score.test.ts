import { describe, expect, it } from 'vitest';
import type { IndicatorValues } from '../../../src/domain/indicators/index.js';
import { dec } from '../../../src/domain/money.js';
import { scoreReading } from '../../../src/strategies/scanner/score.js';

const limits = { rsiBuyMax: dec('40'), minVolumeRatio: dec('1.5') };

function reading(p: Partial<IndicatorValues> = {}): IndicatorValues {
  return {
    openTime: 0,
    close: 1.0,
    rsi: 35,
    macd: { macd: -0.001, signal: -0.0012, histogram: 0.0002 },
    prevHistogram: -0.0001,
    bands: { upper: 1.1, middle: 1.02, lower: 0.95 },
    volumeRatio: 1.8,
    change1hPct: 0.5,
    candles: 249,
    ...p,
  };
}

describe('scanner score', () => {
  it('all four signals score 100, each gate with its value, limit and points', () => {
    const { score, gates } = scoreReading(reading(), limits);
    expect(score).toBe(100);
    expect(gates).toEqual([
      { gate: 'RSI buy zone', ok: true, value: '35.00', limit: '≤ 40', points: 25 },
      { gate: 'MACD histogram', ok: true, value: '-0.0001 → 0.0002', limit: 'crossed zero', points: 25 },
      { gate: 'lower half of bands', ok: true, value: '1', limit: '0.95 … 1.02', points: 25 },
      { gate: 'volume ratio', ok: true, value: '1.80×', limit: '≥ 1.5×', points: 25 },
    ]);
  });

  it('thresholds are inclusive: RSI = rsiBuyMax, volume ratio = minVolumeRatio, close = middle', () => {
    const { score } = scoreReading(reading({ rsi: 40, volumeRatio: 1.5, close: 1.02 }), limits);
    expect(score).toBe(100);
  });

  it('just outside each threshold loses that signal’s points', () => {
    expect(scoreReading(reading({ rsi: 40.01 }), limits).score).toBe(75);
    expect(scoreReading(reading({ volumeRatio: 1.49 }), limits).score).toBe(75);
    expect(scoreReading(reading({ close: 1.03 }), limits).score, 'above the middle band').toBe(75);
    expect(scoreReading(reading({ close: 0.94 }), limits).score, 'below the lower band').toBe(75);
  });

  it('MACD: 15 points when rising while near zero (|h| ≤ 0.05% of close), none when far or falling', () => {
    const near = scoreReading(
      reading({ prevHistogram: -0.0004, macd: { macd: 0, signal: 0, histogram: -0.0003 } }),
      limits,
    );
    expect(near.score).toBe(90);
    expect(near.gates[1]).toMatchObject({ ok: true, points: 15 });
    expect(near.gates[1]!.limit).toMatch(/^rising near zero/);
    const far = scoreReading(
      reading({ prevHistogram: -0.004, macd: { macd: 0, signal: 0, histogram: -0.003 } }),
      limits,
    );
    expect(far.gates[1]).toMatchObject({ ok: false, points: 0, limit: 'rising but not near zero' });
    const falling = scoreReading(
      reading({ prevHistogram: 0.0002, macd: { macd: 0, signal: 0, histogram: 0.0001 } }),
      limits,
    );
    expect(falling.gates[1]).toMatchObject({ ok: false, points: 0, limit: 'not rising' });
  });

  it('a crossing from exactly zero counts as a crossing', () => {
    const r = scoreReading(
      reading({ prevHistogram: 0, macd: { macd: 0, signal: 0, histogram: 0.5 } }),
      limits,
    );
    expect(r.gates[1]).toMatchObject({ limit: 'crossed zero', points: 25 });
  });
});
