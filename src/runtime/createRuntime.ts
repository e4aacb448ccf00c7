/**
 * Builds the whole bot from a Config, as a short sequence of named build steps (`./build/`):
 * persistence → market → streams → exchange → ledger → core → reports → chat → ops. Each step takes what the
 * earlier ones built and returns its parts; this file only lists the steps and the start and stop
 * order. `src/main.ts` calls it and handles signals; integration tests and benchmarks call it with
 * their own streams and clocks. Nothing runs until `start()`.
 */
import type { Readable, Writable } from 'node:stream';
import type { AppService } from '../app/AppService.js';
import type { Config } from '../config/config.js';
import type { ChartRange } from '../domain/chartRange.js';
import type { EventBus } from '../domain/events.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type { StreamTiming } from '../exchange/mexc/stream/StreamConnection.js';
import type { RateLimiter } from '../exchange/rateLimiter.js';
import type { SimulatorHandle } from '../exchange/simulator/index.js';
import type { ExecutionCore } from '../execution/createExecutionCore.js';
import type { ChartPlacement } from '../ops/charts/chartProcess.js';
import type { PortfolioChartInput } from '../ops/charts/renderPortfolioChart.js';
import type { DailyReportScheduler } from '../ops/DailyReportScheduler.js';
import type { EquityRecorder } from '../ops/EquityRecorder.js';
import type { HealthServer } from '../ops/HealthServer.js';
import type { BotMetrics } from '../ops/metrics.js';
import type { Db } from '../persistence/db.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';
import type { WhatIfRunner } from '../replay/whatIf.js';
import type { Logger } from '../common/logger.js';
import { SecretRedactor } from '../common/redact.js';
import { buildChat } from './build/chat.js';
import { buildCore } from './build/core.js';
import { buildExchange } from './build/exchange.js';
import { buildLedger } from './build/ledger.js';
import { buildMarket, type MarketStep, type SimulatorOverrides } from './build/market.js';
import { buildOps } from './build/ops.js';
import { buildPersistence } from './build/persistence.js';
import { buildReports } from './build/reports.js';
import { buildStreams, connectStreams } from './build/streams.js';
import type { ChatInterface } from './ChatInterface.js';
import type { MonitoredExchange } from './MonitoredExchange.js';
import type { FillRepository } from '../persistence/FillRepository.js';
import type { PortfolioService } from './PortfolioService.js';

/** The configuration, logger, streams, clock and switches a runtime is built with. */
export interface RuntimeOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Console chat streams (default stdin/stdout). */
  readonly input?: Readable;
  readonly output?: Writable;
  /** Overrides the clock (tests); by default the simulator's clock or the system clock. */
  readonly clock?: Clock;
  /**
   * How waits (rate limits, retries) pass; by default real time scaled by SIM_SPEED. Tests with a
   * manual clock pass one that advances that clock.
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Arm real timers (default true); tests drive `core.scheduler.runDue` instead. */
  readonly timers?: boolean;
  /**
   * The redactor the logger uses (main.ts); the simulator's generated credentials are added to
   * it, and `/healthz` and chat warnings pass through it. Default: one for the configured secrets.
   */
  readonly redactor?: SecretRedactor;
  /** Overrides for the built-in simulator (tests, benchmarks; main.ts puts it in a child process). */
  readonly simulator?: SimulatorOverrides;
  /** Where charts are drawn (default in this process; main.ts draws them in a short-lived child process). */
  readonly charts?: ChartPlacement;
  /** Keep-alive and quiet detection of the live streams (tests make them fast). */
  readonly streamTiming?: Partial<StreamTiming>;
}

/** The built bot: its parts for tests and benchmarks, plus start and stop. */
export interface Runtime {
  readonly config: Config;
  readonly clock: Clock;
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly bus: EventBus;
  readonly limiter: RateLimiter;
  /** The MEXC client (talking to MEXC or the simulator), monitored. */
  readonly market: MonitoredExchange;
  /** What orders go to: the paper exchange or the live client. */
  readonly exchange: ExchangePort;
  /** The built-in simulator's controls when it runs in this process (tests); absent in a child process or against MEXC. */
  readonly simulator?: SimulatorHandle;
  readonly core: ExecutionCore;
  readonly portfolio: PortfolioService;
  /** The fill ledger: the one place fills and their prices are recorded. */
  readonly fills: FillRepository;
  readonly app: AppService;
  readonly chat: ChatInterface;
  readonly metrics: BotMetrics;
  readonly health: HealthServer;
  readonly equity: EquityRecorder;
  readonly dailyReport: DailyReportScheduler;
  /** The data of the /chart picture of a range (the same the PNG is drawn from). */
  chartInput(range: ChartRange): Promise<PortfolioChartInput>;
  /** Replays a setting change over the recent past (in a child process). */
  readonly whatIf: WhatIfRunner;
  /** Starts everything; resolves once trading and chat are running. */
  start(): Promise<{ readonly healthPort?: number; readonly reconciled: boolean }>;
  /** Stops in reverse order: scheduling, chat (flushing the outbox), servers, database. */
  stop(): Promise<void>;
}

/** Builds the whole bot from the configuration without starting anything. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = options;
  const redactor =
    options.redactor ??
    new SecretRedactor([config.telegram.token, config.mexc.apiKey, config.mexc.apiSecret]);
  const timers = options.timers ?? true;

  const persistence = buildPersistence({ config, logger });
  const { db } = persistence;
  let marketStep: MarketStep;
  try {
    marketStep = await buildMarket({
      config,
      clock: options.clock,
      sleep: options.sleep,
      simulator: options.simulator,
      logger,
    });
  } catch (error) {
    persistence.close();
    throw error;
  }
  const { clock, speed, sleep, simulator, endpoint } = marketStep;
  const streamsStep = buildStreams({
    config,
    clock,
    logger,
    simulator: endpoint,
    timing: options.streamTiming,
  });
  const { streams } = streamsStep;
  const {
    limiter,
    market,
    exchange,
    candles,
    listenKeys,
    verifyCredentials,
    close: closeExchange,
  } = buildExchange({
    config,
    db,
    clock,
    sleep,
    logger,
    redactor,
    simulator: endpoint,
    book: streams.book,
    balances: streams.balances,
  });
  const ledger = buildLedger({ config, db, clock, sleep, logger, market, exchange });
  const core = buildCore({
    db,
    clock,
    speed,
    sleep,
    timers,
    logger,
    limiter,
    exchange,
    ledger,
    candles,
    streams,
  });
  const account = connectStreams({
    config,
    step: streamsStep,
    speed,
    clock,
    logger,
    listenKeys,
    redactor,
    market,
    ledger,
    core,
    timing: options.streamTiming,
  });
  const reports = buildReports({
    config,
    db,
    candles,
    clock,
    logger,
    redactor,
    limiter,
    market,
    ledger,
    core,
    charts: options.charts,
  });
  const { app, chat } = buildChat({
    config,
    db,
    clock,
    logger,
    exchange,
    market,
    ledger,
    core,
    reports,
    streams,
    input: options.input,
    output: options.output,
  });
  const ops = buildOps({
    config,
    db,
    clock,
    logger,
    redactor,
    limiter,
    market,
    ledger,
    core,
    reports,
    chat: { app, chat },
    streams,
  });

  let started = false;
  return {
    config,
    clock,
    db,
    settings: core.settings,
    bus: core.bus,
    limiter,
    market,
    exchange,
    simulator,
    core: core.core,
    portfolio: ledger.portfolio,
    fills: ledger.fills,
    app,
    chat,
    metrics: ops.metrics,
    health: ops.health,
    equity: core.equity,
    dailyReport: ops.dailyReport,
    chartInput: reports.chartInput,
    whatIf: reports.whatIf,
    async start() {
      started = true;
      ops.startup.begin(clock.now());
      // Trades before the bot's first start are the account's history, not foreign activity.
      ledger.fills.firstStartedAt(clock.now());
      await verifyCredentials();
      // The account stream first, so fills during the start-up reconciliation arrive at once.
      account.user?.start();
      const healthPort = await ops.startHealth();
      await chat.start();
      const { ready } = await core.core.start();
      ops.startup.schedulerStarted();
      streams.requestRefresh();
      if (timers) ops.dailyReport.start();
      return { healthPort, reconciled: ready };
    },
    async stop() {
      if (started) {
        ops.startup.stopping();
        await core.killSwitch.stop();
        await ledger.history.stop();
        await ops.dailyReport.stop();
        const { abandoned } = await core.core.stop(15_000);
        if (abandoned.length > 0) logger.warn({ abandoned }, 'runs abandoned at shutdown');
        await account.close();
        await chat.stop();
        // Jobs and chat are done; a read the chat stopped waiting for may still be in flight.
        closeExchange();
        await ledger.latest.settled();
        await ops.close();
      }
      await endpoint?.close();
      persistence.close();
    },
  };
}
