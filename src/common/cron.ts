/**
 * Cron expressions of schedules (`scanner.cron`), always in UTC: validation with the reason of a
 * refusal, and the next run after any instant of the bot's clock.
 *
 * node-cron parses the expression and decides whether a day matches (including `L`, `W`, `5#2`).
 * Two things it does not do, done here on top of its output:
 * - its `validate` accepts a step larger than its field (`*\/61 * * * *` silently means "minute
 *   0"), so steps are checked against the field's size;
 * - its `getNextRuns` starts from the wall clock, while the bot's clock runs `SIM_SPEED` times
 *   faster in simulation and is driven by hand in tests; so the next run is found by walking the
 *   days from the given instant, asking node-cron's matcher about each day and taking the first
 *   time of day node-cron's parser allows.
 * The scheduler arms its own timers for the same reason (node-cron's timers follow the wall clock).
 */
import cron from 'node-cron';

interface FieldRule {
  readonly key: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
}

/** The six fields in node-cron's order (a five-field expression has no seconds). */
const FIELDS: readonly FieldRule[] = [
  { key: 'second', label: 'second', min: 0, max: 59 },
  { key: 'minute', label: 'minute', min: 0, max: 59 },
  { key: 'hour', label: 'hour', min: 0, max: 23 },
  { key: 'dayOfMonth', label: 'day of month', min: 1, max: 31 },
  { key: 'month', label: 'month', min: 1, max: 12 },
  { key: 'dayOfWeek', label: 'week day', min: 0, max: 7 },
];

const DAY_MS = 86_400_000;
/** Far enough for any expression that matches at all (29 February can be 8 years away). */
const MAX_DAYS = 366 * 8 + 1;

/** Why `expression` is not a usable schedule, or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  const { valid, errors } = cron.validateDetailed(expression);
  if (!valid) {
    return errors
      .map((e) => {
        const field = FIELDS.find((f) => f.key === e.field);
        // node-cron says "61 is a invalid expression for minute"; name the allowed range instead.
        return field && /invalid expression/.test(e.message)
          ? `"${e.value ?? ''}" is not a valid ${field.label} (${field.min}–${field.max})`
          : e.message;
      })
      .join('; ');
  }
  return stepProblem(expression);
}

/** A step wider than its field: node-cron keeps only the field's first value, which no one means. */
function stepProblem(expression: string): string | undefined {
  if (expression.trim().startsWith('@')) return undefined; // nicknames (@daily) have no steps
  const parts = expression.trim().split(/\s+/);
  const fields = parts.length === 5 ? FIELDS.slice(1) : FIELDS;
  for (const [i, part] of parts.entries()) {
    const field = fields[i];
    if (!field) continue;
    for (const item of part.split(',')) {
      const step = /\/(\d+)$/.exec(item)?.[1];
      const size = field.max - field.min + 1;
      if (step !== undefined && Number(step) > size)
        return `step ${step} in the ${field.label} field is larger than the field (${field.min}–${field.max})`;
    }
  }
  return undefined;
}

/**
 * The first instant strictly after `fromMs` that `expression` matches in UTC (ms, whole seconds).
 * Throws for an invalid expression (naming it and the reason).
 */
export function nextCronRun(expression: string, fromMs: number): number {
  const { seconds, minutes, hours, months, days, task } = parsedSchedule(expression);
  const start = Math.floor(fromMs / 1000) * 1000 + 1000; // strictly after, on a whole second
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
  const firstTimeOfDay = hours[0]! * 3_600_000 + minutes[0]! * 60_000 + seconds[0]! * 1000;
  for (let d = 0; d < MAX_DAYS; d++) {
    const day = firstDay + d * DAY_MS;
    const date = new Date(day);
    if (!months.has(date.getUTCMonth() + 1) || (days && !days.has(date.getUTCDate()))) continue;
    // The day fields (day of month, month, week day) decided by node-cron at a time of day
    // every time field allows.
    if (!task.match(new Date(day + firstTimeOfDay))) continue;
    for (const h of hours) {
      const hourStart = day + h * 3_600_000;
      if (hourStart + 3_600_000 <= start) continue;
      for (const m of minutes) {
        const minuteStart = hourStart + m * 60_000;
        if (minuteStart + 60_000 <= start) continue;
        for (const s of seconds) if (minuteStart + s * 1000 >= start) return minuteStart + s * 1000;
      }
    }
  }
  throw new Error(`cron expression "${expression}" never matches`);
}

/** An expression's fields and day matcher, parsed once. */
interface ParsedSchedule {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  /** Days of the month when the field lists plain numbers; undefined for `L`, `W` and the like. */
  readonly days: ReadonlySet<number> | undefined;
  readonly task: ReturnType<typeof cron.createTask>;
}

/**
 * Parsed schedules by expression. The scheduler asks for the next run after every run (a replay
 * does so thousands of times a simulated day), and parsing with node-cron's matcher built anew
 * each time cost more than the search itself. Few expressions are ever in use; the cap only
 * bounds a long session of owners trying schedules.
 */
const PARSED = new Map<string, ParsedSchedule>();
const PARSED_MAX = 16;

function parsedSchedule(expression: string): ParsedSchedule {
  const known = PARSED.get(expression);
  if (known) return known;
  const { fields } = cron.validateDetailed(expression);
  const problem = cronProblem(expression);
  if (problem || !fields) throw new Error(`invalid cron expression "${expression}": ${problem}`);
  const parsed: ParsedSchedule = {
    seconds: ascending(fields.second),
    minutes: ascending(fields.minute),
    hours: ascending(fields.hour),
    // Cheap necessary conditions that spare most days a call of the matcher (a 29 February
    // schedule would otherwise ask about every day of up to 8 years).
    months: new Set(fields.month),
    days: fields.dayOfMonth.every((d) => typeof d === 'number') ? new Set(fields.dayOfMonth) : undefined,
    // A task that is never started: only its matcher is used (it is destroyed when dropped).
    task: cron.createTask(expression, () => undefined, { timezone: 'UTC' }),
  };
  if (PARSED.size >= PARSED_MAX) {
    const [oldest, dropped] = PARSED.entries().next().value!;
    PARSED.delete(oldest);
    void dropped.task.destroy();
  }
  PARSED.set(expression, parsed);
  return parsed;
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
