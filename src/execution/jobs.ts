/**
 * The single table of jobs: one per strategy, plus order tracking and
 * reconciliation. Strategy jobs wait until a reconciliation has succeeded and obey
 * pauses and their `enabled` setting; system jobs always run.
 */
import type { BotEvent, EventBus } from '../domain/events.js';
import type { TrackReport } from './OrderTracker.js';
import type { ReconcileReport } from './Reconciler.js';
import type { StrategyRunReport } from './StrategyRunner.js';
import {
  type SettingsReader,
  STRATEGY_STUCK_AFTER_MS,
  type StrategyDefinition,
} from '../strategies/contract.js';
import type { JobSpec, Scheduler } from '../jobs/Scheduler.js';

/** Id of the job that follows open orders. */
export const TRACK_JOB = 'orders.track';
/** The quick look at working orders between two tracking sweeps. */
export const WATCH_JOB = 'orders.watch';
/** Id of the job that reconciles the database with the exchange. */
export const RECONCILE_JOB = 'reconcile';

/** The strategies, runner, executor, reconciler and settings the job table is built from. */
export interface JobTableInput {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each strategy has its own `extra` type
  readonly strategies: readonly StrategyDefinition<any>[];
  readonly runner: { run(definition: StrategyDefinition<unknown>): Promise<StrategyRunReport> };
  readonly executor: {
    track(): Promise<TrackReport>;
    /** Whether any order works on the exchange (the watch runs, and is recorded, only then). */
    hasWorkingOrders(): boolean;
    watch(): Promise<{
      readonly checked: number;
      readonly followed: number;
      readonly filled: number;
      readonly errors: number;
    }>;
  };
  readonly reconciler: { reconcile(): Promise<ReconcileReport>; isReady(): boolean };
  readonly settings: SettingsReader;
  /** Default 10 s. */
  readonly trackEveryMs?: number;
  /**
   * Default 2 s: a fill is recorded and announced within seconds of happening. One openOrders
   * request (weight 3) per symbol with working orders, nothing when there are none.
   */
  readonly watchEveryMs?: number;
  /** Default 5 min. */
  readonly reconcileEveryMs?: number;
  /**
   * Whether the account's orders and fills stream live (the user stream): the quick watch then
   * stops and the tracking sweep runs every `streamTrackEveryMs` instead, REST confirming what
   * the stream already applied. Absent: always polled.
   */
  readonly accountStreamLive?: () => boolean;
  /** Default 60 s. */
  readonly streamTrackEveryMs?: number;
  /** Other scheduled work of the process (daily report, equity snapshots, outbox housekeeping). */
  readonly extraJobs?: readonly JobSpec[];
}

/** The job table: one job per strategy, plus order tracking and reconciliation. */
export function buildJobs(input: JobTableInput): JobSpec[] {
  const { settings } = input;
  const strategyJobs = input.strategies.map((definition): JobSpec => ({
    id: definition.id,
    strategyId: definition.id,
    schedule: () => definition.schedule(settings),
    enabled: () => settings.get(`${definition.id}.enabled`),
    stuckAfterMs: definition.stuckAfterMs ?? STRATEGY_STUCK_AFTER_MS,
    run: async () => {
      if (!input.reconciler.isReady()) {
        return { outcome: 'skipped', summary: 'waiting for a successful reconciliation with the exchange' };
      }
      const report = await input.runner.run(definition as StrategyDefinition<unknown>);
      return { outcome: 'ok', summary: report.summary };
    },
  }));
  const track: JobSpec = {
    id: TRACK_JOB,
    schedule: () => ({
      kind: 'interval',
      everyMs: input.accountStreamLive?.()
        ? (input.streamTrackEveryMs ?? 60_000)
        : (input.trackEveryMs ?? 10_000),
    }),
    enabled: () => true,
    // One query per open order plus re-pricing: seconds; minutes only behind a rate-limit pause.
    stuckAfterMs: 3 * 60_000,
    run: async () => {
      const r = await input.executor.track();
      const busy = r.filled + r.cancelled + r.repriced + r.lost + r.rejected + r.errors > 0;
      return {
        outcome: busy || r.checked > 0 ? 'ok' : 'skipped',
        summary: `${r.checked} checked, ${r.filled} filled, ${r.cancelled} cancelled, ${r.repriced} re-priced, ${r.lost} lost, ${r.errors} errors`,
      };
    },
  };
  const watch: JobSpec = {
    id: WATCH_JOB,
    schedule: () => ({ kind: 'interval', everyMs: input.watchEveryMs ?? 2_000 }),
    enabled: () => input.executor.hasWorkingOrders() && !input.accountStreamLive?.(),
    // One openOrders request per symbol: a run longer than a minute is not a quick look any more.
    stuckAfterMs: 60_000,
    // Every 2 s while an order rests: only the runs that saw a change or an error are recorded.
    record: 'eventful',
    run: async () => {
      const r = await input.executor.watch();
      return {
        outcome: r.checked > 0 ? 'ok' : 'skipped',
        summary: `${r.checked} working, ${r.followed} followed, ${r.filled} filled, ${r.errors} errors`,
        quiet: r.followed + r.filled + r.errors === 0,
      };
    },
  };
  const reconcile: JobSpec = {
    id: RECONCILE_JOB,
    schedule: () => ({ kind: 'interval', everyMs: input.reconcileEveryMs ?? 300_000 }),
    enabled: () => true,
    // Orders by client id and short fill reads (history goes to the background): well within its period.
    stuckAfterMs: 10 * 60_000,
    run: async () => {
      const r = await input.reconciler.reconcile();
      return {
        outcome: 'ok',
        summary:
          `${r.ordersChecked} orders checked, ${r.unresolved} unresolved, ${r.symbols.length} symbols synced, ` +
          `${r.foreignOrders} foreign orders, ${r.foreignFills} foreign fills${r.ready ? '' : ', incomplete'}`,
      };
    },
  };
  return [reconcile, track, watch, ...strategyJobs, ...(input.extraJobs ?? [])];
}

/** Origins whose fills free USDC that `core-balance` redeploys. */
const FREES_USDC = new Set(['take-profit', 'split-balance']);

/**
 * Runs `core-balance` soon after a take-profit or split-balance fill. Returns the unsubscribe function.
 */
export function installFollowUps(options: {
  readonly bus: EventBus;
  readonly scheduler: Pick<Scheduler, 'requestSoon'>;
  /** Default 5 s. */
  readonly delayMs?: number;
}): () => void {
  return options.bus.on((event: BotEvent) => {
    if (event.type === 'order.filled' && FREES_USDC.has(event.order.origin)) {
      options.scheduler.requestSoon('core-balance', options.delayMs ?? 5_000);
    }
  });
}
