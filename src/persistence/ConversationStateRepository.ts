/**
 * The `conv_state` table: the state of a chat dialogue in progress (as JSON text), so a settings
 * dialogue survives a restart. The row is deleted when the dialogue ends.
 */
import type { Db } from './db.js';

/** Reads, writes and deletes dialogue state by key. */
export class ConversationStateRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The stored JSON text of `key`, if any. */
  read(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM conv_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  /** Stores (or replaces) the JSON text of `key`. */
  write(key: string, value: string): void {
    this.#db
      .prepare(
        'INSERT INTO conv_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#db.prepare('DELETE FROM conv_state WHERE key = ?').run(key);
  }
}
