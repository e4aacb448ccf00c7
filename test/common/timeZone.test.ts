import { describe, expect, it } from 'vitest';
import { localTime, zoneOffsetMs } from '../../src/common/timeZone.js';

const HOUR = 3_600_000;

describe('localTime', () => {
  it('gives the local date and hour, which may differ from UTC', () => {
    const at = Date.UTC(2026, 2, 9, 22, 30); // 07:30 on the 10th in Tokyo
    expect(localTime(at, 'Asia/Tokyo')).toEqual({ date: '2026-03-10', hour: 7, minute: 30 });
    expect(localTime(at, 'UTC')).toEqual({ date: '2026-03-09', hour: 22, minute: 30 });
    expect(localTime(Date.UTC(2026, 0, 1, 5), 'America/New_York'), 'midnight is hour 0, not 24').toEqual({
      date: '2026-01-01',
      hour: 0,
      minute: 0,
    });
  });

  it('throws on an unknown zone', () => {
    expect(() => localTime(0, 'Nowhere/Atlantis')).toThrow(RangeError);
  });
});

describe('zoneOffsetMs', () => {
  it('follows daylight saving time', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 2, 10), 'Asia/Tokyo')).toBe(9 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 2, 28, 12), 'Europe/Berlin'), 'winter time').toBe(HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 2, 29, 12), 'Europe/Berlin'), 'summer time').toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 1, 12, 0, 0, 789), 'America/Los_Angeles'), 'ms ignored').toBe(
      -7 * HOUR,
    );
    expect(zoneOffsetMs(Date.UTC(2026, 6, 1), 'Asia/Kolkata'), 'half-hour zone').toBe(5.5 * HOUR);
  });
});
