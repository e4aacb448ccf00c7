/**
 * The `settings` and `settings_history` tables: the owner's current value of every changed setting
 * (as text), and every change with its old and new value, who made it and when.
 */
import type { Db } from './db.js';

/** One recorded change of a setting. */
export interface SettingChange {
  readonly key: string;
  readonly oldValue: string | null;
  readonly newValue: string;
  readonly actor: string;
  readonly at: number;
}

/** Reads and writes stored settings and their history. */
export class SettingsRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Every stored setting as text, by key (including keys a later version no longer knows). */
  all(): { readonly key: string; readonly value: string }[] {
    return this.#db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  }

  /** Writes the new value and its history row in one transaction. */
  write(change: SettingChange): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(change.key, change.newValue, change.at, change.actor);
      this.#db
        .prepare('INSERT INTO settings_history (key, old_value, new_value, actor, at) VALUES (?, ?, ?, ?, ?)')
        .run(change.key, change.oldValue, change.newValue, change.actor, change.at);
    })();
  }

  /** Versions of one setting (or all), newest first. */
  history(key: string | undefined, limit: number): SettingChange[] {
    const rows = (
      key
        ? this.#db
            .prepare(
              'SELECT key, old_value, new_value, actor, at FROM settings_history WHERE key = ? ORDER BY id DESC LIMIT ?',
            )
            .all(key, limit)
        : this.#db
            .prepare(
              'SELECT key, old_value, new_value, actor, at FROM settings_history ORDER BY id DESC LIMIT ?',
            )
            .all(limit)
    ) as { key: string; old_value: string | null; new_value: string; actor: string; at: number }[];
    return rows.map((r) => ({
      key: r.key,
      oldValue: r.old_value,
      newValue: r.new_value,
      actor: r.actor,
      at: r.at,
    }));
  }
}
