/**
 * MEXC public market data over WebSocket: book tickers, klines and mini tickers for the symbols the bot
 * names, each stream on its own connections (≤ 30 subscriptions each), decoded from protobuf
 * into Decimal updates. Nothing connects until a symbol list is set.
 *
 * @example
 * const market = new MexcMarketStream({ url: MEXC_WS_URL, clock, logger });
 * market.onBookTicker((u) => tops.set(u.symbol, u));
 * market.setBookTickerSymbols(['BTCUSDC', 'ETHUSDC']);
 */
import type { KlineInterval } from '../../../domain/market.js';
import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import { Listeners } from '../../stream/Listeners.js';
import type {
  BookTickerUpdate,
  KlineUpdate,
  MarketStream,
  MiniTickerUpdate,
  StreamStatus,
} from '../../stream/streamTypes.js';
import { ConnectionPool } from './ConnectionPool.js';
import { bookTickerChannel, klineChannel, miniTickerChannel } from './mexcChannels.js';
import type { PbPushWrapper } from './mexcProto.js';
import { deliver, mapBookTicker, mapKline, mapMiniTicker } from './mexcStreamMapper.js';
import { DEFAULT_STREAM_TIMING, type StreamTiming } from './StreamConnection.js';

/** Address, clock, logger and (for tests) timing of the market stream. */
export interface MexcMarketStreamOptions {
  /** WebSocket address, e.g. `wss://wbs-api.mexc.com/ws` or the simulator's `ws://…/ws`. */
  readonly url: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keep-alive and reconnect timing; default {@link DEFAULT_STREAM_TIMING}. */
  readonly timing?: Partial<StreamTiming>;
  /** Jitter source in [0, 1); injected by tests. */
  readonly random?: () => number;
}

/** {@link MarketStream} over MEXC's public WebSocket channels. */
export class MexcMarketStream implements MarketStream {
  readonly #log: Logger;
  readonly #bookTickers: Listeners<BookTickerUpdate>;
  readonly #klines: Listeners<KlineUpdate>;
  readonly #miniTickers: Listeners<MiniTickerUpdate>;
  readonly #statusListeners: Listeners<StreamStatus>;
  readonly #bookTickerPool: ConnectionPool;
  readonly #klinePool: ConnectionPool;
  readonly #miniTickerPool: ConnectionPool;

  constructor(options: MexcMarketStreamOptions) {
    this.#log = options.logger.child({ module: 'mexc-stream' });
    const onError = (error: unknown): void =>
      this.#log.error({ err: error }, 'market stream listener failed');
    this.#bookTickers = new Listeners(onError);
    this.#klines = new Listeners(onError);
    this.#miniTickers = new Listeners(onError);
    this.#statusListeners = new Listeners(onError);
    const common = {
      url: options.url,
      clock: options.clock,
      logger: this.#log,
      timing: { ...DEFAULT_STREAM_TIMING, ...options.timing },
      random: options.random ?? Math.random,
      onPush: (push: PbPushWrapper) => this.#dispatch(push),
      onStatus: (status: StreamStatus) => {
        this.#log.info({ stream: status.name, state: status.state }, 'market stream state');
        this.#statusListeners.emit(status);
      },
    };
    this.#bookTickerPool = new ConnectionPool({ ...common, name: 'bookTicker' });
    this.#klinePool = new ConnectionPool({ ...common, name: 'kline' });
    this.#miniTickerPool = new ConnectionPool({ ...common, name: 'miniTicker' });
  }

  setBookTickerSymbols(symbols: readonly string[]): void {
    this.#bookTickerPool.set(symbols.map(bookTickerChannel));
  }

  setKlineSymbols(symbols: readonly string[], interval: KlineInterval): void {
    this.#klinePool.set(symbols.map((s) => klineChannel(s, interval)));
  }

  setMiniTickerSymbols(symbols: readonly string[]): void {
    this.#miniTickerPool.set(symbols.map(miniTickerChannel));
  }

  onBookTicker(fn: (u: BookTickerUpdate) => void): () => void {
    return this.#bookTickers.add(fn);
  }

  onKline(fn: (u: KlineUpdate) => void): () => void {
    return this.#klines.add(fn);
  }

  onMiniTicker(fn: (u: MiniTickerUpdate) => void): () => void {
    return this.#miniTickers.add(fn);
  }

  statuses(): readonly StreamStatus[] {
    return [this.#bookTickerPool.status(), this.#klinePool.status(), this.#miniTickerPool.status()];
  }

  onStatus(fn: (s: StreamStatus) => void): () => void {
    return this.#statusListeners.add(fn);
  }

  /** The channels on each open connection, per stream (for tests and diagnostics). */
  layout(): {
    readonly bookTicker: readonly (readonly string[])[];
    readonly kline: readonly (readonly string[])[];
    readonly miniTicker: readonly (readonly string[])[];
  } {
    return {
      bookTicker: this.#bookTickerPool.layout(),
      kline: this.#klinePool.layout(),
      miniTicker: this.#miniTickerPool.layout(),
    };
  }

  /** Closes every connection; nothing reconnects afterwards. */
  close(): void {
    this.#bookTickerPool.stop();
    this.#klinePool.stop();
    this.#miniTickerPool.stop();
  }

  #dispatch(push: PbPushWrapper): void {
    if (push.publicAggreBookTicker) deliver(this.#log, push, mapBookTicker(push), this.#bookTickers);
    else if (push.publicSpotKline) deliver(this.#log, push, mapKline(push), this.#klines);
    else if (push.publicMiniTicker) deliver(this.#log, push, mapMiniTicker(push), this.#miniTickers);
    else this.#log.warn({ channel: push.channel }, 'push without a known body skipped');
  }
}
