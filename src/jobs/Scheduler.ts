/**
 * Runs the jobs of `jobs.ts` on their schedules (after freqtrade's worker and
 * trading-signals' ReportScheduler): one self-re-arming timer per job, never two runs of the same
 * job at once, every run recorded in `job_runs`, failures contained (error row plus an alert).
 *
 * Schedules are read live: `job.schedule()` is evaluated on every re-arm and again whenever a
 * setting changes. Times come from the injected clock; a timer waits (nextRun − now) / speed of
 * wall time, so a simulated clock running `speed`× faster stays in step. Tests and the simulated
 * week drive it without timers through {@link Scheduler.runDue}.
 *
 * The scheduler's own bookkeeping cannot stop a job: when recording a run's start or end fails
 * (a full disk, a locked database) the failure is logged and the job is planned and re-armed
 * all the same. A run longer than its job's limit is reported once (log and alert), and
 * {@link Scheduler.health} tells `/healthz` when each job last ran and how often it should.
 */
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { EventSink } from '../domain/events.js';
import type { JobOutcome, JobRunRepository } from '../persistence/JobRunRepository.js';
import type { StrategyId } from '../domain/strategy.js';
import type { StrategySchedule } from '../strategies/contract.js';
import { nextCronRun } from '../common/cron.js';
import type { PauseState } from './PauseState.js';

/** When and why a job is running. */
export interface JobContext {
  readonly now: number;
  readonly trigger: 'schedule' | 'manual' | 'follow-up';
}

/** How a job run ended when it did not throw, with an optional one-line summary. */
export interface JobRunResult {
  readonly outcome: 'ok' | 'skipped';
  readonly summary?: string;
  /** The run found nothing to do: a job that records only eventful runs leaves no row for it. */
  readonly quiet?: boolean;
}

/** One entry of the job table. */
export interface JobSpec {
  readonly id: string;
  /** Set for strategy jobs: they obey pauses. System jobs (order tracking, reconciliation) never pause. */
  readonly strategyId?: StrategyId;
  /** Read live on every re-arm. */
  schedule(): StrategySchedule;
  enabled(): boolean;
  run(context: JobContext): Promise<JobRunResult>;
  /**
   * A run longer than this is reported as stuck (log, alert, `/healthz`), chosen per job from what
   * one run does: seconds of work for a quick look, minutes for a cold market scan.
   */
  readonly stuckAfterMs: number;
  /**
   * `eventful`: a job that runs every few seconds records in `job_runs` only the runs that did
   * something, failed or were not quiet; its quiet runs live in memory only (stuck detection and
   * `/healthz` read memory, never the table). Default `every`: each run is a row.
   */
  readonly record?: 'every' | 'eventful';
}

/** One job as `/healthz` sees it (matches the health server's job shape). */
export interface SchedulerJobHealth {
  readonly id: string;
  /** When the current run started (Unix ms); absent when idle. */
  readonly runningSinceMs?: number;
  /** When the last successful run of this process ended (Unix ms). */
  readonly lastOkAt?: number;
  /** When the scheduler last took the job up: a run, or a skip because it is paused or disabled. */
  readonly lastRunAt?: number;
  /** The time between two runs (the interval, or the gap between the next two cron times). */
  readonly everyMs?: number;
  readonly stuckAfterMs: number;
}

/**
 * One job's state for /status and health checks: schedule, pauses, whether it runs, and its last and next
 * runs.
 */
export interface JobStatus {
  readonly id: string;
  readonly strategyId?: StrategyId;
  readonly enabled: boolean;
  readonly paused: boolean;
  readonly running: boolean;
  readonly runningSince?: number;
  readonly schedule: string;
  readonly nextRunAt?: number;
  readonly lastRun?: {
    readonly startedAt: number;
    readonly endedAt?: number;
    readonly outcome?: JobOutcome;
    readonly summary?: string;
    readonly error?: string;
  };
}

/**
 * The outcome of running a job on demand: its result, queued behind a run in progress, or why it did not run.
 */
export type RunNowResult =
  | {
      readonly status: 'ran';
      readonly outcome: JobOutcome;
      readonly summary?: string;
      readonly error?: string;
    }
  /** A run was in progress: one more run follows right after it. */
  | { readonly status: 'queued' }
  | { readonly status: 'paused' | 'disabled' | 'unknown-job' | 'stopped' };

/** The jobs, clock, pauses, repositories and events the scheduler runs with. */
export interface SchedulerOptions {
  readonly clock: Clock;
  readonly events: EventSink;
  readonly jobs: readonly JobSpec[];
  readonly logger: Logger;
  readonly pauses: PauseState;
  readonly runs: JobRunRepository;
  /**
   * Whether runs are written to `runs` (default true). A replay writes none: it has no /status to
   * show them, and two writes per run were a tenth of its time.
   */
  readonly recordRuns?: boolean;
  /** Clock milliseconds per wall millisecond (SIM_SPEED). Default 1. */
  readonly speed?: number;
  /** Subscribes to setting changes (SettingsStore.onChange); returns the unsubscribe function. */
  readonly onSettingsChange?: (listener: () => void) => () => void;
  /** Wall-clock wait used by stop(); injected in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Wall milliseconds between checks for stuck runs when timers are armed. Default 30 s. */
  readonly stuckCheckEveryMs?: number;
  /**
   * Wall milliseconds between the first runs of the jobs already due when the timers are armed
   * (in job-table order). Default {@link START_SPACING_MS}. A start, above all a first one or one
   * after downtime, finds most jobs due: run in the same moment, their answers from the exchange
   * arrive together and keep the event loop (the chat, on one vCPU) busy for tens of milliseconds.
   */
  readonly startSpacingMs?: number;
}

interface JobState {
  nextRunAt?: number;
  lastStartedAt?: number;
  running?: Promise<RunNowResult>;
  runningSince?: number;
  runId?: number;
  rerun: boolean;
  timer?: NodeJS.Timeout;
  scheduleError?: string;
  /** When the scheduler last took the job up (ran or skipped it). */
  lastTakenAt?: number;
  lastOkAt?: number;
  /** The run start already reported as stuck. */
  stuckReportedFor?: number;
}

const MAX_TIMER_MS = 2_147_483_647;

/**
 * The default {@link SchedulerOptions.startSpacingMs}: a dozen due jobs start within three seconds,
 * each with the event loop to itself for its first exchange round trip.
 */
export const START_SPACING_MS = 250;

/** Runs every job on its schedule, one run per job at a time, recording each run and alerting on failures. */
export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #jobs = new Map<string, JobSpec>();
  readonly #state = new Map<string, JobState>();
  #timers = false;
  #stopping = false;
  #unsubscribe?: () => void;
  #stuckTimer?: NodeJS.Timeout;
  readonly #startedAt: number;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#startedAt = options.clock.now();
    for (const job of options.jobs) {
      if (this.#jobs.has(job.id)) throw new Error(`duplicate job id ${job.id}`);
      this.#jobs.set(job.id, job);
      this.#state.set(job.id, { rerun: false, lastStartedAt: options.runs.last(job.id)?.startedAt });
    }
    // A run left open by a previous process ended with it.
    const closed = options.runs.abandonOpen(options.clock.now());
    if (closed > 0) options.logger.warn({ runs: closed }, 'closed runs left open by the previous process');
    for (const job of this.#jobs.values()) this.#plan(job, options.clock.now(), 'initial');
    this.#unsubscribe = options.onSettingsChange?.(() => this.#replanAll());
  }

  /** Arms real timers (production). Tests and the simulator may use runDue() instead. */
  start(): void {
    if (this.#stopping) return;
    this.#timers = true;
    const spacing = this.#o.startSpacingMs ?? START_SPACING_MS;
    const now = this.#o.clock.now();
    let due = 0;
    for (const job of this.#jobs.values()) {
      const next = this.#state.get(job.id)!.nextRunAt;
      const waits = next !== undefined && next <= now && this.#isEnabled(job) ? due++ * spacing : 0;
      this.#arm(job, waits);
    }
    this.#stuckTimer = setInterval(() => this.checkStuck(), this.#o.stuckCheckEveryMs ?? 30_000);
    this.#stuckTimer.unref?.();
  }

  /**
   * Reports (once per run: a warning in the log and an alert) every run going on longer than
   * its job's limit. Runs by itself with timers; `runDue` calls it too.
   */
  checkStuck(now: number = this.#o.clock.now()): string[] {
    const stuck: string[] = [];
    for (const job of this.#jobs.values()) {
      const st = this.#state.get(job.id)!;
      const since = st.runningSince;
      if (since === undefined || st.stuckReportedFor === since) continue;
      const limit = job.stuckAfterMs;
      if (now - since <= limit) continue;
      st.stuckReportedFor = since;
      stuck.push(job.id);
      this.#o.logger.warn({ job: job.id, runningSince: since, limitMs: limit }, 'job run stuck');
      this.#guard('report a stuck run', job.id, () =>
        this.#o.events.publish({
          type: 'alert',
          severity: 'warning',
          key: `job-stuck:${job.id}`,
          message: `${job.id} has been running for ${formatMinutes(now - since)} (limit ${formatMinutes(limit)}); it may be stuck`,
        }),
      );
    }
    return stuck;
  }

  /** Per job: running since, last run and last success, and its period (for `/healthz`). */
  health(now: number = this.#o.clock.now()): SchedulerJobHealth[] {
    return [...this.#jobs.values()].map((job) => {
      const st = this.#state.get(job.id)!;
      const everyMs = this.#period(job, now);
      return {
        id: job.id,
        ...(st.runningSince === undefined ? {} : { runningSinceMs: st.runningSince }),
        ...(st.lastOkAt === undefined ? {} : { lastOkAt: st.lastOkAt }),
        // Before the first run of this process, the clock starts at the scheduler's start.
        lastRunAt: st.lastTakenAt ?? this.#startedAt,
        ...(everyMs === undefined ? {} : { everyMs }),
        stuckAfterMs: job.stuckAfterMs,
      };
    });
  }

  /** Runs every job whose next run is due at `now`, and waits for them. Returns the ids that ran (not paused or disabled ones). */
  async runDue(now: number = this.#o.clock.now()): Promise<string[]> {
    const due = [...this.#jobs.values()].filter((job) => {
      const st = this.#state.get(job.id)!;
      return !st.running && st.nextRunAt !== undefined && st.nextRunAt <= now;
    });
    const results = await Promise.all(due.map((job) => this.#launch(job, 'schedule')));
    this.checkStuck(now);
    return due.filter((_, i) => results[i]!.status === 'ran').map((j) => j.id);
  }

  /** runDue at the clock's current time. */
  tick(): Promise<string[]> {
    return this.runDue(this.#o.clock.now());
  }

  /** Runs a job now (/scan), unless disabled or paused (or `force`). While it runs, queues one more run. */
  async runNow(id: string, options: { readonly force?: boolean } = {}): Promise<RunNowResult> {
    const job = this.#jobs.get(id);
    if (!job) return { status: 'unknown-job' };
    if (this.#stopping) return { status: 'stopped' };
    const st = this.#state.get(id)!;
    if (st.running) {
      st.rerun = true;
      return { status: 'queued' };
    }
    if (!options.force) {
      if (!job.enabled()) return { status: 'disabled' };
      if (job.strategyId && this.#o.pauses.isPaused(job.strategyId)) return { status: 'paused' };
    }
    return this.#launch(job, 'manual', options.force);
  }

  /** Brings a job's next run forward to within `delayMs` (core-balance after take-profit fills). */
  requestSoon(id: string, delayMs: number): void {
    const job = this.#jobs.get(id);
    if (!job || this.#stopping) return;
    const st = this.#state.get(id)!;
    if (st.running) {
      st.rerun = true;
      return;
    }
    const soon = this.#o.clock.now() + delayMs;
    if (st.nextRunAt === undefined || soon < st.nextRunAt) st.nextRunAt = soon;
    this.#arm(job);
  }

  /**
   * The next planned run of every enabled job, read from memory (no run history, unlike
   * {@link status}): what a replay asks at every step to skip ahead to the next due job.
   */
  nextRuns(): { readonly id: string; readonly nextRunAt: number | undefined }[] {
    const out: { id: string; nextRunAt: number | undefined }[] = [];
    for (const job of this.#jobs.values()) {
      if (job.enabled()) out.push({ id: job.id, nextRunAt: this.#state.get(job.id)!.nextRunAt });
    }
    return out;
  }

  /** Per job: enabled, paused, running, schedule, next run and the last recorded run (for /status). */
  status(): JobStatus[] {
    return [...this.#jobs.values()].map((job) => {
      const st = this.#state.get(job.id)!;
      const last = this.#o.runs.last(job.id);
      return {
        id: job.id,
        strategyId: job.strategyId,
        enabled: job.enabled(),
        paused: job.strategyId ? this.#o.pauses.isPaused(job.strategyId) : false,
        running: st.running !== undefined,
        runningSince: st.runningSince,
        schedule: st.scheduleError ?? describeSchedule(job),
        nextRunAt: st.nextRunAt,
        lastRun: last && {
          startedAt: last.startedAt,
          endedAt: last.endedAt,
          outcome: last.outcome,
          summary: last.summary,
          error: last.error,
        },
      };
    });
  }

  /** Resolves when no job runs (or after `timeoutMs`); true when idle. */
  async waitIdle(timeoutMs: number): Promise<boolean> {
    const running = () => [...this.#state.values()].map((s) => s.running).filter((p) => p !== undefined);
    const all = Promise.allSettled(running()).then(() => true);
    const sleep = this.#o.sleep ?? realSleep;
    return Promise.race([all, sleep(timeoutMs).then(() => running().length === 0)]);
  }

  /**
   * Orderly shutdown: no new runs, timers cleared, in-flight runs awaited up to `timeoutMs`, and
   * the ones still running then are recorded as abandoned.
   */
  async stop(
    options: { readonly timeoutMs?: number } = {},
  ): Promise<{ finished: string[]; abandoned: string[] }> {
    this.#stopping = true;
    this.#unsubscribe?.();
    if (this.#stuckTimer) clearInterval(this.#stuckTimer);
    for (const st of this.#state.values()) if (st.timer) clearTimeout(st.timer);
    const inFlight = [...this.#state].filter(([, st]) => st.running).map(([id]) => id);
    await this.waitIdle(options.timeoutMs ?? 30_000);
    const abandoned = [...this.#state]
      .filter(([, st]) => st.running)
      .map(([id, st]) => ({ id, runId: st.runId }));
    this.#guard('record abandoned runs', 'all', () =>
      this.#o.runs.abandonOpen(
        this.#o.clock.now(),
        abandoned.map((a) => a.runId).filter((x): x is number => x !== undefined),
      ),
    );
    for (const a of abandoned) this.#o.logger.warn({ job: a.id }, 'run abandoned at shutdown');
    return {
      finished: inFlight.filter((id) => !abandoned.some((a) => a.id === id)),
      abandoned: abandoned.map((a) => a.id),
    };
  }

  async #launch(job: JobSpec, trigger: JobContext['trigger'], force = false): Promise<RunNowResult> {
    const st = this.#state.get(job.id)!;
    if (st.running) return st.running;
    const now = this.#o.clock.now();
    st.lastTakenAt = now;
    const paused = job.strategyId !== undefined && this.#o.pauses.isPaused(job.strategyId);
    if (!force && (this.#stopping || !job.enabled() || paused)) {
      // Not run and not recorded: a paused strategy would otherwise fill job_runs with skips.
      this.#plan(job, now, 'skip');
      this.#arm(job);
      return { status: this.#stopping ? 'stopped' : paused ? 'paused' : 'disabled' };
    }
    let runId: number | undefined;
    try {
      // An eventful-only job writes its row at the end, and only when the run had something to say.
      runId =
        job.record === 'eventful' || this.#o.recordRuns === false
          ? undefined
          : this.#o.runs.start(job.id, now);
    } catch (error) {
      // No record, no run: the job comes back after its period, once the database takes writes.
      this.#o.logger.error({ err: error, job: job.id }, 'could not record the start of a run; run skipped');
      this.#plan(job, now, 'skip');
      this.#arm(job);
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'ran', outcome: 'error', error: `not run: ${message}` };
    }
    st.runId = runId;
    st.runningSince = now;
    st.lastStartedAt = now;
    st.running = this.#execute(job, runId, { now, trigger });
    try {
      return await st.running;
    } finally {
      st.running = undefined;
      st.runningSince = undefined;
      st.runId = undefined;
      const rerun = st.rerun;
      st.rerun = false;
      if (!this.#stopping) {
        if (rerun) st.nextRunAt = this.#o.clock.now();
        else this.#plan(job, this.#o.clock.now(), 'after-run');
        this.#arm(job);
      }
    }
  }

  async #execute(job: JobSpec, runId: number | undefined, context: JobContext): Promise<RunNowResult> {
    const { clock, events, logger, runs } = this.#o;
    let result: RunNowResult;
    let quiet = false;
    try {
      const r = await job.run(context);
      quiet = r.quiet === true;
      result = { status: 'ran', outcome: r.outcome, summary: r.summary };
      if (r.outcome === 'ok') this.#state.get(job.id)!.lastOkAt = clock.now();
    } catch (error) {
      // Contained: a failing job is recorded and reported, and the scheduler keeps going.
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, job: job.id }, 'job failed');
      this.#guard('report a failed job', job.id, () =>
        events.publish({
          type: 'alert',
          severity: 'warning',
          key: `job:${job.id}`,
          message: `${job.id} failed: ${message}`,
        }),
      );
      result = { status: 'ran', outcome: 'error', error: message };
    }
    const end = {
      endedAt: clock.now(),
      outcome: result.outcome,
      summary: result.summary,
      error: result.error,
    };
    // A run whose end cannot be recorded stays open in job_runs until the next start closes it.
    if (runId !== undefined) this.#guard('record the end of a run', job.id, () => runs.finish(runId, end));
    else if (!quiet && this.#o.recordRuns !== false)
      this.#guard('record a run', job.id, () => runs.record(job.id, context.now, end));
    return result;
  }

  /** Runs a bookkeeping step; a failure is logged and the scheduler goes on. */
  #guard(what: string, job: string, fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      this.#o.logger.error({ err: error, job }, `scheduler could not ${what}`);
    }
  }

  /** Time between two runs: the interval, or the gap between the next two cron times. */
  #period(job: JobSpec, now: number): number | undefined {
    try {
      const schedule = job.schedule();
      if (schedule.kind === 'interval') return schedule.everyMs;
      const first = nextCronRun(schedule.expression, now);
      return nextCronRun(schedule.expression, first) - first;
    } catch {
      return undefined;
    }
  }

  /**
   * Computes the next run. Intervals keep their cadence from the last start (never in the past);
   * cron looks ahead from now. `initial`: first plan of this process; `skip`: the job was due but
   * paused or disabled, so it moves a full period on instead of spinning.
   */
  #plan(job: JobSpec, now: number, mode: 'initial' | 'after-run' | 'skip' | 'replan'): void {
    const st = this.#state.get(job.id)!;
    try {
      const schedule = job.schedule();
      st.scheduleError = undefined;
      if (schedule.kind === 'interval') {
        const every = schedule.everyMs;
        if (!(every > 0)) throw new Error(`interval must be positive, got ${every}`);
        const anchor = st.lastStartedAt;
        if (mode === 'skip') st.nextRunAt = now + every;
        else if (anchor !== undefined) st.nextRunAt = Math.max(now, anchor + every);
        // No run yet: the first one comes soon after start; a schedule change only brings it closer.
        else if (mode === 'initial' || st.nextRunAt === undefined) st.nextRunAt = now;
        else st.nextRunAt = Math.min(st.nextRunAt, now + every);
      } else {
        st.nextRunAt = nextCronRun(schedule.expression, now);
      }
    } catch (error) {
      st.nextRunAt = undefined;
      st.scheduleError = `schedule error: ${error instanceof Error ? error.message : String(error)}`;
      this.#o.logger.error({ err: error, job: job.id }, 'cannot schedule job');
    }
  }

  #replanAll(): void {
    if (this.#stopping) return;
    const now = this.#o.clock.now();
    for (const job of this.#jobs.values()) {
      if (this.#state.get(job.id)!.running) continue; // re-planned when the run ends
      this.#plan(job, now, 'replan');
      this.#arm(job);
    }
  }

  /** Whether a job will run when due; one whose setting cannot be read counts as enabled (its run reports why). */
  #isEnabled(job: JobSpec): boolean {
    try {
      return job.enabled();
    } catch {
      return true;
    }
  }

  /** Sets the job's timer for its next run, and at least `waitMs` wall milliseconds from now. */
  #arm(job: JobSpec, waitMs = 0): void {
    const st = this.#state.get(job.id)!;
    if (st.timer) clearTimeout(st.timer);
    st.timer = undefined;
    if (!this.#timers || this.#stopping || st.nextRunAt === undefined) return;
    const speed = this.#o.speed ?? 1;
    const delay = Math.min(MAX_TIMER_MS, Math.max(waitMs, (st.nextRunAt - this.#o.clock.now()) / speed));
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (st.nextRunAt !== undefined && this.#o.clock.now() < st.nextRunAt) {
        this.#arm(job); // woke early (clock drift or a long delay clamped): wait for the rest
        return;
      }
      this.#launch(job, 'schedule').catch((error: unknown) => {
        // Only bookkeeping can fail here (the job's own errors are contained in #execute).
        this.#o.logger.error({ err: error, job: job.id }, 'scheduler could not run job');
      });
    }, delay);
  }
}

function formatMinutes(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

function describeSchedule(job: JobSpec): string {
  try {
    const s = job.schedule();
    // Cron schedules always run in UTC (shared/cron.ts); the zone is part of their description.
    if (s.kind === 'cron') return `cron ${s.expression} (UTC)`;
    const sec = s.everyMs / 1000;
    return sec % 60 === 0 ? `every ${sec / 60} min` : `every ${sec} s`;
  } catch (error) {
    return `schedule error: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });
