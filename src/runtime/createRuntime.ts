/**
 * Builds the whole bot from a Config: the market (the built-in simulator or MEXC), the exchange
 * adapter (paper or live), persistence, the execution core with the six strategies, the chat
 * (Telegram or the terminal), notifications, equity history, the daily report, health and
 * metrics. `src/main.ts` calls it and handles signals; integration tests and benchmarks call it
 * with their own streams and clocks. Nothing runs until `start()`.
 */
import type { Readable, Writable } from 'node:stream';
import { AppService } from '../app/AppService.js';
import { EventBus } from '../domain/events.js';
import type { Config } from '../config/config.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import { FillPricer } from '../exchange/fillPricing.js';
import { MexcClient } from '../exchange/mexc/MexcClient.js';
import { PaperExchange } from '../exchange/paper/PaperExchange.js';
import { RateLimiter } from '../exchange/rateLimiter.js';
import { SimClock, startSimulator, type SimulatorHandle } from '../exchange/simulator/index.js';
import { createExecutionCore, type ExecutionCore } from '../execution/createExecutionCore.js';
import type { OrderFillsLookup } from '../execution/FillAnnouncer.js';
import { HistorySync } from '../execution/HistorySync.js';
import { describeEngaged, KillSwitch } from '../execution/panic.js';
import { renderPortfolioChart, type PortfolioChartInput } from '../ops/charts/renderPortfolioChart.js';
import type { ChartRange } from '../domain/chartRange.js';
import { DailyReportScheduler } from '../ops/DailyReportScheduler.js';
import { dailyReportBuilder } from '../ops/dailyReport.js';
import { EquityRecorder, equityOf } from '../ops/EquityRecorder.js';
import { HealthServer } from '../ops/HealthServer.js';
import { BotMetrics } from '../ops/metrics.js';
import { CostBasisRepository } from '../persistence/CostBasisRepository.js';
import { openDatabase, type Db } from '../persistence/db.js';
import { FillRepository } from '../persistence/FillRepository.js';
import { JobRunRepository } from '../persistence/JobRunRepository.js';
import { OutboxRepository } from '../persistence/OutboxRepository.js';
import { ScanRepository } from '../persistence/ScanRepository.js';
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from '../persistence/instanceLock.js';
import { migrate } from '../persistence/migrate.js';
import { SettingsStore } from '../settings/SettingsStore.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { SecretRedactor } from '../shared/redact.js';
import { createStrategies, KlineCache } from '../strategies/index.js';
import { createChatInterface, type ChatInterface } from './ChatInterface.js';
import { escapeHtml } from '../telegram/format/html.js';
import { MonitoredExchange } from './MonitoredExchange.js';
import { exchangeMarketReader, PortfolioService } from './PortfolioService.js';
import { collectReportData } from './reportData.js';
import { LatestKnown } from './LatestKnown.js';
import { equityJob, latestStateJob, retentionJob, scanReportJob } from './opsJobs.js';
import { LiveStreams } from './LiveStreams.js';

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
  /** Overrides for the built-in simulator (tests, benchmarks). */
  readonly simulator?: { readonly port?: number; readonly altcoins?: number };
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
  readonly simulator?: SimulatorHandle;
  readonly core: ExecutionCore;
  readonly portfolio: PortfolioService;
  readonly app: AppService;
  readonly chat: ChatInterface;
  readonly metrics: BotMetrics;
  readonly health: HealthServer;
  readonly equity: EquityRecorder;
  readonly dailyReport: DailyReportScheduler;
  /** The data of the /chart picture of a range (the same the PNG is drawn from). */
  chartInput(range: ChartRange): Promise<PortfolioChartInput>;
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

  // The database first: a second instance or an unusable path is refused before anything starts.
  let lock: InstanceLock;
  let db: Db;
  try {
    lock = acquireInstanceLock(config.databasePath);
  } catch (error) {
    throw error instanceof InstanceLockedError ? error : databaseError(config.databasePath, error);
  }
  try {
    db = openDatabase(config.databasePath);
    const migrations = migrate(db);
    logger.info({ applied: migrations.applied, path: config.databasePath }, 'database ready');
  } catch (error) {
    lock.release();
    throw databaseError(config.databasePath, error);
  }

  // Market: the built-in simulator shares its clock with the whole process, so a SIM_SPEED of 60
  // runs schedules, cooldowns and candles 60 times faster together.
  let simulator: SimulatorHandle | undefined;
  let clock: Clock = options.clock ?? systemClock;
  let speed = 1;
  if (config.exchange === 'simulator') {
    const simClock = options.clock ?? new SimClock({ speed: config.sim.speed });
    clock = simClock;
    speed = options.clock ? 1 : config.sim.speed;
    simulator = await startSimulator({
      seed: config.sim.seed,
      speed: config.sim.speed,
      clock: simClock,
      port: options.simulator?.port,
      altcoins: options.simulator?.altcoins,
    });
  }
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms / speed))));

  const clockStartedAt = clock.now();
  const settings = new SettingsStore(db, clock);
  const bus = new EventBus();
  bus.onListenerError((error, event) =>
    logger.error({ err: error, event: event.type }, 'event listener failed'),
  );

  const limiter = new RateLimiter({ clock, sleep, weightPer10s: config.mexc.weightPer10s });
  const credentials = simulator
    ? simulator.credentials
    : { apiKey: config.mexc.apiKey, apiSecret: config.mexc.apiSecret };
  redactor.add(credentials.apiKey, credentials.apiSecret);
  const client = new MexcClient({
    baseUrl: simulator ? simulator.url : config.mexc.baseUrl,
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    clock,
    sleep,
    logger: logger.child({ module: 'mexc' }),
    limiter,
  });
  // Live streams (STREAMS=on): book tops, candles and, with live trading, the account's data.
  const streams = new LiveStreams({ clock, logger: logger.child({ module: 'streams' }) });
  const market = new MonitoredExchange({ inner: client, clock, book: streams.book });
  const exchange: ExchangePort =
    config.tradingMode === 'paper'
      ? new PaperExchange({
          db,
          market,
          clock,
          initialBalances: config.paperBalances,
          logger: logger.child({ module: 'paper' }),
        })
      : market;

  const jobRuns = new JobRunRepository(db);
  const fills = new FillRepository({ db, clock, assetsOf: (symbol) => market.assetsOf(symbol) });
  const history = new HistorySync({
    exchange,
    store: fills,
    clock,
    sleep,
    logger: logger.child({ module: 'history' }),
    baseOf: (symbol) => market.assetsOf(symbol)?.base,
  });
  const costBasis = new CostBasisRepository({ db, clock });
  const portfolio = new PortfolioService({
    clock,
    market: exchangeMarketReader(exchange, clock),
    fills,
    costBasis,
    logger,
    timeZone: config.tzReports,
    historyPending: () => history.progress()?.pendingAssets ?? [],
  });
  const fillPrices = new FillPricer({ exchange, store: fills, clock, logger });
  /** The recorded fills of one of the bot's orders (fees for announcements, ledger coverage). */
  const fillsOf: OrderFillsLookup = async (order) =>
    fills
      .listFills({ symbol: order.symbol, since: order.createdAt - 60_000 })
      .filter((f) => f.clientOrderId === order.clientOrderId || f.orderId === order.exchangeOrderId);
  /** "trade history: 3 of 5 symbols, about 20 s left", while history is being read. */
  const historyLine = (): string | undefined => {
    const p = history.progress();
    if (!p) return undefined;
    return `trade history: ${p.done} of ${p.total} symbols, about ${Math.max(1, Math.ceil(p.remainingMs / 1000))} s left`;
  };

  // What the chat answers from: never waits long on the exchange (strategies read live).
  const latest = new LatestKnown({ clock, inner: exchangeMarketReader(exchange, clock) });

  const klineCache = new KlineCache();
  streams.followKlines(klineCache);
  const strategies = createStrategies({ klineCache });
  const equity = new EquityRecorder({
    clock,
    db,
    valuate: async () => equityOf(await portfolio.snapshot()),
  });

  const core = createExecutionCore({
    bus,
    clock,
    db,
    exchange,
    logger: logger.child({ module: 'core' }),
    settings,
    strategies,
    speed,
    cronTimeZone: config.tzReports,
    timers,
    positions: () => portfolio.positions(),
    recentFills: (since) => fills.recentAttributedFills(since),
    // Every fill recorded gets its prices fixed right after, before it is announced or valued.
    syncFills: async (symbols, options) => {
      const result = await history.sync(symbols, options);
      await fillPrices.recordRecent();
      // While a month of history is being read, its fills are priced from their candles in the
      // background (a fresh fill must not wait for them); afterwards before anything is announced.
      if (history.progress()) void fillPrices.recordPending();
      else await fillPrices.recordPending();
      return result;
    },
    history,
    historyBefore: () => fills.firstStartedAt(clock.now()),
    unattributedFills: (since) =>
      fills.unattributedFills(since).map((f) => ({
        symbol: f.symbol,
        tradeId: f.tradeId,
        side: f.side,
        qty: f.qty,
        price: f.price,
        time: f.time,
      })),
    fillsOf,
    accountStreamLive: () => streams.userLive(),
    realisedPnl: ({ order, qty }) => portfolio.realisedOfSell(order, qty),
    extraJobs: [
      equityJob({ equity }),
      scanReportJob({ db, settings, bus, clock }),
      retentionJob({ scans: new ScanRepository(db), runs: jobRuns, outbox: new OutboxRepository(db) }),
      latestStateJob({ latest }),
      streams.job(),
    ],
  });
  streams.attachAccount({
    ledger: fills,
    pricer: fillPrices,
    orders: core.orders,
    executor: core.executor,
    fillsOf,
    balances: latest,
    fills,
    finalOrders: core.orders,
    events: core.publisher,
  });
  streams.readSymbolsFrom({ market, balances: () => latest.balances(), orders: core.orders });
  const detachStreams = bus.on((event) => streams.onEvent(event));

  // The kill switch pauses through the one pause model and cancels in the background until every
  // order is final; the chat reaches it by confirming a `panic` confirmation.
  const killSwitch = new KillSwitch({
    sleep,
    deps: {
      executor: core.executor,
      events: core.publisher,
      orders: core.orders,
      pauses: core.pauses,
      waitIdle: (ms) => core.scheduler.waitIdle(ms),
    },
  });
  core.confirmations.registerHandler('panic', async (_payload, actor) => {
    // Answers at once: the kill switch pauses now and cancels in the background until final.
    const { open } = killSwitch.engage(actor);
    return { ok: true, detail: describeEngaged(open) };
  });

  // A cancel (the kill switch included) asked for during a rate-limit pause waits for it and then
  // goes first; the owner is told when that will be, once per pause.
  limiter.onUrgentWait(({ pausedUntil }) =>
    core.publisher.publish({
      type: 'alert',
      severity: 'warning',
      key: `urgent-wait:${pausedUntil}`,
      message:
        `MEXC asked us to slow down: order cancels are queued and go first at ` +
        `${new Date(pausedUntil).toISOString().slice(11, 19)} UTC, when the pause ends.`,
    }),
  );

  const warnings = (): string[] => {
    const out: string[] = [];
    const last = market.lastOkAt();
    // Before the first answer, only a failure (or a silent first minute) counts as not answering.
    const silent =
      last === undefined
        ? market.lastError() !== undefined || clock.now() - clockStartedAt > 60_000
        : clock.now() - last > 5 * 60_000;
    if (silent) {
      const error = market.lastError();
      out.push(`exchange not answering${error ? `: ${redactor.redact(error)}` : ''}`);
    }
    const paused = limiter.stats().pausedUntil;
    if (paused !== undefined && paused > clock.now()) {
      out.push(`rate limited by MEXC until ${new Date(paused).toISOString().slice(11, 19)} UTC`);
    }
    if (!core.reconciler.isReady()) out.push('waiting for the start-up reconciliation');
    const line = historyLine();
    if (line) out.push(line);
    const age = latest.ageNote();
    if (age) out.push(age);
    return out;
  };

  const buildDailyReport = dailyReportBuilder(
    (now) =>
      collectReportData({
        now,
        fills,
        settings,
        portfolio,
        equity,
        executor: core.executor,
        timeZone: config.tzReports,
        mode: `${config.tradingMode} · ${config.exchange}`,
        warnings,
      }),
    { logger },
  );

  /**
   * What /chart draws: the equity history ending with the value /balance shows now (so the
   * chart's headline is that same figure) and the fills of the window. Undefined below two points.
   */
  const chartInput = async (range: ChartRange): Promise<PortfolioChartInput> => {
    const now = clock.now();
    const current = equityOf(await portfolio.snapshot());
    // The live valuation is the line's last point, and the whole picture on a fresh install.
    const points = equity.historyWith(range, now, current);
    const trades = fills.tradeMarkers({ from: points[0]?.at ?? now, to: now });
    return { points, trades, range, now, current, timeZone: config.tzReports };
  };

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
    jobs: () =>
      core.scheduler
        .status()
        .filter((j) => j.strategyId !== undefined)
        .map((j) => ({
          id: j.strategyId!,
          running: j.running,
          lastRunAt: j.lastRun?.startedAt,
          nextRunAt: j.nextRunAt,
          lastOutcome: j.lastRun?.outcome === 'abandoned' ? 'error' : j.lastRun?.outcome,
          lastSummary: j.lastRun?.error ?? j.lastRun?.summary,
        })),
    symbols: () => exchange.getRules(),
    portfolio: {
      // The chat values the latest known market, so a slow exchange cannot hold an answer up.
      snapshot: async () => portfolio.snapshot(await latest.market()),
      unexplained: () => portfolio.unexplained(),
      setOwnerBasis: (asset, price, actor) => portfolio.setOwnerBasis(asset, price, actor),
    },
    cancelOrder: async (clientOrderId, actor) =>
      core.executor.cancel(clientOrderId, `cancelled in chat by ${actor}`),
    renderChart: async (range) => {
      return renderPortfolioChart(await chartInput(range));
    },
    runScan: () => core.scheduler.runNow('scanner', { force: true }),
    dailyReport: () => buildDailyReport(clock.now()),
    warnings,
    streams: () => streams.statuses(),
    historyNote: () => {
      const pending = history.progress()?.pendingAssets;
      return pending?.length
        ? `trade history of ${pending.join(', ')} still being read: their average cost and PnL are provisional`
        : undefined;
    },
  });

  const chat = createChatInterface({
    config,
    app,
    db,
    settings,
    bus,
    clock,
    logger: logger.child({ module: 'chat' }),
    input: options.input,
    output: options.output,
  });
  const outbox = chat.outbox;

  const metrics = new BotMetrics({
    limiterStats: () => {
      const s = limiter.stats();
      return { weightUsed: s.totalWeight, requests: s.totalRequests, rateLimited: s.count429 };
    },
    notificationQueueLength: () => outbox.pendingCount(),
  });
  const detachMetrics = metrics.attach(bus);

  const health = new HealthServer({
    port: config.httpPort,
    clock,
    metrics,
    logger,
    redact: (text) => redactor.redact(text),
    checks: {
      schedulerAlive: () => schedulerRunning,
      lastExchangeOkAt: () => market.lastOkAt(),
      // From the scheduler's memory: it stays true while the database refuses writes.
      jobs: () => core.scheduler.health(),
      startup: () => {
        if (startingSince === undefined) return undefined;
        if (!schedulerRunning)
          return { since: startingSince, detail: 'reconciling orders with the exchange' };
        const line = historyLine();
        // Once the first history is in, start-up is over (a later first trade is not a restart).
        if (!line) startingSince = undefined;
        return line ? { since: startingSince!, detail: line } : undefined;
      },
      telegram: () => chat.telegramStatus(),
      streams: () => streams.statuses(),
    },
  });

  const dailyReport = new DailyReportScheduler({
    clock,
    db,
    logger,
    settings,
    timeZone: config.tzReports,
    build: buildDailyReport,
    deliver: (report) =>
      chat.notifier.notify({
        kind: 'report',
        text: `<pre>${escapeHtml(report.text)}</pre>`,
        photo: report.chart,
      }),
  });

  let schedulerRunning = false;
  let started = false;
  /** Set while start-up runs; /healthz reports `starting` until the history is read. */
  let startingSince: number | undefined;

  return {
    config,
    clock,
    db,
    settings,
    bus,
    limiter,
    market,
    exchange,
    simulator,
    core,
    portfolio,
    app,
    chat,
    metrics,
    health,
    equity,
    dailyReport,
    chartInput,
    async start() {
      started = true;
      startingSince = clock.now();
      // Trades before the bot's first start are the account's history, not foreign activity.
      fills.firstStartedAt(clock.now());
      // Exercise the signed path once at start so a bad key is reported at once, not at the first order.
      if (credentials.apiKey && credentials.apiSecret) {
        try {
          await client.getBalances();
          logger.info('signed request accepted by the exchange');
        } catch (error) {
          logger.error({ err: error }, 'signed request refused: check MEXC_API_KEY and MEXC_API_SECRET');
          if (config.tradingMode === 'live') throw error;
        }
      }
      let healthPort: number | undefined;
      try {
        healthPort = await health.start();
      } catch (error) {
        logger.error(
          { err: error, port: config.httpPort },
          'health server could not start; continuing without it',
        );
      }
      await chat.start();
      const { ready } = await core.start();
      schedulerRunning = true;
      streams.requestRefresh();
      if (timers) dailyReport.start();
      return { healthPort, reconciled: ready };
    },
    async stop() {
      if (!started) {
        db.close();
        lock.release();
        await simulator?.close();
        return;
      }
      schedulerRunning = false;
      await killSwitch.stop();
      await history.stop();
      await dailyReport.stop();
      const { abandoned } = await core.stop(15_000);
      if (abandoned.length > 0) logger.warn({ abandoned }, 'runs abandoned at shutdown');
      detachStreams();
      await streams.close();
      await chat.stop();
      detachMetrics();
      await health.close();
      await simulator?.close();
      db.close();
      lock.release();
    },
  };
}

/** A database start-up failure in words an operator can act on: the file and the variable. */
function databaseError(path: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `cannot use the database ${path} (DATABASE_PATH): ${reason}. Check that the directory exists or can be created, is writable and has free space, or point DATABASE_PATH elsewhere.`,
    { cause: error },
  );
}
