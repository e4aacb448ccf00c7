/**
 * Route table types shared by the public and signed endpoint modules. Internal.
 */
import type { Account } from './Account.js';
import type { ListenKeys } from './ListenKeys.js';
import type { Market } from './Market.js';
import type { Reply } from './wire.js';

/** Everything a handler may touch. */
export interface SimCore {
  readonly market: Market;
  readonly account: Account;
  readonly listenKeys: ListenKeys;
}

/** A parsed request as a route handler sees it. */
export interface RouteRequest {
  readonly params: URLSearchParams;
  /** Market time (the clock). */
  readonly now: number;
  /** Server time: the clock plus any injected skew. */
  readonly serverTime: number;
}

/** One endpoint: whether it must be signed, and its handler. */
export interface Route {
  readonly signed: boolean;
  readonly handle: (core: SimCore, request: RouteRequest) => Reply;
}

/** Routes keyed by `METHOD path`. */
export type RouteTable = Readonly<Record<string, Route>>;
