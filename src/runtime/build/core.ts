/**
 * Build step 5, the trading core: live settings, the event bus, the six strategies, equity
 * history, the execution core (executor, reconciler, runner, confirmations, pauses, scheduler with
 * the one job table) and the kill switch registered as the `panic` confirmation's handler.
 */
import { EventBus } from '../../domain/events.js';
import type { ExchangePort } from '../../exchange/ExchangePort.js';
import type { RateLimiter } from '../../exchange/rateLimiter.js';
import { createExecutionCore, type ExecutionCore } from '../../execution/createExecutionCore.js';
import { describeEngaged, KillSwitch } from '../../execution/panic.js';
import { EquityRecorder, equityOf } from '../../ops/EquityRecorder.js';
import type { CandleRepository } from '../../persistence/CandleRepository.js';
import type { Db } from '../../persistence/db.js';
import { JobRunRepository } from '../../persistence/JobRunRepository.js';
import { OutboxRepository } from '../../persistence/OutboxRepository.js';
import { ScanRepository } from '../../persistence/ScanRepository.js';
import { SettingsStore } from '../../settings/SettingsStore.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { createStrategies } from '../../strategies/index.js';
import type { LiveStreams } from '../LiveStreams.js';
import { equityJob, latestStateJob, retentionJob, scanReportJob } from '../opsJobs.js';
import type { LedgerStep } from './ledger.js';

/** The settings, bus, equity history, execution core and kill switch. */
export interface CoreStep {
  readonly settings: SettingsStore;
  readonly bus: EventBus;
  readonly equity: EquityRecorder;
  readonly core: ExecutionCore;
  readonly killSwitch: KillSwitch;
}

/** Builds the trading core over the exchange and the ledger; nothing runs until `core.start()`. */
export function buildCore(o: {
  readonly db: Db;
  readonly clock: Clock;
  readonly speed: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly timers: boolean;
  readonly logger: Logger;
  readonly limiter: RateLimiter;
  readonly exchange: ExchangePort;
  readonly ledger: LedgerStep;
  /** Kept candles, deleted by the retention job after a month. */
  readonly candles: CandleRepository;
  readonly streams: LiveStreams;
}): CoreStep {
  const { db, clock, logger, ledger } = o;
  const { fills, history, portfolio } = ledger;
  const settings = new SettingsStore(db, clock);
  const bus = new EventBus();
  bus.onListenerError((error, event) =>
    logger.error({ err: error, event: event.type }, 'event listener failed'),
  );
  const equity = new EquityRecorder({ clock, db, valuate: async () => equityOf(await portfolio.snapshot()) });

  const core = createExecutionCore({
    bus,
    clock,
    db,
    exchange: o.exchange,
    logger: logger.child({ module: 'core' }),
    settings,
    // The scanner's candles come from the kline stream while it is live.
    strategies: createStrategies({ klineCache: o.streams.klineCache }),
    accountStreamLive: () => o.streams.userLive(),
    // accumulate's 24 h average comes from the core markets' mini tickers while they stream.
    ...(o.streams.volumes ? { volumes: o.streams.volumes } : {}),
    speed: o.speed,
    timers: o.timers,
    positions: () => portfolio.positions(),
    recentFills: (since) => fills.recentAttributedFills(since),
    syncFills: ledger.recordFills,
    history,
    historyBefore: () => fills.firstStartedAt(clock.now()),
    unattributedFills: (since) => fills.unattributedFills(since),
    fillsOf: (order) => fills.fillsOfOrder(order),
    realisedPnl: ({ order, qty }) => portfolio.realisedOfSell(order, qty),
    extraJobs: [
      equityJob({ equity }),
      scanReportJob({ db, settings, bus, clock }),
      retentionJob({
        scans: new ScanRepository(db),
        runs: new JobRunRepository(db),
        outbox: new OutboxRepository(db),
        candles: o.candles,
      }),
      latestStateJob({ latest: ledger.latest }),
      o.streams.job(),
    ],
  });

  // The kill switch pauses through the one pause model and cancels in the background until every
  // order is final; the chat reaches it by confirming a `panic` confirmation.
  const killSwitch = new KillSwitch({
    sleep: o.sleep,
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
  o.limiter.onUrgentWait(({ pausedUntil }) =>
    core.publisher.publish({
      type: 'alert',
      severity: 'warning',
      key: `urgent-wait:${pausedUntil}`,
      message:
        `MEXC asked us to slow down: order cancels are queued and go first at ` +
        `${new Date(pausedUntil).toISOString().slice(11, 19)} UTC, when the pause ends.`,
    }),
  );

  return { settings, bus, equity, core, killSwitch };
}
