/**
 * The what-if runner of a running bot on the simulator: both values replayed in a child process
 * over candles fetched through the market into the candle store, an answer with both columns, a
 * chart and the assumptions, and the live settings untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandleRepository } from '../../src/persistence/CandleRepository.js';
import type { WhatIfResult } from '../../src/replay/whatIf.js';
import { HOUR, MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;
let result: WhatIfResult;
const progress: { fraction: number; label: string }[] = [];
let historyBefore = 0;
let wallMs = 0;

beforeAll(async () => {
  h = await startRuntimeHarness({ altcoins: 20, settings: { 'scanner.minScore': '50' } });
  await h.advance(2 * HOUR, MINUTE);
  historyBefore = h.runtime.settings.history().length;
  const t0 = Date.now();
  result = await h.runtime.whatIf.run(
    { key: 'scanner.minScore', proposed: '70', days: 1 },
    (fraction, label) => progress.push({ fraction, label }),
  );
  wallMs = Date.now() - t0;
}, 300_000);

afterAll(async () => {
  await h?.stop();
});

describe('what-if on a running bot', () => {
  it('answers with both columns for the setting’s strategy over the span', () => {
    console.log(
      `what-if of one day: ${wallMs} ms`,
      JSON.stringify({ ...result, chartPng: result.chartPng?.length }),
    );
    expect(result.key).toBe('scanner.minScore');
    expect(result.strategy).toBe('scanner');
    expect(result.current.value).toBe('50');
    expect(result.proposed.value).toBe('70');
    expect(result.toMs).toBe(Math.floor(h.now() / MINUTE) * MINUTE);
    expect(result.fromMs).toBeGreaterThanOrEqual(result.toMs - 24 * HOUR);
    for (const column of [result.current, result.proposed]) {
      expect(Number(column.endValueUsdc)).toBeGreaterThan(0);
      expect(Number.isFinite(Number(column.realisedUsdc))).toBe(true);
    }
    expect(result.chartPng?.length ?? 0, 'a chart of both lines').toBeGreaterThan(1000);
    expect(result.assumptions.length).toBeGreaterThan(2);
  });

  it('reports progress up to done', () => {
    expect(progress.at(-1)).toEqual({ fraction: 1, label: 'done' });
    expect(progress.some((p) => p.label.startsWith('replaying the proposed'))).toBe(true);
  });

  it('keeps the replay’s candles and leaves the live settings alone', () => {
    expect(h.runtime.settings.get('scanner.minScore')).toBe(50);
    expect(h.runtime.settings.history().length).toBe(historyBefore);
    const store = new CandleRepository(h.runtime.db);
    expect(store.coverage('BTCUSDC', '1m', result.fromMs, result.toMs).count).toBeGreaterThan(60);
  });

  it('refuses a value the setting does not accept, naming it', async () => {
    await expect(h.runtime.whatIf.run({ key: 'scanner.minScore', proposed: '500', days: 1 })).rejects.toThrow(
      /scanner\.minScore/,
    );
  });
});
