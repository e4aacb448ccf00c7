/**
 * MEXC WebSocket channel names and the JSON control messages, shared by the stream client and
 * the simulator so both spell them alike.
 *
 * Public channels carry the symbol (upper case) in the name; private channels are bare and
 * apply to the listen key's account.
 */
import type { KlineInterval } from '../../../domain/market.js';

/** The most subscriptions MEXC accepts on one connection. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 30;

/** MEXC's default WebSocket address (market and user data alike). */
export const MEXC_WS_URL = 'wss://wbs-api.mexc.com/ws';

/** Book tickers are aggregated by the exchange and pushed at most every 100 ms. */
const BOOK_TICKER_PREFIX = 'spot@public.aggre.bookTicker.v3.api.pb@100ms@';
const KLINE_PREFIX = 'spot@public.kline.v3.api.pb@';
const MINI_TICKER_PREFIX = 'spot@public.miniTicker.v3.api.pb@';
/**
 * The time zone a mini-ticker channel names. It sets only the day-change fields (`zonedRate`);
 * the volumes, high and low the bot reads are rolling 24 h whatever the zone.
 */
const MINI_TICKER_ZONE = 'UTC+8';

/** The private channels of a user stream. */
export const PRIVATE_CHANNELS = {
  deals: 'spot@private.deals.v3.api.pb',
  orders: 'spot@private.orders.v3.api.pb',
  account: 'spot@private.account.v3.api.pb',
} as const;

/** Kline widths as the WebSocket names them; REST says `1m`, the stream `Min1`. */
const STREAM_INTERVALS: Readonly<Record<KlineInterval, string>> = {
  '1m': 'Min1',
  '5m': 'Min5',
  '15m': 'Min15',
  '30m': 'Min30',
  '60m': 'Min60',
  '4h': 'Hour4',
  '1d': 'Day1',
  '1W': 'Week1',
  '1M': 'Month1',
};

const FROM_STREAM_INTERVAL: ReadonlyMap<string, KlineInterval> = new Map(
  Object.entries(STREAM_INTERVALS).map(([rest, stream]) => [stream, rest as KlineInterval]),
);

/** `Min1` for `1m`, and so on. */
export function streamInterval(interval: KlineInterval): string {
  return STREAM_INTERVALS[interval];
}

/** `1m` for `Min1`; undefined for a width the bot does not use (`Hour8`) or garbage. */
export function restInterval(streamName: string): KlineInterval | undefined {
  return FROM_STREAM_INTERVAL.get(streamName);
}

/** The book-ticker channel of one symbol. */
export function bookTickerChannel(symbol: string): string {
  return `${BOOK_TICKER_PREFIX}${symbol.toUpperCase()}`;
}

/** The kline channel of one symbol and width. */
export function klineChannel(symbol: string, interval: KlineInterval): string {
  return `${KLINE_PREFIX}${symbol.toUpperCase()}@${streamInterval(interval)}`;
}

/** The mini-ticker channel of one symbol (rolling 24 h volumes, pushed every 3 s). */
export function miniTickerChannel(symbol: string): string {
  return `${MINI_TICKER_PREFIX}${symbol.toUpperCase()}@${MINI_TICKER_ZONE}`;
}

/** What a channel name asks for; undefined for channels this project does not speak. */
export type ParsedChannel =
  | { readonly kind: 'bookTicker'; readonly symbol: string }
  | { readonly kind: 'miniTicker'; readonly symbol: string }
  | { readonly kind: 'kline'; readonly symbol: string; readonly interval: KlineInterval }
  | { readonly kind: 'deals' | 'orders' | 'account' };

/** Reads a channel name back (the simulator's subscription handling). */
export function parseChannel(channel: string): ParsedChannel | undefined {
  if (channel.startsWith(BOOK_TICKER_PREFIX)) {
    const symbol = channel.slice(BOOK_TICKER_PREFIX.length);
    return /^[A-Z0-9]+$/.test(symbol) ? { kind: 'bookTicker', symbol } : undefined;
  }
  if (channel.startsWith(MINI_TICKER_PREFIX)) {
    const [symbol, zone, ...rest] = channel.slice(MINI_TICKER_PREFIX.length).split('@');
    if (!symbol || !/^[A-Z0-9]+$/.test(symbol) || !zone || rest.length > 0) return undefined;
    return { kind: 'miniTicker', symbol };
  }
  if (channel.startsWith(KLINE_PREFIX)) {
    const [symbol, name, ...rest] = channel.slice(KLINE_PREFIX.length).split('@');
    const interval = name === undefined ? undefined : restInterval(name);
    if (!symbol || !/^[A-Z0-9]+$/.test(symbol) || !interval || rest.length > 0) return undefined;
    return { kind: 'kline', symbol, interval };
  }
  if (channel === PRIVATE_CHANNELS.deals) return { kind: 'deals' };
  if (channel === PRIVATE_CHANNELS.orders) return { kind: 'orders' };
  if (channel === PRIVATE_CHANNELS.account) return { kind: 'account' };
  return undefined;
}

/** A client's JSON control message. */
export interface ControlRequest {
  readonly method: 'SUBSCRIPTION' | 'UNSUBSCRIPTION' | 'PING';
  readonly params?: readonly string[];
  /** Echoed in the answer. */
  readonly id?: number;
}

/**
 * The server's JSON answer: `{"id":0,"code":0,"msg":"<channels>"}` for a (un)subscription,
 * `{"id":0,"code":0,"msg":"PONG"}` for a ping; a non-zero code or a `msg` naming a refused
 * channel means the subscription did not take.
 */
export interface ControlAnswer {
  readonly id?: number;
  readonly code?: number;
  readonly msg?: string;
}
