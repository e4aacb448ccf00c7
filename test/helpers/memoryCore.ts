/**
 * In-memory implementations of the app's core ports ({@link AppDeps}) for chat tests: balances,
 * prices, positions, scheduler state, executor actions and charts, with every call recorded.
 */
import { AppService } from '../../src/app/AppService.js';
import type { AppDeps, JobStatus, PanicReport } from '../../src/app/AppDeps.js';
import type { ChartRange } from '../../src/app/appViews.js';
import type { ConfirmationRecord } from '../../src/app/ConfirmationStore.js';
import type { Balance } from '../../src/domain/market.js';
import { dec, type Decimal } from '../../src/domain/money.js';
import type { Position } from '../../src/domain/portfolio/position.js';
import type { Db } from '../../src/persistence/db.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock } from '../../src/shared/clock.js';
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
  /** The exchange's symbols with their base asset (for /exclude and /include). */
  symbols = new Map<string, { baseAsset: string }>(
    ['BTCUSDC', 'ETHUSDC', 'USDCUSDT', 'PEPEUSDT', 'OPUSDT', 'OPUSDC'].map((s) => [
      s,
      { baseAsset: s.replace(/(USDC|USDT)$/, '') },
    ]),
  );
  jobs: JobStatus[] = [];
  /** What `renderChart` returns (a tiny stand-in for a PNG). */
  chart: Buffer = Buffer.from('png');
  readonly panicCalls: string[] = [];
  readonly cancelCalls: string[] = [];
  readonly executed: ConfirmationRecord[] = [];
  readonly skipped: ConfirmationRecord[] = [];
  scanCalls = 0;
  /** Called by `runScan`; resolves when the test lets the scan finish. */
  onScan: () => Promise<void> = async () => {};

  deps(): Omit<AppDeps, 'db' | 'settings' | 'clock' | 'tradingMode' | 'exchangeName'> {
    return {
      symbols: async () => this.symbols,
      jobs: () => this.jobs,
      balances: async () => this.balances,
      prices: async () => this.prices,
      positions: async () => this.positions,
      realisedSince: async (since: number) => new Map([['USDC', since > 0 ? dec('2.5') : dec('12.5')]]),
      cancelOrder: async (id: string) => {
        this.cancelCalls.push(id);
        return { status: 'CANCELED' };
      },
      panic: async (actor: string): Promise<PanicReport> => {
        this.panicCalls.push(actor);
        return { cancelled: 2, failed: [] };
      },
      executeConfirmed: async (c: ConfirmationRecord) => {
        this.executed.push(c);
        return `order placed for ${c.summary}`;
      },
      confirmationSkipped: (c: ConfirmationRecord) => void this.skipped.push(c),
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
  const app = new AppService({
    db,
    settings,
    clock,
    tradingMode: 'paper',
    exchangeName: 'simulator',
    timeZone: 'UTC',
    ...(options.bare ? { symbols: core.deps().symbols, renderChart: core.deps().renderChart } : core.deps()),
  });
  return { db, clock, settings, core, app };
}
