import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import { Exact } from '../../../src/domain/exact.js';
import { replayFillOf } from '../../../src/domain/portfolio/positions.js';
import {
  convertStable,
  costAssetOf,
  makeToCostAsset,
  priceIn,
} from '../../../src/domain/portfolio/conversion.js';
import { makeFill } from '../../helpers/fills.js';

const rates = {
  prices: new Map([
    ['MXUSDT', dec('2.5')],
    ['ETHUSDC', dec('3000')],
    ['ARBUSDC', dec('0.5')],
  ]),
  usdcUsdt: dec('0.998'),
};

describe('conversion', () => {
  it('costs BTC and ETH in USDC and everything else in USDT', () => {
    expect(['BTC', 'ETH', 'SOL', 'MX'].map(costAssetOf)).toEqual(['USDC', 'USDC', 'USDT', 'USDT']);
  });

  it('converts stablecoins at USDCUSDT in both directions and refuses without a rate', () => {
    expect(convertStable(dec('499'), 'USDT', 'USDC', dec('0.998'))!.toFixed(), 'divides').toBe('500');
    expect(convertStable(dec('500'), 'USDC', 'USDT', dec('0.998'))!.toFixed(), 'multiplies').toBe('499');
    expect(convertStable(dec('1'), 'USDT', 'USDC', undefined), 'no rate, no guess').toBeUndefined();
    expect(convertStable(dec('1'), 'USDT', 'USDC', dec('0')), 'zero rate refused').toBeUndefined();
    expect(convertStable(dec('1'), 'MX', 'USDC', dec('1'))).toBeUndefined();
  });

  it('prices through the direct market first, then through the other stablecoin', () => {
    expect(priceIn('MX', 'USDT', rates)!.toFixed()).toBe('2.5');
    expect(priceIn('MX', 'USDC', rates)!.equals(dec('2.5').div('0.998')), 'MXUSDT ÷ USDCUSDT').toBe(true);
    expect(priceIn('ARB', 'USDT', rates)!.toFixed(), 'ARBUSDC × USDCUSDT').toBe('0.499');
    expect(priceIn('XYZ', 'USDT', rates)).toBeUndefined();
  });

  it('values a fee in the fill’s base at the fill’s price, and a third asset at its market', () => {
    const toCost = makeToCostAsset(rates);
    const fill = replayFillOf(makeFill({ side: 'BUY', symbol: 'SOLUSDT', price: '150', qty: '1' }));
    expect(toCost(Exact.parse('0.01')!, 'SOL', 'USDT', fill)!.toFixed(), '0.01 × 150').toBe('1.5');
    expect(toCost(Exact.parse('2')!, 'MX', 'USDT', fill)!.toFixed(), '2 × 2.5').toBe('5');
    expect(toCost(Exact.parse('1')!, 'XYZ', 'USDT', fill)).toBeUndefined();
  });
});
