/**
 * The fill ledger's history, read without holding anything up. MEXC keeps a month of trades and
 * pages them 24 hours at a time (weight 10 each), so a month of one symbol costs 30 requests:
 * reading every held symbol before trading would keep a new bot silent for a minute or more.
 *
 * - A symbol with a sync cursor is brought up to date at once (one short read); one whose history
 *   is still queued gets its last day read at once (an order of the bot just filled there).
 * - A symbol without one is queued and read in the background, newest day first (so recent fills,
 *   which cooldowns and daily caps read, arrive first), at the rate limiter's background share;
 *   its cursor is set only when the whole month is in. Symbols with open or unknown orders, and
 *   the assets a strategy is about to trade, go first.
 * - A symbol the bot is about to trade for the first time while the account holds none of its
 *   base asset needs no history at all: its cursor starts there.
 *
 * An asset's ledger is complete when none of its symbols waits for history; strategies trade an
 * asset only then (the average cost and the cooldowns depend on it).
 */
import { ExchangeErrorKind, isExchangeError } from '../domain/errors.js';
import { ZERO } from '../domain/money.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import {
  DEFAULT_FILL_LOOKBACK_MS,
  type FillStore,
  readFillWindow,
  syncFills,
  type SyncFillsResult,
} from '../exchange/fillSync.js';
import { MAX_FILL_WINDOW_MS } from '../exchange/mexc/fillWindows.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';

/** Inputs of {@link HistorySync}. */
export interface HistorySyncOptions {
  readonly exchange: ExchangePort;
  readonly store: FillStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The base asset of a symbol, from the trading rules (undefined when unknown). */
  baseOf(symbol: string): string | undefined;
  /** How far back history goes. Default 30 days (what MEXC keeps). */
  readonly lookbackMs?: number;
  /** Wait before reading a symbol again after a failure. Default 30 s. */
  readonly retryMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How far the background read has come, for /status and /healthz. */
export interface HistoryProgress {
  /** Symbols queued for history since the process started. */
  readonly total: number;
  readonly done: number;
  /** Estimated time to finish, from the pace so far. */
  readonly remainingMs: number;
  /** Base assets whose ledger is still incomplete. */
  readonly pendingAssets: readonly string[];
}

interface Job {
  readonly symbol: string;
  readonly base: string;
  priority: number;
  readonly seq: number;
  windowsLeft: number;
}

/** A first guess of one history request's pace before any was measured. */
const INITIAL_WINDOW_MS = 600;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads trade history in the background and tells which assets' ledgers are complete. */
export class HistorySync {
  readonly #o: HistorySyncOptions;
  readonly #lookbackMs: number;
  readonly #queue: Job[] = [];
  #current: Job | undefined;
  #seq = 0;
  #total = 0;
  #done = 0;
  /** Time spent reading and windows read, for the "about N s left" estimate. */
  #readMs = 0;
  #windowsRead = 0;
  #loop: Promise<void> | undefined;
  #stopped = false;

  constructor(options: HistorySyncOptions) {
    this.#o = options;
    this.#lookbackMs = options.lookbackMs ?? DEFAULT_FILL_LOOKBACK_MS;
  }

  /**
   * Brings `symbols` up to date: those with a cursor now, the others queued for the background
   * (those in `first` ahead of the rest). A symbol already queued gets its last day read now,
   * so a fill the bot just saw is in the ledger before it is announced. Resolves with the result
   * of the short reads.
   */
  async sync(
    symbols: readonly string[],
    options: { readonly first?: readonly string[] } = {},
  ): Promise<SyncFillsResult> {
    const first = new Set(options.first ?? []);
    const now: string[] = [];
    const recent: string[] = [];
    for (const symbol of new Set(symbols)) {
      if (this.#jobOf(symbol)) {
        if (first.has(symbol)) this.#bump((j) => j.symbol === symbol);
        else recent.push(symbol);
      } else if (this.#o.store.getSyncCursor(symbol) === undefined) {
        this.#enqueue(symbol, first.has(symbol) ? 1 : 0);
      } else {
        now.push(symbol);
      }
    }
    const bySymbol: Record<string, number> = {};
    let inserted = 0;
    if (recent.length > 0) {
      const { exchange, store } = this.#o;
      const endTime = (await exchange.exchangeTime()) + 1;
      for (const symbol of recent) {
        const read = await readFillWindow({
          exchange,
          store,
          symbol,
          startTime: endTime - MAX_FILL_WINDOW_MS,
          endTime,
        });
        bySymbol[symbol] = read.added;
        inserted += read.added;
      }
    }
    if (now.length === 0) return { inserted, bySymbol, failed: {} };
    const synced = await syncFills({
      exchange: this.#o.exchange,
      store: this.#o.store,
      symbols: now,
      logger: this.#o.logger,
    });
    return { ...synced, inserted: synced.inserted + inserted, bySymbol: { ...bySymbol, ...synced.bySymbol } };
  }

  /**
   * Called before the bot's first order on a symbol: without a cursor and without any of the
   * base asset on the account, there is no history to read and the cursor starts now; with some
   * held, that symbol's history goes to the front of the queue.
   */
  async beforeOrder(symbol: string): Promise<void> {
    const { exchange, store } = this.#o;
    if (store.getSyncCursor(symbol) !== undefined) return;
    if (this.#jobOf(symbol)) {
      this.#bump((j) => j.symbol === symbol);
      return;
    }
    const base = this.#o.baseOf(symbol);
    const held = (await exchange.getBalances()).find((b) => b.asset === base);
    if (held && held.free.plus(held.locked).greaterThan(ZERO)) {
      this.#enqueue(symbol, 2);
      return;
    }
    store.setSyncCursor(symbol, await exchange.exchangeTime());
    this.#o.logger.info({ symbol }, 'first trade of a symbol not held: its fill history starts now');
  }

  /** Whether every symbol of `asset` has its history in the ledger. */
  isReady(asset: string): boolean {
    return this.#current?.base !== asset && !this.#queue.some((j) => j.base === asset);
  }

  /** Moves `asset`'s symbols to the front of the queue (a strategy wants to trade it). */
  prioritise(asset: string): void {
    this.#bump((j) => j.base === asset);
  }

  /** Progress of the background read, or undefined when nothing is left to read. */
  progress(): HistoryProgress | undefined {
    const jobs = [...(this.#current ? [this.#current] : []), ...this.#queue];
    if (jobs.length === 0) return undefined;
    const windowsLeft = jobs.reduce((sum, j) => sum + j.windowsLeft, 0);
    return {
      total: this.#total,
      done: this.#done,
      remainingMs: Math.round(
        windowsLeft * (this.#windowsRead > 0 ? this.#readMs / this.#windowsRead : INITIAL_WINDOW_MS),
      ),
      pendingAssets: [...new Set(jobs.map((j) => j.base))].sort(),
    };
  }

  /** Resolves when the background queue is empty (tests, benchmarks). */
  async whenIdle(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  /** Stops after the request in flight; unfinished symbols are read again at the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }

  #jobOf(symbol: string): Job | undefined {
    return this.#current?.symbol === symbol ? this.#current : this.#queue.find((j) => j.symbol === symbol);
  }

  #bump(matches: (job: Job) => boolean): void {
    const top = Math.max(0, ...this.#queue.map((j) => j.priority)) + 1;
    for (const job of this.#queue) if (matches(job)) job.priority = top;
  }

  #enqueue(symbol: string, priority: number): void {
    if (this.#stopped) return;
    const base = this.#o.baseOf(symbol) ?? symbol;
    this.#queue.push({
      symbol,
      base,
      priority,
      seq: this.#seq++,
      windowsLeft: Math.ceil(this.#lookbackMs / MAX_FILL_WINDOW_MS),
    });
    this.#total += 1;
    this.#loop ??= this.#run().finally(() => {
      this.#loop = undefined;
    });
  }

  async #run(): Promise<void> {
    while (!this.#stopped && this.#queue.length > 0) {
      this.#queue.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
      const job = this.#queue.shift()!;
      this.#current = job;
      try {
        if (await this.#read(job)) this.#done += 1;
      } catch (error) {
        const kind = isExchangeError(error) ? error.kind : undefined;
        this.#o.logger.warn(
          { err: error, symbol: job.symbol, kind },
          'trade history read failed; trying again shortly',
        );
        job.windowsLeft = Math.ceil(this.#lookbackMs / MAX_FILL_WINDOW_MS);
        this.#queue.push(job);
        const retryMs =
          kind === ExchangeErrorKind.RateLimited && isExchangeError(error) && error.retryAfterMs !== undefined
            ? error.retryAfterMs
            : (this.#o.retryMs ?? 30_000);
        if (!this.#stopped) await (this.#o.sleep ?? realSleep)(retryMs);
      } finally {
        this.#current = undefined;
      }
    }
  }

  /** Newest day first; the cursor is set once the whole month is recorded. False when stopped midway. */
  async #read(job: Job): Promise<boolean> {
    const { exchange, store, clock } = this.#o;
    const end = (await exchange.exchangeTime()) + 1;
    const oldest = end - this.#lookbackMs;
    let added = 0;
    for (let hi = end; hi > oldest && !this.#stopped; hi -= MAX_FILL_WINDOW_MS) {
      const startedAt = clock.now();
      const lo = Math.max(oldest, hi - MAX_FILL_WINDOW_MS);
      const read = await readFillWindow({
        exchange,
        store,
        symbol: job.symbol,
        startTime: lo,
        endTime: hi,
        background: true,
      });
      added += read.added;
      job.windowsLeft = Math.max(0, job.windowsLeft - 1);
      this.#readMs += Math.max(0, clock.now() - startedAt);
      this.#windowsRead += 1;
    }
    if (this.#stopped) return false;
    store.setSyncCursor(job.symbol, end);
    this.#o.logger.info({ symbol: job.symbol, added }, 'trade history read');
    return true;
  }
}
