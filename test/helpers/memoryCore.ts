/**
 * In-memory implementations of the app's core ports ({@link AppDeps}) for chat tests: balances,
 * prices, positions, scheduler state, executor actions and charts, with every call recorded. The
 * confirmation service and the pause model are the real ones over the test database; only what a
 * confirmed order or kill switch does is recorded instead of reaching an exchange.
 */
import { AppService } from '../../src/app/AppService.js';
import type { AppDeps, JobStatus } from '../../src/app/AppDeps.js';
import type { ChartRange } from '../../src/app/appViews.js';
import { EventBus } from '../../src/domain/events.js';
import type { Balance } from '../../src/domain/market.js';
import { dec, type Decimal } from '../../src/domain/money.js';
import type { Position } from '../../src/domain/portfolio/position.js';
import { ConfirmationStore } from '../../src/execution/ConfirmationStore.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { describePanic } from '../../src/execution/panic.js';
import { PauseState } from '../../src/jobs/PauseState.js';
import { ConfirmationRepository } from '../../src/persistence/ConfirmationRepository.js';
import type { Db } from '../../src/persistence/db.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { OrderRepository } from '../../src/persistence/OrderRepository.js';
import { StrategyStateRepository } from '../../src/persistence/StrategyStateRepository.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeExchange } from './FakeExchange.js';
import { testDb } from './testDb.js';

const bal = (asset: string, free: string, locked = '0'): Balance => ({
  asset,
  free: dec(free),
  locked: dec(locked),
});

export class MemoryCore {
  balances: Balance[] = [
    bal('USDC', '950'),
    bal('USDT', '480.5'),
    bal('BTC', '0.0123'),
    bal('ETH', '0.5', '0.1'),
    bal('PEPE', '1000000'),
  ];
  prices = new Map<string, Decimal>([
    ['BTCUSDC', dec('65000')],
    ['ETHUSDC', dec('3200')],
    ['USDCUSDT', dec('1.0002')],
    ['PEPEUSDT', dec('0.00001234')],
  ]);
  positions: Position[] = [
    {
      asset: 'BTC',
      qty: dec('0.0123'),
      avgCost: dec('60000'),
      costAsset: 'USDC',
      realisedPnl: dec('12.5'),
      feesPaid: dec('0.8'),
      costBasisSource: 'fills',
    },
    {
      asset: 'PEPE',
      qty: dec('1000000'),
      avgCost: dec('0.00001'),
      costAsset: 'USDT',
      realisedPnl: dec('0'),
      feesPaid: dec('0.01'),
      costBasisSource: 'first-seen',
    },
  ];
  jobs: JobStatus[] = [];
  chart: Buffer | undefined = undefined;
  readonly panicCalls: string[] = [];
  readonly cancelCalls: string[] = [];
  /** Payloads of confirmed `order` confirmations, in order. */
  readonly executed: string[] = [];
  scanCalls = 0;
  /** Called by `runScan`; resolves when the test lets the scan finish. */
  onScan: () => Promise<void> = async () => {};

  deps(): Omit<
    AppDeps,
    'db' | 'settings' | 'clock' | 'tradingMode' | 'exchangeName' | 'confirmations' | 'pauses'
  > {
    return {
      jobs: () => this.jobs,
      balances: async () => this.balances,
      prices: async () => this.prices,
      positions: async () => this.positions,
      realisedSince: async (since: number) => new Map([['USDC', since > 0 ? dec('2.5') : dec('12.5')]]),
      cancelOrder: async (id: string) => {
        this.cancelCalls.push(id);
        return { status: 'CANCELED' };
      },
      renderChart: async (_range: ChartRange) => this.chart,
      runScan: async () => {
        this.scanCalls++;
        await this.onScan();
      },
    };
  }
}

export interface TestApp {
  readonly db: Db;
  readonly confirmations: ConfirmationStore;
  readonly pauses: PauseState;
  readonly clock: ManualClock;
  readonly settings: SettingsStore;
  readonly core: MemoryCore;
  readonly app: AppService;
}

/** A fresh DB, settings store, in-memory core and the app over them. */
export function createTestApp(
  options: { db?: Db; clock?: ManualClock; core?: MemoryCore; bare?: boolean } = {},
): TestApp {
  const db = options.db ?? testDb();
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const settings = new SettingsStore(db, clock);
  const core = options.core ?? new MemoryCore();
  const events = new EventPublisher({ bus: new EventBus(), clock, repo: new EventRepository(db) });
  const pauses = new PauseState({ clock, events, settings, state: new StrategyStateRepository(db) });
  const confirmations = new ConfirmationStore({
    clock,
    repo: new ConfirmationRepository(db),
    events,
    exchange: new FakeExchange({ clock, rules: [] }),
    executor: {
      execute: async () => {
        throw new Error('chat tests confirm orders through the recording handler');
      },
    },
    orders: new OrderRepository(db),
    settings,
  });
  if (!options.bare) {
    confirmations.registerHandler('order', async (payload) => {
      core.executed.push(payload);
      return { ok: true, detail: `order placed for ${payload}` };
    });
    confirmations.registerHandler('panic', async (_payload, actor) => {
      core.panicCalls.push(actor);
      const paused = pauses.pauseEverything(actor);
      return {
        ok: true,
        detail: describePanic({
          paused,
          cancelled: ['a', 'b'],
          alreadyDone: [],
          pending: [],
          failed: [],
          runsIdle: true,
        }),
      };
    });
  }
  const app = new AppService({
    db,
    settings,
    clock,
    tradingMode: 'paper',
    exchangeName: 'simulator',
    timeZone: 'UTC',
    confirmations,
    pauses,
    ...(options.bare ? {} : core.deps()),
  });
  return { db, clock, settings, core, app, confirmations, pauses };
}
