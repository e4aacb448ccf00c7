/**
 * Scanner results in `scans` and `scan_verdicts`: every gate's verdict with its numbers,
 * for /why, scan reports and the other strategies' `scanLeaders`.
 */
import { z } from 'zod';
import type { ScanGate, ScanSummary } from '../domain/scan.js';
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

/** One symbol's score in one scan, for /scan's top list. */
export interface ScanVerdictRow {
  readonly symbol: string;
  readonly score: number;
  readonly passed: boolean;
}

/** One symbol's stored verdict with the scan it belongs to. */
export interface StoredVerdict extends ScanVerdictRow {
  readonly scanId: number;
  /** When that scan started. */
  readonly scanAt: number;
  /** Every gate with its numbers; undefined when the stored list cannot be read (see `raw`). */
  readonly gates: readonly ScanGate[] | undefined;
  /** The verdict as stored, shown when its gates cannot be read. */
  readonly raw: string;
}

const scanRow = z.object({
  id: z.number(),
  started_at: z.number(),
  ended_at: z.number().nullable(),
  universe: z.number(),
  analysed: z.number(),
  requests: z.number(),
  weight: z.number(),
  leaders: z.string(),
});

const leadersSchema = z.array(z.string());

/** A `scans` row; leaders that cannot be read count as none (the scan's numbers still stand). */
function scanFromRow(row: unknown): StoredScan {
  const r = scanRow.parse(row);
  return {
    id: r.id,
    startedAt: r.started_at,
    endedAt: r.ended_at ?? undefined,
    universe: r.universe,
    analysed: r.analysed,
    requests: r.requests,
    weight: r.weight,
    leaders: leadersSchema.safeParse(parseJson(r.leaders)).data ?? [],
  };
}

const gateSchema = z.object({
  gate: z.string(),
  ok: z.boolean(),
  value: z.union([z.string(), z.number()]).optional(),
  limit: z.union([z.string(), z.number()]).optional(),
  points: z.number().optional(),
});
/** The gate list as stored, or inside `{ gates }` as rows written before the list alone. */
const verdictSchema = z.union([z.object({ gates: z.array(gateSchema) }), z.array(gateSchema)]);

/** The gates of a stored verdict, numbers as text; undefined when the text is no gate list. */
function gatesFromJson(text: string): ScanGate[] | undefined {
  const parsed = verdictSchema.safeParse(parseJson(text));
  if (!parsed.success) return undefined;
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.gates;
  return list.map((g) => ({
    gate: g.gate,
    ok: g.ok,
    ...(g.value !== undefined ? { value: String(g.value) } : {}),
    ...(g.limit !== undefined ? { limit: String(g.limit) } : {}),
    ...(g.points !== undefined ? { points: g.points } : {}),
  }));
}

/** JSON text parsed, or undefined when it is not JSON (the schema then refuses it). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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

  /** The latest scan, finished or not (its leaders are what the other strategies follow). */
  latest(): StoredScan | undefined {
    const row = this.#db.prepare('SELECT * FROM scans ORDER BY id DESC LIMIT 1').get();
    return row === undefined ? undefined : scanFromRow(row);
  }

  /** The latest finished scan, or the latest started one when none finished (the head of /scan). */
  latestFinished(): StoredScan | undefined {
    const row =
      this.#db.prepare('SELECT * FROM scans WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1').get() ??
      this.#db.prepare('SELECT * FROM scans ORDER BY id DESC LIMIT 1').get();
    return row === undefined ? undefined : scanFromRow(row);
  }

  /** The best-scoring symbols of one scan, passed ones first, for /scan. */
  topVerdicts(scanId: number, limit: number): ScanVerdictRow[] {
    return (
      this.#db
        .prepare(
          'SELECT symbol, score, passed FROM scan_verdicts WHERE scan_id = ? ORDER BY passed DESC, score DESC, symbol LIMIT ?',
        )
        .all(scanId, limit) as { symbol: string; score: number; passed: number }[]
    ).map((r) => ({ symbol: r.symbol, score: r.score, passed: r.passed === 1 }));
  }

  /** The latest verdict on a symbol with every gate's numbers (for /why and scan reports). */
  latestVerdict(symbol: string): StoredVerdict | undefined {
    const row = this.#db
      .prepare(
        `SELECT v.scan_id, s.started_at, v.symbol, v.score, v.passed, v.verdict FROM scan_verdicts v
         JOIN scans s ON s.id = v.scan_id WHERE v.symbol = ? ORDER BY v.scan_id DESC LIMIT 1`,
      )
      .get(symbol) as
      | {
          scan_id: number;
          started_at: number;
          symbol: string;
          score: number;
          passed: number;
          verdict: string;
        }
      | undefined;
    if (!row) return undefined;
    return {
      scanId: row.scan_id,
      scanAt: row.started_at,
      symbol: row.symbol,
      score: row.score,
      passed: row.passed === 1,
      gates: gatesFromJson(row.verdict),
      raw: row.verdict,
    };
  }

  /** Deletes the per-symbol verdicts of scans started before `before` (the scans stay); returns how many. */
  deleteVerdictsBefore(before: number): number {
    return this.#db
      .prepare('DELETE FROM scan_verdicts WHERE scan_id IN (SELECT id FROM scans WHERE started_at < ?)')
      .run(before).changes;
  }
}
