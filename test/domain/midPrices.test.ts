/**
 * Mid prices of a market read: the one rule (mid of bid and ask, else the side quoted), computed
 * for a symbol when it is read, and the same map when iterated.
 */
import { describe, expect, it } from 'vitest';
import { midPrice, midPrices } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';

const tops = new Map([
  ['BTCUSDC', { bid: dec('60000'), ask: dec('60001') }],
  ['ETHUSDC', { bid: dec('0'), ask: dec('3000.5') }],
  ['DEADUSDT', { bid: dec('0'), ask: dec('0') }],
  ['SOLUSDT', { bid: dec('150.25'), ask: dec('0') }],
]);

describe('midPrices', () => {
  it('gives each symbol its midPrice, and nothing for a top without a price or an unknown symbol', () => {
    const prices = midPrices(tops);
    expect(prices.get('BTCUSDC')?.toFixed()).toBe('60000.5');
    expect(prices.get('ETHUSDC')?.toFixed(), 'only the ask quoted').toBe('3000.5');
    expect(prices.get('SOLUSDT')?.toFixed(), 'only the bid quoted').toBe('150.25');
    expect(prices.get('DEADUSDT')).toBeUndefined();
    expect(prices.has('DEADUSDT')).toBe(false);
    expect(prices.get('XYZUSDT')).toBeUndefined();
    expect(prices.has('BTCUSDC')).toBe(true);
    expect(prices.get('BTCUSDC'), 'computed once, the same value after').toBe(prices.get('BTCUSDC'));
  });

  it('iterates as the map of every top that has a mid, whatever was read before', () => {
    const prices = midPrices(tops);
    prices.get('SOLUSDT');
    const expected = [...tops]
      .filter(([, top]) => midPrice(top) !== undefined)
      .map(([symbol, top]) => [symbol, midPrice(top)!.toFixed()]);
    expect([...prices].map(([symbol, mid]) => [symbol, mid.toFixed()])).toEqual(expected);
    expect(prices.size).toBe(3);
    expect([...prices.keys()]).toEqual(['BTCUSDC', 'ETHUSDC', 'SOLUSDT']);
    const seen: string[] = [];
    prices.forEach((mid, symbol) => seen.push(`${symbol} ${mid.toFixed()}`));
    expect(seen).toEqual(['BTCUSDC 60000.5', 'ETHUSDC 3000.5', 'SOLUSDT 150.25']);
  });
});
