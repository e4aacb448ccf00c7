/**
 * The order executor over any exchange port (in integration tests: the real MEXC client on the
 * simulator), with a fresh database, live settings and every published event recorded.
 */
import { type BotEvent, EventBus } from '../../src/domain/events.js';
import type { ExchangePort } from '../../src/exchange/ExchangePort.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { OrderExecutor, type OrderExecutorOptions } from '../../src/execution/OrderExecutor.js';
import type { Db } from '../../src/persistence/db.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { OrderRepository } from '../../src/persistence/OrderRepository.js';
import { StrategyStateRepository } from '../../src/persistence/StrategyStateRepository.js';
import { SymbolBlockRepository } from '../../src/persistence/SymbolBlockRepository.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import type { Clock } from '../../src/common/clock.js';
import { KeyedLock } from '../../src/common/KeyedLock.js';
import { silentLogger } from '../../src/common/logger.js';
import { testDb } from './testDb.js';

export interface ExecutionOver {
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly orders: OrderRepository;
  readonly blocks: SymbolBlockRepository;
  readonly eventRepo: EventRepository;
  readonly executor: OrderExecutor;
  /** The publisher and lock the executor uses (for an order tracker over the same orders). */
  readonly publisher: EventPublisher;
  readonly locks: KeyedLock;
  /** Every event published on the bus, in order. */
  readonly events: BotEvent[];
  /** Events of one type, typed. */
  of<T extends BotEvent['type']>(type: T): Extract<BotEvent, { type: T }>[];
}

/** Wires an OrderExecutor over `exchange`; close `db` after the test. */
export function executionOver(options: {
  readonly exchange: ExchangePort;
  readonly clock: Clock;
  readonly executor?: Partial<OrderExecutorOptions>;
}): ExecutionOver {
  const { clock, exchange } = options;
  const db = testDb();
  const settings = new SettingsStore(db, clock);
  const bus = new EventBus();
  const events: BotEvent[] = [];
  bus.on((e) => events.push(e));
  const eventRepo = new EventRepository(db);
  const orders = new OrderRepository(db);
  const blocks = new SymbolBlockRepository(db);
  const publisher = new EventPublisher({ bus, clock, repo: eventRepo });
  const locks = new KeyedLock();
  const executor = new OrderExecutor({
    blocks,
    clock,
    events: publisher,
    exchange,
    locks,
    logger: silentLogger(),
    orders,
    settings,
    state: new StrategyStateRepository(db),
    sleep: async () => {},
    ...options.executor,
  });
  return {
    db,
    settings,
    orders,
    blocks,
    eventRepo,
    executor,
    publisher,
    locks,
    events,
    of: <T extends BotEvent['type']>(type: T) =>
      events.filter((e): e is Extract<BotEvent, { type: T }> => e.type === type),
  };
}
