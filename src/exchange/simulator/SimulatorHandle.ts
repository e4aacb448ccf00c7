/**
 * The control surface of a running simulator: its address and credentials, the shared clock,
 * market and account controls for tests, fault injection and request statistics.
 */
import type { Clock } from '../../common/clock.js';
import { dec, toWire } from '../../domain/money.js';
import type { Account } from './Account.js';
import { orderWire, tradeWire } from './accountViews.js';
import type { Faults, StreamScope } from './Faults.js';
import type { ListenKeys } from './ListenKeys.js';
import type { Market, SymbolRuntime } from './Market.js';
import type { Stats, StatsSnapshot } from './Stats.js';
import type { StreamServer } from './StreamServer.js';

/**
 * What tests and benchmarks hold to drive a running simulator: address, credentials, clock, market and
 * account controls.
 */
export interface SimulatorHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234` (paths are `/api/v3/…`). */
  readonly url: string;
  /** WebSocket address, e.g. `ws://127.0.0.1:41234/ws` (MEXC's path; user streams add `?listenKey=`). */
  readonly wsUrl: string;
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string };
  /** Market and server time; in simulator mode the bot uses this same clock. */
  readonly clock: Clock;
  readonly market: {
    /** Pins the symbol's book top (prices on its tick grid): no random moves until {@link release}. Resting orders it crosses fill at once. */
    setBookTop(symbol: string, top: { bid: string; ask: string }): void;
    release(symbol: string): void;
    /** Adds to or removes from /api/v3/defaultSymbols (orders on a removed symbol get 10007). */
    setTradable(symbol: string, tradable: boolean): void;
    symbols(): string[];
    bookTop(symbol: string): { bid: string; ask: string };
  };
  readonly account: {
    balances(): Record<string, { free: string; locked: string }>;
    /** Sets the free balance of an asset (locked amounts stay). */
    setBalance(asset: string, free: string): void;
    /** Every fill the simulator made, in MEXC myTrades shape, oldest first. */
    trades(): readonly unknown[];
    /** Adds fills from before the simulation (prices and quantities as decimal strings); balances stay as set. */
    addPastTrades(
      trades: readonly { symbol: string; side: 'BUY' | 'SELL'; price: string; qty: string; time: number }[],
    ): void;
    /** Every order, in MEXC query-order shape, in placement order. */
    orders(): readonly unknown[];
  };
  readonly faults: {
    /** The next `count` (1) matching requests get `status` with `{code, msg}` and are not executed. */
    failNext(opts: {
      method?: string;
      path: string;
      status: number;
      code?: number;
      msg?: string;
      count?: number;
    }): void;
    /** The next `count` matching requests are accepted and never answered (until close); not executed. */
    timeoutNext(opts: { method?: string; path: string; count?: number }): void;
    /** The next `count` successful POST /api/v3/order are executed, then answered with `status` (503). */
    acceptThenFail(opts: { status?: number; count?: number }): void;
    /** For `durationMs` of clock time every request gets 429 with `Retry-After: retryAfterSec`. */
    rateLimitStorm(opts: { durationMs: number; retryAfterSec: number }): void;
    /** Server time = clock + `ms` (/api/v3/time and timestamp checks). */
    clockSkew(ms: number): void;
    /** Cuts every open WebSocket connection in scope (default all), as a network failure would. */
    dropStreams(scope?: StreamScope): void;
    /** WebSocket connections in scope (open and new) stop answering pings and pushing, until reset. */
    silenceStreams(scope?: StreamScope): void;
    /** Every listen key expires now; its user streams are closed. */
    expireListenKeys(): void;
    /** Clears every fault, silenced streams included. */
    reset(): void;
  };
  /** The WebSocket side, for tests. */
  readonly streams: {
    /** Open connections: whether each is a user stream, and its channels. */
    connections(): { readonly user: boolean; readonly channels: readonly string[] }[];
    /** Listen keys currently valid. */
    listenKeyCount(): number;
    /** Every listen key created so far, valid or not. */
    issuedListenKeys(): readonly string[];
  };
  readonly stats: { snapshot(): StatsSnapshot; reset(): void };
  /** Advances the market to `clock.now()`, matching resting orders (requests do this too). */
  step(): void;
  close(): Promise<void>;
}

/** The simulator's internals a {@link SimulatorHandle} is built over. */
export interface HandleParts {
  readonly url: string;
  readonly wsUrl: string;
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string };
  readonly clock: Clock;
  readonly market: Market;
  readonly account: Account;
  readonly faults: Faults;
  readonly stats: Stats;
  readonly streams: StreamServer;
  readonly listenKeys: ListenKeys;
  readonly onPin: (rt: SymbolRuntime, now: number) => void;
  readonly close: () => Promise<void>;
}

/** Internal: assembles the handle returned by startSimulator. */
export function createSimulatorHandle(parts: HandleParts): SimulatorHandle {
  const { market, account, clock } = parts;
  const runtime = (symbol: string): SymbolRuntime => {
    const rt = market.runtime(symbol);
    if (!rt) throw new RangeError(`unknown simulator symbol "${symbol}"`);
    return rt;
  };
  const step = (): number => {
    const now = clock.now();
    market.advanceTo(now);
    return now;
  };
  const onGrid = (rt: SymbolRuntime, field: string, text: string): number => {
    const price = dec(text);
    const ticks = price.div(rt.spec.tick);
    if (!price.isPositive() || !ticks.isInteger()) {
      throw new RangeError(
        `${field} ${text} for ${rt.spec.symbol} must be positive and on the tick ${toWire(rt.spec.tick)}`,
      );
    }
    return ticks.toNumber();
  };
  let closed: Promise<void> | undefined;

  return {
    url: parts.url,
    wsUrl: parts.wsUrl,
    credentials: parts.credentials,
    clock,
    market: {
      setBookTop(symbol, top) {
        const rt = runtime(symbol);
        const bid = onGrid(rt, 'bid', top.bid);
        const ask = onGrid(rt, 'ask', top.ask);
        if (bid >= ask) throw new RangeError(`bid ${top.bid} must be below ask ${top.ask}`);
        const now = step();
        market.pin(rt, bid, ask, now);
        parts.onPin(rt, now);
      },
      release(symbol) {
        const rt = runtime(symbol);
        step();
        market.release(rt);
      },
      setTradable(symbol, tradable) {
        runtime(symbol).apiTradable = tradable;
      },
      symbols: () => market.runtimes.map((rt) => rt.spec.symbol),
      bookTop(symbol) {
        const rt = runtime(symbol);
        const book = market.book(rt, step());
        return {
          bid: book.bid.toFixed(rt.spec.pricePrecision),
          ask: book.ask.toFixed(rt.spec.pricePrecision),
        };
      },
    },
    account: {
      balances: () =>
        Object.fromEntries(
          account.balances().map((b) => [b.asset, { free: toWire(b.free), locked: toWire(b.locked) }]),
        ),
      setBalance: (asset, free) => account.setFree(asset, free, clock.now()),
      trades: () => account.allTrades().map(tradeWire),
      addPastTrades: (trades) => {
        for (const t of trades) {
          account.addPastTrade(runtime(t.symbol).spec, {
            side: t.side,
            price: dec(t.price),
            qty: dec(t.qty),
            time: t.time,
          });
        }
      },
      orders: () => account.allOrders().map(orderWire),
    },
    faults: {
      failNext: (opts) => parts.faults.failNext(opts),
      timeoutNext: (opts) => parts.faults.timeoutNext(opts),
      acceptThenFail: (opts) => parts.faults.acceptThenFail(opts),
      rateLimitStorm: (opts) => parts.faults.rateLimitStorm(opts, clock.now()),
      clockSkew: (ms) => {
        parts.faults.skewMs = ms;
      },
      dropStreams: (scope = 'all') => parts.streams.drop(scope),
      silenceStreams: (scope = 'all') => parts.faults.silenceStreams(scope),
      expireListenKeys: () => parts.listenKeys.expireAll(),
      reset: () => parts.faults.reset(),
    },
    streams: {
      connections: () => parts.streams.connections(),
      listenKeyCount: () => parts.listenKeys.count(clock.now()),
      issuedListenKeys: () => parts.listenKeys.issued(),
    },
    stats: { snapshot: () => parts.stats.snapshot(), reset: () => parts.stats.reset() },
    step: () => {
      step();
    },
    close: () => (closed ??= parts.close()),
  };
}
