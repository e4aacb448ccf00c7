/**
 * Wires the execution core in one call for `main.ts` (and for integration tests): repositories,
 * the keyed lock, the executor, the reconciler, the strategy runner, confirmations, pauses, the
 * job table and the scheduler. Nothing starts here: call `start()` after composing the rest.
 *
 * Start-up order enforced by `start()`: one reconciliation (every non-final order settled before
 * any strategy runs; fill history keeps reading in the background), then timers. Strategy jobs
 * also check `reconciler.isReady()`, so a failed start-up reconciliation keeps strategies waiting
 * until the periodic one succeeds; an order on an asset whose history is still being read waits
 * for that asset only.
 */
import type { EventBus } from '../domain/events.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import { buildJobs, installFollowUps, RECONCILE_JOB } from './jobs.js';
import { PauseState } from '../jobs/PauseState.js';
import { Scheduler, type JobSpec, type RunNowResult } from '../jobs/Scheduler.js';
import type { Db } from '../persistence/db.js';
import { ConfirmationRepository } from '../persistence/ConfirmationRepository.js';
import { EventRepository } from '../persistence/EventRepository.js';
import { ForeignActivityRepository } from '../persistence/ForeignActivityRepository.js';
import { JobRunRepository } from '../persistence/JobRunRepository.js';
import { OrderRepository } from '../persistence/OrderRepository.js';
import { ScanRepository } from '../persistence/ScanRepository.js';
import { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import { SymbolBlockRepository } from '../persistence/SymbolBlockRepository.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';
import { KeyedLock } from '../common/KeyedLock.js';
import type { Logger } from '../common/logger.js';
import type { StrategyDefinition } from '../strategies/contract.js';
import { ConfirmationStore } from './ConfirmationStore.js';
import { EventPublisher } from './EventPublisher.js';
import type { OrderFillsLookup, RealisedPnlFn } from './FillAnnouncer.js';
import { OrderExecutor } from './OrderExecutor.js';
import { Reconciler, type SyncFillsFn, type UnattributedFillsFn } from './Reconciler.js';
import {
  type LedgerReadiness,
  StrategyRunner,
  type Volume24hFeed,
  type PositionsFn,
  type RecentFillsFn,
} from './StrategyRunner.js';

/**
 * The database, exchange, bus, clock, settings, strategies and fill sources the execution core is built from.
 */
export interface ExecutionCoreOptions {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly db: Db;
  readonly exchange: ExchangePort;
  readonly logger: Logger;
  readonly settings: SettingsStore;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each strategy has its own `extra` type
  readonly strategies: readonly StrategyDefinition<any>[];
  readonly positions: PositionsFn;
  readonly recentFills: RecentFillsFn;
  readonly syncFills: SyncFillsFn;
  readonly unattributedFills: UnattributedFillsFn;
  /** The fill ledger's history: which assets are complete, and where a new symbol's starts (HistorySync). */
  readonly history: LedgerReadiness & { beforeOrder(symbol: string): Promise<void> };
  /** When the bot first started: older fills are history, never foreign activity. */
  readonly historyBefore: () => number;
  /** The recorded fills of one of the bot's orders, for the fee and price its fill notification shows. */
  readonly fillsOf: OrderFillsLookup;
  /** Realised PnL of a sell fill, from the one portfolio service, for its notification. */
  readonly realisedPnl: RealisedPnlFn;
  /** SIM_SPEED. */
  readonly speed?: number;
  readonly trackEveryMs?: number;
  readonly reconcileEveryMs?: number;
  /** Whether the user stream is live: order tracking then polls less often (see `buildJobs`). */
  readonly accountStreamLive?: () => boolean;
  /** The core markets' streamed 24 h volumes (absent with streams off, and in replays). */
  readonly volumes?: Volume24hFeed;
  /** Shared with the chat layer when it already has one. */
  readonly locks?: KeyedLock;
  /** More jobs for the one job table (daily report, equity snapshots…). */
  readonly extraJobs?: readonly JobSpec[];
  /** Arm real timers on start (default true); tests and the simulated week drive `scheduler.runDue` instead. */
  readonly timers?: boolean;
  /** Write each job run to `job_runs` for /status (default true; a replay has no /status). */
  readonly recordJobRuns?: boolean;
}

/**
 * The wired execution core: executor, reconciler, runner, confirmations, pauses and scheduler, plus start and
 * stop.
 */
export interface ExecutionCore {
  readonly locks: KeyedLock;
  readonly orders: OrderRepository;
  readonly publisher: EventPublisher;
  readonly executor: OrderExecutor;
  readonly reconciler: Reconciler;
  readonly runner: StrategyRunner;
  readonly confirmations: ConfirmationStore;
  readonly pauses: PauseState;
  readonly scheduler: Scheduler;
  readonly scans: ScanRepository;
  readonly blocks: SymbolBlockRepository;
  readonly foreign: ForeignActivityRepository;
  /**
   * Runs the start-up reconciliation (recorded as a `reconcile` job run), then arms the timers.
   * `ready` false means strategies wait until the periodic reconciliation succeeds.
   */
  start(): Promise<{ readonly ready: boolean; readonly reconcile: RunNowResult }>;
  /** Stops scheduling and waits for in-flight runs (then marks them abandoned). */
  stop(timeoutMs?: number): Promise<{ finished: string[]; abandoned: string[] }>;
}

/** Builds the execution core without starting it; `start()` reconciles first, then starts the timers. */
export function createExecutionCore(o: ExecutionCoreOptions): ExecutionCore {
  const locks = o.locks ?? new KeyedLock();
  const orders = new OrderRepository(o.db);
  const blocks = new SymbolBlockRepository(o.db);
  const state = new StrategyStateRepository(o.db);
  const scans = new ScanRepository(o.db);
  const foreign = new ForeignActivityRepository(o.db);
  const publisher = new EventPublisher({
    bus: o.bus,
    clock: o.clock,
    repo: new EventRepository(o.db),
    logger: o.logger,
  });
  const pauses = new PauseState({ clock: o.clock, events: publisher, settings: o.settings, state });
  const executor = new OrderExecutor({
    blocks,
    clock: o.clock,
    events: publisher,
    exchange: o.exchange,
    locks,
    logger: o.logger,
    orders,
    settings: o.settings,
    state,
    fillsOf: o.fillsOf,
    realisedPnl: o.realisedPnl,
    recordFills: (symbol) => o.syncFills([symbol]),
    beforeOrder: (symbol) => o.history.beforeOrder(symbol),
    isPaused: (origin) => origin !== 'manual' && pauses.isPaused(origin),
  });
  const reconciler = new Reconciler({
    clock: o.clock,
    events: publisher,
    exchange: o.exchange,
    executor,
    foreign,
    locks,
    logger: o.logger,
    orders,
    syncFills: o.syncFills,
    unattributedFills: o.unattributedFills,
    historyBefore: o.historyBefore,
  });
  const confirmations = new ConfirmationStore({
    clock: o.clock,
    repo: new ConfirmationRepository(o.db),
    events: publisher,
    exchange: o.exchange,
    executor,
    orders,
    settings: o.settings,
  });
  const runner = new StrategyRunner({
    blocks,
    clock: o.clock,
    confirmations,
    events: publisher,
    exchange: o.exchange,
    executor,
    logger: o.logger,
    orders,
    positions: o.positions,
    recentFills: o.recentFills,
    scans,
    settings: o.settings,
    state,
    ledgers: o.history,
    ...(o.volumes ? { volumes: o.volumes } : {}),
  });
  const scheduler = new Scheduler({
    clock: o.clock,
    events: publisher,
    jobs: buildJobs({
      strategies: o.strategies,
      runner,
      executor,
      reconciler,
      settings: o.settings,
      trackEveryMs: o.trackEveryMs,
      reconcileEveryMs: o.reconcileEveryMs,
      accountStreamLive: o.accountStreamLive,
      extraJobs: o.extraJobs,
    }),
    logger: o.logger,
    pauses,
    runs: new JobRunRepository(o.db),
    recordRuns: o.recordJobRuns ?? true,
    speed: o.speed,
    onSettingsChange: (listener) => o.settings.onChange(() => listener()),
  });
  const unfollow = installFollowUps({ bus: o.bus, scheduler });
  return {
    locks,
    orders,
    publisher,
    executor,
    reconciler,
    runner,
    confirmations,
    pauses,
    scheduler,
    scans,
    blocks,
    foreign,
    async start() {
      // Through the scheduler, so the run is recorded and the periodic one is planned after it.
      const reconcile = await scheduler.runNow(RECONCILE_JOB, { force: true });
      if (o.timers ?? true) scheduler.start();
      return { ready: reconciler.isReady(), reconcile };
    },
    async stop(timeoutMs) {
      unfollow();
      return scheduler.stop({ timeoutMs });
    },
  };
}
