/**
 * Build step 8, operations: Prometheus metrics on the event bus, the `/healthz` + `/metrics`
 * server with its checks, the start-up progress it reports, and the daily report's scheduler
 * (delivered through the chat's notifier).
 */
import type { Config } from '../../config/config.js';
import type { RateLimiter } from '../../exchange/rateLimiter.js';
import { DailyReportScheduler } from '../../ops/DailyReportScheduler.js';
import { HealthServer, type StartupState } from '../../ops/HealthServer.js';
import { BotMetrics } from '../../ops/metrics.js';
import type { Db } from '../../persistence/db.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { SecretRedactor } from '../../common/redact.js';
import { escapeHtml } from '../../telegram/format/html.js';
import type { LiveStreams } from '../LiveStreams.js';
import type { MonitoredExchange } from '../MonitoredExchange.js';
import type { ChatStep } from './chat.js';
import type { CoreStep } from './core.js';
import { historyProgressLine, type LedgerStep } from './ledger.js';
import type { ReportsStep } from './reports.js';

/**
 * Where the process is in its start, for `/healthz`: starting (reconciling, then reading trade
 * history), running, or stopping.
 */
export class StartupProgress {
  #began: number | undefined;
  /** The first trade history is in: the start is over, though when it began is still known. */
  #over = false;
  #schedulerRunning = false;
  readonly #historyLine: () => string | undefined;

  constructor(historyLine: () => string | undefined) {
    this.#historyLine = historyLine;
  }

  /** The start began at `now`. */
  begin(now: number): void {
    this.#began = now;
    this.#over = false;
  }

  /** When the start began; unlike {@link state}, still known once the start is over. */
  began(): number | undefined {
    return this.#began;
  }

  /** The start-up reconciliation is done and the scheduler runs. */
  schedulerStarted(): void {
    this.#schedulerRunning = true;
  }

  /** Shutdown began: the scheduler no longer counts as alive. */
  stopping(): void {
    this.#schedulerRunning = false;
  }

  /** Whether the scheduler is started and not stopping. */
  schedulerAlive(): boolean {
    return this.#schedulerRunning;
  }

  /** The start still in progress, or undefined once the first trade history is in. */
  state(): StartupState | undefined {
    const since = this.#began;
    if (since === undefined || this.#over) return undefined;
    if (!this.#schedulerRunning) return { since, detail: 'reconciling orders with the exchange' };
    const line = this.#historyLine();
    // Once the first history is in, start-up is over (a later first trade is not a restart).
    if (!line) {
      this.#over = true;
      return undefined;
    }
    return { since, detail: line };
  }
}

/**
 * How long after start a daily report missed while the bot was down is caught up: start-up's
 * first scan, market reads and stream subscriptions have passed by then.
 */
const DAILY_REPORT_FIRST_TICK_MS = 30_000;

/** Metrics, the health server, the start-up progress and the daily report scheduler. */
export interface OpsStep {
  readonly metrics: BotMetrics;
  readonly health: HealthServer;
  readonly startup: StartupProgress;
  readonly dailyReport: DailyReportScheduler;
  /** Starts the health server; a port in use is logged and the bot runs without it. */
  startHealth(): Promise<number | undefined>;
  /** Detaches the metrics from the bus and closes the health server. */
  close(): Promise<void>;
}

/** Builds the ops side over everything else; nothing listens until `startHealth()`. */
export function buildOps(o: {
  readonly config: Pick<Config, 'httpPort' | 'tzReports'>;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly redactor: SecretRedactor;
  readonly limiter: RateLimiter;
  readonly market: MonitoredExchange;
  readonly ledger: LedgerStep;
  readonly core: CoreStep;
  readonly reports: ReportsStep;
  readonly chat: ChatStep;
  readonly streams: LiveStreams;
}): OpsStep {
  const { config, clock, logger } = o;
  const { chat } = o.chat;
  const { core, bus, settings } = o.core;
  const startup = new StartupProgress(() => historyProgressLine(o.ledger.history.progress()));

  const metrics = new BotMetrics({
    limiter: o.limiter,
    notificationQueueLength: () => chat.outbox.pendingCount(),
  });
  const detachMetrics = metrics.attach(bus);

  const health = new HealthServer({
    port: config.httpPort,
    clock,
    metrics,
    logger,
    redact: (text) => o.redactor.redact(text),
    checks: {
      schedulerAlive: () => startup.schedulerAlive(),
      lastExchangeOkAt: () => o.market.lastOkAt(),
      // From the scheduler's memory: it stays true while the database refuses writes.
      jobs: () => core.scheduler.health(),
      startup: () => startup.state(),
      startedAt: () => startup.began(),
      telegram: () => chat.telegramStatus(),
      streams: () => o.streams.statuses(),
    },
  });

  const dailyReport = new DailyReportScheduler({
    clock,
    db: o.db,
    logger,
    settings,
    timeZone: config.tzReports,
    // After start-up's burst of scans and market reads (see DailyReportScheduler).
    firstTickAfterMs: DAILY_REPORT_FIRST_TICK_MS,
    build: o.reports.buildDailyReport,
    deliver: (report) =>
      chat.notifier.notify({
        kind: 'report',
        text: `<pre>${escapeHtml(report.text)}</pre>`,
        photo: report.chart,
      }),
  });

  return {
    metrics,
    health,
    startup,
    dailyReport,
    async startHealth() {
      try {
        return await health.start();
      } catch (error) {
        logger.error(
          { err: error, port: config.httpPort },
          'health server could not start; continuing without it',
        );
        return undefined;
      }
    },
    async close() {
      detachMetrics();
      await health.close();
    },
  };
}
