/** Quiet hours (`notify.quietHours`, e.g. `23-07`, in TZ_REPORTS): pure time checks. */
import { localTime } from '../common/timeZone.js';

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
  const h = localTime(now, timeZone).hour;
  return start < end ? h >= start && h < end : h >= start || h < end;
}
