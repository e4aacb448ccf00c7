/**
 * The simulator's WebSocket endpoint, on the HTTP server's port at MEXC's path `/ws`: JSON
 * control messages (SUBSCRIPTION, UNSUBSCRIPTION, PING), at most 30 subscriptions per
 * connection, protobuf pushes, user streams authorised by `?listenKey=`, MEXC's 24-hour cut,
 * and the stream faults (drop, silence, expired keys). Internal to the simulator.
 *
 * Market pushes are change-driven like MEXC's: a tick every `tickMs` of wall time advances the
 * market to the clock and pushes each subscribed book ticker, candle or mini ticker (at most every
 * 3 s of clock time) that changed since the connection last saw it. Account pushes go out from the account's change hook at the moment of
 * the match. Nothing ticks while no client is connected.
 */
import type { IncomingMessage, Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { type Decimal, ZERO } from '../../domain/money.js';
import type { Clock } from '../../common/clock.js';
import {
  type ControlAnswer,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  type ParsedChannel,
  parseChannel,
} from '../mexc/stream/mexcChannels.js';
import { encodePush, type PbPushWrapper } from '../mexc/stream/mexcProto.js';
import type { Account, AccountChange } from './Account.js';
import type { Faults, StreamScope } from './Faults.js';
import type { ListenKeys } from './ListenKeys.js';
import type { Market } from './Market.js';
import {
  accountPush,
  bookTickerPush,
  dealPush,
  klinePush,
  miniTickerPush,
  orderPush,
} from './streamPushes.js';

/** MEXC pushes a symbol's mini ticker every 3 seconds (here: at most, and only when it changed). */
const MINI_TICKER_EVERY_MS = 3_000;

/** MEXC closes every connection after 24 hours. */
export const MAX_CONNECTION_MS = 24 * 60 * 60_000;

interface Client {
  readonly socket: WebSocket;
  readonly listenKey: string | undefined;
  readonly openedAt: number;
  readonly channels: Map<string, ParsedChannel>;
  /** What this client last received per channel, to push only changes. */
  readonly lastSent: Map<string, string>;
  /** When (clock) it last received each channel. */
  readonly lastSentAt: Map<string, number>;
}

/** What the stream server serves from, and how often it looks for changes. */
export interface StreamServerOptions {
  readonly server: Server;
  readonly clock: Clock;
  readonly market: Market;
  readonly account: Account;
  readonly listenKeys: ListenKeys;
  /** Consulted for silenced streams. */
  readonly faults: Faults;
  /** Wall milliseconds between market pushes (MEXC's aggregated channels: 100 ms). */
  readonly tickMs?: number;
  /** Clock time after which a connection is cut (default 24 h). */
  readonly maxConnectionMs?: number;
}

/** Serves MEXC's WebSocket protocol for one simulator. */
export class StreamServer {
  readonly #o: StreamServerOptions;
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<Client>();
  /** Each asset's amounts after and before its latest change, for the `…Change` fields of balance pushes. */
  readonly #lastBalances = new Map<string, { free: Decimal; locked: Decimal }>();
  readonly #previousBalances = new Map<string, { free: Decimal; locked: Decimal }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: StreamServerOptions) {
    this.#o = options;
    this.#wss = new WebSocketServer({ server: options.server, path: '/ws' });
    this.#wss.on('connection', (socket, request) => this.#accept(socket, request));
    options.account.onChange = (change) => this.#onAccountChange(change);
    options.listenKeys.onInvalid = (key) => this.#closeKey(key);
  }

  /** Fault: every open connection in scope is cut (as by a network failure). */
  drop(scope: StreamScope): void {
    for (const client of this.#clients) if (this.#inScope(client, scope)) client.socket.terminate();
  }

  /** Open connections and their channels (for tests). */
  connections(): { readonly user: boolean; readonly channels: readonly string[] }[] {
    return [...this.#clients].map((c) => ({
      user: c.listenKey !== undefined,
      channels: [...c.channels.keys()],
    }));
  }

  /** Closes every connection and stops ticking; the HTTP server closes separately. */
  close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const client of this.#clients) client.socket.terminate();
    this.#clients.clear();
    this.#o.account.onChange = undefined;
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const now = this.#o.clock.now();
    const listenKey =
      new URL(request.url ?? '/', 'http://localhost').searchParams.get('listenKey') ?? undefined;
    if (listenKey !== undefined && !this.#o.listenKeys.isValid(listenKey, now)) {
      // UNCONFIRMED: how MEXC refuses a stale key; here a notice, then the close.
      socket.send(JSON.stringify({ id: 0, code: 0, msg: 'Invalid listen key' } satisfies ControlAnswer));
      socket.close(1008, 'Invalid listen key');
      return;
    }
    const client: Client = {
      socket,
      listenKey,
      openedAt: now,
      channels: new Map(),
      lastSent: new Map(),
      lastSentAt: new Map(),
    };
    this.#clients.add(client);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.#onControl(client, (data as Buffer).toString('utf8'));
    });
    socket.on('close', () => {
      this.#clients.delete(client);
      if (this.#clients.size === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    });
    socket.on('error', () => socket.terminate());
    this.#timer ??= setInterval(() => this.#tick(), this.#o.tickMs ?? 100);
  }

  #onControl(client: Client, text: string): void {
    if (this.#isSilent(client)) return;
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.#answer(client, { id: 0, code: 1, msg: 'Invalid JSON' });
      return;
    }
    const id = typeof request.id === 'number' ? request.id : 0;
    const params = Array.isArray(request.params) ? request.params.filter((p) => typeof p === 'string') : [];
    switch (request.method) {
      case 'PING':
        this.#answer(client, { id, code: 0, msg: 'PONG' });
        return;
      case 'SUBSCRIPTION':
        this.#subscribe(client, id, params);
        return;
      case 'UNSUBSCRIPTION':
        for (const channel of params) {
          client.channels.delete(channel);
          client.lastSent.delete(channel);
          client.lastSentAt.delete(channel);
        }
        this.#answer(client, { id, code: 0, msg: params.join(',') });
        return;
      default:
        this.#answer(client, { id, code: 1, msg: `Unknown method ${JSON.stringify(request.method)}` });
    }
  }

  #subscribe(client: Client, id: number, params: readonly string[]): void {
    const accepted: string[] = [];
    for (const channel of params) {
      const parsed = parseChannel(channel);
      const problem = this.#refusal(client, channel, parsed);
      if (problem !== undefined || parsed === undefined) {
        // MEXC's wording for a refused channel.
        this.#answer(client, {
          id,
          code: 0,
          msg: `Not Subscribed successfully! [${channel}].  Reason： ${problem}`,
        });
        continue;
      }
      client.channels.set(channel, parsed);
      accepted.push(channel);
    }
    if (accepted.length > 0) this.#answer(client, { id, code: 0, msg: accepted.join(',') });
  }

  #refusal(client: Client, channel: string, parsed: ParsedChannel | undefined): string | undefined {
    if (parsed === undefined) return 'Blocked!';
    if (client.channels.has(channel)) return undefined;
    if (client.channels.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) return 'Too many subscriptions';
    if (parsed.kind === 'bookTicker' || parsed.kind === 'kline' || parsed.kind === 'miniTicker') {
      return this.#o.market.runtime(parsed.symbol) === undefined ? 'Blocked!' : undefined;
    }
    return client.listenKey === undefined ? 'Blocked!' : undefined;
  }

  #answer(client: Client, answer: ControlAnswer): void {
    if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(answer));
  }

  #push(client: Client, push: PbPushWrapper): void {
    if (client.socket.readyState === WebSocket.OPEN) client.socket.send(encodePush(push));
  }

  #tick(): void {
    try {
      this.#pushMarket();
    } catch (error) {
      this.#fail('all', error);
    }
  }

  /**
   * A push that cannot be built must not crash the process hosting the simulator, nor fail the
   * order request whose fill caused it. The simulator has no logger: the error reaches the
   * clients as a 1011 close carrying its message, and they reconnect.
   */
  #fail(scope: StreamScope, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    const reason = Buffer.from(`simulator error: ${detail}`).subarray(0, 120).toString();
    for (const client of this.#clients) if (this.#inScope(client, scope)) client.socket.close(1011, reason);
  }

  #pushMarket(): void {
    const { clock, market, listenKeys } = this.#o;
    const now = clock.now();
    listenKeys.sweep(now);
    const maxAge = this.#o.maxConnectionMs ?? MAX_CONNECTION_MS;
    for (const client of this.#clients) {
      if (now - client.openedAt >= maxAge) client.socket.close(1000, 'connection lifetime reached');
    }
    // Matching of resting orders happens as the market advances; its pushes go out from here.
    market.advanceTo(now);
    const cache = new Map<string, PbPushWrapper | undefined>();
    for (const client of this.#clients) {
      if (this.#isSilent(client)) continue;
      for (const [channel, parsed] of client.channels) {
        if (!('symbol' in parsed)) continue;
        if (
          parsed.kind === 'miniTicker' &&
          now - (client.lastSentAt.get(channel) ?? -Infinity) < MINI_TICKER_EVERY_MS
        )
          continue;
        if (!cache.has(channel)) cache.set(channel, this.#marketPush(parsed, now));
        const push = cache.get(channel);
        if (push === undefined) continue;
        const body = JSON.stringify(
          push.publicAggreBookTicker ?? push.publicSpotKline ?? push.publicMiniTicker,
        );
        if (client.lastSent.get(channel) === body) continue;
        client.lastSent.set(channel, body);
        client.lastSentAt.set(channel, now);
        this.#push(client, push);
      }
    }
  }

  #marketPush(parsed: ParsedChannel, now: number): PbPushWrapper | undefined {
    // Private channels carry no symbol: the account's pushes go out from its change hook.
    if (!('symbol' in parsed)) return undefined;
    const rt = this.#o.market.runtime(parsed.symbol);
    if (rt === undefined) return undefined;
    if (parsed.kind === 'bookTicker') return bookTickerPush(this.#o.market, rt, now);
    if (parsed.kind === 'miniTicker') return miniTickerPush(this.#o.market, rt, now);
    return klinePush(this.#o.market, rt, parsed.interval, now);
  }

  #onAccountChange(change: AccountChange): void {
    try {
      this.#pushAccount(change);
    } catch (error) {
      this.#fail('user', error);
    }
  }

  #pushAccount(change: AccountChange): void {
    if (change.kind === 'balance') this.#rememberBalance(change);
    const listeners = [...this.#clients].filter((c) => c.listenKey !== undefined && !this.#isSilent(c));
    if (listeners.length === 0) return;
    const now = this.#o.clock.now();
    let kind: 'deals' | 'orders' | 'account';
    let push: PbPushWrapper;
    if (change.kind === 'trade') {
      kind = 'deals';
      push = dealPush(change.trade, now);
    } else if (change.kind === 'order') {
      kind = 'orders';
      push = orderPush(change.order, now);
    } else {
      kind = 'account';
      const previous = this.#previousBalances.get(change.asset) ?? { free: ZERO, locked: ZERO };
      push = accountPush({
        ...change,
        freeChange: change.free.minus(previous.free),
        lockedChange: change.locked.minus(previous.locked),
      });
    }
    for (const client of listeners) {
      if ([...client.channels.values()].some((c) => c.kind === kind)) this.#push(client, push);
    }
  }

  /** Keeps each asset's amounts before and after its latest change, for the `…Change` fields. */
  #rememberBalance(change: Extract<AccountChange, { kind: 'balance' }>): void {
    const last = this.#lastBalances.get(change.asset);
    this.#previousBalances.set(change.asset, last ?? { free: ZERO, locked: ZERO });
    this.#lastBalances.set(change.asset, { free: change.free, locked: change.locked });
  }

  #closeKey(listenKey: string): void {
    for (const client of this.#clients) {
      if (client.listenKey !== listenKey) continue;
      this.#answer(client, { id: 0, code: 0, msg: 'Invalid listen key' });
      client.socket.close(1008, 'listen key expired');
    }
  }

  #isSilent(client: Client): boolean {
    return this.#o.faults.silentStreams.has(client.listenKey === undefined ? 'market' : 'user');
  }

  #inScope(client: Client, scope: StreamScope): boolean {
    return scope === 'all' || (scope === 'user') === (client.listenKey !== undefined);
  }
}
