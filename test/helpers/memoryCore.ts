/**
 * In-memory implementations of the app's core ports ({@link AppDeps}) for chat tests: balances,
 * prices and fills behind the real portfolio service, scheduler state, executor actions and
 * charts, with every call recorded. The confirmation service and the pause model are the real ones
 * over the test database; only what a confirmed order or kill switch does is recorded instead of
 * reaching an exchange.
 */
import { AppService } from '../../src/app/AppService.js';
import type { AppDeps, JobStatus } from '../../src/app/AppDeps.js';
import type { ChartRange } from '../../src/app/appViews.js';
import pino from 'pino';
import { EventBus } from '../../src/domain/events.js';
import type { Balance, Fill, OrderSide } from '../../src/domain/market.js';
import { dec, type Decimal } from '../../src/domain/money.js';
import { ConfirmationStore } from '../../src/execution/ConfirmationStore.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { describeEngaged } from '../../src/execution/panic.js';
import { PauseState } from '../../src/jobs/PauseState.js';
import { ConfirmationRepository } from '../../src/persistence/ConfirmationRepository.js';
import { CostBasisRepository } from '../../src/persistence/CostBasisRepository.js';
import type { Db } from '../../src/persistence/db.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { OrderRepository } from '../../src/persistence/OrderRepository.js';
import { StrategyStateRepository } from '../../src/persistence/StrategyStateRepository.js';
import type { WhatIfRequest, WhatIfResult } from '../../src/replay/whatIf.js';
import { PortfolioService, type MarketReader } from '../../src/runtime/PortfolioService.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock, type Clock } from '../../src/common/clock.js';
import { FakeExchange } from './FakeExchange.js';
import { testDb } from './testDb.js';

const bal = (asset: string, free: string, locked = '0'): Balance => ({
  asset,
  free: dec(free),
  locked: dec(locked),
});

const DAY = 86_400_000;

/** A BTCUSDC fill with a USDC fee of zero, `time` relative to the test clock's start. */
function fill(tradeId: string, side: OrderSide, price: string, qty: string, time: number): Fill {
  return {
    symbol: 'BTCUSDC',
    tradeId,
    orderId: `o${tradeId}`,
    side,
    price: dec(price),
    qty: dec(qty),
    quoteQty: dec(price).times(qty),
    commission: dec('0'),
    commissionAsset: 'USDC',
    time,
    isMaker: false,
  };
}

/** A what-if result with distinct figures in each column (current value `current`). */
export function sampleWhatIfResult(
  request: WhatIfRequest,
  current: string,
  toMs = Date.UTC(2026, 0, 15, 12),
): WhatIfResult {
  return {
    key: request.key,
    strategy: request.key.split('.')[0]!,
    days: request.days,
    fromMs: toMs - request.days * DAY,
    toMs,
    current: {
      value: current,
      trades: 7,
      realisedUsdc: '1.85',
      unrealisedUsdc: '-0.2',
      feesUsdc: '0.71',
      endValueUsdc: '1234.5',
      maxDrawdownPct: '2.1',
      refusals: { 'reserve.usdc': 2, cooldown: 1 },
    },
    proposed: {
      value: request.proposed,
      trades: 4,
      realisedUsdc: '3.1',
      unrealisedUsdc: '0.1',
      feesUsdc: '0.4',
      endValueUsdc: '1236',
      maxDrawdownPct: '1.8',
      refusals: { 'reserve.usdc': 1 },
    },
    chartPng: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    assumptions: ['Fills at the next minute’s open plus 0.05% slippage.'],
  };
}

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
  /**
   * Fills recorded at the start (into the `fills` table, valued by the real portfolio service):
   * BTC 0.0123 left at an average of 60 000 USDC, +10 realised five days ago and +2.5 today.
   * ETH and PEPE have no fills: their cost is the price at first sight.
   */
  fills: Fill[] = [
    fill('1', 'BUY', '60000', '0.0223', -10 * DAY),
    fill('2', 'SELL', '62000', '0.005', -5 * DAY),
    fill('3', 'SELL', '60500', '0.005', -60_000),
  ];
  /**
   * The exchange's symbols with their base asset (for /exclude and /include) and precision (tick,
   * step) as MEXC lists them for these pairs.
   */
  symbols = new Map<string, { baseAsset: string; tickSize: Decimal; stepSize: Decimal }>(
    (
      [
        ['BTCUSDC', '0.01', '0.000001'],
        ['ETHUSDC', '0.01', '0.00001'],
        ['USDCUSDT', '0.0001', '0.01'],
        ['PEPEUSDT', '0.0000000001', '1'],
        ['OPUSDT', '0.0001', '0.01'],
        ['OPUSDC', '0.0001', '0.01'],
      ] as const
    ).map(([s, tick, step]) => [
      s,
      { baseAsset: s.replace(/(USDC|USDT)$/, ''), tickSize: dec(tick), stepSize: dec(step) },
    ]),
  );
  /** When set, the market reader fails with this message (the exchange not answering). */
  marketDown: string | undefined;
  jobs: JobStatus[] = [];
  /** Extra /status warnings the core reports. */
  warnings: string[] = [];
  /** What /status shows for the live streams. */
  streams: { name: string; state: string; sinceMs: number }[] = [];
  /** What the history port says is still being read (undefined: complete). */
  historyNote: string | undefined = undefined;
  /** What the daily report port answers. */
  dailyReportText = 'Daily report (test)';
  /** What `renderChart` returns (a tiny stand-in for a PNG). */
  chart: Buffer = Buffer.from('png');
  readonly panicCalls: string[] = [];
  readonly cancelCalls: string[] = [];
  /** What the executor does on a cancel besides recording it (e.g. mark the order final). */
  onCancel: (clientOrderId: string) => void = () => undefined;
  /** Payloads of confirmed `order` confirmations, in order. */
  readonly executed: string[] = [];
  /** What-if replays asked for, in order. */
  readonly whatIfRuns: WhatIfRequest[] = [];
  /**
   * What the what-if runner does with a request (the real engine runs in a child process; chat tests
   * control timing and progress here). Default: reports half-way, then a fixed result.
   */
  onWhatIf: (
    request: WhatIfRequest,
    progress: (fraction: number, label: string) => void,
  ) => Promise<WhatIfResult> = async (request, progress) => {
    progress(0.5, 'day 4 of 7');
    return sampleWhatIfResult(request, '60');
  };
  scanCalls = 0;
  /** Called by `runScan`; resolves when the test lets the scan finish. */
  onScan: () => Promise<void> = async () => {};

  /** The market reader of the portfolio service: these balances and prices. */
  market(clock: Clock): MarketReader {
    return {
      market: async () => {
        if (this.marketDown !== undefined) throw new Error(this.marketDown);
        return {
          balances: this.balances,
          prices: this.prices,
          usdcUsdt: this.prices.get('USDCUSDT'),
          at: clock.now(),
        };
      },
    };
  }

  deps(): Omit<
    AppDeps,
    | 'db'
    | 'settings'
    | 'clock'
    | 'tradingMode'
    | 'exchangeName'
    | 'timeZone'
    | 'portfolio'
    | 'confirmations'
    | 'pauses'
  > {
    return {
      logger: pino({ level: 'silent' }),
      warnings: () => this.warnings,
      streams: () => this.streams,
      historyNote: () => this.historyNote,
      dailyReport: async () => ({ text: this.dailyReportText }),
      symbols: async () => this.symbols,
      jobs: () => this.jobs,
      cancelOrder: async (id: string) => {
        this.cancelCalls.push(id);
        this.onCancel(id);
        return { status: 'CANCELED' };
      },
      renderChart: async (_range: ChartRange) => this.chart,
      whatIf: {
        run: async (request, onProgress) => {
          this.whatIfRuns.push(request);
          return this.onWhatIf(request, onProgress ?? (() => {}));
        },
      },
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
  readonly portfolio: PortfolioService;
}

/** A fresh DB, settings store, in-memory core and the app over them. */
export function createTestApp(options: { db?: Db; clock?: ManualClock; core?: MemoryCore } = {}): TestApp {
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
  confirmations.registerHandler('order', async (payload) => {
    core.executed.push(payload);
    return { ok: true, detail: `order placed for ${payload}` };
  });
  confirmations.registerHandler('panic', async (_payload, actor) => {
    core.panicCalls.push(actor);
    pauses.pauseEverything(actor);
    return { ok: true, detail: describeEngaged(2) };
  });
  const fills = new FillRepository({ db, clock, assetsOf: () => undefined });
  fills.insertFills(core.fills.map((f) => ({ ...f, time: clock.now() + f.time })));
  const portfolio = new PortfolioService({
    clock,
    market: core.market(clock),
    fills,
    costBasis: new CostBasisRepository({ db, clock }),
    logger: pino({ level: 'silent' }),
    timeZone: 'UTC',
    // Every asset's history is in the ledger already.
    historyPending: () => [],
  });
  const app = new AppService({
    db,
    settings,
    clock,
    tradingMode: 'paper',
    exchangeName: 'simulator',
    timeZone: 'UTC',
    portfolio,
    confirmations,
    pauses,
    ...core.deps(),
  });
  return { db, clock, settings, core, app, portfolio, confirmations, pauses };
}
