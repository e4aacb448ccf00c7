/**
 * Brings the local fill ledger up to date from the exchange, per symbol, from a stored cursor.
 * Positions and PnL are computed from this ledger, so it must miss nothing:
 * every sync re-reads a small overlap before the cursor (MEXC may publish a fill late), the
 * store dedupes by symbol + trade id, and the cursor moves only after a successful insert.
 */
import { ExchangeErrorKind, isExchangeError } from '../domain/errors.js';
import type { Fill } from '../domain/market.js';
import type { Logger } from '../shared/logger.js';
import type { ExchangePort } from './ExchangePort.js';

/** Where fills are kept. Implemented over SQLite (`fills`, `fill_sync` tables). */
export interface FillStore {
  /** Inserts fills not yet recorded (key: symbol + trade id); returns how many were new. */
  insertFills(fills: readonly Fill[]): number;
  /** The time up to which fills of this symbol are known to be synced, or undefined. */
  getSyncCursor(symbol: string): number | undefined;
  setSyncCursor(symbol: string, time: number): void;
}

/** MEXC keeps about one month of trade history. */
export const DEFAULT_FILL_LOOKBACK_MS = 30 * 24 * 60 * 60_000;
/** Re-read this much before the cursor: fills can show up in myTrades a little late. */
export const FILL_SYNC_OVERLAP_MS = 5 * 60_000;

/** Where fills come from and go to, which symbols to sync, and how far back to look. */
export interface SyncFillsOptions {
  readonly exchange: ExchangePort;
  readonly store: FillStore;
  readonly symbols: readonly string[];
  readonly now: number;
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
 * Syncs each symbol from `cursor − overlap` (or `now − lookback`) through `now` inclusive: the
 * port's end is exclusive, so the query ends at `now + 1` and a fill stamped in the very
 * millisecond of the sync (a paper fill settled just before) is recorded now, not a sync later. A failure on one
 * symbol is logged and reported in `failed` while the others continue, except auth and
 * rate-limit failures, which would fail every symbol alike and are re-thrown.
 *
 * @example
 * const { inserted } = await syncFills({ exchange, store, symbols: ['BTCUSDC'], now: clock.now(), logger });
 */
export async function syncFills(options: SyncFillsOptions): Promise<SyncFillsResult> {
  const { exchange, store, symbols, now, logger } = options;
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
      const fills = await exchange.getFills({ symbol, startTime, endTime });
      const added = store.insertFills(fills);
      store.setSyncCursor(symbol, endTime);
      bySymbol[symbol] = added;
      inserted += added;
      if (added > 0) logger.info({ symbol, added, fetched: fills.length }, 'fills synced');
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
