/**
 * The account's private MEXC stream: deals (fills), order changes and balances, authorised by
 * a listen key that this class creates, extends every 30 minutes, replaces when the exchange
 * no longer knows it, and deletes on close. All listen-key calls are REST calls through the
 * MEXC client, so they queue behind the shared rate limiter like any other request.
 *
 * After every drop the key is checked (extended) before reconnecting: a key that expired while
 * the connection was down is replaced there, whichever way the exchange signalled it.
 */
import { ExchangeErrorKind, isExchangeError } from '../../../domain/errors.js';
import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import type { SecretRedactor } from '../../../common/redact.js';
import { Listeners } from '../../stream/Listeners.js';
import type {
  BalanceUpdate,
  DealUpdate,
  OrderUpdate,
  StreamStatus,
  UserStream,
} from '../../stream/streamTypes.js';
import { type ControlAnswer, PRIVATE_CHANNELS } from './mexcChannels.js';
import type { PbPushWrapper } from './mexcProto.js';
import { deliver, mapBalance, mapDeal, mapOrder } from './mexcStreamMapper.js';
import { DEFAULT_STREAM_TIMING, StreamConnection, type StreamTiming } from './StreamConnection.js';

/** The listen-key REST calls (implemented by `MexcClient`). */
export interface ListenKeyApi {
  createListenKey(): Promise<string>;
  extendListenKey(listenKey: string): Promise<void>;
  deleteListenKey(listenKey: string): Promise<void>;
}

/** Address, listen-key calls, clock and timing of the user stream. */
export interface MexcUserStreamOptions {
  /** WebSocket address without the query, e.g. `wss://wbs-api.mexc.com/ws`. */
  readonly url: string;
  readonly listenKeys: ListenKeyApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Clock milliseconds per wall millisecond (SIM_SPEED), for the extension timer. Default 1. */
  readonly speed?: number;
  /** Clock time between extensions. Default 30 min (a key lives 60 min). */
  readonly extendEveryMs?: number;
  /** Clock time before retrying an extension that failed for a temporary reason. Default 1 min. */
  readonly extendRetryMs?: number;
  readonly timing?: Partial<StreamTiming>;
  readonly random?: () => number;
  /**
   * Told every listen key the moment it is created: a key opens the account's private stream to
   * anyone holding it, so it is kept out of every log line like the API secret.
   */
  readonly redactor?: Pick<SecretRedactor, 'add'>;
}

const MINUTE_MS = 60_000;

/** True when an extension failed because the key is gone, not because the exchange was unreachable. */
function keyRefused(error: unknown): boolean {
  return !(
    isExchangeError(error, ExchangeErrorKind.Temporary) ||
    isExchangeError(error, ExchangeErrorKind.RateLimited)
  );
}

/** {@link UserStream} over MEXC's private channels. Call {@link start}; {@link close} on shutdown. */
export class MexcUserStream implements UserStream {
  readonly #o: MexcUserStreamOptions;
  readonly #log: Logger;
  readonly #deals: Listeners<DealUpdate>;
  readonly #orders: Listeners<OrderUpdate>;
  readonly #balances: Listeners<BalanceUpdate>;
  readonly #statusListeners: Listeners<StreamStatus>;
  readonly #connection: StreamConnection;
  #listenKey: string | undefined;
  /** Whether the key was created or extended since the last drop. */
  #keyConfirmed = false;
  #extendTimer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(options: MexcUserStreamOptions) {
    this.#o = options;
    this.#log = options.logger.child({ module: 'mexc-user-stream' });
    const onError = (error: unknown): void => this.#log.error({ err: error }, 'user stream listener failed');
    this.#deals = new Listeners(onError);
    this.#orders = new Listeners(onError);
    this.#balances = new Listeners(onError);
    this.#statusListeners = new Listeners(onError);
    this.#connection = new StreamConnection({
      name: 'user',
      url: () => this.#address(),
      clock: options.clock,
      logger: this.#log,
      timing: { ...DEFAULT_STREAM_TIMING, ...options.timing },
      random: options.random ?? Math.random,
      onPush: (push) => this.#dispatch(push),
      onState: (state) => {
        if (state === 'down') this.#keyConfirmed = false;
        this.#log.info({ state }, 'user stream state');
        this.#statusListeners.emit(this.status());
      },
      onNotice: (answer) => this.#onNotice(answer),
    });
  }

  /** Creates a listen key and connects; keeps both alive until {@link close}. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#connection.add(Object.values(PRIVATE_CHANNELS));
    this.#scheduleExtension(this.#o.extendEveryMs ?? 30 * MINUTE_MS);
  }

  /** Closes the connection and deletes the listen key (a failure to delete is logged: the key expires anyway). */
  async close(): Promise<void> {
    this.#started = false;
    clearTimeout(this.#extendTimer);
    this.#connection.stop();
    const key = this.#listenKey;
    this.#listenKey = undefined;
    if (key === undefined) return;
    try {
      await this.#o.listenKeys.deleteListenKey(key);
    } catch (error) {
      this.#log.warn({ err: error }, 'listen key not deleted; it expires within the hour');
    }
  }

  onDeal(fn: (u: DealUpdate) => void): () => void {
    return this.#deals.add(fn);
  }

  onOrder(fn: (u: OrderUpdate) => void): () => void {
    return this.#orders.add(fn);
  }

  onBalance(fn: (u: BalanceUpdate) => void): () => void {
    return this.#balances.add(fn);
  }

  status(): StreamStatus {
    const c = this.#connection;
    return { name: 'user', state: c.state, sinceMs: c.sinceMs, lastMessageMs: c.lastMessageMs };
  }

  onStatus(fn: (s: StreamStatus) => void): () => void {
    return this.#statusListeners.add(fn);
  }

  /** The address of the next connection attempt, with a key known to be valid. */
  async #address(): Promise<string> {
    const key = await this.#validKey();
    const url = new URL(this.#o.url);
    url.searchParams.set('listenKey', key);
    return url.toString();
  }

  async #validKey(): Promise<string> {
    const current = this.#listenKey;
    if (current !== undefined && this.#keyConfirmed) return current;
    if (current !== undefined) {
      try {
        await this.#o.listenKeys.extendListenKey(current);
        this.#keyConfirmed = true;
        return current;
      } catch (error) {
        if (!keyRefused(error)) throw error;
        this.#log.warn({ err: error }, 'listen key refused; creating a new one');
        this.#listenKey = undefined;
      }
    }
    const fresh = await this.#o.listenKeys.createListenKey();
    this.#o.redactor?.add(fresh);
    if (!this.#started) {
      // Closed while the key was being created: do not leave it behind.
      await this.#o.listenKeys.deleteListenKey(fresh).catch((error: unknown) => {
        this.#log.warn({ err: error }, 'listen key not deleted; it expires within the hour');
      });
      throw new Error('user stream closed');
    }
    this.#listenKey = fresh;
    this.#keyConfirmed = true;
    this.#log.info('listen key created');
    return fresh;
  }

  #scheduleExtension(clockMs: number): void {
    clearTimeout(this.#extendTimer);
    const wallMs = clockMs / (this.#o.speed ?? 1);
    this.#extendTimer = setTimeout(() => void this.#extend(), wallMs);
  }

  async #extend(): Promise<void> {
    const key = this.#listenKey;
    if (!this.#started) return;
    const every = this.#o.extendEveryMs ?? 30 * MINUTE_MS;
    if (key === undefined) {
      // Nothing to extend yet (the first connect is still creating one).
      this.#scheduleExtension(every);
      return;
    }
    try {
      await this.#o.listenKeys.extendListenKey(key);
      this.#log.debug('listen key extended');
      this.#scheduleExtension(every);
    } catch (error) {
      if (!this.#started) return;
      if (keyRefused(error)) {
        this.#log.warn({ err: error }, 'listen key expired; replacing it');
        if (this.#listenKey === key) this.#listenKey = undefined;
        this.#connection.restart();
        this.#scheduleExtension(every);
      } else {
        this.#log.warn({ err: error }, 'listen key extension failed; retrying');
        this.#scheduleExtension(this.#o.extendRetryMs ?? MINUTE_MS);
      }
    }
  }

  #onNotice(answer: ControlAnswer): void {
    if (!/listen ?key/i.test(answer.msg ?? '')) return;
    this.#log.warn({ msg: answer.msg }, 'listen key refused by the stream; replacing it');
    this.#listenKey = undefined;
    this.#connection.restart();
  }

  #dispatch(push: PbPushWrapper): void {
    if (push.privateDeals) deliver(this.#log, push, mapDeal(push), this.#deals);
    else if (push.privateOrders) deliver(this.#log, push, mapOrder(push), this.#orders);
    else if (push.privateAccount) deliver(this.#log, push, mapBalance(push), this.#balances);
    else this.#log.warn({ channel: push.channel }, 'push without a known body skipped');
  }
}
