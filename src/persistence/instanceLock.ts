/**
 * One bot process per database. The lock is a small SQLite file beside the database
 * (`<DATABASE_PATH>.lock`) in which the running process keeps a write transaction open: SQLite's
 * file lock, which the operating system drops when the process ends in any way (kill -9
 * included), so a stale lock never blocks a restart. The holder's pid and start time are
 * committed in the same file before it takes the lock, so a second process can name it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Thrown when another live process holds the lock; the message names it. */
export class InstanceLockedError extends Error {
  constructor(
    readonly databasePath: string,
    readonly holder?: { readonly pid: number; readonly since: number },
  ) {
    super(
      `another Autopilot is already running on ${databasePath} (DATABASE_PATH)` +
        (holder ? `: pid ${holder.pid}, since ${new Date(holder.since).toISOString()}` : '') +
        '. Stop it first, or give this one its own DATABASE_PATH.',
    );
    this.name = 'InstanceLockedError';
  }
}

/** A held lock; `release()` lets the next process start. */
export interface InstanceLock {
  release(): void;
}

/** Takes the lock of `databasePath` for this process, or throws {@link InstanceLockedError}. */
export function acquireInstanceLock(
  databasePath: string,
  options: { readonly now?: number; readonly pid?: number } = {},
): InstanceLock {
  if (databasePath === ':memory:') return { release: () => undefined };
  mkdirSync(dirname(databasePath), { recursive: true });
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of after a wait.
  const db = new Database(`${databasePath}.lock`, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.exec(
      'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, since INTEGER)',
    );
    const take = () => {
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_BUSY')
          throw new InstanceLockedError(databasePath, holderOf(db));
        throw error;
      }
    };
    take();
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ?, ?)').run(
      options.pid ?? process.pid,
      options.now ?? Date.now(),
    );
    db.exec('COMMIT');
    // Held from here until release or the end of the process. Another process that slipped in
    // between the commit and this line holds it instead, and this one is refused, naming it.
    take();
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    release: () => {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function holderOf(db: Database.Database): { pid: number; since: number } | undefined {
  try {
    return db.prepare('SELECT pid, since FROM holder WHERE id = 1').get() as
      { pid: number; since: number } | undefined;
  } catch {
    return undefined; // the holder is committing this very moment
  }
}
