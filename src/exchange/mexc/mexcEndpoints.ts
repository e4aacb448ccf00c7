/**
 * Every MEXC spot v3 endpoint the client calls, with its rate-limit weight.
 *
 * Weights are the HIGHER of MEXC's documented weight (Aug 2025 docs) and the cost that ccxt and
 * gocryptotrader configure (probably from newer docs). Over-counting only
 * slows us down a little, under-counting risks 429s and IP bans.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/market-data-endpoints
 */
import { RequestKind } from '../rateLimiter.js';

/** The HTTP verbs the MEXC endpoints use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One MEXC endpoint: verb, path, rate-limit weight, whether it is signed and which request budget it uses.
 */
export interface MexcEndpoint {
  readonly method: HttpMethod;
  readonly path: string;
  readonly weight: number;
  /** Needs the API key, a timestamp and a signature. */
  readonly signed: boolean;
  readonly kind: RequestKind;
  /** Queued ahead of other requests: cancels reduce risk (the kill switch) and must not wait behind reads. */
  readonly urgent?: boolean;
}

/** Every MEXC endpoint the client calls, by name, with its weight. */
export const MEXC_ENDPOINTS = {
  ping: { method: 'GET', path: '/api/v3/ping', weight: 1, signed: false, kind: RequestKind.General },
  /** Urgent: an urgent signed request (a cancel) may need a fresh offset before it can be signed. */
  time: {
    method: 'GET',
    path: '/api/v3/time',
    weight: 1,
    signed: false,
    kind: RequestKind.General,
    urgent: true,
  },
  defaultSymbols: {
    method: 'GET',
    path: '/api/v3/defaultSymbols',
    weight: 1,
    signed: false,
    kind: RequestKind.General,
  },
  /** docs 10, ccxt/gct 25. Cached ≥ 1 h. */
  exchangeInfo: {
    method: 'GET',
    path: '/api/v3/exchangeInfo',
    weight: 25,
    signed: false,
    kind: RequestKind.General,
  },
  /** docs 1, ccxt/gct 3. */
  depth: { method: 'GET', path: '/api/v3/depth', weight: 3, signed: false, kind: RequestKind.General },
  klines: { method: 'GET', path: '/api/v3/klines', weight: 1, signed: false, kind: RequestKind.General },
  /** All symbols: docs 40, ccxt/gct 25 → 40. */
  ticker24hAll: {
    method: 'GET',
    path: '/api/v3/ticker/24hr',
    weight: 40,
    signed: false,
    kind: RequestKind.General,
  },
  /** All symbols: docs 2, ccxt/gct 10. */
  tickerPriceAll: {
    method: 'GET',
    path: '/api/v3/ticker/price',
    weight: 10,
    signed: false,
    kind: RequestKind.General,
  },
  /** One symbol (`symbol=`): docs 1, ccxt/gct 10 (they do not tell one symbol from all). */
  tickerPrice: {
    method: 'GET',
    path: '/api/v3/ticker/price',
    weight: 10,
    signed: false,
    kind: RequestKind.General,
  },
  /** All symbols: docs 1, ccxt/gct 10. */
  bookTickerAll: {
    method: 'GET',
    path: '/api/v3/ticker/bookTicker',
    weight: 10,
    signed: false,
    kind: RequestKind.General,
  },
  newOrder: { method: 'POST', path: '/api/v3/order', weight: 1, signed: true, kind: RequestKind.Order },
  cancelOrder: {
    method: 'DELETE',
    path: '/api/v3/order',
    weight: 1,
    signed: true,
    kind: RequestKind.Order,
    urgent: true,
  },
  queryOrder: { method: 'GET', path: '/api/v3/order', weight: 2, signed: true, kind: RequestKind.General },
  openOrders: {
    method: 'GET',
    path: '/api/v3/openOrders',
    weight: 3,
    signed: true,
    kind: RequestKind.General,
  },
  account: { method: 'GET', path: '/api/v3/account', weight: 10, signed: true, kind: RequestKind.Account },
  myTrades: { method: 'GET', path: '/api/v3/myTrades', weight: 10, signed: true, kind: RequestKind.General },
  tradeFee: { method: 'GET', path: '/api/v3/tradeFee', weight: 20, signed: true, kind: RequestKind.General },
  /** User-data stream listen key: create (valid 60 min). */
  createListenKey: {
    method: 'POST',
    path: '/api/v3/userDataStream',
    weight: 1,
    signed: true,
    kind: RequestKind.General,
  },
  /** Extends a listen key to 60 min from now; idempotent, so retried like a read. */
  extendListenKey: {
    method: 'PUT',
    path: '/api/v3/userDataStream',
    weight: 1,
    signed: true,
    kind: RequestKind.General,
  },
  deleteListenKey: {
    method: 'DELETE',
    path: '/api/v3/userDataStream',
    weight: 1,
    signed: true,
    kind: RequestKind.General,
  },
} as const satisfies Record<string, MexcEndpoint>;

/** The name of one entry of {@link MEXC_ENDPOINTS}. */
export type MexcEndpointName = keyof typeof MEXC_ENDPOINTS;

/** "GET /api/v3/order": the only request description that may appear in errors and logs. */
export function describeEndpoint(endpoint: MexcEndpoint): string {
  return `${endpoint.method} ${endpoint.path}`;
}

/** Reads and listen-key extensions are idempotent; order writes are never retried blindly. */
export function isIdempotent(endpoint: MexcEndpoint): boolean {
  return endpoint.method === 'GET' || endpoint.method === 'PUT';
}
