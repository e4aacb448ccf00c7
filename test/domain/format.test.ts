import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatAmount,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQty,
  formatSigned,
  formatTime,
  percentOf,
  plural,
} from '../../src/domain/format.js';
import { Decimal, dec } from '../../src/domain/money.js';
import { isQuietTime } from '../../src/notify/quietHours.js';

describe('the one number style', () => {
  it.each([
    ['65000.123', '65,000.12'],
    ['3456.6', '3,456.60'],
    ['3.14159265', '3.14159'],
    ['0.00001234567', '0.0000123457'],
    ['0.5', '0.50'],
    ['1234567.8', '1,234,567.80'],
    ['-0.001', '-0.001'],
  ])('prices by magnitude: %s → %s', (input, expected) => {
    expect(formatPrice(dec(input))).toBe(expected);
  });

  it('prices and quantities take the decimals of the symbol tick and step when known', () => {
    expect(formatPrice(dec('3456.6'), dec('0.01'))).toBe('3,456.60');
    expect(formatPrice(dec('0.000064234'), dec('0.00000001'))).toBe('0.00006423');
    expect(formatQty(dec('0.0056789'), dec('0.0001')), 'rounded down to the step').toBe('0.0056');
    expect(formatQty(dec('155686'), dec('1'))).toBe('155,686');
  });

  it('quantities keep the digits that matter and never round up', () => {
    expect(formatQty(dec('0.0123456789'))).toBe('0.01234567');
    expect(formatQty(dec('1250.5'))).toBe('1,250.5');
    expect(formatQty(dec('155686'))).toBe('155,686');
    expect(formatQty(dec('2'))).toBe('2');
  });

  it('money and changes have two decimals, a sign only on changes, never a negative zero', () => {
    expect(formatMoney(dec('1234.5'))).toBe('1,234.50');
    expect(formatMoney(dec('-0.001'))).toBe('0.00');
    expect(formatSigned(dec('12.3'))).toBe('+12.30');
    expect(formatSigned(dec('-4.049'))).toBe('-4.05');
    expect(formatSigned(dec('-0.001'))).toBe('0.00');
    expect(formatAmount(dec('3.456'), 'USDT')).toBe('3.46');
    expect(formatAmount(dec('3.456'), 'ETH')).toBe('3.456');
  });

  it('percentages: two decimals, no space, sign when asked', () => {
    expect(formatPercent(dec('55.9412'))).toBe('55.94%');
    expect(formatPercent(dec('0.29'), { signed: true })).toBe('+0.29%');
    expect(formatPercent(dec('-0.031'))).toBe('-0.03%');
    expect(formatPercent(dec('2.9996'), { truncate: true })).toBe('2.99%');
    expect(formatPercent(dec('50'), { digits: 0 })).toBe('50%');
    expect(formatPercent(percentOf(dec(1), dec(0)))).toBe('n/a');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('∞%');
  });

  it('numbers in sentences: two decimals from 1,000, six significant digits below, zeros trimmed', () => {
    expect(formatNumber(dec('95391.5432'))).toBe('95,391.54');
    expect(formatNumber(dec('20'))).toBe('20');
    expect(formatNumber(dec('0.936901234'))).toBe('0.936901');
    expect(formatNumber(1.5)).toBe('1.5');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-∞');
  });

  it('writes any decimal exactly as decimal.js rounds it, with only commas and one ASCII minus', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 12 }),
        (n, scale) => {
          const value = new Decimal(n.toString()).div(new Decimal(10).pow(scale));
          const text = formatNumber(value);
          expect(text).toMatch(/^-?\d{1,3}(,\d{3})*(\.\d+)?$/);
          const back = new Decimal(text.replace(/,/g, ''));
          const digits = value.abs().greaterThanOrEqualTo(1000)
            ? 2
            : Math.min(12, Math.max(0, 5 - value.abs().e));
          expect(back.equals(value.toDecimalPlaces(digits, Decimal.ROUND_HALF_UP))).toBe(true);
        },
      ),
    );
  });

  it('durations and relative times', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(30_000, { roundUp: true }), 'a started minute counts').toBe('1m');
    expect(formatDuration(90 * 60_000)).toBe('1h 30m');
    expect(formatAgo(0, 45_000)).toBe('45s ago');
    expect(formatAgo(200_000, 20_000)).toBe('in 3m');
    expect(formatAgo(0, 7_500_000)).toBe('2h 5m ago');
    expect(plural(1, 'buy')).toBe('1 buy');
    expect(plural(2, 'sell')).toBe('2 sells');
  });
});

describe('clock times in the owner’s zone', () => {
  // 2026-03-01 23:30 UTC is 2026-03-02 08:30 in Tokyo: the day is the zone's, not UTC's.
  const at = Date.UTC(2026, 2, 1, 23, 30);

  it('shows the time alone on the same local day and the date with it on another', () => {
    expect(formatTime(at, at + 3_600_000, 'Asia/Tokyo')).toBe('08:30');
    expect(formatTime(at, at + 3_600_000, 'UTC')).toBe('1 Mar, 23:30');
    expect(formatTime(at, at - 9 * 3_600_000, 'Asia/Tokyo')).toBe('2 Mar, 08:30');
    expect(formatTime(at, at, 'America/New_York')).toBe('18:30');
  });

  it('keeps quiet hours by the local hour, across midnight', () => {
    expect(isQuietTime('23-07', at, 'UTC')).toBe(true);
    expect(isQuietTime('23-07', at, 'Asia/Tokyo')).toBe(false);
    expect(isQuietTime('08-09', at, 'Asia/Tokyo')).toBe(true);
    expect(isQuietTime('off', at, 'UTC')).toBe(false);
  });
});
