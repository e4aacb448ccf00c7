import { describe, expect, it } from 'vitest';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { createStrategies, KlineCache, type ScannerDefinition } from '../../src/strategies/index.js';
import { snap, testSettings } from '../helpers/strategySnapshot.js';

describe('createStrategies', () => {
  it('creates the six strategies in STRATEGY_IDS order, only the scanner with prepare', () => {
    const all = createStrategies();
    expect(all.map((s) => s.id)).toEqual([...STRATEGY_IDS]);
    expect(all.filter((s) => s.prepare).map((s) => s.id)).toEqual(['scanner']);
    // Only the scanner reads every symbol's 24 h ticker; accumulate needs the core markets' volumes.
    expect(all.filter((s) => s.needs.tickers).map((s) => s.id)).toEqual(['scanner']);
    expect(all.filter((s) => s.needs.coreVolumes).map((s) => s.id)).toEqual(['accumulate']);
  });

  it('keeps the given kline cache in the scanner', () => {
    const klineCache = new KlineCache();
    const scanner = createStrategies({ klineCache }).find((s) => s.id === 'scanner') as ScannerDefinition;
    expect(scanner.klineCache).toBe(klineCache);
  });

  it('every strategy refuses to act while paused, with a note', () => {
    const settings = testSettings({ paused: 'on' });
    for (const s of createStrategies()) {
      if (s.id === 'scanner') continue; // needs prepared klines; covered in scanner.test.ts
      const d = s.decide({ snapshot: snap().balance('USDC', '1000').build(), settings, extra: undefined });
      expect(d.intents, s.id).toHaveLength(0);
      expect(d.notes[0], s.id).toContain('paused');
    }
  });
});
