/**
 * Brings the local fill ledger up to date from the exchange, per symbol, from a stored cursor.
 * Positions and PnL are computed from this ledger, so it must miss nothing:
 * - windows and cursors are in exchange time (fills carry the exchange's stamps; the local clock
 *   may be minutes off);
 * - every sync re-reads an overlap before the cursor, because MEXC may publish a fill minutes
 *   after its time stamp;
 * - the store dedupes by symbol + trade id, and the cursor moves only after a successful insert;
 * - the bot's own orders are handed to the adapter, which reads them one by one when too many
 *   fills share one instant to be paged by time.
 */
import { ExchangeErrorKind, isExchangeError } from '../domain/errors.js';
import type { Fill } from '../domain/market.js';
import type { Logger } from '../common/logger.js';
import type { OrderSpan } from '../domain/market.js';
import type { ExchangePort } from './ExchangePort.js';

/** Where fills are kept. Implemented over SQLite (`fills`, `fill_sync` tables). */
export interface FillStore {
  /** Inserts fills not yet recorded (key: symbol + trade id); returns how many were new. */
  insertFills(fills: readonly Fill[]): number;
  /** The time up to which fills of this symbol are known to be synced, or undefined. */
  getSyncCursor(symbol: string): number | undefined;
  /** Records that `symbol` is synced up to `time` (exclusive, exchange time). */
  setSyncCursor(symbol: string, time: number): void;
  /** The bot's orders on `symbol` that could have filled in `[from, to)`, with their exchange ids. */
  botOrders(symbol: string, from: number, to: number): readonly OrderSpan[];
}

/** MEXC keeps about one month of trade history. */
export const DEFAULT_FILL_LOOKBACK_MS = 30 * 24 * 60 * 60_000;
/**
 * Re-read this much before the cursor: a fill can show up in myTrades minutes after its time
 * stamp (6 minutes seen), so 15 minutes leaves a margin. It costs no extra request: the re-read
 * part sits in the same myTrades call (weight 10 per symbol and sync) unless that window holds a
 * full page of 100 fills.
 */
export const FILL_SYNC_OVERLAP_MS = 15 * 60_000;

/** How far local order times may be from exchange times and still count as the same period. */
const ORDER_CLOCK_MARGIN_MS = 60 * 60_000;

/** Inputs of {@link syncFills}. */
export interface SyncFillsOptions {
  readonly exchange: ExchangePort;
  readonly store: FillStore;
  readonly symbols: readonly string[];
  /** Exchange time to sync through; by default the exchange's clock ({@link ExchangePort.exchangeTime}). */
  readonly now?: number;
  /** How far back to read a symbol with no cursor (and the oldest point ever read). Default 30 days. */
  readonly lookbackMs?: number;
  readonly logger: Logger;
}

/** What one sync added, per symbol, and which symbols failed and why. */
export interface SyncFillsResult {
  /** New fills across all symbols. */
  readonly inserted: number;
  /** New fills per symbol that synced successfully. */
  readonly bySymbol: Record<string, number>;
  /** Symbols whose sync failed (cursor untouched), with the sanitised reason. */
  readonly failed: Record<string, string>;
}

/**
 * Syncs each symbol from `cursor − overlap` (or `now − lookback`) through `now` inclusive, all in
 * exchange time: the
 * port's end is exclusive, so the query ends at `now + 1` and a fill stamped in the very
 * millisecond of the sync (a paper fill settled just before) is recorded now, not a sync later. A failure on one
 * symbol is logged and reported in `failed` while the others continue, except auth and
 * rate-limit failures, which would fail every symbol alike and are re-thrown.
 *
 * @example
 * const { inserted } = await syncFills({ exchange, store, symbols: ['BTCUSDC'], logger });
 */
export async function syncFills(options: SyncFillsOptions): Promise<SyncFillsResult> {
  const { exchange, store, symbols, logger } = options;
  const now = options.now ?? (await exchange.exchangeTime());
  const lookbackMs = options.lookbackMs ?? DEFAULT_FILL_LOOKBACK_MS;
  const oldest = now - lookbackMs;
  const bySymbol: Record<string, number> = {};
  const failed: Record<string, string> = {};
  let inserted = 0;

  const endTime = now + 1;
  for (const symbol of new Set(symbols)) {
    const cursor = store.getSyncCursor(symbol);
    const startTime = cursor === undefined ? oldest : Math.max(oldest, cursor - FILL_SYNC_OVERLAP_MS);
    if (startTime >= endTime) {
      bySymbol[symbol] = 0;
      continue;
    }
    try {
      const { added, fetched } = await readFillWindow({ exchange, store, symbol, startTime, endTime });
      store.setSyncCursor(symbol, endTime);
      bySymbol[symbol] = added;
      inserted += added;
      if (added > 0) logger.info({ symbol, added, fetched }, 'fills synced');
    } catch (error) {
      if (
        isExchangeError(error, ExchangeErrorKind.Auth) ||
        isExchangeError(error, ExchangeErrorKind.RateLimited)
      ) {
        throw error;
      }
      failed[symbol] = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, symbol }, 'fill sync failed for symbol; cursor kept');
    }
  }
  return { inserted, bySymbol, failed };
}

/** One period of one symbol for {@link readFillWindow}. */
export interface FillWindowRead {
  readonly exchange: ExchangePort;
  readonly store: FillStore;
  readonly symbol: string;
  /** Exchange time, inclusive. */
  readonly startTime: number;
  /** Exchange time, exclusive. */
  readonly endTime: number;
  /** History reading that yields the request budget to everything else. */
  readonly background?: boolean;
}

/**
 * Reads the fills of one symbol in `[startTime, endTime)` and records the new ones (the cursor is
 * the caller's business). The one way exchange fills enter the ledger.
 */
export async function readFillWindow(read: FillWindowRead): Promise<{ added: number; fetched: number }> {
  const { exchange, store, symbol, startTime, endTime } = read;
  // Order rows are stamped by the local clock: widen the period so clock drift loses none.
  const orders = store.botOrders(symbol, startTime - ORDER_CLOCK_MARGIN_MS, endTime + ORDER_CLOCK_MARGIN_MS);
  const fills = await exchange.getFills({
    symbol,
    startTime,
    endTime,
    orders,
    ...(read.background ? { background: true } : {}),
  });
  return { added: store.insertFills(fills), fetched: fills.length };
}
