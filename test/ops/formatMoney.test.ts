import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import {
  formatAmount,
  formatPercent,
  formatPrice,
  formatSigned,
  percentOf,
  plural,
} from '../../src/ops/formatMoney.js';

describe('formatMoney', () => {
  it.each([
    ['1234.5', 2, '1,234.50'],
    ['-1234567.891', 2, '-1,234,567.89'],
    ['0.005', 2, '0.01'],
    ['-0.001', 2, '0.00'],
    ['999.999', 2, '1,000.00'],
    ['12', 0, '12'],
  ])('formatAmount(%s, %i) = %s', (value, decimals, expected) => {
    expect(formatAmount(dec(value), decimals)).toBe(expected);
  });

  it('signs changes and percentages', () => {
    expect(formatSigned(dec('12.3'))).toBe('+12.30');
    expect(formatSigned(dec('-4'))).toBe('-4.00');
    expect(formatSigned(dec('0.001')), 'no sign on a rounded zero').toBe('0.00');
    expect(formatPercent(percentOf(dec(1), dec(40)))).toBe('+2.5 %');
    expect(formatPercent(percentOf(dec(1), dec(0))), 'division by zero').toBe('n/a');
    expect(formatPercent(dec('43.75'), { signed: false })).toBe('43.8 %');
  });

  it('formats prices with precision that suits their size', () => {
    expect(formatPrice(dec('60123.456'))).toBe('60,123.46');
    expect(formatPrice(dec('3.14159'))).toBe('3.1416');
    expect(formatPrice(dec('0.000012345678'))).toBe('0.00001235');
    expect(formatPrice(dec('0.5'))).toBe('0.5');
    expect(formatPrice(dec('0'))).toBe('0');
  });

  it('pluralises', () => {
    expect(plural(1, 'buy')).toBe('1 buy');
    expect(plural(0, 'sell')).toBe('0 sells');
  });
});
