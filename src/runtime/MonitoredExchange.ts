/**
 * Wraps the exchange port for the whole process: remembers when the exchange last answered (for
 * /healthz and /status), keeps a synchronous symbol → assets index from the latest rules (for the
 * fill store), and serves the all-symbol book-top and price calls from a short-lived cache so the
 * strategies, PnL and valuation of one moment share one request instead of each paying weight 10.
 * While the market stream is live, book tops come from it instead ({@link StreamLatest}: the symbols
 * in play only, no request at all); every REST answer seeds it.
 * Balances and orders are never cached: reserve checks must see the exchange's latest answer,
 * which while the account stream is live is what it pushed ({@link StreamBalances}: seeded by
 * one REST read, then every change pushed).
 * Every closed candle fetched through it (scanner klines, fill pricing, replay history) is kept in
 * the candle store, so a replay of the recent past finds it locally.
 */
import {
  type Balance,
  type BookTop,
  type Candle,
  INTERVAL_MS,
  type SymbolPrecision,
  type SymbolRules,
  type Ticker24h,
} from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { ExchangePort, FillQuery, KlineQuery, OrderRef } from '../exchange/ExchangePort.js';
import type { OrderRequest } from '../domain/market.js';
import type { CandleRepository } from '../persistence/CandleRepository.js';
import type { Clock } from '../common/clock.js';
import { TurnQueue } from '../common/turns.js';
import type { Logger } from '../common/logger.js';
import type { StreamBalances } from './StreamBalances.js';
import type { StreamLatest } from './StreamLatest.js';

/** The exchange to wrap, the clock, and how long all-symbol prices are reused. */
export interface MonitoredExchangeOptions {
  readonly inner: ExchangePort;
  readonly clock: Clock;
  /** How long all-symbol book tops and prices are reused (clock ms). */
  readonly marketTtlMs?: number;
  /** Where fetched closed candles are kept. */
  readonly candles: Pick<CandleRepository, 'keep'>;
  /** Told when keeping candles fails (the candles are still returned to the caller). */
  readonly logger: Pick<Logger, 'warn'>;
  /** Book tops streamed for the symbols in play (absent with streams off). */
  readonly book?: Pick<StreamLatest<BookTop>, 'latest' | 'seed'>;
  /** Balances from the account stream (live trading with streams on). */
  readonly balances?: Pick<StreamBalances, 'balances' | 'seed'>;
}

/** Candles upserted per turn of the event loop: 50 rows take a few ms where 250 took tens. */
const KEEP_CHUNK = 50;

interface Cached<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

/** The exchange port the process uses: the adapter plus liveness tracking and a short price cache. */
export class MonitoredExchange implements ExchangePort {
  readonly #inner: ExchangePort;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #candles: Pick<CandleRepository, 'keep'>;
  readonly #logger: Pick<Logger, 'warn'>;
  readonly #book: MonitoredExchangeOptions['book'];
  readonly #balances: MonitoredExchangeOptions['balances'];
  readonly #assets = new Map<string, { base: string; quote: string }>();
  readonly #precision = new Map<string, SymbolPrecision>();
  /**
   * Candles are stored in turns of their own, {@link KEEP_CHUNK} at a time, after the answer's
   * parse turn: parsing and upserting a cold answer of 250 candles in one turn was the longest
   * block of a cold scan.
   */
  readonly #keepTurns = new TurnQueue();
  #lastOkAt: number | undefined;
  #lastError: string | undefined;
  #bookTops: Cached<ReadonlyMap<string, BookTop>> | undefined;
  #prices: Cached<ReadonlyMap<string, Decimal>> | undefined;

  constructor(options: MonitoredExchangeOptions) {
    this.#inner = options.inner;
    this.#clock = options.clock;
    this.#ttlMs = options.marketTtlMs ?? 2_000;
    this.#candles = options.candles;
    this.#logger = options.logger;
    this.#book = options.book;
    this.#balances = options.balances;
  }

  get name(): string {
    return this.#inner.name;
  }

  /** When the exchange last answered a request successfully. */
  lastOkAt(): number | undefined {
    return this.#lastOkAt;
  }

  /** The last failure's message, cleared by the next success. */
  lastError(): string | undefined {
    return this.#lastError;
  }

  /** Tick and step of a symbol from the latest rules, for synchronous callers (notifications). */
  precisionOf(symbol: string): SymbolPrecision | undefined {
    return this.#precision.get(symbol);
  }

  /** Base and quote asset of a symbol from the latest rules, for synchronous callers. */
  assetsOf(symbol: string): { base: string; quote: string } | undefined {
    return this.#assets.get(symbol);
  }

  async #track<T>(call: Promise<T>): Promise<T> {
    try {
      const value = await call;
      this.#lastOkAt = this.#clock.now();
      this.#lastError = undefined;
      return value;
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  #cached<T>(
    slot: Cached<T> | undefined,
    load: () => Promise<T>,
    store: (c: Cached<T> | undefined) => void,
  ): Promise<T> {
    const now = this.#clock.now();
    if (slot && now - slot.at < this.#ttlMs) return slot.value;
    const value = this.#track(load());
    const entry = { at: now, value };
    store(entry);
    // A failed load must not be served to the next caller.
    value.catch(() => store(undefined));
    return value;
  }

  #index(rules: ReadonlyMap<string, SymbolRules>): ReadonlyMap<string, SymbolRules> {
    for (const r of rules.values()) {
      this.#assets.set(r.symbol, { base: r.baseAsset, quote: r.quoteAsset });
      this.#precision.set(r.symbol, { tickSize: r.tickSize, stepSize: r.stepSize });
    }
    return rules;
  }

  async getRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    // Usually served from the client's rules cache, so a success is no evidence that the exchange
    // answers: it does not move lastOkAt (a failure is still recorded).
    try {
      return this.#index(await this.#inner.getRules());
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }
  async refreshRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#index(await this.#track(this.#inner.refreshRules()));
  }
  getTickers24h(): Promise<readonly Ticker24h[]> {
    return this.#track(this.#inner.getTickers24h());
  }
  /** From the stream while it is live and knows every symbol in play, else one all-symbol request. */
  getBookTops(): Promise<ReadonlyMap<string, BookTop>> {
    const streamed = this.#book?.latest();
    if (streamed) return Promise.resolve(streamed);
    return this.#cached(
      this.#bookTops,
      async () => {
        const startedAt = this.#clock.now();
        const tops = await this.#inner.getBookTops();
        this.#book?.seed(tops, startedAt);
        return tops;
      },
      (c) => (this.#bookTops = c),
    );
  }
  getPrices(): Promise<ReadonlyMap<string, Decimal>> {
    return this.#cached(
      this.#prices,
      () => this.#inner.getPrices(),
      (c) => (this.#prices = c),
    );
  }
  async getKlines(query: KlineQuery): Promise<readonly Candle[]> {
    const candles = await this.#track(this.#inner.getKlines(query));
    await this.#keep(query, candles);
    return candles;
  }

  /** Keeps the closed candles of a fetch; a failure to store is logged, never the caller's problem. */
  async #keep(query: KlineQuery, candles: readonly Candle[]): Promise<void> {
    const now = this.#clock.now();
    const width = INTERVAL_MS[query.interval];
    const closed = candles.filter((c) => c.openTime + width <= now);
    for (let from = 0; from < closed.length; from += KEEP_CHUNK) {
      await this.#keepTurns.next();
      try {
        this.#candles.keep(query.symbol, query.interval, closed.slice(from, from + KEEP_CHUNK));
      } catch (error) {
        this.#logger.warn({ err: error, symbol: query.symbol, interval: query.interval }, 'candles not kept');
        return;
      }
    }
  }
  getDepth(symbol: string, limit?: number) {
    return this.#track(this.#inner.getDepth(symbol, limit));
  }
  /** From the account stream while it is live and seeded, else one signed request (which seeds it). */
  async getBalances(): Promise<readonly Balance[]> {
    const streamed = this.#balances?.balances();
    if (streamed) return streamed;
    const startedAt = this.#clock.now();
    const balances = await this.#track(this.#inner.getBalances());
    this.#balances?.seed(balances, startedAt);
    return balances;
  }
  placeOrder(request: OrderRequest) {
    return this.#track(this.#inner.placeOrder(request));
  }
  getOrder(ref: OrderRef) {
    return this.#track(this.#inner.getOrder(ref));
  }
  cancelOrder(ref: OrderRef) {
    return this.#track(this.#inner.cancelOrder(ref));
  }
  getOpenOrders(symbols: readonly string[]) {
    return this.#track(this.#inner.getOpenOrders(symbols));
  }
  getFills(query: FillQuery) {
    return this.#track(this.#inner.getFills(query));
  }
  exchangeTime() {
    return this.#track(this.#inner.exchangeTime());
  }
}
