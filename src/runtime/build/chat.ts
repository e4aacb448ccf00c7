/**
 * Build step 7, the chat: the use cases (`AppService`) with every port they need, and the chat
 * interface over them (Telegram with a token, the console without) with its notifier and outbox.
 */
import type { Readable, Writable } from 'node:stream';
import type { JobStatus, PortfolioReader } from '../../app/AppDeps.js';
import { AppService } from '../../app/AppService.js';
import type { Config } from '../../config/config.js';
import type { ExchangePort } from '../../exchange/ExchangePort.js';
import type { Scheduler } from '../../jobs/Scheduler.js';
import type { Db } from '../../persistence/db.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { createChatInterface, type ChatInterface } from '../ChatInterface.js';
import type { LiveStreams } from '../LiveStreams.js';
import type { MonitoredExchange } from '../MonitoredExchange.js';
import type { CoreStep } from './core.js';
import { historyPendingNote, type LedgerStep } from './ledger.js';
import type { ReportsStep } from './reports.js';

/** The use cases and the chat that serves them. */
export interface ChatStep {
  readonly app: AppService;
  readonly chat: ChatInterface;
}

/** Builds the use cases over the core, ledger and reports, and the chat over the use cases. */
export function buildChat(o: {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly exchange: ExchangePort;
  /** The monitored market client: the latest symbol rules for notifications' numbers. */
  readonly market: Pick<MonitoredExchange, 'precisionOf'>;
  readonly ledger: LedgerStep;
  readonly core: CoreStep;
  readonly reports: ReportsStep;
  readonly streams: LiveStreams;
  /** Console chat streams (default stdin/stdout). */
  readonly input: Readable | undefined;
  readonly output: Writable | undefined;
}): ChatStep {
  const { config, db, clock, logger, ledger, reports } = o;
  const { settings, bus, core } = o.core;
  const app = new AppService({
    db,
    settings,
    clock,
    logger,
    tradingMode: config.tradingMode,
    exchangeName: config.exchange === 'simulator' ? 'simulator' : 'mexc',
    timeZone: config.tzReports,
    confirmations: core.confirmations,
    pauses: core.pauses,
    jobs: () => strategyJobs(core.scheduler),
    symbols: () => o.exchange.getRules(),
    portfolio: chatPortfolio(ledger),
    cancelOrder: async (clientOrderId, actor) =>
      core.executor.cancel(clientOrderId, `cancelled in chat by ${actor}`),
    renderChart: async (range) => reports.renderChart(await reports.chartInput(range)),
    runScan: () => core.scheduler.runNow('scanner', { force: true }),
    whatIf: reports.whatIf,
    dailyReport: () => reports.buildDailyReport(clock.now()),
    warnings: reports.warnings,
    streams: () => o.streams.statuses(),
    historyNote: () => historyPendingNote(ledger.history.progress()),
  });
  const chat = createChatInterface({
    config,
    app,
    db,
    settings,
    bus,
    clock,
    logger: logger.child({ module: 'chat' }),
    precisionOf: (symbol) => o.market.precisionOf(symbol),
    input: o.input,
    output: o.output,
  });
  return { app, chat };
}

/** The strategy jobs of the scheduler as /status shows them (an abandoned run reads as an error). */
function strategyJobs(scheduler: Scheduler): JobStatus[] {
  return scheduler
    .status()
    .filter((j) => j.strategyId !== undefined)
    .map((j) => ({
      id: j.strategyId!,
      running: j.running,
      lastRunAt: j.lastRun?.startedAt,
      nextRunAt: j.nextRunAt,
      lastOutcome: j.lastRun?.outcome === 'abandoned' ? 'error' : j.lastRun?.outcome,
      lastSummary: j.lastRun?.error ?? j.lastRun?.summary,
    }));
}

/** The portfolio as the chat reads it: valued at the latest known market, so a slow exchange cannot hold an answer up. */
function chatPortfolio({ portfolio, latest }: LedgerStep): PortfolioReader {
  return {
    snapshot: async () => portfolio.snapshot(await latest.market()),
    unexplained: () => portfolio.unexplained(),
    setOwnerBasis: (asset, price, actor) => portfolio.setOwnerBasis(asset, price, actor),
  };
}
