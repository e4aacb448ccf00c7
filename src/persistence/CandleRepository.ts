/**
 * The candle store (`candles`): closed candles the bot fetched, by symbol, width and open time,
 * so a replay of the recent past reads them locally and asks the exchange only for what is
 * missing. Prices and volumes are stored as the exchange's decimal text (exact); a replay reads
 * them back as numbers in columns, as the indicators hold candles (money is never computed from
 * them without going back through a decimal).
 */
import { columnsOf, type CandleColumns } from '../domain/candleColumns.js';
import type { Candle, KlineInterval } from '../domain/market.js';
import type { Db } from './db.js';

/** How much of a range the store holds for one symbol and width. */
export interface CandleCoverage {
  readonly count: number;
  /** Open time of the first and last stored candle in the range, when any. */
  readonly first?: number;
  readonly last?: number;
}

interface CandleRow {
  open_time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quote_volume: string;
}

/** Keeps closed candles and reads them back by range; all SQL of the `candles` table. */
export class CandleRepository {
  readonly #db: Db;
  readonly #upsert;

  constructor(db: Db) {
    this.#db = db;
    this.#upsert = db.prepare(
      `INSERT INTO candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
         volume = excluded.volume, quote_volume = excluded.quote_volume`,
    );
  }

  /**
   * Stores candles, their decimal text as it came (a candle already stored is replaced: the
   * exchange's latest word wins). Returns how many.
   */
  keep(symbol: string, interval: KlineInterval, candles: readonly Candle[]): number {
    if (candles.length === 0) return 0;
    this.#db.transaction(() => {
      for (const c of candles) {
        this.#upsert.run(
          symbol,
          interval,
          c.openTime,
          c.open,
          c.high,
          c.low,
          c.close,
          c.volume,
          c.quoteVolume,
        );
      }
    })();
    return candles.length;
  }

  /** Candles with `from <= openTime < to`, oldest first, as numeric columns. */
  columns(symbol: string, interval: KlineInterval, from: number, to: number): CandleColumns {
    const rows = this.#db
      .prepare<[string, string, number, number], CandleRow>(
        `SELECT open_time, open, high, low, close, volume, quote_volume FROM candles
         WHERE symbol = ? AND interval = ? AND open_time >= ? AND open_time < ? ORDER BY open_time`,
      )
      .all(symbol, interval, from, to);
    return columnsOf(rows, (r) => ({
      openTime: r.open_time,
      open: Number(r.open),
      high: Number(r.high),
      low: Number(r.low),
      close: Number(r.close),
      volume: Number(r.volume),
      quoteVolume: Number(r.quote_volume),
    }));
  }

  /** Open times stored with `from <= openTime < to`, oldest first (to find the missing ranges). */
  openTimes(symbol: string, interval: KlineInterval, from: number, to: number): number[] {
    return this.#db
      .prepare<[string, string, number, number], { open_time: number }>(
        `SELECT open_time FROM candles
         WHERE symbol = ? AND interval = ? AND open_time >= ? AND open_time < ? ORDER BY open_time`,
      )
      .all(symbol, interval, from, to)
      .map((r) => r.open_time);
  }

  /** How many candles of the range are stored, and the first and last of them. */
  coverage(symbol: string, interval: KlineInterval, from: number, to: number): CandleCoverage {
    const row = this.#db
      .prepare<
        [string, string, number, number],
        { count: number; first: number | null; last: number | null }
      >(
        `SELECT COUNT(*) AS count, MIN(open_time) AS first, MAX(open_time) AS last FROM candles
         WHERE symbol = ? AND interval = ? AND open_time >= ? AND open_time < ?`,
      )
      .get(symbol, interval, from, to)!;
    return {
      count: row.count,
      ...(row.first === null ? {} : { first: row.first }),
      ...(row.last === null ? {} : { last: row.last }),
    };
  }

  /** Symbols with candles of `interval` opening in `[from, to)`. */
  symbols(interval: KlineInterval, from: number, to: number): string[] {
    // Symbol by symbol along the primary key, each asked whether it has a candle in the span: a
    // few dozen index lookups. Collecting the distinct symbols of every candle in the span instead
    // read a month of minutes (1.4 million rows, 3 s) before each replay.
    return this.#db
      .prepare<[string, number, number], { symbol: string }>(
        `WITH RECURSIVE s(symbol) AS (
           SELECT MIN(symbol) FROM candles
           UNION ALL
           SELECT (SELECT MIN(symbol) FROM candles WHERE symbol > s.symbol) FROM s WHERE s.symbol IS NOT NULL
         )
         SELECT symbol FROM s WHERE symbol IS NOT NULL AND EXISTS (
           SELECT 1 FROM candles c WHERE c.symbol = s.symbol AND c.interval = ? AND c.open_time >= ? AND c.open_time < ?
         ) ORDER BY symbol`,
      )
      .all(interval, from, to)
      .map((r) => r.symbol);
  }

  /** Deletes candles that opened before `before` (retention); returns how many. */
  deleteBefore(before: number): number {
    return this.#db.prepare('DELETE FROM candles WHERE open_time < ?').run(before).changes;
  }
}
