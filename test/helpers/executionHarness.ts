/**
 * Builders for execution-core tests: symbol rules, and a harness wiring a fresh database, a
 * manual clock, live settings, the event bus (recorded) and the executor over a FakeExchange.
 */
import type { BotEvent } from '../../src/domain/events.js';
import { EventBus } from '../../src/domain/events.js';
import type { SymbolRules } from '../../src/domain/market.js';
import { dec, ZERO } from '../../src/domain/money.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { OrderExecutor, type OrderExecutorOptions } from '../../src/execution/OrderExecutor.js';
import type { Db } from '../../src/persistence/db.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { OrderRepository } from '../../src/persistence/OrderRepository.js';
import { StrategyStateRepository } from '../../src/persistence/StrategyStateRepository.js';
import { SymbolBlockRepository } from '../../src/persistence/SymbolBlockRepository.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock } from '../../src/common/clock.js';
import { KeyedLock } from '../../src/common/KeyedLock.js';
import { silentLogger } from '../../src/common/logger.js';
import { FakeExchange } from './FakeExchange.js';
import { testDb } from './testDb.js';

export function symbolRules(
  symbol: string,
  baseAsset: string,
  quoteAsset: string,
  overrides: Partial<SymbolRules> = {},
): SymbolRules {
  return {
    symbol,
    baseAsset,
    quoteAsset,
    status: 'TRADING',
    tickSize: dec('0.01'),
    stepSize: dec('0.000001'),
    minQty: ZERO,
    minNotional: dec('1'),
    makerFee: ZERO,
    takerFee: dec('0.0005'),
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    isSpotTradingAllowed: true,
    apiTradable: true,
    tradeSide: 'BOTH',
    ...overrides,
  };
}

export const DEFAULT_RULES: readonly SymbolRules[] = [
  symbolRules('BTCUSDC', 'BTC', 'USDC'),
  symbolRules('ETHUSDC', 'ETH', 'USDC'),
  symbolRules('BTCUSDT', 'BTC', 'USDT'),
  symbolRules('PEPEUSDT', 'PEPE', 'USDT', { tickSize: dec('0.00000001'), stepSize: dec('1') }),
  symbolRules('USDCUSDT', 'USDC', 'USDT', { tickSize: dec('0.0001'), stepSize: dec('0.01') }),
];

export interface Harness {
  readonly db: Db;
  readonly clock: ManualClock;
  readonly settings: SettingsStore;
  readonly bus: EventBus;
  readonly events: BotEvent[];
  readonly publisher: EventPublisher;
  readonly eventRepo: EventRepository;
  readonly orders: OrderRepository;
  readonly blocks: SymbolBlockRepository;
  readonly state: StrategyStateRepository;
  readonly locks: KeyedLock;
  readonly exchange: FakeExchange;
  readonly executor: OrderExecutor;
  /** Events of one type, typed. */
  of<T extends BotEvent['type']>(type: T): Extract<BotEvent, { type: T }>[];
}

export function harness(
  options: {
    readonly balances?: Readonly<Record<string, string>>;
    readonly books?: Readonly<Record<string, readonly [string, string]>>;
    readonly executor?: Partial<OrderExecutorOptions>;
    readonly db?: Db;
    readonly clock?: ManualClock;
  } = {},
): Harness {
  const db = options.db ?? testDb();
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const settings = new SettingsStore(db, clock);
  const bus = new EventBus();
  const events: BotEvent[] = [];
  bus.on((e) => events.push(e));
  const eventRepo = new EventRepository(db);
  const publisher = new EventPublisher({ bus, clock, repo: eventRepo });
  const orders = new OrderRepository(db);
  const blocks = new SymbolBlockRepository(db);
  const state = new StrategyStateRepository(db);
  const locks = new KeyedLock();
  const exchange = new FakeExchange({
    clock,
    rules: DEFAULT_RULES,
    balances: options.balances ?? { USDC: '1000', USDT: '500' },
    books: options.books ?? {
      BTCUSDC: ['60000', '60010'],
      ETHUSDC: ['3000', '3001'],
      BTCUSDT: ['60005', '60015'],
      PEPEUSDT: ['0.00001', '0.00001001'],
      USDCUSDT: ['0.9998', '1.0001'],
    },
  });
  const executor = new OrderExecutor({
    blocks,
    clock,
    events: publisher,
    exchange,
    locks,
    logger: silentLogger(),
    orders,
    settings,
    state,
    sleep: async () => {},
    resolveDelaysMs: [0, 0, 0],
    ...options.executor,
  });
  return {
    db,
    clock,
    settings,
    bus,
    events,
    publisher,
    eventRepo,
    orders,
    blocks,
    state,
    locks,
    exchange,
    executor,
    of: <T extends BotEvent['type']>(type: T) =>
      events.filter((e): e is Extract<BotEvent, { type: T }> => e.type === type),
  };
}
