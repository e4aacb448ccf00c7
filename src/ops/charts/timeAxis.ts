/**
 * Time axis helpers shared by the charts. Vega formats UTC scales identically on every machine;
 * to label ticks in the owner's zone (TZ_REPORTS), timestamps are shifted by the zone's offset
 * and drawn on a UTC scale.
 */
import { zoneOffsetMs } from '../../common/timeZone.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Shifts an instant so a UTC scale shows the wall-clock time of `timeZone`. */
export function toZoneWallClock(at: number, timeZone: string): number {
  return timeZone === 'UTC' ? at : at + zoneOffsetMs(at, timeZone);
}

/** A d3 time format that suits the visible span: hours for a day, dates for months, months beyond. */
export function timeFormatFor(spanMs: number): string {
  if (spanMs <= 2 * DAY_MS) return '%H:%M';
  if (spanMs <= 10 * DAY_MS) return '%a %d';
  if (spanMs <= 200 * DAY_MS) return '%b %d';
  return '%b %Y';
}

/** The x axis block every time chart uses: UTC scale, few ticks, no title. */
export function timeAxis(domain: readonly [number, number]) {
  const span = domain[1] - domain[0];
  return {
    field: 't',
    type: 'temporal' as const,
    scale: { type: 'utc' as const, domain: [domain[0], domain[1]] },
    axis: {
      format: timeFormatFor(span),
      tickCount: span <= 2 * DAY_MS ? 6 : 5,
      title: null,
      grid: false,
    },
  };
}

/**
 * The y axis label format for values up to `max`: grouped digits ("12,500") normally, SI
 * prefixes ("1.25M") from a million up, where grouped digits would eat the plot's width.
 */
export function valueFormatFor(max: number): string | undefined {
  return Math.abs(max) >= 1_000_000 ? '.3~s' : undefined;
}
