/**
 * MEXC server-time offset for signed requests. MEXC rejects a timestamp more than 1 s ahead of
 * its clock whatever the recvWindow (700003), so signing uses local time plus the offset measured
 * with GET /api/v3/time, refreshed every few minutes and right after any 700003.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/general-info (Timing security)
 */
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';

/** How to read MEXC's clock and how often to re-measure the offset. */
export interface ServerTimeOptions {
  readonly clock: Clock;
  /**
   * Fetches MEXC's `serverTime` (ms) and when the request that got it left the process (local
   * clock ms, after any wait for the rate budget); rate-limited and retried by the transport.
   */
  readonly fetchServerTime: () => Promise<{ readonly serverTime: number; readonly sentAt: number }>;
  readonly logger: Logger;
  /** Offset age after which the next signed request re-syncs first. Default 5 min. */
  readonly refreshMs?: number;
}

/**
 * Keeps `serverTime − localTime`. Concurrent callers share one in-flight sync.
 *
 * @example const timestamp = await serverTime.now(); // local clock + offset, synced if stale
 */
export class ServerTime {
  readonly #clock: Clock;
  readonly #fetch: ServerTimeOptions['fetchServerTime'];
  readonly #logger: Logger;
  readonly #refreshMs: number;
  #offsetMs: number | undefined;
  #syncedAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;

  constructor(options: ServerTimeOptions) {
    this.#clock = options.clock;
    this.#fetch = options.fetchServerTime;
    this.#logger = options.logger;
    this.#refreshMs = options.refreshMs ?? 5 * 60_000;
  }

  /** The current offset (ms), or undefined before the first successful sync. */
  get offsetMs(): number | undefined {
    return this.#offsetMs;
  }

  /** Server-aligned now for a request timestamp; syncs first when never synced or stale. */
  async now(): Promise<number> {
    await this.ready();
    return this.stamp();
  }

  /** Local clock plus the offset last measured, without syncing (see {@link ready}). */
  stamp(): number {
    return this.#clock.now() + (this.#offsetMs ?? 0);
  }

  /** Syncs when never synced or stale; throws only when no offset was ever measured. */
  async ready(): Promise<void> {
    if (this.#offsetMs === undefined || this.#clock.now() - this.#syncedAt >= this.#refreshMs) {
      try {
        await this.resync();
      } catch (error) {
        // Without any offset we cannot sign sensibly; with a stale one we can still try.
        if (this.#offsetMs === undefined) throw error;
        this.#logger.warn({ err: error }, 'server time refresh failed; keeping the previous offset');
      }
    }
  }

  /** Measures the offset again (after 700003, or when stale). */
  resync(): Promise<void> {
    this.#inFlight ??= this.#measure().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #measure(): Promise<void> {
    try {
      // Timed from the request leaving, not from the call: a wait for the rate budget (seconds
      // during a pause) is not part of the round trip.
      const { serverTime, sentAt } = await this.#fetch();
      const receivedAt = this.#clock.now();
      // The server stamped its time somewhere during the round trip: assume the middle.
      const offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
      if (this.#offsetMs === undefined || Math.abs(offset - this.#offsetMs) > 500) {
        this.#logger.info({ offsetMs: offset, roundTripMs: receivedAt - sentAt }, 'MEXC server time offset');
      }
      this.#offsetMs = offset;
      this.#syncedAt = receivedAt;
    } catch (error) {
      // Do not hammer /time while it fails: wait a fraction of the refresh period.
      this.#syncedAt = this.#clock.now() - this.#refreshMs + Math.min(this.#refreshMs, 30_000);
      throw error;
    }
  }
}
