/**
 * Cron expressions of schedules (`scanner.cron`): validation with the reason of a refusal, and
 * next-run times in an explicit time zone from any instant (the simulated clock runs faster
 * than the wall clock, so "next run after now" must take `now` as an argument). Both come from
 * croner, which also refuses steps larger than their field (`*\/61 * * * *`).
 */
import { Cron } from 'croner';

function parse(expression: string, timeZone: string): Cron {
  // `paused`: only the pattern is used; croner never arms a timer for it.
  return new Cron(expression, { paused: true, timezone: timeZone });
}

/** Why `expression` is not a usable schedule, or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  try {
    parse(expression, 'UTC');
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return reason.replace(/^CronPattern:\s*/, '');
  }
}

/**
 * The first instant strictly after `fromMs` that `expression` matches in `timeZone` (ms, whole
 * seconds). Throws for an invalid expression (naming it) or one that never matches.
 */
export function nextCronRun(expression: string, fromMs: number, timeZone = 'UTC'): number {
  let next: Date | null;
  try {
    next = parse(expression, timeZone).nextRun(new Date(fromMs));
  } catch (error) {
    throw new Error(`invalid cron expression "${expression}": ${cronProblem(expression) ?? String(error)}`);
  }
  if (!next) throw new Error(`cron expression "${expression}" never matches`);
  return next.getTime();
}
