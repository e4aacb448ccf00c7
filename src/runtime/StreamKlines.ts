/**
 * Feeds the scanner's kline cache from the kline stream: the symbols the cache holds after a
 * scan (the scan candidates) are subscribed, every pushed candle goes into the cache, and each
 * unbroken live stretch of the stream gets a new epoch so the cache knows which pushes vouch for
 * a candle's end (see `KlineCache`). While the stream is not live the cache fetches over REST as
 * before; after a break it fills the gap over REST once and the stream carries on from there.
 */
import type { KlineInterval } from '../domain/market.js';
import type { KlineUpdate, MarketStream, StreamStatus } from '../exchange/stream/streamTypes.js';
import type { KlineCache } from '../strategies/scanner/KlineCache.js';

/** Stream connection names of the kline channel start with this. */
export const KLINE_STREAM_PREFIX = 'kline';

/** Connects one kline cache to the market stream; see the module comment. */
export class StreamKlines {
  readonly #stream: MarketStream;
  readonly #cache: KlineCache;
  readonly #interval: KlineInterval;
  readonly #detach: (() => void)[] = [];
  #epoch = 0;
  #live = false;
  #subscribed = '';

  constructor(options: {
    readonly stream: MarketStream;
    readonly cache: KlineCache;
    readonly interval: KlineInterval;
  }) {
    this.#stream = options.stream;
    this.#cache = options.cache;
    this.#interval = options.interval;
    this.#detach.push(
      this.#cache.onRefresh((symbols) => this.#subscribe(symbols)),
      this.#stream.onKline((u) => this.#onKline(u)),
      this.#stream.onStatus((s) => this.#onStatus(s)),
    );
    this.#onStatus(undefined);
    this.#subscribe(this.#cache.symbols());
  }

  /** Whether every kline connection is live. */
  isLive(): boolean {
    return this.#live;
  }

  /** Stops feeding the cache (it goes back to REST only). */
  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
    this.#cache.setLiveEpoch(undefined);
  }

  #subscribe(symbols: readonly string[]): void {
    const key = [...symbols].sort().join(',');
    if (key === this.#subscribed) return;
    this.#subscribed = key;
    this.#stream.setKlineSymbols(key === '' ? [] : key.split(','), this.#interval);
  }

  #onKline(u: KlineUpdate): void {
    if (!this.#live || u.interval !== this.#interval) return;
    this.#cache.applyStreamed(u.symbol, u, this.#epoch);
  }

  #onStatus(status: StreamStatus | undefined): void {
    if (status && !status.name.startsWith(KLINE_STREAM_PREFIX)) return;
    const kline = this.#stream.statuses().filter((s) => s.name.startsWith(KLINE_STREAM_PREFIX));
    const live = kline.length > 0 && kline.every((s) => s.state === 'live');
    if (live === this.#live) return;
    this.#live = live;
    // A new stretch after every break: pushes from before it no longer vouch for a candle's end.
    if (live) this.#epoch += 1;
    this.#cache.setLiveEpoch(live ? this.#epoch : undefined);
  }
}
