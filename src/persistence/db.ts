/**
 * Opens the SQLite database with the pragmas the bot relies on: WAL (readers never block the
 * writer), foreign keys, a busy timeout, and NORMAL sync (durable at checkpoints, fast commits).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** An open SQLite database. */
export type Db = Database.Database;

/** Opens (creating its folder if needed) the SQLite database with the pragmas the bot relies on. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * A read-only connection for another process (a replay's child): the database file itself, or an
 * in-memory database's serialized image (`db.serialize()`), which is all the child can see of it.
 */
export function openReadOnly(source: string | Uint8Array): Db {
  if (typeof source === 'string') return new Database(source, { readonly: true, fileMustExist: true });
  // A Buffer sent to a child process arrives as a plain Uint8Array: better-sqlite3 wants the Buffer.
  const image = Buffer.isBuffer(source)
    ? source
    : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  return new Database(image, { readonly: true });
}

/** Distinct SQL texts {@link cacheStatements} keeps (the repositories have a few hundred). */
const MAX_CACHED_STATEMENTS = 1_000;

/**
 * Makes `db.prepare` reuse one compiled statement per SQL text. Repositories prepare their SQL on
 * every call: most of a replay's database time, where the same few statements run hundreds of
 * thousands of times, and in the running bot a steady stream of short-lived garbage and compile
 * work on the event loop (order checks run several times a second). Safe as long as one SQL text
 * is always used in one mode (`pluck`, `raw`, `expand`) and a statement being iterated is not
 * run again before its iteration ends.
 */
export function cacheStatements(db: Db): Db {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      // Bounded, should a text ever be built from data rather than from placeholders.
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
  return db;
}
