/**
 * The bot's execution core as a crash-test child process builds it: a SQLite FILE database with
 * every migration, the real MEXC client and rate limiter pointed at the simulator, the executor,
 * the reconciler, and the fill ledger synced through `syncFills` (the same parts
 * createExecutionCore wires, minus the scheduler, so the child drives them itself).
 *
 * The exchange is wrapped so every order write prints a phase line (`send`, `ack`, `nack`,
 * `cancel`) and every fill read prints `sync`, written synchronously before the request leaves:
 * the parent process uses them to pick kill moments.
 */
import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { EventBus } from '../../src/domain/events.js';
import type { SymbolRules } from '../../src/domain/market.js';
import type { ExchangePort } from '../../src/exchange/ExchangePort.js';
import { syncFills } from '../../src/exchange/fillSync.js';
import { MexcClient } from '../../src/exchange/mexc/MexcClient.js';
import { RateLimiter } from '../../src/exchange/rateLimiter.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { OrderExecutor } from '../../src/execution/OrderExecutor.js';
import { Reconciler } from '../../src/execution/Reconciler.js';
import { openDatabase, type Db } from '../../src/persistence/db.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { ForeignActivityRepository } from '../../src/persistence/ForeignActivityRepository.js';
import { migrate } from '../../src/persistence/migrate.js';
import { OrderRepository } from '../../src/persistence/OrderRepository.js';
import { StrategyStateRepository } from '../../src/persistence/StrategyStateRepository.js';
import { SymbolBlockRepository } from '../../src/persistence/SymbolBlockRepository.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { systemClock } from '../../src/common/clock.js';
import { KeyedLock } from '../../src/common/KeyedLock.js';

/** Symbols the crash test trades. */
export const CRASH_SYMBOLS = ['BTCUSDC', 'ETHUSDC'] as const;

/**
 * How long "not found" proves nothing. The simulator is consistent at once, unlike MEXC (−2013
 * right after create), so the test uses a short grace to settle never-sent rows within its budget.
 */
export const CRASH_NOT_FOUND_GRACE_MS = 1_500;

export interface CrashBotOptions {
  readonly dbPath: string;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** pino level for stderr (default `warn`). */
  readonly logLevel?: string;
}

export interface CrashBot {
  readonly db: Db;
  readonly exchange: ExchangePort;
  readonly rules: ReadonlyMap<string, SymbolRules>;
  readonly orders: OrderRepository;
  readonly fills: FillRepository;
  readonly executor: OrderExecutor;
  readonly reconciler: Reconciler;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Syncs fills of these symbols into the ledger (what the reconciler calls too). */
  syncFills(symbols: readonly string[]): Promise<unknown>;
}

/** Writes one line to stdout at once (before the next await), so a kill cannot reorder it. */
export function say(line: string): void {
  writeSync(1, `${line}\n`);
}

/** Wraps the exchange so order writes and fill reads announce themselves on stdout. */
function announcing(inner: ExchangePort): ExchangePort {
  return {
    name: inner.name,
    getRules: () => inner.getRules(),
    refreshRules: () => inner.refreshRules(),
    getTickers24h: () => inner.getTickers24h(),
    getBookTops: () => inner.getBookTops(),
    getPrices: () => inner.getPrices(),
    getKlines: (q) => inner.getKlines(q),
    getDepth: (symbol, limit) => inner.getDepth(symbol, limit),
    getBalances: () => inner.getBalances(),
    async placeOrder(request) {
      say(`send ${request.clientOrderId}`);
      try {
        const ack = await inner.placeOrder(request);
        say(`ack ${request.clientOrderId}`);
        return ack;
      } catch (error) {
        say(`nack ${request.clientOrderId}`);
        throw error;
      }
    },
    getOrder: (ref) => inner.getOrder(ref),
    cancelOrder(ref) {
      say(`cancel ${ref.clientOrderId}`);
      return inner.cancelOrder(ref);
    },
    getOpenOrders: (symbols) => inner.getOpenOrders(symbols),
    exchangeTime: () => inner.exchangeTime(),
    getFills(query) {
      say(`sync ${query.symbol}`);
      return inner.getFills(query);
    },
  };
}

/** Opens (and migrates) the database and wires the execution core over the simulator. */
export async function buildCrashBot(o: CrashBotOptions): Promise<CrashBot> {
  const clock = systemClock;
  const logger = pino({ level: o.logLevel ?? 'warn' }, pino.destination(2));
  const db = openDatabase(o.dbPath);
  migrate(db);
  // Generous budget: this test is about crashes, not rate limits (those have their own tests).
  const limiter = new RateLimiter({
    clock,
    weightPer10s: 100_000,
    maxRequestsPerSecond: 1_000,
    maxOrdersPerSecond: 1_000,
    maxAccountPerSecond: 1_000,
  });
  const client = new MexcClient({
    baseUrl: o.baseUrl,
    apiKey: o.apiKey,
    apiSecret: o.apiSecret,
    clock,
    logger,
    limiter,
    timeoutMs: 5_000,
    retry: { attempts: 3, baseDelayMs: 50 },
  });
  const exchange = announcing(client);
  const rules = await exchange.getRules();
  const fills = new FillRepository({
    db,
    clock,
    assetsOf: (symbol) => {
      const r = rules.get(symbol);
      return r ? { base: r.baseAsset, quote: r.quoteAsset } : undefined;
    },
  });
  const sync = (symbols: readonly string[]) =>
    syncFills({ exchange, store: fills, symbols, now: clock.now(), logger });
  const bus = new EventBus();
  bus.onListenerError((error) => logger.error({ err: error }, 'event listener failed'));
  const events = new EventPublisher({ bus, clock, repo: new EventRepository(db) });
  const orders = new OrderRepository(db);
  const locks = new KeyedLock();
  const executor = new OrderExecutor({
    blocks: new SymbolBlockRepository(db),
    clock,
    events,
    exchange,
    locks,
    logger,
    orders,
    settings: new SettingsStore(db, clock),
    state: new StrategyStateRepository(db),
    resolveDelaysMs: [100, 200, 400],
    notFoundGraceMs: CRASH_NOT_FOUND_GRACE_MS,
    notFoundMinCount: 3,
  });
  const reconciler = new Reconciler({
    clock,
    events,
    exchange,
    executor,
    foreign: new ForeignActivityRepository(db),
    locks,
    logger,
    orders,
    syncFills: sync,
    unattributedFills: (since) => fills.unattributedFills(since),
    historyBefore: () => fills.firstStartedAt(clock.now()),
    extraSymbols: () => CRASH_SYMBOLS,
    settleRounds: 3,
    settleRoundDelayMs: 100,
  });
  return { db, exchange, rules, orders, fills, executor, reconciler, bus, logger, syncFills: sync };
}
