/** Quiet hours (`notify.quietHours`, e.g. `23-07`, in TZ_REPORTS): pure time checks. */

/** The hour of day (0–23) at `now` in `timeZone`. */
export function hourIn(now: number, timeZone: string): number {
  const h = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(now);
  return Number(h) % 24;
}

/** The calendar date (YYYY-MM-DD) at `now` in `timeZone`. */
export function dateIn(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
}

/**
 * True when `now` falls inside the range: `23-07` covers 23:00–06:59, `01-05` 01:00–04:59;
 * `off` (or equal ends) never.
 */
export function isQuietTime(spec: string, now: number, timeZone: string): boolean {
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(spec.trim());
  if (!m) return false;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start === end) return false;
  const h = hourIn(now, timeZone);
  return start < end ? h >= start && h < end : h >= start || h < end;
}
