/**
 * Small per-strategy key/value state in `strategy_state`: pause flags, report throttles and
 * counters that fills cannot derive. Values are strings; callers own their format.
 */
import type { Db } from './db.js';

/** Reads and writes small per-strategy values kept across restarts. */
export class StrategyStateRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(strategy: string, key: string): string | undefined {
    const row = this.#db
      .prepare('SELECT value FROM strategy_state WHERE strategy = ? AND key = ?')
      .get(strategy, key) as { value: string } | undefined;
    return row?.value;
  }

  set(strategy: string, key: string, value: string, at: number): void {
    this.#db
      .prepare(
        `INSERT INTO strategy_state (strategy, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (strategy, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(strategy, key, value, at);
  }

  delete(strategy: string, key: string): void {
    this.#db.prepare('DELETE FROM strategy_state WHERE strategy = ? AND key = ?').run(strategy, key);
  }

  /** Strategies that have `key` set to `value`. */
  strategiesWith(key: string, value: string): string[] {
    return (
      this.#db
        .prepare('SELECT strategy FROM strategy_state WHERE key = ? AND value = ? ORDER BY strategy')
        .all(key, value) as { strategy: string }[]
    ).map((r) => r.strategy);
  }
}
