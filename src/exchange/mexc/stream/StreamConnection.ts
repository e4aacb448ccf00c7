/**
 * One MEXC WebSocket connection that stays up on its own: it subscribes its channels (at most
 * 30), pings, notices silence, and after any close — a network drop, a silent half-open socket —
 * reconnects and subscribes the same channels again.
 *
 * MEXC cuts every connection 24 hours after it opened. Before that (`replaceAfterMs`), a
 * replacement socket is opened and subscribed beside the old one; once the exchange acknowledges
 * it, it takes over and the old one is closed a moment later. Both deliver during that overlap,
 * so nothing falls into a gap; what arrives twice is harmless, since every consumer is
 * idempotent (deals are deduplicated by symbol + trade id, order updates apply once, market
 * values are latest-wins). A replacement that fails is tried again at the next ping; should the
 * cut come first, the connection reconnects as after any close.
 *
 * Keep-alive timing is wall time (the network's); the connection's age is clock time, the same
 * clock the simulator cuts by (real time against MEXC); the clock also stamps
 * `sinceMs`/`lastMessageMs` for `/status`.
 *
 * States: `connecting` until the first answer after (re)subscribing, `live` while messages
 * arrive, `quiet` when nothing (not even a pong) came for `quietAfterMs`, `down` between a
 * close and the next attempt, `off` once stopped or with nothing to subscribe.
 */
import WebSocket from 'ws';
import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import { backoffDelayMs } from '../../retry.js';
import type { StreamState } from '../../stream/streamTypes.js';
import { type ControlAnswer, type ControlRequest, MAX_SUBSCRIPTIONS_PER_CONNECTION } from './mexcChannels.js';
import { decodePush, type PbPushWrapper } from './mexcProto.js';

/** Keep-alive and reconnect timing of a stream connection, in wall milliseconds. */
export interface StreamTiming {
  /** How often to send `PING`. MEXC closes a connection that sends nothing for 60 s. */
  readonly pingIntervalMs: number;
  /** Silence (no data, no pong) after which the connection counts as `quiet`. */
  readonly quietAfterMs: number;
  /** Silence after which the socket is given up and reopened. */
  readonly deadAfterMs: number;
  /** First reconnect delay after a failed attempt; doubles per failure (with jitter, capped by retry.ts). */
  readonly backoffBaseMs: number;
  /** A connection live this long counts as healthy: its close is retried at once (a one-off drop). */
  readonly stableAfterMs: number;
  /**
   * Clock age at which a connection is replaced by a fresh one opened beside it, ahead of MEXC's
   * cut at 24 h.
   */
  readonly replaceAfterMs: number;
  /** Wall time the replaced socket keeps delivering after its replacement took over. */
  readonly overlapMs: number;
}

/**
 * Defaults: ping every 5 s, quiet after 8 s of silence, reopened after 20 s; replaced after
 * 23 h 30 min, half an hour before MEXC's 24-hour cut (so even at SIM_SPEED 60 a few pings fall
 * into that half hour).
 */
export const DEFAULT_STREAM_TIMING: StreamTiming = {
  pingIntervalMs: 5_000,
  quietAfterMs: 8_000,
  deadAfterMs: 20_000,
  backoffBaseMs: 500,
  stableAfterMs: 10_000,
  replaceAfterMs: 23.5 * 60 * 60_000,
  overlapMs: 1_000,
};

/** What a connection needs: where to connect, whom to tell, and its timing. */
export interface StreamConnectionOptions {
  /** For logs, e.g. `bookTicker#2`. */
  readonly name: string;
  /**
   * The address for the next attempt; asked before every connect, so the user stream can
   * extend or replace its listen key first. A throw counts as a failed attempt.
   */
  readonly url: () => Promise<string>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timing: StreamTiming;
  readonly random: () => number;
  /** Every decoded binary push. */
  readonly onPush: (push: PbPushWrapper) => void;
  /** Every state change. */
  readonly onState: (state: StreamState) => void;
  /** JSON answers that are neither a pong nor a subscription ack (e.g. a refused listen key). */
  readonly onNotice?: (answer: ControlAnswer) => void;
}

/** One self-healing WebSocket connection with up to 30 channels. Internal to the MEXC stream client. */
export class StreamConnection {
  readonly #o: StreamConnectionOptions;
  readonly #log: Logger;
  /** Channels wanted on this connection. */
  readonly #channels = new Set<string>();
  #socket: WebSocket | undefined;
  /** Clock time the current socket opened (its age decides the replacement). */
  #openedAt: number | undefined;
  /** The replacement being opened beside the current socket, until the exchange acknowledges it. */
  #successor: { socket?: WebSocket; readonly startedWall: number } | undefined;
  /** The replaced socket, still delivering during the overlap. */
  #retiring: WebSocket | undefined;
  #state: StreamState = 'off';
  #sinceMs: number;
  #lastMessageMs: number | undefined;
  #lastMessageWall = 0;
  #liveSinceWall: number | undefined;
  #failures = 0;
  /** Bumped by every connect, stop and restart, so a connect that awaited its address can tell it was superseded. */
  #generation = 0;
  #stopped = true;
  #pingTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;

  constructor(options: StreamConnectionOptions) {
    this.#o = options;
    this.#log = options.logger.child({ stream: options.name });
    this.#sinceMs = options.clock.now();
  }

  get state(): StreamState {
    return this.#state;
  }

  get sinceMs(): number {
    return this.#sinceMs;
  }

  get lastMessageMs(): number | undefined {
    return this.#lastMessageMs;
  }

  get channels(): ReadonlySet<string> {
    return this.#channels;
  }

  /** Free places for more channels. */
  get room(): number {
    return MAX_SUBSCRIPTIONS_PER_CONNECTION - this.#channels.size;
  }

  /** Adds channels (subscribed at once when open, else on connect) and starts the connection. */
  add(channels: readonly string[]): void {
    const fresh = channels.filter((c) => !this.#channels.has(c));
    if (fresh.length === 0) return;
    if (fresh.length > this.room) {
      throw new RangeError(`${this.#o.name}: ${fresh.length} channels do not fit in ${this.room} places`);
    }
    for (const c of fresh) this.#channels.add(c);
    this.#send({ method: 'SUBSCRIPTION', params: fresh });
    if (this.#stopped) this.start();
  }

  /** Removes channels; the connection stays open (the owner stops it when it is empty). */
  remove(channels: readonly string[]): void {
    const gone = channels.filter((c) => this.#channels.delete(c));
    if (gone.length > 0) this.#send({ method: 'UNSUBSCRIPTION', params: gone });
  }

  /** Opens the connection (idempotent). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#connect();
  }

  /** Closes for good: no reconnect, state `off`. */
  stop(): void {
    this.#stopped = true;
    this.#generation += 1;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#dropSocket();
    this.#setState('off');
  }

  /** Gives up the current socket and connects again now (after the listen key was replaced). */
  restart(): void {
    if (this.#stopped) return;
    this.#log.info('reconnecting on request');
    this.#failures = 0;
    this.#generation += 1;
    this.#dropSocket();
    this.#scheduleReconnect(0);
  }

  async #connect(): Promise<void> {
    this.#reconnectTimer = undefined;
    if (this.#stopped) return;
    this.#generation += 1;
    const generation = this.#generation;
    this.#liveSinceWall = undefined;
    this.#setState('connecting');
    let url: string;
    try {
      url = await this.#o.url();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#log.warn({ err: error }, 'stream address unavailable; will retry');
      this.#afterClose();
      return;
    }
    if (generation !== this.#generation) return;
    const socket = new WebSocket(url, { handshakeTimeout: this.#o.timing.deadAfterMs });
    this.#socket = socket;
    this.#lastMessageWall = performance.now();
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => this.#onOpen(socket));
    socket.on('message', (data, isBinary) => this.#onMessage(socket, data as Buffer, isBinary));
    socket.on('error', (error) => {
      // Always followed by 'close', which reconnects.
      this.#log.warn({ err: error }, 'stream socket error');
    });
    socket.on('close', (code, reason) => {
      if (this.#socket !== socket) return;
      this.#log.info({ code, reason: reason.toString() }, 'stream closed');
      this.#socket = undefined;
      this.#afterClose();
    });
  }

  #onOpen(socket: WebSocket): void {
    if (this.#socket !== socket) return;
    this.#openedAt = this.#o.clock.now();
    this.#lastMessageWall = performance.now();
    if (this.#channels.size > 0) this.#send({ method: 'SUBSCRIPTION', params: [...this.#channels] });
    this.#pingTimer = setInterval(() => this.#keepAlive(), this.#o.timing.pingIntervalMs);
  }

  #onMessage(socket: WebSocket, data: Buffer, isBinary: boolean): void {
    if (this.#successor?.socket === socket) {
      // The replacement's first push or subscription ack is the moment it takes over.
      if (!isBinary && !this.#isAckText(data)) {
        this.#log.warn({ text: data.toString('utf8').slice(0, 200) }, 'replacement refused; will retry');
        this.#successor = undefined;
        this.#discard(socket);
        return;
      }
      this.#takeOver(socket);
    } else if (this.#socket !== socket && this.#retiring !== socket) return;
    this.#lastMessageWall = performance.now();
    this.#lastMessageMs = this.#o.clock.now();
    if (isBinary) {
      let push: PbPushWrapper;
      try {
        push = decodePush(data);
      } catch (error) {
        this.#log.warn({ err: error, bytes: data.length }, 'undecodable push skipped');
        return;
      }
      this.#heard();
      this.#o.onPush(push);
      return;
    }
    let answer: ControlAnswer;
    try {
      answer = JSON.parse(data.toString('utf8')) as ControlAnswer;
    } catch {
      this.#log.warn({ text: data.toString('utf8').slice(0, 200) }, 'unreadable control message skipped');
      return;
    }
    if (
      answer.msg === 'PONG' ||
      (answer.code === 0 && typeof answer.msg === 'string' && this.#isAck(answer.msg))
    ) {
      this.#heard();
      return;
    }
    // A notice (a refused channel or listen key) proves the socket is open, not that data flows.
    this.#log.warn({ answer }, 'stream notice');
    this.#o.onNotice?.(answer);
  }

  /** A push, pong or ack arrived: the stream is live. */
  #heard(): void {
    if (this.#state === 'live') return;
    this.#liveSinceWall ??= performance.now();
    this.#setState('live');
  }

  #isAckText(data: Buffer): boolean {
    try {
      const answer = JSON.parse(data.toString('utf8')) as ControlAnswer;
      return answer.code === 0 && typeof answer.msg === 'string' && this.#isAck(answer.msg);
    } catch {
      return false;
    }
  }

  /** A subscription ack echoes the channel names it took. */
  #isAck(msg: string): boolean {
    return msg.split(',').every((name) => name.startsWith('spot@'));
  }

  #keepAlive(): void {
    this.#replaceIfOld();
    const silentMs = performance.now() - this.#lastMessageWall;
    if (silentMs >= this.#o.timing.deadAfterMs) {
      this.#log.warn({ silentMs: Math.round(silentMs) }, 'stream silent; reconnecting');
      this.#dropSocket();
      this.#afterClose();
      return;
    }
    if (silentMs >= this.#o.timing.quietAfterMs && this.#state === 'live') this.#setState('quiet');
    this.#send({ method: 'PING' });
  }

  /** Sends to the current socket, and (un)subscriptions to a replacement being opened too. */
  #send(request: ControlRequest): void {
    const successor = request.method === 'PING' ? undefined : this.#successor?.socket;
    for (const socket of [this.#socket, successor]) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(request));
    }
  }

  /** Opens a replacement beside the current socket once it nears MEXC's 24-hour cut. */
  #replaceIfOld(): void {
    const successor = this.#successor;
    if (successor) {
      // A replacement that never got its acknowledgement is given up; the next ping tries again.
      if (performance.now() - successor.startedWall < this.#o.timing.deadAfterMs) return;
      this.#log.warn('replacement connection not acknowledged; will retry');
      this.#successor = undefined;
      if (successor.socket) this.#discard(successor.socket);
    }
    const openedAt = this.#openedAt;
    if (openedAt === undefined || this.#state !== 'live') return;
    if (this.#o.clock.now() - openedAt < this.#o.timing.replaceAfterMs) return;
    void this.#openSuccessor();
  }

  async #openSuccessor(): Promise<void> {
    const generation = this.#generation;
    const startedWall = performance.now();
    // Claims the slot while the address is asked for, so one ping opens one replacement.
    const claim: { socket?: WebSocket; readonly startedWall: number } = { startedWall };
    this.#successor = claim;
    let url: string;
    try {
      url = await this.#o.url();
    } catch (error) {
      if (this.#successor === claim) this.#successor = undefined;
      this.#log.warn({ err: error }, 'replacement address unavailable; will retry');
      return;
    }
    if (generation !== this.#generation || this.#successor !== claim || this.#stopped) {
      if (this.#successor === claim) this.#successor = undefined;
      return;
    }
    this.#log.info('replacing the connection ahead of the exchange’s 24-hour cut');
    const socket = new WebSocket(url, { handshakeTimeout: this.#o.timing.deadAfterMs });
    socket.binaryType = 'nodebuffer';
    claim.socket = socket;
    socket.on('open', () => {
      if (this.#successor?.socket !== socket || this.#channels.size === 0) return;
      socket.send(
        JSON.stringify({ method: 'SUBSCRIPTION', params: [...this.#channels] } satisfies ControlRequest),
      );
    });
    socket.on('message', (data, isBinary) => this.#onMessage(socket, data as Buffer, isBinary));
    socket.on('error', (error) => this.#log.warn({ err: error }, 'stream socket error'));
    socket.on('close', (code, reason) => {
      if (this.#successor?.socket !== socket) return;
      this.#log.warn(
        { code, reason: reason.toString() },
        'replacement closed before taking over; will retry',
      );
      this.#successor = undefined;
    });
  }

  /** The acknowledged replacement becomes the connection; the old socket retires after the overlap. */
  #takeOver(socket: WebSocket): void {
    const old = this.#socket;
    this.#successor = undefined;
    this.#socket = socket;
    this.#openedAt = this.#o.clock.now();
    socket.removeAllListeners('close');
    socket.on('close', (code, reason) => {
      if (this.#socket !== socket) return;
      this.#log.info({ code, reason: reason.toString() }, 'stream closed');
      this.#socket = undefined;
      this.#afterClose();
    });
    if (old === undefined) return;
    this.#retiring = old;
    this.#log.info('replacement took over; closing the old connection');
    setTimeout(() => {
      if (this.#retiring === old) this.#retiring = undefined;
      this.#discard(old);
    }, this.#o.timing.overlapMs).unref();
  }

  /** Forgets the sockets without waiting for their close handshake (a silent peer never answers). */
  #dropSocket(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
    const sockets = [this.#socket, this.#successor?.socket, this.#retiring];
    this.#socket = undefined;
    this.#successor = undefined;
    this.#retiring = undefined;
    this.#openedAt = undefined;
    for (const socket of sockets) if (socket) this.#discard(socket);
  }

  #discard(socket: WebSocket): void {
    socket.removeAllListeners('message');
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    socket.terminate();
  }

  #afterClose(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
    // A replacement still being opened goes with the connection: the reconnect starts afresh.
    const successor = this.#successor?.socket;
    this.#successor = undefined;
    this.#openedAt = undefined;
    if (successor) this.#discard(successor);
    if (this.#stopped) return;
    this.#setState('down');
    const wasStable =
      this.#liveSinceWall !== undefined &&
      performance.now() - this.#liveSinceWall >= this.#o.timing.stableAfterMs;
    this.#liveSinceWall = undefined;
    // A connection that had been healthy (MEXC's 24-hour cut, a one-off drop) is reopened at
    // once; repeated failures back off so a broken endpoint is not hammered.
    if (wasStable) this.#failures = 0;
    const delayMs =
      this.#failures === 0
        ? 0
        : backoffDelayMs({
            baseDelayMs: this.#o.timing.backoffBaseMs,
            random: this.#o.random,
            retry: this.#failures,
          });
    this.#failures += 1;
    this.#scheduleReconnect(delayMs);
  }

  #scheduleReconnect(delayMs: number): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.#connect(), delayMs);
  }

  #setState(state: StreamState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#sinceMs = this.#o.clock.now();
    this.#o.onState(state);
  }
}
