import { describe, expect, it } from 'vitest';
import { cronProblem, nextCronRun } from '../../src/shared/cron.js';

const at = (iso: string) => Date.parse(iso);

describe('cron schedules', () => {
  it.each([
    ['*/15 * * * *', '2026-01-05T12:00:00Z', '2026-01-05T12:15:00Z'],
    ['*/15 * * * *', '2026-01-05T12:14:59.999Z', '2026-01-05T12:15:00Z'],
    ['*/15 * * * *', '2026-01-05T23:50:00Z', '2026-01-06T00:00:00Z'],
    ['0 9 * * 1-5', '2026-01-09T09:00:00Z', '2026-01-12T09:00:00Z'], // Friday 09:00 → Monday
    ['*/30 * * * * *', '2026-01-05T12:00:10Z', '2026-01-05T12:00:30Z'],
    ['0 0 L * *', '2026-02-03T00:00:00Z', '2026-02-28T00:00:00Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
  ])('%s after %s → %s (UTC)', (expression, from, expected) => {
    expect(new Date(nextCronRun(expression, at(from))).toISOString()).toBe(
      new Date(at(expected)).toISOString(),
    );
  });

  it('is strictly after the given instant', () => {
    expect(nextCronRun('*/15 * * * *', at('2026-01-05T12:15:00Z'))).toBe(at('2026-01-05T12:30:00Z'));
  });

  it('runs in the given time zone: 09:00 in Berlin is 08:00 UTC in winter, 07:00 in summer', () => {
    expect(nextCronRun('0 9 * * *', at('2026-01-05T00:00:00Z'), 'Europe/Berlin')).toBe(
      at('2026-01-05T08:00:00Z'),
    );
    expect(nextCronRun('0 9 * * *', at('2026-07-05T00:00:00Z'), 'Europe/Berlin')).toBe(
      at('2026-07-05T07:00:00Z'),
    );
  });

  it('refuses a step larger than its field, and nonsense, with the reason', () => {
    expect(cronProblem('*/15 * * * *')).toBeUndefined();
    expect(cronProblem('*/61 * * * *')).toMatch(/steps cannot be greater than maximum value of part \(60\)/);
    expect(cronProblem('0 */25 * * *')).toMatch(/steps cannot be greater/);
    expect(cronProblem('61 * * * *')).toMatch(/Invalid value for minute: 61/);
    expect(cronProblem('every minute')).toMatch(/five, six, or seven space separated parts/);
    expect(() => nextCronRun('*/61 * * * *', 0)).toThrow(/invalid cron expression "\*\/61 \* \* \* \*"/);
  });
});
