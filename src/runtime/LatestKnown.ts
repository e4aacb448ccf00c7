/**
 * The latest known exchange data (balances, prices, the market view positions are valued on),
 * each with the time it was read, so that `/status`, `/balance` and `/pnl` answer within a second
 * even when the exchange is slow or down. A read starts (or joins) a live refresh and waits for
 * it at most `waitMs`; past that it answers with the last known value and the refresh goes on in
 * the background, updating the cache when it lands. A background job refreshes it too, so there
 * is a known value before the first question. Only the chat reads through it: strategies and the
 * executor always read live.
 */
import type { Balance } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { Clock } from '../shared/clock.js';
import type { MarketView } from './PortfolioService.js';

/** The live reads the cache keeps. */
export interface LatestKnownSources {
  readonly balances: () => Promise<readonly Balance[]>;
  readonly prices: () => Promise<ReadonlyMap<string, Decimal>>;
  /** Balances with book-top prices, what positions are valued on. */
  readonly market: () => Promise<MarketView>;
}

interface Entry {
  value?: unknown;
  at?: number;
  refreshing?: Promise<unknown>;
  refreshingSince?: number;
}

/** Data older than this is shown with its age. */
const STALE_AFTER_MS = 10_000;

/** A cache of named exchange reads with their times; see the module comment. */
export class LatestKnown {
  readonly #clock: Clock;
  readonly #waitMs: number;
  readonly #sources: LatestKnownSources;
  readonly #entries = new Map<string, Entry>();

  constructor(options: {
    readonly clock: Clock;
    readonly sources: LatestKnownSources;
    /** Longest wait for a live answer before the known one is used. Default 800 ms. */
    readonly waitMs?: number;
  }) {
    this.#clock = options.clock;
    this.#sources = options.sources;
    this.#waitMs = options.waitMs ?? 800;
  }

  /** Balances, live or last known. */
  balances(): Promise<readonly Balance[]> {
    return this.read('balances', this.#sources.balances);
  }

  /** Prices by symbol, live or last known. */
  prices(): Promise<ReadonlyMap<string, Decimal>> {
    return this.read('prices', this.#sources.prices);
  }

  /** The market view positions are valued on, live or last known. */
  market(): Promise<MarketView> {
    return this.read('market', this.#sources.market);
  }

  /** Reads everything live, waiting for the exchange (the background job). */
  async refreshAll(): Promise<void> {
    await Promise.all([
      this.refresh('balances', this.#sources.balances),
      this.refresh('prices', this.#sources.prices),
      this.refresh('market', this.#sources.market),
    ]);
  }

  /**
   * `fetch`'s answer if it comes within the wait, else the last known value of `key` (the live
   * read goes on and updates it). With nothing known yet, waits for the live read.
   */
  async read<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    const entry = this.#entry(key);
    const live = this.#refresh(entry, fetch);
    if (entry.at === undefined) return (await live) as T;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#waitMs)));
    // A failed live read falls back to the known value; its error is the exchange's to report.
    await Promise.race([live.catch(() => undefined), waited]);
    clearTimeout(timer);
    return entry.value as T;
  }

  /** Refreshes `key` now, waiting for the exchange (the background job). */
  async refresh<T>(key: string, fetch: () => Promise<T>): Promise<void> {
    await this.#refresh(this.#entry(key), fetch);
  }

  /** When `key` was last read successfully (Unix ms). */
  asOf(key: string): number | undefined {
    return this.#entries.get(key)?.at;
  }

  /**
   * One line saying how old the oldest data is, when some is older than 10 s or a live read is
   * overdue (so what is shown may be behind the exchange).
   */
  ageNote(now: number = this.#clock.now()): string | undefined {
    const entries = [...this.#entries.values()];
    const times = entries.map((e) => e.at).filter((t): t is number => t !== undefined);
    if (times.length === 0) return undefined;
    const oldest = Math.min(...times);
    const age = now - oldest;
    const overdue = entries.some(
      (e) => e.refreshingSince !== undefined && now - e.refreshingSince > this.#waitMs,
    );
    if (age <= STALE_AFTER_MS && !overdue) return undefined;
    return (
      `balances and prices as of ${new Date(oldest).toISOString().slice(11, 19)} UTC ` +
      `(${describeAge(age)} old): the exchange is slow or not answering`
    );
  }

  #entry(key: string): Entry {
    let entry = this.#entries.get(key);
    if (!entry) this.#entries.set(key, (entry = {}));
    return entry;
  }

  #refresh(entry: Entry, fetch: () => Promise<unknown>): Promise<unknown> {
    if (!entry.refreshing) entry.refreshingSince = this.#clock.now();
    entry.refreshing ??= fetch()
      .then((value) => {
        entry.value = value;
        entry.at = this.#clock.now();
        return value;
      })
      .finally(() => {
        entry.refreshing = undefined;
        entry.refreshingSince = undefined;
      });
    return entry.refreshing;
  }
}

function describeAge(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
