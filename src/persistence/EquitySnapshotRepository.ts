/**
 * The `equity_snapshots` table: the portfolio's value over time in USDC, raw every few minutes and
 * thinned to one row per hour and then per day as it ages (the equity recorder decides when).
 */
import { z } from 'zod';
import { dec, toWire, type Decimal } from '../domain/money.js';
import type { Db } from './db.js';

/** What the injected valuation returns: every amount in USDC (USDT converted at USDCUSDT). */
export interface EquityValuation {
  readonly totalUsdc: Decimal;
  /** BTC + ETH holdings. */
  readonly coreUsdc: Decimal;
  /** Altcoin holdings. */
  readonly altsUsdc: Decimal;
  /** USDC cash. */
  readonly usdc: Decimal;
  /** USDT cash, converted to USDC. */
  readonly usdtInUsdc: Decimal;
}

/** The granularities equity snapshots are kept at as they age. */
export const EQUITY_RESOLUTIONS = ['raw', 'hour', 'day'] as const;
/** One granularity of a stored equity snapshot. */
export type EquityResolution = (typeof EQUITY_RESOLUTIONS)[number];

/** One stored snapshot. */
export interface EquityPoint extends EquityValuation {
  readonly at: number;
  readonly resolution: EquityResolution;
}

const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, { message: 'must be a decimal string' });
const rowSchema = z.object({
  at: z.number().int(),
  total_usdc: decimalText,
  core_usdc: decimalText,
  alts_usdc: decimalText,
  usdc: decimalText,
  usdt_usdc: decimalText,
  resolution: z.enum(EQUITY_RESOLUTIONS),
});

function toPoint(raw: unknown): EquityPoint {
  const row = rowSchema.parse(raw);
  return {
    at: row.at,
    resolution: row.resolution,
    totalUsdc: dec(row.total_usdc),
    coreUsdc: dec(row.core_usdc),
    altsUsdc: dec(row.alts_usdc),
    usdc: dec(row.usdc),
    usdtInUsdc: dec(row.usdt_usdc),
  };
}

/** Stores, thins and reads equity snapshots. */
export class EquitySnapshotRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores (or replaces) the raw snapshot at `at`. */
  insertRaw(at: number, value: EquityValuation): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO equity_snapshots (at, total_usdc, core_usdc, alts_usdc, usdc, usdt_usdc, resolution)
         VALUES (?, ?, ?, ?, ?, ?, 'raw')`,
      )
      .run(
        at,
        toWire(value.totalUsdc),
        toWire(value.coreUsdc),
        toWire(value.altsUsdc),
        toWire(value.usdc),
        toWire(value.usdtInUsdc),
      );
  }

  /**
   * Thins in one transaction, each pass keeping the last row per `bucket` of rows at `finer`
   * resolutions older than `cut` and marking the survivors `resolution`. A pass starts at the bucket
   * of the oldest row still finer than its target, so a run touches only what aged since the last
   * one (the (resolution, at) index finds it). Returns the rows removed.
   */
  thin(
    passes: readonly {
      readonly cut: number;
      readonly bucket: number;
      readonly resolution: EquityResolution;
      readonly finer: readonly EquityResolution[];
    }[],
  ): number {
    const oldest = this.#db.prepare(
      'SELECT MIN(at) AS at FROM equity_snapshots WHERE resolution IN (SELECT value FROM json_each(?))',
    );
    // JS numbers may bind as REAL: the casts keep the bucket division an integer division.
    const thin = this.#db.prepare(
      `DELETE FROM equity_snapshots WHERE at >= @from AND at < @cut AND at NOT IN (
         SELECT MAX(at) FROM equity_snapshots WHERE at >= @from AND at < @cut
         GROUP BY CAST(at AS INTEGER) / CAST(@bucket AS INTEGER))`,
    );
    const mark = this.#db.prepare(
      `UPDATE equity_snapshots SET resolution = @resolution
       WHERE at >= @from AND at < @cut AND resolution IN (SELECT value FROM json_each(@finer))`,
    );
    return this.#db.transaction(() => {
      let removed = 0;
      for (const { cut, bucket, resolution, finer } of passes) {
        const first = (oldest.get(JSON.stringify(finer)) as { at: number | null }).at;
        if (first === null || first >= cut) continue;
        const from = Math.floor(first / bucket) * bucket;
        removed += thin.run({ from, cut, bucket }).changes;
        mark.run({ from, cut, resolution, finer: JSON.stringify(finer) });
      }
      return removed;
    })();
  }

  /** Snapshots with `from <= at <= to`, oldest first. */
  between(from: number, to: number): EquityPoint[] {
    return this.#db
      .prepare('SELECT * FROM equity_snapshots WHERE at >= ? AND at <= ? ORDER BY at')
      .all(from, to)
      .map(toPoint);
  }

  /** The newest snapshot, if any. */
  latest(): EquityPoint | undefined {
    const row = this.#db.prepare('SELECT * FROM equity_snapshots ORDER BY at DESC LIMIT 1').get();
    return row ? toPoint(row) : undefined;
  }

  /** Number of stored rows. */
  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM equity_snapshots').get() as { n: number }).n;
  }
}
