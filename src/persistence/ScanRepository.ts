/**
 * Scanner results in `scans` and `scan_verdicts`: every gate's verdict with its numbers,
 * for /why, scan reports and the other strategies' `scanLeaders`.
 */
import type { ScanSummary, ScanVerdict } from '../domain/scan.js';
import type { Db } from './db.js';

/** One scanner run as stored: when, how many symbols it saw and analysed, its API cost and its leaders. */
export interface StoredScan {
  readonly id: number;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly universe: number;
  readonly analysed: number;
  readonly requests: number;
  readonly weight: number;
  readonly leaders: readonly string[];
}

/** Stores scanner runs with every symbol's verdict and reads them back for /why and reports. */
export class ScanRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores one scan with all its verdicts; returns the scan id. */
  insert(scan: ScanSummary, times: { readonly startedAt: number; readonly endedAt: number }): number {
    return this.#db.transaction(() => {
      const id = Number(
        this.#db
          .prepare(
            `INSERT INTO scans (started_at, ended_at, universe, analysed, requests, weight, leaders)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            times.startedAt,
            times.endedAt,
            scan.universe,
            scan.analysed,
            scan.requests ?? 0,
            scan.weight ?? 0,
            JSON.stringify(scan.leaders),
          ).lastInsertRowid,
      );
      const verdict = this.#db.prepare(
        `INSERT INTO scan_verdicts (scan_id, symbol, score, passed, verdict) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scan_id, symbol) DO UPDATE SET score = excluded.score, passed = excluded.passed, verdict = excluded.verdict`,
      );
      for (const v of scan.verdicts) {
        verdict.run(id, v.symbol, Math.round(v.score), v.passed ? 1 : 0, JSON.stringify(v.gates));
      }
      return id;
    })();
  }

  latest(): StoredScan | undefined {
    const row = this.#db.prepare('SELECT * FROM scans ORDER BY id DESC LIMIT 1').get() as
      | {
          id: number;
          started_at: number;
          ended_at: number | null;
          universe: number;
          analysed: number;
          requests: number;
          weight: number;
          leaders: string;
        }
      | undefined;
    if (!row) return undefined;
    const leaders: unknown = JSON.parse(row.leaders);
    return {
      id: row.id,
      startedAt: row.started_at,
      endedAt: row.ended_at ?? undefined,
      universe: row.universe,
      analysed: row.analysed,
      requests: row.requests,
      weight: row.weight,
      leaders: Array.isArray(leaders) ? leaders.filter((x): x is string => typeof x === 'string') : [],
    };
  }

  /** The latest verdict on a symbol (for /why). */
  latestVerdict(symbol: string): (ScanVerdict & { readonly scanId: number }) | undefined {
    const row = this.#db
      .prepare(
        'SELECT scan_id, symbol, score, passed, verdict FROM scan_verdicts WHERE symbol = ? ORDER BY scan_id DESC LIMIT 1',
      )
      .get(symbol) as
      { scan_id: number; symbol: string; score: number; passed: number; verdict: string } | undefined;
    if (!row) return undefined;
    return {
      scanId: row.scan_id,
      symbol: row.symbol,
      score: row.score,
      passed: row.passed === 1,
      gates: JSON.parse(row.verdict) as ScanVerdict['gates'],
    };
  }

  /** Deletes the per-symbol verdicts of scans started before `before` (the scans stay); returns how many. */
  deleteVerdictsBefore(before: number): number {
    return this.#db
      .prepare('DELETE FROM scan_verdicts WHERE scan_id IN (SELECT id FROM scans WHERE started_at < ?)')
      .run(before).changes;
  }
}
