import { describe, expect, it } from 'vitest';
import cron from 'node-cron';
import { cronProblem, nextCronRun } from '../../src/common/cron.js';

const at = (iso: string) => Date.parse(iso);

describe('cron schedules (UTC)', () => {
  it.each([
    ['*/15 * * * *', '2026-01-05T12:00:00Z', '2026-01-05T12:15:00Z'],
    ['*/15 * * * *', '2026-01-05T12:14:59.999Z', '2026-01-05T12:15:00Z'],
    ['*/15 * * * *', '2026-01-05T23:50:00Z', '2026-01-06T00:00:00Z'],
    ['0 9 * * 1-5', '2026-01-09T09:00:00Z', '2026-01-12T09:00:00Z'], // Friday 09:00 → Monday
    ['*/30 * * * * *', '2026-01-05T12:00:10Z', '2026-01-05T12:00:30Z'],
    ['0 0 L * *', '2026-02-03T00:00:00Z', '2026-02-28T00:00:00Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['0 12 * * 5#2', '2026-01-01T00:00:00Z', '2026-01-09T12:00:00Z'], // second Friday
    ['30 6 15W * *', '2026-02-01T00:00:00Z', '2026-02-16T06:30:00Z'], // 15th is a Sunday → Monday
    ['@daily', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'],
    ['*/60 * * * *', '2026-01-05T12:00:00Z', '2026-01-05T13:00:00Z'],
  ])('%s after %s → %s', (expression, from, expected) => {
    expect(new Date(nextCronRun(expression, at(from))).toISOString()).toBe(
      new Date(at(expected)).toISOString(),
    );
  });

  it('is strictly after the given instant', () => {
    expect(nextCronRun('*/15 * * * *', at('2026-01-05T12:15:00Z'))).toBe(at('2026-01-05T12:30:00Z'));
  });

  it('follows the instant it is given, not the wall clock', () => {
    // A manual clock years away from now: the answer depends only on the argument.
    expect(nextCronRun('0 0 1 1 *', at('2031-06-01T00:00:00Z'))).toBe(at('2032-01-01T00:00:00Z'));
    expect(nextCronRun('0 0 1 1 *', at('2019-06-01T00:00:00Z'))).toBe(at('2020-01-01T00:00:00Z'));
  });

  it('agrees with node-cron on the next runs from now', () => {
    for (const expression of ['*/15 * * * *', '0 9 * * 1-5', '0 0 L * *', '0 12 * * 5#2', '15 */6 * * *']) {
      const task = cron.createTask(expression, () => undefined, { timezone: 'UTC' });
      try {
        const now = Date.now();
        const theirs = task.getNextRuns(3).map((d) => d.getTime());
        // node-cron reads the wall clock itself: skip the rare case of a run falling due in between.
        if (theirs[0]! <= now) continue;
        const ours = [nextCronRun(expression, now)];
        ours.push(nextCronRun(expression, ours[0]!));
        ours.push(nextCronRun(expression, ours[1]!));
        expect(ours, expression).toEqual(theirs);
      } finally {
        void task.destroy();
      }
    }
  });

  it('leaves no task registered with node-cron', () => {
    const before = cron.getTasks().size;
    nextCronRun('*/15 * * * *', 0);
    expect(cron.getTasks().size).toBe(before);
  });

  it('refuses a step larger than its field, out-of-range values and nonsense, with the reason', () => {
    expect(cronProblem('*/15 * * * *')).toBeUndefined();
    expect(cron.validate('*/61 * * * *'), 'node-cron alone accepts it').toBe(true);
    expect(cronProblem('*/61 * * * *')).toBe('step 61 in the minute field is larger than the field (0–59)');
    expect(cronProblem('0 */25 * * *')).toBe('step 25 in the hour field is larger than the field (0–23)');
    expect(cronProblem('*/61 * * * * *')).toMatch(/step 61 in the second field/);
    expect(cronProblem('0 0 1-31/32 * *')).toMatch(/step 32 in the day of month field/);
    expect(cronProblem('61 * * * *')).toBe('"61" is not a valid minute (0–59)');
    expect(cronProblem('0 0 * 13 *')).toBe('"13" is not a valid month (1–12)');
    expect(cronProblem('every minute')).toMatch(/expected 5 or 6 fields but got 2/);
    expect(cronProblem('0 0 31 2 *')).toMatch(/impossible day of month/);
    expect(() => nextCronRun('*/61 * * * *', 0)).toThrow(
      /invalid cron expression "\*\/61 \* \* \* \*": step 61 in the minute field/,
    );
  });
});
