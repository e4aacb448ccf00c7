/**
 * Sends the daily report once per local day at `notify.dailyReportHour` in TZ_REPORTS.
 *
 * The last sent local date is persisted in `strategy_state` (strategy `ops`), so a restart never
 * sends a second report the same day, and a process that was down at the hour catches up once
 * when it comes back the same day. A day missed entirely is not reported late the next morning:
 * that day's report would arrive hours before the next one and say less than it.
 *
 * Settings are read live on every tick: a changed hour or a disabled report applies at once.
 */
import type { Db } from '../persistence/db.js';
import { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { DailyReport } from './dailyReport.js';
import { localTime } from '../common/timeZone.js';

/** The `strategy_state` owner under which operational jobs keep their state. */
export const OPS_STATE_OWNER = 'ops';
/** The state key holding the local date of the last daily report sent. */
export const LAST_SENT_KEY = 'dailyReport.lastSentDate';

/** What one tick did, for logs and tests. */
export const TickOutcome = {
  Sent: 'sent',
  Disabled: 'disabled',
  BeforeHour: 'before-hour',
  AlreadySent: 'already-sent',
  Busy: 'busy',
  Failed: 'failed',
  BackingOff: 'backing-off',
} as const;
export type TickOutcome = (typeof TickOutcome)[keyof typeof TickOutcome];

/** How the report is built and delivered, when it is due, and where the last sent date is kept. */
export interface DailyReportSchedulerOptions {
  /** Builds the report for `now` (see `dailyReportBuilder`). */
  readonly build: (now: number) => Promise<DailyReport>;
  readonly clock: Clock;
  readonly db: Db;
  /** Hands the report to delivery (the Telegram outbox). Must be durable when it resolves. */
  readonly deliver: (report: DailyReport) => Promise<void> | void;
  readonly logger?: Logger;
  /** Wait after a failed build or delivery before trying again; default 15 minutes. */
  readonly retryAfterMs?: number;
  /** Live settings: `notify.dailyReport` and `notify.dailyReportHour`. */
  readonly settings: Pick<SettingsStore, 'get'>;
  /** Period of {@link DailyReportScheduler.start}'s timer; default one minute. */
  readonly tickMs?: number;
  /**
   * Wait before {@link DailyReportScheduler.start}'s first tick (the catch-up); default none. The
   * bot waits for its start-up burst (first scan, market reads, streams) to pass, so a caught-up
   * report's chart process is not started in the middle of it.
   */
  readonly firstTickAfterMs?: number;
  /** TZ_REPORTS. */
  readonly timeZone: string;
}

/** Decides when the daily report is due and sends it exactly once per local day. */
export class DailyReportScheduler {
  readonly #opts: DailyReportSchedulerOptions;
  readonly #state: StrategyStateRepository;
  readonly #retryAfterMs: number;
  #inFlight: Promise<TickOutcome> | undefined;
  #firstTick: NodeJS.Timeout | undefined;
  #failedAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DailyReportSchedulerOptions) {
    this.#opts = options;
    this.#state = new StrategyStateRepository(options.db);
    this.#retryAfterMs = options.retryAfterMs ?? 15 * 60_000;
    // Fail at construction, not at the first tick hours later.
    localTime(0, options.timeZone);
  }

  /** The local date (`YYYY-MM-DD`) of the last report sent, if any. */
  lastSentDate(): string | undefined {
    return this.#state.get(OPS_STATE_OWNER, LAST_SENT_KEY);
  }

  /** Checks whether the report is due at `now` and sends it if so. Never throws. */
  tick(now: number = this.#opts.clock.now()): Promise<TickOutcome> {
    if (this.#inFlight) return Promise.resolve(TickOutcome.Busy);
    this.#inFlight = this.#tick(now)
      .catch((error: unknown) => {
        this.#opts.logger?.error({ err: error }, 'daily report tick failed');
        return TickOutcome.Failed;
      })
      .finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #tick(now: number): Promise<TickOutcome> {
    const { settings, timeZone, logger } = this.#opts;
    if (!settings.get('notify.dailyReport')) return TickOutcome.Disabled;
    const local = localTime(now, timeZone);
    if (local.hour < settings.get('notify.dailyReportHour')) return TickOutcome.BeforeHour;
    const last = this.lastSentDate();
    // ISO dates compare as strings; "<" also ignores a clock that went backwards.
    if (last !== undefined && last >= local.date) return TickOutcome.AlreadySent;
    if (this.#failedAt !== undefined && now - this.#failedAt < this.#retryAfterMs) {
      return TickOutcome.BackingOff;
    }
    try {
      const report = await this.#opts.build(now);
      await this.#opts.deliver(report);
    } catch (error) {
      this.#failedAt = now;
      logger?.error(
        { err: error, date: local.date, retryInMs: this.#retryAfterMs },
        'daily report failed; will retry',
      );
      return TickOutcome.Failed;
    }
    // Marked after delivery: a crash in between repeats the report rather than losing it.
    this.#state.set(OPS_STATE_OWNER, LAST_SENT_KEY, local.date, now);
    this.#failedAt = undefined;
    logger?.info({ date: local.date, timeZone }, 'daily report sent');
    return TickOutcome.Sent;
  }

  /**
   * Ticks now, or after `firstTickAfterMs` (catching up a report missed while down), and then
   * every `tickMs`.
   */
  start(): void {
    if (this.#timer || this.#firstTick) return;
    const begin = (): void => {
      this.#firstTick = undefined;
      void this.tick();
      this.#timer = setInterval(() => void this.tick(), this.#opts.tickMs ?? 60_000);
      this.#timer.unref();
    };
    const wait = this.#opts.firstTickAfterMs ?? 0;
    if (wait <= 0) begin();
    else {
      this.#firstTick = setTimeout(begin, wait);
      this.#firstTick.unref();
    }
  }

  /** Stops ticking and waits for a report being built or delivered. */
  async stop(): Promise<void> {
    clearTimeout(this.#firstTick);
    this.#firstTick = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }
}
