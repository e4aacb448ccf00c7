import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus, type BotEvent } from '../../src/domain/events.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { PauseState } from '../../src/jobs/PauseState.js';
import {
  Scheduler,
  START_SPACING_MS,
  type JobSpec,
  type SchedulerOptions,
} from '../../src/jobs/Scheduler.js';
import type { Db } from '../../src/persistence/db.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { JobRunRepository } from '../../src/persistence/JobRunRepository.js';
import { StrategyStateRepository } from '../../src/persistence/StrategyStateRepository.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock, type Clock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';
import { testDb } from '../helpers/testDb.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

interface Setup {
  db: Db;
  clock: ManualClock;
  settings: SettingsStore;
  runs: JobRunRepository;
  pauses: PauseState;
  events: BotEvent[];
  scheduler: Scheduler;
  calls: Record<string, number>;
}

let s: Setup | undefined;
afterEach(async () => {
  await s?.scheduler.stop({ timeoutMs: 0 });
  s?.db.close();
  s = undefined;
  vi.useRealTimers();
});

function setup(
  jobs: (ctx: { settings: SettingsStore; calls: Record<string, number> }) => JobSpec[],
  extra: Partial<SchedulerOptions> & { clock?: Clock; db?: Db } = {},
): Setup {
  const db = extra.db ?? testDb();
  const clock = new ManualClock(T0);
  const usedClock = extra.clock ?? clock;
  const settings = new SettingsStore(db, usedClock);
  const bus = new EventBus();
  const events: BotEvent[] = [];
  bus.on((e) => events.push(e));
  const publisher = new EventPublisher({ bus, clock: usedClock, repo: new EventRepository(db) });
  const pauses = new PauseState({
    clock: usedClock,
    events: publisher,
    settings,
    state: new StrategyStateRepository(db),
  });
  const runs = new JobRunRepository(db);
  const calls: Record<string, number> = {};
  const scheduler = new Scheduler({
    clock: usedClock,
    events: publisher,
    jobs: jobs({ settings, calls }),
    logger: silentLogger(),
    pauses,
    runs,
    onSettingsChange: (listener) => settings.onChange(() => listener()),
    ...extra,
  });
  s = { db, clock, settings, runs, pauses, events, scheduler, calls };
  return s;
}

/** A strategy-like job on `accumulate.intervalSec`. */
const intervalJob = (
  settings: SettingsStore,
  calls: Record<string, number>,
  run?: () => Promise<void>,
): JobSpec => ({
  id: 'accumulate',
  strategyId: 'accumulate',
  schedule: () => ({ kind: 'interval', everyMs: settings.get('accumulate.intervalSec') * 1000 }),
  enabled: () => settings.get('accumulate.enabled'),
  stuckAfterMs: 15 * 60_000,
  run: async () => {
    calls.accumulate = (calls.accumulate ?? 0) + 1;
    await run?.();
    return { outcome: 'ok', summary: `run ${calls.accumulate}` };
  },
});

const cronJob = (settings: SettingsStore, calls: Record<string, number>): JobSpec => ({
  id: 'scanner',
  strategyId: 'scanner',
  schedule: () => ({ kind: 'cron', expression: settings.get('scanner.cron') }),
  enabled: () => true,
  stuckAfterMs: 15 * 60_000,
  run: async () => {
    calls.scanner = (calls.scanner ?? 0) + 1;
    return { outcome: 'ok' };
  },
});

describe('Scheduler with a ManualClock (runDue)', () => {
  it('runs an interval job when due, records job_runs, and keeps its cadence', async () => {
    const { scheduler, clock, calls, runs } = setup(({ settings, calls }) => [intervalJob(settings, calls)]);
    expect(await scheduler.runDue(T0), 'first run soon after start').toEqual(['accumulate']);
    const row = runs.last('accumulate');
    expect(row).toMatchObject({ startedAt: T0, endedAt: T0, outcome: 'ok', summary: 'run 1' });
    clock.advance(59_999);
    expect(await scheduler.tick()).toEqual([]);
    clock.advance(1);
    expect(await scheduler.tick()).toEqual(['accumulate']);
    expect(calls.accumulate).toBe(2);
  });

  it('reads the interval live: a setting change re-arms with the new value', async () => {
    const { scheduler, clock, settings, calls } = setup(({ settings, calls }) => [
      intervalJob(settings, calls),
    ]);
    await scheduler.runDue(T0);
    settings.set('accumulate.intervalSec', '10', 'owner');
    expect(scheduler.status()[0]!.nextRunAt, 'next run follows the new interval').toBe(T0 + 10_000);
    clock.advance(10_000);
    expect(await scheduler.tick()).toEqual(['accumulate']);
    settings.set('accumulate.intervalSec', '120', 'owner');
    clock.advance(60_000);
    expect(await scheduler.tick(), 'not yet at the longer interval').toEqual([]);
    clock.advance(60_000);
    expect(await scheduler.tick()).toEqual(['accumulate']);
    expect(calls.accumulate).toBe(3);
  });

  it('reads cron expressions live, computing next runs from the injected clock', async () => {
    const { scheduler, clock, settings } = setup(({ settings, calls }) => [cronJob(settings, calls)]);
    expect(scheduler.status()[0]!.nextRunAt, '*/15 → 12:15').toBe(T0 + 15 * 60_000);
    clock.set(T0 + 15 * 60_000 - 1);
    expect(await scheduler.tick()).toEqual([]);
    clock.set(T0 + 15 * 60_000);
    expect(await scheduler.tick()).toEqual(['scanner']);
    expect(scheduler.status()[0]!.nextRunAt).toBe(T0 + 30 * 60_000);
    clock.set(T0 + 16 * 60_000);
    settings.set('scanner.cron', '*/5 * * * *', 'owner');
    expect(scheduler.status()[0]!.nextRunAt, 'the new expression applies at once').toBe(T0 + 20 * 60_000);
  });

  it('never overlaps two runs of one job; a run requested meanwhile follows after', async () => {
    const g = gate();
    let active = 0;
    let maxActive = 0;
    const { scheduler, clock, calls } = setup(({ settings, calls }) => [
      intervalJob(settings, calls, async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        if (calls.accumulate === 1) await g.promise;
        active -= 1;
      }),
    ]);
    const first = scheduler.runDue(T0);
    await Promise.resolve();
    expect(await scheduler.runNow('accumulate'), 'a manual run while running is queued').toEqual({
      status: 'queued',
    });
    clock.advance(120_000);
    expect(await scheduler.runDue(), 'due again, but still running: not started').toEqual([]);
    g.open();
    await first;
    expect(await scheduler.tick(), 'the queued run follows').toEqual(['accumulate']);
    expect(calls.accumulate).toBe(2);
    expect(maxActive, 'never two at once').toBe(1);
  });

  it('contains a failing job: error row, alert, and it runs again next time', async () => {
    const { scheduler, clock, runs, events } = setup(() => [
      {
        id: 'accumulate',
        strategyId: 'accumulate',
        schedule: () => ({ kind: 'interval', everyMs: 60_000 }),
        enabled: () => true,
        stuckAfterMs: 15 * 60_000,
        run: async () => {
          throw new Error('strategy exploded');
        },
      },
    ]);
    expect(await scheduler.runNow('accumulate')).toEqual({
      status: 'ran',
      outcome: 'error',
      error: 'strategy exploded',
    });
    expect(runs.last('accumulate')).toMatchObject({ outcome: 'error', error: 'strategy exploded' });
    expect(events.filter((e) => e.type === 'alert')).toHaveLength(1);
    clock.advance(60_000);
    expect(await scheduler.tick(), 'still scheduled').toEqual(['accumulate']);
  });

  it('pause and resume: per strategy and all; paused due runs are not run and not recorded', async () => {
    const { scheduler, pauses, clock, calls, runs } = setup(({ settings, calls }) => [
      intervalJob(settings, calls),
    ]);
    pauses.pause('accumulate', 'owner');
    expect(pauses.isPaused('accumulate')).toBe(true);
    expect(await scheduler.runDue(T0), 'paused: not run').toEqual([]);
    expect(calls.accumulate ?? 0).toBe(0);
    expect(runs.last('accumulate'), 'no job_runs row for a paused skip').toBeUndefined();
    expect(scheduler.status()[0]).toMatchObject({ paused: true, nextRunAt: T0 + 60_000 });
    expect(await scheduler.runNow('accumulate')).toEqual({ status: 'paused' });

    pauses.resume('accumulate', 'owner');
    clock.advance(60_000);
    await scheduler.tick();
    expect(calls.accumulate).toBe(1);

    pauses.pause('all', 'owner');
    expect(pauses.isPaused('accumulate'), 'global pause').toBe(true);
    expect(pauses.resume('accumulate', 'owner')).toEqual({ changed: false, stillPausedGlobally: true });
    clock.advance(60_000);
    await scheduler.tick();
    expect(calls.accumulate).toBe(1);
    pauses.resume('all', 'owner');
    clock.advance(60_000);
    await scheduler.tick();
    expect(calls.accumulate).toBe(2);
  });

  it('resume all also resumes a strategy paused on its own, and a resume never switches one on', async () => {
    const { scheduler, pauses, settings, clock, calls } = setup(({ settings, calls }) => [
      intervalJob(settings, calls),
    ]);
    expect(pauses.pause('accumulate', 'owner')).toEqual({ changed: true });
    expect(pauses.pause('all', 'owner')).toEqual({ changed: true });
    expect(pauses.resume('all', 'owner')).toEqual({ changed: true, stillPausedGlobally: false });
    expect(pauses.isPaused('accumulate'), 'its own pause is gone too').toBe(false);
    expect(pauses.pausedStrategies()).toEqual([]);
    await scheduler.runDue(T0);
    expect(calls.accumulate).toBe(1);

    settings.set('accumulate.enabled', 'off', 'owner');
    expect(pauses.resume('all', 'owner'), 'nothing was paused').toEqual({
      changed: false,
      stillPausedGlobally: false,
    });
    expect(settings.get('accumulate.enabled'), 'switched off stays off').toBe(false);
    clock.advance(60_000);
    await scheduler.tick();
    expect(calls.accumulate).toBe(1);
  });

  it('respects the enabled flag', async () => {
    const { scheduler, settings, calls } = setup(({ settings, calls }) => [intervalJob(settings, calls)]);
    settings.set('accumulate.enabled', 'off', 'owner');
    await scheduler.runDue(T0);
    expect(calls.accumulate ?? 0).toBe(0);
    expect(scheduler.status()[0]!.enabled).toBe(false);
    expect(await scheduler.runNow('accumulate')).toEqual({ status: 'disabled' });
  });

  it('status() reports last run and next run per job', async () => {
    const { scheduler } = setup(({ settings, calls }) => [
      intervalJob(settings, calls),
      cronJob(settings, calls),
    ]);
    await scheduler.runDue(T0);
    const [acc, scan] = scheduler.status();
    expect(acc).toMatchObject({
      id: 'accumulate',
      enabled: true,
      paused: false,
      running: false,
      schedule: 'every 1 min',
      nextRunAt: T0 + 60_000,
      lastRun: { startedAt: T0, outcome: 'ok', summary: 'run 1' },
    });
    expect(scan).toMatchObject({ schedule: 'cron */15 * * * * (UTC)', lastRun: undefined });
  });

  it('stop() waits for an in-flight run', async () => {
    const g = gate();
    const { scheduler, runs } = setup(({ settings, calls }) => [
      intervalJob(settings, calls, () => g.promise),
    ]);
    const running = scheduler.runDue(T0);
    let stopped = false;
    const stopping = scheduler.stop({ timeoutMs: 60_000 }).then((r) => {
      stopped = true;
      return r;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(stopped, 'still waiting for the run').toBe(false);
    g.open();
    expect(await stopping).toEqual({ finished: ['accumulate'], abandoned: [] });
    await running;
    expect(runs.last('accumulate')?.outcome).toBe('ok');
    expect(await scheduler.runNow('accumulate')).toEqual({ status: 'stopped' });
  });

  it('stop() marks a run still going after the timeout as abandoned, and the late end does not overwrite it', async () => {
    const g = gate();
    const { scheduler, runs } = setup(
      ({ settings, calls }) => [intervalJob(settings, calls, () => g.promise)],
      {
        sleep: async () => {},
      },
    );
    const running = scheduler.runDue(T0);
    expect(await scheduler.stop({ timeoutMs: 5 })).toEqual({ finished: [], abandoned: ['accumulate'] });
    expect(runs.last('accumulate')?.outcome).toBe('abandoned');
    g.open();
    await running;
    expect(runs.last('accumulate')?.outcome, 'abandoned stays').toBe('abandoned');
  });

  it('closes runs left open by a crashed process as abandoned', () => {
    const db = testDb();
    const runs = new JobRunRepository(db);
    runs.start('accumulate', T0 - 5_000);
    const { runs: after } = setup(({ settings, calls }) => [intervalJob(settings, calls)], { db });
    expect(after.last('accumulate')?.outcome).toBe('abandoned');
  });
});

describe('Scheduler with timers and a sped-up clock', () => {
  it('waits (next − now) / speed of wall time', async () => {
    vi.useFakeTimers({ now: T0 });
    const wall0 = Date.now();
    const simClock: Clock = { now: () => T0 + (Date.now() - wall0) * 60 };
    const { scheduler, calls } = setup(({ settings, calls }) => [intervalJob(settings, calls)], {
      clock: simClock,
      speed: 60,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.accumulate, 'first run at start').toBe(1);
    // 60 s of simulated time = 1 s of wall time at 60×.
    await vi.advanceTimersByTimeAsync(999);
    expect(calls.accumulate).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.accumulate).toBe(2);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls.accumulate).toBe(5);
  });
});

describe('Scheduler start: the jobs due at once are spaced out', () => {
  /** A job on a fixed interval that notes the wall time of each run. */
  const timedJob = (
    id: string,
    everyMs: number,
    starts: Record<string, number[]>,
    enabled = true,
  ): JobSpec => ({
    id,
    schedule: () => ({ kind: 'interval', everyMs }),
    enabled: () => enabled,
    stuckAfterMs: 60_000,
    run: async () => {
      (starts[id] ??= []).push(Date.now() - T0);
      return { outcome: 'ok' };
    },
  });

  it('runs the due jobs startSpacingMs apart in table order; a disabled one takes no turn', async () => {
    vi.useFakeTimers({ now: T0 });
    const clock: Clock = { now: () => Date.now() };
    const starts: Record<string, number[]> = {};
    const db = testDb();
    // `later` ran 30 s ago on a minute's interval: due in 30 s, untouched by the spacing.
    new JobRunRepository(db).record('later', T0 - 30_000, { endedAt: T0 - 30_000, outcome: 'ok' });
    const { scheduler } = setup(
      () => [
        timedJob('a', 60_000, starts),
        timedJob('off', 60_000, starts, false),
        timedJob('b', 60_000, starts),
        timedJob('later', 60_000, starts),
        timedJob('c', 60_000, starts),
      ],
      { clock, db, startSpacingMs: 100 },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toEqual({ a: [0] });
    await vi.advanceTimersByTimeAsync(99);
    expect(starts, 'b waits its turn').toEqual({ a: [0] });
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual({ a: [0], b: [100] });
    await vi.advanceTimersByTimeAsync(100);
    expect(starts, 'c is third: the disabled job took no turn').toEqual({ a: [0], b: [100], c: [200] });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(starts.later, 'a job not yet due keeps its time').toEqual([30_000]);
    expect(starts.off).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000 - 30_200);
    expect(starts.a, 'each keeps its cadence from its own first run').toEqual([0, 60_000]);
    expect(starts.b).toEqual([100]);
    await vi.advanceTimersByTimeAsync(100);
    expect(starts.b).toEqual([100, 60_100]);
  });

  it('spaces them by the default START_SPACING_MS', async () => {
    vi.useFakeTimers({ now: T0 });
    const clock: Clock = { now: () => Date.now() };
    const starts: Record<string, number[]> = {};
    const { scheduler } = setup(() => [timedJob('a', 60_000, starts), timedJob('b', 60_000, starts)], {
      clock,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(START_SPACING_MS);
    expect(starts).toEqual({ a: [0], b: [START_SPACING_MS] });
  });
});

describe('Scheduler bookkeeping that cannot die', () => {
  it('a failing run start or run end is logged and the job re-armed; /healthz data shows it back', async () => {
    vi.useFakeTimers({ now: T0 });
    const clock: Clock = { now: () => Date.now() };
    const db = testDb();
    const errors: string[] = [];
    const logger = silentLogger();
    logger.error = ((obj: unknown, msg?: string) => void errors.push(msg ?? String(obj))) as never;
    const { scheduler, calls } = setup(({ settings, calls }) => [intervalJob(settings, calls)], {
      clock,
      db,
      logger,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.accumulate).toBe(1);

    // The disk fills: starting a run cannot be recorded for two periods.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const filler = db.prepare('INSERT INTO job_runs (job, started_at) VALUES (?, ?)');
    for (;;) {
      try {
        filler.run('filler', 0);
      } catch {
        break;
      }
    }
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls.accumulate, 'not run without a record').toBe(1);
    expect(errors.filter((e) => /could not record the start of a run/.test(e)).length).toBeGreaterThan(0);
    const during = scheduler.health()[0]!;
    expect(during.lastRunAt, 'taken up on time all the same').toBeGreaterThan(T0 + 60_000);

    // Freed: the next period runs and is recorded.
    db.pragma('max_page_count = 1073741823');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.accumulate).toBe(2);
    expect(scheduler.status()[0]!.running).toBe(false);
  });

  it('a run that cannot record its end does not stay running, and the next one comes', async () => {
    vi.useFakeTimers({ now: T0 });
    const clock: Clock = { now: () => Date.now() };
    const db = testDb();
    let failEnds = 1;
    class FullDiskRuns extends JobRunRepository {
      override finish(...args: Parameters<JobRunRepository['finish']>): void {
        if (failEnds-- > 0)
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        super.finish(...args);
      }
    }
    const { scheduler, calls } = setup(({ settings, calls }) => [intervalJob(settings, calls)], {
      clock,
      db,
      runs: new FullDiskRuns(db),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.accumulate).toBe(1);
    expect(scheduler.status()[0]!.running, 'not left running').toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.accumulate).toBe(2);
    expect(scheduler.status()[0]!.lastRun?.outcome, 'the second end is recorded').toBe('ok');
  });

  it('reports a run stuck longer than its limit once', async () => {
    const g = gate();
    const { scheduler, clock, events } = setup(({ settings, calls }) => [
      { ...intervalJob(settings, calls, () => g.promise), stuckAfterMs: 5 * 60_000 },
    ]);
    const run = scheduler.runDue(T0);
    clock.advance(5 * 60_000 + 1);
    expect(scheduler.checkStuck()).toEqual(['accumulate']);
    expect(scheduler.checkStuck(), 'once').toEqual([]);
    expect(events.filter((e) => e.type === 'alert' && e.key === 'job-stuck:accumulate')).toHaveLength(1);
    g.open();
    await run;
  });

  describe('a job that records only its eventful runs (orders.watch, every 2 s)', () => {
    function watchLike(state: { quiet: boolean; fail: boolean; hold?: Promise<void> }): JobSpec {
      return {
        id: 'orders.watch',
        schedule: () => ({ kind: 'interval', everyMs: 2_000 }),
        enabled: () => true,
        stuckAfterMs: 60_000,
        record: 'eventful',
        run: async () => {
          await state.hold;
          if (state.fail) throw new Error('exchange down');
          return { outcome: 'ok', summary: state.quiet ? '1 working' : '1 filled', quiet: state.quiet };
        },
      };
    }

    it('writes no row for a quiet run, one row for a run that did something or failed', async () => {
      const state = { quiet: true, fail: false };
      const { scheduler, clock, runs } = setup(() => [watchLike(state)]);
      for (let i = 0; i < 30; i++) {
        await scheduler.runDue(clock.now());
        clock.advance(2_000);
      }
      expect(runs.list('orders.watch'), 'a minute of quiet runs leaves no row').toEqual([]);
      expect(scheduler.health()[0]!.lastOkAt, '/healthz still sees it run').toBe(clock.now() - 2_000);

      state.quiet = false;
      await scheduler.runDue(clock.now());
      clock.advance(2_000);
      state.fail = true;
      await scheduler.runDue(clock.now());
      expect(runs.list('orders.watch').map((r) => [r.outcome, r.summary ?? r.error])).toEqual([
        ['error', 'exchange down'],
        ['ok', '1 filled'],
      ]);
      expect(runs.list('orders.watch').every((r) => r.endedAt !== undefined)).toBe(true);
    });

    it('a quiet run that hangs is still reported stuck after its own limit, and /healthz sees it running', async () => {
      const g = gate();
      const { scheduler, clock, events } = setup(() => [
        watchLike({ quiet: true, fail: false, hold: g.promise }),
      ]);
      const run = scheduler.runDue(T0);
      clock.advance(60_001);
      expect(scheduler.health()[0]).toMatchObject({ runningSinceMs: T0, stuckAfterMs: 60_000 });
      expect(scheduler.checkStuck()).toEqual(['orders.watch']);
      expect(events.find((e) => e.type === 'alert' && e.key === 'job-stuck:orders.watch')).toMatchObject({
        message: 'orders.watch has been running for 1 min (limit 1 min); it may be stuck',
      });
      g.open();
      await run;
    });

    it('keeps running while the database refuses writes (no start row is needed)', async () => {
      const state = { quiet: true, fail: false };
      const { scheduler, clock, runs } = setup(() => [watchLike(state)]);
      const start = vi.spyOn(runs, 'start').mockImplementation(() => {
        throw new Error('SQLITE_FULL: database or disk is full');
      });
      expect(await scheduler.runNow('orders.watch')).toMatchObject({ status: 'ran', outcome: 'ok' });
      expect(start).not.toHaveBeenCalled();
      clock.advance(1);
    });
  });
});
