import { describe, expect, it } from 'vitest';
import type { Candle } from '../../src/domain/market.js';
import { CandleRepository } from '../../src/persistence/CandleRepository.js';
import { testDb } from '../helpers/testDb.js';

const MINUTE = 60_000;

function candles(from: number, count: number, width = MINUTE): Candle[] {
  return Array.from({ length: count }, (_, i) => ({
    openTime: from + i * width,
    open: '1',
    high: '1.1',
    low: '0.9',
    close: '1',
    volume: '10',
    quoteVolume: '10',
    closeTime: from + (i + 1) * width - 1,
  }));
}

describe('CandleRepository.symbols', () => {
  it('lists, in order, the symbols with a candle of that width opening in the span, and no other', () => {
    const store = new CandleRepository(testDb());
    store.keep('SOLUSDT', '1m', candles(0, 10));
    store.keep('ADAUSDT', '1m', candles(5 * MINUTE, 10));
    store.keep('XRPUSDT', '1m', candles(100 * MINUTE, 10)); // after the span
    store.keep('BTCUSDC', '15m', candles(0, 4, 15 * MINUTE)); // another width
    store.keep('AAAUSDT', '1m', candles(0, 1)); // before the span only
    expect(store.symbols('1m', MINUTE, 20 * MINUTE)).toEqual(['ADAUSDT', 'SOLUSDT']);
    expect(store.symbols('15m', 0, 60 * MINUTE)).toEqual(['BTCUSDC']);
    expect(store.symbols('1m', 200 * MINUTE, 300 * MINUTE)).toEqual([]);
    expect(new CandleRepository(testDb()).symbols('1m', 0, MINUTE), 'an empty store').toEqual([]);
  });
});
