/**
 * One row per scheduled run in `job_runs` (shown by /status): start, end, outcome, summary, error.
 * A run still open when the process stopped is closed as `abandoned` at the next start.
 */
import type { Db } from './db.js';

/** How a scheduled run ended. */
export type JobOutcome = 'ok' | 'error' | 'skipped' | 'abandoned';

/** One recorded run of a job. */
export interface JobRun {
  readonly id: number;
  readonly job: string;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly outcome?: JobOutcome;
  readonly summary?: string;
  readonly error?: string;
}

interface Row {
  id: number;
  job: string;
  started_at: number;
  ended_at: number | null;
  outcome: JobOutcome | null;
  summary: string | null;
  error: string | null;
}

const toRun = (r: Row): JobRun => ({
  id: r.id,
  job: r.job,
  startedAt: r.started_at,
  endedAt: r.ended_at ?? undefined,
  outcome: r.outcome ?? undefined,
  summary: r.summary ?? undefined,
  error: r.error ?? undefined,
});

/** Records each scheduled run and reads the latest ones for /status and health. */
export class JobRunRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  start(job: string, at: number): number {
    return Number(
      this.#db.prepare('INSERT INTO job_runs (job, started_at) VALUES (?, ?)').run(job, at).lastInsertRowid,
    );
  }

  /** Records a finished run in one write (jobs that record only their eventful runs). */
  record(
    job: string,
    startedAt: number,
    end: { endedAt: number; outcome: JobOutcome; summary?: string; error?: string },
  ): void {
    this.#db
      .prepare(
        'INSERT INTO job_runs (job, started_at, ended_at, outcome, summary, error) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(job, startedAt, end.endedAt, end.outcome, end.summary ?? null, end.error ?? null);
  }

  /** Closes a run; a run already closed (e.g. abandoned at shutdown) keeps its first outcome. */
  finish(id: number, end: { endedAt: number; outcome: JobOutcome; summary?: string; error?: string }): void {
    this.#db
      .prepare(
        'UPDATE job_runs SET ended_at = ?, outcome = ?, summary = ?, error = ? WHERE id = ? AND outcome IS NULL',
      )
      .run(end.endedAt, end.outcome, end.summary ?? null, end.error ?? null, id);
  }

  /** Closes every open run as abandoned (after a crash or a shutdown timeout). */
  abandonOpen(at: number, ids?: readonly number[]): number {
    if (ids) {
      for (const id of ids) this.finish(id, { endedAt: at, outcome: 'abandoned' });
      return ids.length;
    }
    return this.#db
      .prepare("UPDATE job_runs SET ended_at = ?, outcome = 'abandoned' WHERE outcome IS NULL")
      .run(at).changes;
  }

  last(job: string): JobRun | undefined {
    const row = this.#db
      .prepare('SELECT * FROM job_runs WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT 1')
      .get(job) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  /** The latest run of every job, by job id (the strategy lines of /status). */
  lastOfEach(): Map<string, JobRun> {
    const rows = this.#db
      .prepare(
        `SELECT r.* FROM job_runs r
         JOIN (SELECT job, MAX(id) AS id FROM job_runs GROUP BY job) last ON last.id = r.id`,
      )
      .all() as Row[];
    return new Map(rows.map((r) => [r.job, toRun(r)]));
  }

  list(job: string, limit = 20): JobRun[] {
    return (
      this.#db
        .prepare('SELECT * FROM job_runs WHERE job = ? ORDER BY id DESC LIMIT ?')
        .all(job, limit) as Row[]
    ).map(toRun);
  }

  /** Deletes finished runs that started before `before`; returns how many. */
  deleteFinishedBefore(before: number): number {
    return this.#db.prepare('DELETE FROM job_runs WHERE started_at < ? AND ended_at IS NOT NULL').run(before)
      .changes;
  }
}
