import { describe, expect, it } from 'vitest';
import { nextCronRun } from '../../src/jobs/cronNext.js';

const at = (iso: string) => Date.parse(iso);

describe('nextCronRun', () => {
  it.each([
    ['*/15 * * * *', '2026-01-05T12:00:00Z', '2026-01-05T12:15:00Z'],
    ['*/15 * * * *', '2026-01-05T12:14:59.999Z', '2026-01-05T12:15:00Z'],
    ['*/15 * * * *', '2026-01-05T23:50:00Z', '2026-01-06T00:00:00Z'],
    ['0 9 * * 1-5', '2026-01-09T09:00:00Z', '2026-01-12T09:00:00Z'], // Friday 09:00 → Monday
    ['*/30 * * * * *', '2026-01-05T12:00:10Z', '2026-01-05T12:00:30Z'],
    ['0 0 L * *', '2026-02-03T00:00:00Z', '2026-02-28T00:00:00Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
  ])('%s after %s → %s', (expression, from, expected) => {
    expect(new Date(nextCronRun(expression, at(from))).toISOString()).toBe(
      new Date(at(expected)).toISOString(),
    );
  });

  it('is strictly after the given instant', () => {
    const t = at('2026-01-05T12:15:00Z');
    expect(nextCronRun('*/15 * * * *', t)).toBe(at('2026-01-05T12:30:00Z'));
  });

  it('rejects invalid expressions with the expression in the message', () => {
    expect(() => nextCronRun('every minute', 0)).toThrow(/every minute/);
  });
});
