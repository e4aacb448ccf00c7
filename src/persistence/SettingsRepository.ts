/**
 * The `settings` and `settings_history` tables: the owner's current value of every changed setting
 * (as text), and every change with its old and new value, who made it and when.
 */
import type { Db } from './db.js';

/** One change of a setting, as written. */
export interface SettingChange {
  readonly key: string;
  readonly oldValue: string | null;
  readonly newValue: string;
  readonly actor: string;
  readonly at: number;
  /** The version this change undoes, when it is an undo. */
  readonly revertsId?: number;
}

/** One recorded version of a setting: the change with its version number (the history row id). */
export interface SettingVersion extends SettingChange {
  readonly id: number;
}

interface HistoryRow {
  id: number;
  key: string;
  old_value: string | null;
  new_value: string;
  actor: string;
  at: number;
  reverts_id: number | null;
}

const HISTORY_COLUMNS = 'id, key, old_value, new_value, actor, at, reverts_id';

const toVersion = (r: HistoryRow): SettingVersion => ({
  id: r.id,
  key: r.key,
  oldValue: r.old_value,
  newValue: r.new_value,
  actor: r.actor,
  at: r.at,
  ...(r.reverts_id === null ? {} : { revertsId: r.reverts_id }),
});

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

  /** Writes the new value and its history row in one transaction; returns the new version's number. */
  write(change: SettingChange): number {
    return this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(change.key, change.newValue, change.at, change.actor);
      const row = this.#db
        .prepare(
          'INSERT INTO settings_history (key, old_value, new_value, actor, at, reverts_id) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(change.key, change.oldValue, change.newValue, change.actor, change.at, change.revertsId ?? null);
      return Number(row.lastInsertRowid);
    })();
  }

  /** Versions of one setting (or all), newest first. */
  history(key: string | undefined, limit: number): SettingVersion[] {
    const rows = (
      key
        ? this.#db
            .prepare(`SELECT ${HISTORY_COLUMNS} FROM settings_history WHERE key = ? ORDER BY id DESC LIMIT ?`)
            .all(key, limit)
        : this.#db
            .prepare(`SELECT ${HISTORY_COLUMNS} FROM settings_history ORDER BY id DESC LIMIT ?`)
            .all(limit)
    ) as HistoryRow[];
    return rows.map(toVersion);
  }

  /** One version by its number, if it exists. */
  version(id: number): SettingVersion | undefined {
    const row = this.#db.prepare(`SELECT ${HISTORY_COLUMNS} FROM settings_history WHERE id = ?`).get(id) as
      HistoryRow | undefined;
    return row === undefined ? undefined : toVersion(row);
  }
}
