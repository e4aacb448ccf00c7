/**
 * Orders and fills on the account that the bot did not place (found by reconciliation). Each one is
 * recorded once, so the owner is alerted once per foreign order or fill.
 */
import type { Db } from './db.js';

/** An order or fill on the account that the bot did not make. */
export interface ForeignActivity {
  readonly kind: 'order' | 'fill';
  /** Exchange order id or trade id. */
  readonly key: string;
  readonly symbol: string;
  readonly detail: string;
  readonly firstSeen: number;
}

/** Records foreign orders and fills once each, so the owner is alerted once. */
export class ForeignActivityRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Records the activity; returns true only the first time it is seen. */
  recordOnce(activity: ForeignActivity): boolean {
    const result = this.#db
      .prepare(
        `INSERT INTO foreign_activity (kind, key, symbol, detail, first_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(activity.kind, activity.key, activity.symbol, activity.detail, activity.firstSeen);
    return result.changes === 1;
  }

  /** Most recent first. */
  list(limit = 50): ForeignActivity[] {
    return (
      this.#db
        .prepare(
          'SELECT kind, key, symbol, detail, first_seen FROM foreign_activity ORDER BY first_seen DESC LIMIT ?',
        )
        .all(limit) as {
        kind: 'order' | 'fill';
        key: string;
        symbol: string;
        detail: string;
        first_seen: number;
      }[]
    ).map((r) => ({ kind: r.kind, key: r.key, symbol: r.symbol, detail: r.detail, firstSeen: r.first_seen }));
  }
}
