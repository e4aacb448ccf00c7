/**
 * The one interface all trading code depends on. Two adapters implement it: the MEXC REST
 * client (which also talks to the built-in simulator) and the paper exchange (private side
 * simulated locally on the public data of either). Both pass `test/exchange/exchangePort.contract.ts`.
 *
 * Errors are thrown as {@link ExchangeError} with a kind saying what the caller must do.
 */
import type {
  Balance,
  BookTop,
  Candle,
  Depth,
  ExchangeOrder,
  Fill,
  KlineInterval,
  OrderAck,
  OrderRequest,
  OrderSpan,
  SymbolRules,
  Ticker24h,
} from '../domain/market.js';
import type { Decimal } from '../domain/money.js';

/** Which candles to fetch: symbol, width and an optional time range and count. */
export interface KlineQuery {
  readonly symbol: string;
  readonly interval: KlineInterval;
  /** Inclusive start (ms). When given, the adapter also sends an end time (MEXC ignores a lone startTime). */
  readonly startTime?: number;
  /** Exclusive end (ms). */
  readonly endTime?: number;
  /** At most 500 rows per call. */
  readonly limit?: number;
  /** Bulk reading (pricing history) that yields the request budget to everything else. */
  readonly background?: boolean;
}

/** Names one of the bot's orders on the exchange by symbol and client order id. */
export interface OrderRef {
  readonly symbol: string;
  readonly clientOrderId: string;
}

/** A fills read: one symbol, `[startTime, endTime)` in exchange time. */
export interface FillQuery {
  readonly symbol: string;
  readonly startTime: number;
  readonly endTime: number;
  /**
   * The bot's orders on the symbol in the period. When more fills share one instant than a page
   * holds, the adapter reads these orders one by one instead of losing rows.
   */
  readonly orders?: readonly OrderSpan[];
  /** History reading: yields the request budget to everything else (trading, chat). */
  readonly background?: boolean;
}

/** Everything trading code may ask of an exchange: rules, market data, balances, orders and fills. */
export interface ExchangePort {
  /** `mexc` or `paper`: shown in /status. */
  readonly name: string;

  /** Rules of every listed symbol, cached by the adapter and refreshed at least hourly. */
  getRules(): Promise<ReadonlyMap<string, SymbolRules>>;
  /** Drops the rules cache (after a rules error) and loads again. */
  refreshRules(): Promise<ReadonlyMap<string, SymbolRules>>;

  /** 24 h tickers for all symbols, in one request. */
  getTickers24h(): Promise<readonly Ticker24h[]>;
  /** Best bid/ask for all symbols, in one request. */
  getBookTops(): Promise<ReadonlyMap<string, BookTop>>;
  /** Last prices for all symbols, in one request. */
  getPrices(): Promise<ReadonlyMap<string, Decimal>>;
  getKlines(query: KlineQuery): Promise<readonly Candle[]>;
  getDepth(symbol: string, limit?: number): Promise<Depth>;

  getBalances(): Promise<readonly Balance[]>;

  /**
   * Sends an already rounded order. Throws `UnknownOutcome` when the request may have reached
   * the exchange without a clear answer: the caller must then resolve it with {@link getOrder}.
   */
  placeOrder(request: OrderRequest): Promise<OrderAck>;
  /** The order by client order id, or undefined when the exchange does not know it. */
  getOrder(ref: OrderRef): Promise<ExchangeOrder | undefined>;
  /** Cancels by client order id; returns the order's final state when known. Throws `NotFound` for a finished or unknown order. */
  cancelOrder(ref: OrderRef): Promise<ExchangeOrder | undefined>;
  /** Open orders of the account on the given symbols. */
  getOpenOrders(symbols: readonly string[]): Promise<readonly ExchangeOrder[]>;
  /**
   * Fills of the account on `symbol` with `startTime <= time < endTime`. Adapters page
   * internally within the exchange's limits (≤ 100 rows per call for MEXC) and dedupe by trade id.
   */
  getFills(query: FillQuery): Promise<readonly Fill[]>;
  /**
   * The exchange's current time (ms): fills are stamped with it, so fill sync windows are built
   * in it, not on the local clock (which may be minutes off).
   */
  exchangeTime(): Promise<number>;
}
