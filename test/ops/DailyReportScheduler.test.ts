import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/persistence/db.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock } from '../../src/common/clock.js';
import type { DailyReport } from '../../src/ops/dailyReport.js';
import { DailyReportScheduler, TickOutcome } from '../../src/ops/DailyReportScheduler.js';
import { testDb } from '../helpers/testDb.js';

const ZONE = 'Asia/Tokyo';
/** Wall-clock time in Tokyo (UTC+9, no DST) as a Unix instant. */
const tokyo = (day: number, hour: number, minute = 0) => Date.UTC(2026, 2, day, hour - 9, minute);

let db: Db;
let schedulers: DailyReportScheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  schedulers = [];
  db?.close();
});

function setup(options: { hour?: number; build?: (now: number) => Promise<DailyReport> } = {}) {
  db = testDb();
  const clock = new ManualClock(tokyo(10, 6));
  const settings = new SettingsStore(db, clock);
  settings.set('notify.dailyReportHour', String(options.hour ?? 7), 'test');
  const delivered: { at: number; report: DailyReport }[] = [];
  const make = (extra: { firstTickAfterMs?: number } = {}) => {
    const scheduler = new DailyReportScheduler({
      db,
      clock,
      settings,
      timeZone: ZONE,
      ...extra,
      build: options.build ?? (async (now) => ({ text: `report ${now}`, format: 'plain' })),
      deliver: (report) => {
        delivered.push({ at: clock.now(), report });
      },
    });
    schedulers.push(scheduler);
    return scheduler;
  };
  const at = async (scheduler: DailyReportScheduler, instant: number) => {
    clock.set(instant);
    return scheduler.tick();
  };
  return { clock, settings, delivered, make, at };
}

describe('DailyReportScheduler', () => {
  it('sends once per local day at the hour, across a restart, in a non-UTC zone', async () => {
    const { delivered, make, at } = setup({ hour: 7 });
    const first = make();

    expect(await at(first, tokyo(10, 6, 0)), '06:00 Tokyo').toBe(TickOutcome.BeforeHour);
    expect(await at(first, tokyo(10, 6, 59)), '06:59 Tokyo').toBe(TickOutcome.BeforeHour);
    expect(delivered, 'nothing before the hour').toHaveLength(0);

    // 07:00 in Tokyo is 22:00 UTC of the previous day: the local date must be the one recorded.
    expect(await at(first, tokyo(10, 7, 0)), '07:00 Tokyo').toBe(TickOutcome.Sent);
    expect(delivered, 'one report at the hour').toHaveLength(1);
    expect(first.lastSentDate(), 'local date, not the UTC date').toBe('2026-03-10');

    expect(await at(first, tokyo(10, 7, 1)), 'next tick').toBe(TickOutcome.AlreadySent);
    expect(await at(first, tokyo(10, 23, 59)), 'late evening').toBe(TickOutcome.AlreadySent);
    await first.stop();

    const restarted = make();
    expect(await at(restarted, tokyo(10, 12)), 'restart the same day').toBe(TickOutcome.AlreadySent);
    expect(delivered, 'still one report after the restart').toHaveLength(1);

    expect(await at(restarted, tokyo(11, 6, 30)), 'next day, before the hour').toBe(TickOutcome.BeforeHour);
    expect(await at(restarted, tokyo(11, 7, 2)), 'next day at the hour').toBe(TickOutcome.Sent);
    expect(await at(restarted, tokyo(11, 8)), 'and only once').toBe(TickOutcome.AlreadySent);
    expect(
      delivered.map((d) => d.at),
      'two reports, one per local day',
    ).toEqual([tokyo(10, 7), tokyo(11, 7, 2)]);
    expect(delivered[1]!.report.text, 'the report built for that moment').toBe(`report ${tokyo(11, 7, 2)}`);
  });

  it('catches up once when the process was down at the hour, but not a day missed entirely', async () => {
    const { delivered, make, at } = setup({ hour: 7 });
    const scheduler = make();
    expect(await at(scheduler, tokyo(10, 15)), 'started at 15:00 after missing 07:00').toBe(TickOutcome.Sent);
    expect(await at(scheduler, tokyo(10, 15, 1))).toBe(TickOutcome.AlreadySent);
    // Down from 10th 16:00 to 12th 03:00: the 11th is skipped, the 12th waits for its hour.
    const later = make();
    expect(await at(later, tokyo(12, 3)), 'early next-next morning').toBe(TickOutcome.BeforeHour);
    expect(await at(later, tokyo(12, 7)), 'at the hour').toBe(TickOutcome.Sent);
    expect(delivered).toHaveLength(2);
  });

  it('reads the hour and the on/off switch live', async () => {
    const { delivered, make, at, settings } = setup({ hour: 7 });
    const scheduler = make();
    settings.set('notify.dailyReportHour', '20', 'owner');
    expect(await at(scheduler, tokyo(10, 9)), 'hour moved to 20:00').toBe(TickOutcome.BeforeHour);
    settings.set('notify.dailyReport', 'off', 'owner');
    expect(await at(scheduler, tokyo(10, 21)), 'switched off').toBe(TickOutcome.Disabled);
    settings.set('notify.dailyReport', 'on', 'owner');
    expect(await at(scheduler, tokyo(10, 21, 5)), 'switched back on').toBe(TickOutcome.Sent);
    expect(delivered).toHaveLength(1);
  });

  it('retries a failed report after a pause and does not mark the day as sent', async () => {
    let failures = 1;
    const { delivered, make, at } = setup({
      hour: 7,
      build: async () => {
        if (failures-- > 0) throw new Error('prices unavailable');
        return { text: 'ok', format: 'plain' };
      },
    });
    const scheduler = make();
    expect(await at(scheduler, tokyo(10, 7))).toBe(TickOutcome.Failed);
    expect(scheduler.lastSentDate(), 'not marked after a failure').toBeUndefined();
    expect(await at(scheduler, tokyo(10, 7, 5)), 'waits before retrying').toBe(TickOutcome.BackingOff);
    expect(await at(scheduler, tokyo(10, 7, 16)), 'retried after 15 min').toBe(TickOutcome.Sent);
    expect(delivered).toHaveLength(1);
  });

  it('never runs two sends at once', async () => {
    let release: () => void = () => {};
    const { delivered, make, clock } = setup({
      hour: 7,
      build: () =>
        new Promise<DailyReport>((resolve) => {
          release = () => resolve({ text: 'slow', format: 'plain' });
        }),
    });
    const scheduler = make();
    clock.set(tokyo(10, 7));
    const first = scheduler.tick();
    expect(await scheduler.tick(), 'second tick while building').toBe(TickOutcome.Busy);
    release();
    expect(await first).toBe(TickOutcome.Sent);
    expect(delivered).toHaveLength(1);
  });

  it('rejects an unknown time zone at construction', () => {
    db = testDb();
    const clock = new ManualClock();
    expect(
      () =>
        new DailyReportScheduler({
          db,
          clock,
          settings: new SettingsStore(db, clock),
          timeZone: 'Mars/Olympus',
          build: async () => ({ text: '', format: 'plain' }),
          deliver: () => {},
        }),
    ).toThrow(RangeError);
  });

  it('start() catches up at once and stop() waits for it', async () => {
    const { delivered, make, clock } = setup({ hour: 7 });
    clock.set(tokyo(10, 8));
    const scheduler = make();
    scheduler.start();
    await scheduler.stop();
    expect(delivered, 'sent by the first tick of start()').toHaveLength(1);
  });

  it('start() with firstTickAfterMs catches up after that wait, not before; stop() before it sends nothing', async () => {
    vi.useFakeTimers();
    try {
      const { delivered, make, clock } = setup({ hour: 7 });
      clock.set(tokyo(10, 8));
      const scheduler = make({ firstTickAfterMs: 30_000 });
      scheduler.start();
      await vi.advanceTimersByTimeAsync(29_000);
      expect(delivered, 'nothing during start-up').toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1_000);
      await scheduler.stop();
      expect(delivered, 'caught up after the wait').toHaveLength(1);

      const early = make({ firstTickAfterMs: 30_000 });
      early.start();
      await early.stop();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(delivered, 'stopped before the first tick: no second report').toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
