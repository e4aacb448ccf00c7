/**
 * Exchange-neutral live streams: what the bot receives over WebSocket instead of polling REST.
 *
 * Money fields are {@link Decimal}s (parsed from the exchange's decimal text by the adapter, as
 * everywhere in `domain/market.ts`; a streamed candle, which only feeds signals, has numbers), times are Unix milliseconds in exchange time. REST stays
 * the source of truth: a consumer treats an update as a fast hint that reconciliation confirms,
 * and falls back to polling for whatever stream is not `live`.
 */
import type { KlineInterval, OrderSide, OrderType, ExchangeOrderStatus } from '../../domain/market.js';
import type { NumericCandle } from '../../domain/candleColumns.js';
import type { Decimal } from '../../domain/money.js';

/**
 * Where one stream stands:
 * - `off`: not wanted (nothing subscribed, or streams switched off);
 * - `connecting`: opening or re-subscribing after a drop;
 * - `live`: connected, subscribed and receiving;
 * - `quiet`: connected but nothing arrived for longer than the stream's push cadence allows;
 * - `down`: disconnected, waiting for the next reconnect attempt.
 * Consumers poll REST for the data of every stream that is not `live`.
 */
export type StreamState = 'off' | 'connecting' | 'live' | 'quiet' | 'down';

/** One stream's state for `/status`, `/healthz` and the polling fallback. */
export interface StreamStatus {
  /** Which stream: `bookTicker`, `kline`, `miniTicker` or `user`. */
  readonly name: string;
  readonly state: StreamState;
  /** When the stream entered this state. */
  readonly sinceMs: number;
  /**
   * When the last message (data or pong) arrived; absent before the first one. For a stream
   * spread over several connections, the stalest connection's.
   */
  readonly lastMessageMs?: number;
}

/** Best bid and ask of one symbol as pushed by the book-ticker stream. */
export interface BookTickerUpdate {
  readonly symbol: string;
  readonly bidPrice: Decimal;
  readonly bidQty: Decimal;
  readonly askPrice: Decimal;
  readonly askQty: Decimal;
  /** When the exchange sent it. */
  readonly timeMs: number;
}

/**
 * The current (possibly still open) candle of one symbol and interval. Prices and volumes are
 * numbers: a streamed candle only feeds signals, and a push comes for every trade of every
 * subscribed symbol, too often to build six Decimals for each.
 */
export interface KlineUpdate extends NumericCandle {
  readonly symbol: string;
  readonly interval: KlineInterval;
  /** Exclusive end of the candle's window. */
  readonly closeTimeMs: number;
}

/** One symbol's rolling 24-hour volumes and price range, as pushed by the mini-ticker stream. */
export interface MiniTickerUpdate {
  readonly symbol: string;
  readonly lastPrice: Decimal;
  readonly highPrice: Decimal;
  readonly lowPrice: Decimal;
  /** Base volume over the last 24 h. */
  readonly volume: Decimal;
  /** Quote volume over the last 24 h. */
  readonly quoteVolume: Decimal;
  /** When the exchange sent it. */
  readonly timeMs: number;
}

/** One fill of the account, pushed the moment the exchange matched it. Keyed by symbol + trade id. */
export interface DealUpdate {
  readonly symbol: string;
  readonly tradeId: string;
  readonly orderId: string;
  /** Absent for orders placed without one (not by the bot). */
  readonly clientOrderId?: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly quoteQuantity: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly isMaker: boolean;
  /** Trade time. */
  readonly timeMs: number;
}

/** Order types as the user stream may report them: the bot's own plus fill-or-kill from elsewhere. */
export type StreamOrderType = OrderType | 'FILL_OR_KILL';

/** A change of one of the account's orders (placed, partly filled, filled, cancelled). */
export interface OrderUpdate {
  readonly symbol: string;
  readonly orderId: string;
  /** Absent for orders placed without one (not by the bot). */
  readonly clientOrderId?: string;
  readonly side: OrderSide;
  readonly type: StreamOrderType;
  readonly status: ExchangeOrderStatus;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly executedQuantity: Decimal;
  readonly cumulativeQuote: Decimal;
  /** When the change happened. */
  readonly timeMs: number;
}

/** One asset's new free and locked amounts after a change. */
export interface BalanceUpdate {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
  readonly timeMs: number;
}

/**
 * Public market data over WebSocket. Setting a symbol list replaces the previous one: the
 * stream subscribes what is new and unsubscribes what is gone, spread over as many connections
 * as the exchange's per-connection limit requires. Every `on…` returns its unsubscribe function.
 */
export interface MarketStream {
  /** The symbols whose best bid/ask should stream (core, held, scan candidates). */
  setBookTickerSymbols(symbols: readonly string[]): void;
  /** The symbols whose candles of `interval` should stream; replaces the previous list and interval. */
  setKlineSymbols(symbols: readonly string[], interval: KlineInterval): void;
  /** The symbols whose rolling 24 h volumes should stream (the core markets). */
  setMiniTickerSymbols(symbols: readonly string[]): void;
  onBookTicker(fn: (u: BookTickerUpdate) => void): () => void;
  onKline(fn: (u: KlineUpdate) => void): () => void;
  onMiniTicker(fn: (u: MiniTickerUpdate) => void): () => void;
  /**
   * One entry per stream (`bookTicker`, `kline`, `miniTicker`). A stream spread over several connections
   * shows its worst connection (`down` before `quiet` before `connecting` before `live`), so
   * one dropped connection already sends the consumer back to polling for that data.
   */
  statuses(): readonly StreamStatus[];
  /** Called on every state change of either stream. */
  onStatus(fn: (s: StreamStatus) => void): () => void;
}

/**
 * The account's private data (fills, orders, balances) over WebSocket, authorised by a listen
 * key the adapter creates, keeps alive and replaces on its own.
 */
export interface UserStream {
  onDeal(fn: (u: DealUpdate) => void): () => void;
  onOrder(fn: (u: OrderUpdate) => void): () => void;
  onBalance(fn: (u: BalanceUpdate) => void): () => void;
  status(): StreamStatus;
  /** Called on every state change. */
  onStatus(fn: (s: StreamStatus) => void): () => void;
}
