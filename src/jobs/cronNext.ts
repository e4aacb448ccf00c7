/**
 * Next run time of a cron expression after a given instant, computed from an injected clock value
 * instead of the wall clock (node-cron's own `getNextRuns` reads `new Date()`, which a simulated
 * clock running 60× faster cannot use). Field semantics, including `L`, `W` and `n#k`, come from
 * node-cron itself: its parser lists the allowed values and its matcher decides each day. UTC.
 */
import cron from 'node-cron';

const DAY_MS = 86_400_000;
/** Far enough for any expression that matches at all (a leap day needs up to 8 years). */
const MAX_DAYS = 366 * 8 + 1;

/** Whether node-cron accepts a cron expression. */
export function isValidCron(expression: string): boolean {
  return cron.validate(expression);
}

/**
 * The first instant strictly after `fromMs` that `expression` matches, in ms (whole seconds, UTC).
 * Throws for an invalid expression or one that never matches.
 */
export function nextCronRun(expression: string, fromMs: number): number {
  if (!cron.validate(expression)) throw new Error(`invalid cron expression "${expression}"`);
  const fields = cron.parse(expression);
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);
  const task = cron.createTask(expression, () => {}, { timezone: 'UTC' });
  try {
    const start = Math.floor(fromMs / 1000) * 1000 + 1000; // strictly after, on a whole second
    const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
    for (let d = 0; d < MAX_DAYS; d++) {
      const day = firstDay + d * DAY_MS;
      // Day-level fields (month, day of month, weekday) decided by node-cron's matcher at a time
      // that satisfies every time-of-day field.
      if (!task.match(new Date(day + hours[0]! * 3_600_000 + minutes[0]! * 60_000 + seconds[0]! * 1000)))
        continue;
      for (const h of hours) {
        const hourStart = day + h * 3_600_000;
        if (hourStart + 3_600_000 <= start) continue;
        for (const m of minutes) {
          const minuteStart = hourStart + m * 60_000;
          if (minuteStart + 60_000 <= start) continue;
          for (const s of seconds) {
            const t = minuteStart + s * 1000;
            if (t >= start) return t;
          }
        }
      }
    }
    throw new Error(`cron expression "${expression}" never matches`);
  } finally {
    void task.destroy();
  }
}
