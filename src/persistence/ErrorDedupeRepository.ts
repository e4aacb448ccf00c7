/**
 * The `error_dedupe` table: one row per alert key, so a repeating error reaches the chat once per
 * window with a count of its repeats instead of once per occurrence, across restarts.
 */
import type { Db } from './db.js';

/** What the notifier remembers about one alert key. */
export interface DedupeEntry {
  readonly key: string;
  readonly lastSentAt: number;
  /** Occurrences held back since the last one sent. */
  readonly suppressed: number;
  readonly lastMessage?: string;
  readonly critical: boolean;
}

/** Reads and updates alert deduplication rows. */
export class ErrorDedupeRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The entry of `key`, if it was ever sent. */
  get(key: string): DedupeEntry | undefined {
    const row = this.#db
      .prepare('SELECT key, last_sent_at, suppressed, last_message, critical FROM error_dedupe WHERE key = ?')
      .get(key) as RawRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  /** Records the first sending of `key`. */
  insertSent(key: string, now: number, message: string, critical: boolean): void {
    this.#db
      .prepare(
        'INSERT INTO error_dedupe (key, first_at, last_sent_at, suppressed, last_message, critical) VALUES (?, ?, ?, 0, ?, ?)',
      )
      .run(key, now, now, message, critical ? 1 : 0);
  }

  /** Counts one more occurrence held back. */
  addSuppressed(key: string, message: string): void {
    this.#db
      .prepare('UPDATE error_dedupe SET suppressed = suppressed + 1, last_message = ? WHERE key = ?')
      .run(message, key);
  }

  /** Records a new sending of `key` (the repeats counted so far are reset). */
  markSent(key: string, now: number, message?: string): void {
    if (message === undefined) {
      this.#db
        .prepare('UPDATE error_dedupe SET suppressed = 0, last_sent_at = ? WHERE key = ?')
        .run(now, key);
      return;
    }
    this.#db
      .prepare('UPDATE error_dedupe SET last_sent_at = ?, suppressed = 0, last_message = ? WHERE key = ?')
      .run(now, message, key);
  }

  /** Entries with held-back repeats last sent at or before `sentBefore`. */
  withRepeats(sentBefore: number): DedupeEntry[] {
    return (
      this.#db
        .prepare(
          'SELECT key, last_sent_at, suppressed, last_message, critical FROM error_dedupe WHERE suppressed > 0 AND last_sent_at <= ?',
        )
        .all(sentBefore) as RawRow[]
    ).map(toEntry);
  }
}

interface RawRow {
  key: string;
  last_sent_at: number;
  suppressed: number;
  last_message: string | null;
  critical: number;
}

const toEntry = (r: RawRow): DedupeEntry => ({
  key: r.key,
  lastSentAt: r.last_sent_at,
  suppressed: r.suppressed,
  lastMessage: r.last_message ?? undefined,
  critical: r.critical === 1,
});
