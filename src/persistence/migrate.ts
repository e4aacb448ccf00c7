/**
 * Forward-only migrations: numbered `.sql` files in `migrations/`, applied in order, each in
 * its own transaction, recorded in `schema_migrations`. Running twice applies nothing new.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

/** The folder of numbered `.sql` migrations shipped with the bot. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Which migrations one call applied. */
export interface MigrationResult {
  readonly applied: readonly string[];
  readonly total: number;
}

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  for (const f of files) {
    if (!FILE_NAME.test(f)) throw new Error(`migration file name must look like 0001_name.sql: ${f}`);
  }
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: string[] = [];
  for (const file of files) {
    const version = Number(FILE_NAME.exec(file)![1]);
    if (done.has(version)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(version, file, Date.now());
    })();
    applied.push(file);
  }
  return { applied, total: files.length };
}
