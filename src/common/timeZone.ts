/**
 * Wall-clock helpers for an IANA time zone (TZ_REPORTS), built on Intl so no zone database is
 * bundled: the one place the bot asks what day and hour it is for the owner. Used by the daily
 * report and its schedule, "today" of `/pnl`, quiet hours, the chat's clock times and the chart
 * axes.
 */

/** The local calendar date (`YYYY-MM-DD`), hour (0–23) and minute of an instant in a zone. */
export interface LocalTime {
  readonly date: string;
  readonly hour: number;
  readonly minute: number;
}

// One formatter per zone, kept: building one costs about 140 µs of ICU work and native memory the
// collector has to chase, using one a few µs, and `/status` alone asks for a time per strategy.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // hourCycle h23: some locales print midnight as "24" with hour12:false.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(at: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** Local date, hour and minute of `at` (Unix ms) in `timeZone`. */
export function localTime(at: number, timeZone: string): LocalTime {
  const p = parts(at, timeZone);
  const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, '0');
  return {
    date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
  };
}

/**
 * Offset of `timeZone` from UTC at instant `at`, in ms (Asia/Tokyo: +9 h). Adding it to a
 * timestamp gives a "wall clock as UTC" value, which a UTC chart scale then labels in local time.
 */
export function zoneOffsetMs(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  const wallAsUtc = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  // Intl drops milliseconds: compare with the instant truncated to the whole second.
  return wallAsUtc - (at - (((at % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;

/** Start of the local day containing `now` in `timeZone`, as Unix ms ("today" of /pnl and reports). */
export function localDayStart(now: number, timeZone: string): number {
  const offset = zoneOffsetMs(now, timeZone);
  return Math.floor((now + offset) / DAY_MS) * DAY_MS - offset;
}
