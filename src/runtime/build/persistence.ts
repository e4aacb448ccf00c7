/**
 * Build step 1, the database: the instance lock, then the file opened and migrated. It comes first
 * so that a second instance or an unusable path is refused before anything else starts.
 */
import type { Config } from '../../config/config.js';
import { cacheStatements, openDatabase, type Db } from '../../persistence/db.js';
import {
  acquireInstanceLock,
  InstanceLockedError,
  type InstanceLock,
} from '../../persistence/instanceLock.js';
import { migrate } from '../../persistence/migrate.js';
import type { Logger } from '../../common/logger.js';

/** The open, migrated database and the lock that keeps a second bot off it. */
export interface PersistenceStep {
  readonly db: Db;
  /** Closes the database, then releases the instance lock (the last thing a runtime does). */
  close(): void;
}

/** Locks, opens and migrates the database at `DATABASE_PATH`; fails with an operator's message. */
export function buildPersistence(o: {
  readonly config: Pick<Config, 'databasePath'>;
  readonly logger: Logger;
}): PersistenceStep {
  const path = o.config.databasePath;
  let lock: InstanceLock;
  try {
    lock = acquireInstanceLock(path);
  } catch (error) {
    throw error instanceof InstanceLockedError ? error : databaseError(path, error);
  }
  let db: Db;
  try {
    db = cacheStatements(openDatabase(path));
    const migrations = migrate(db);
    o.logger.info({ applied: migrations.applied, path }, 'database ready');
  } catch (error) {
    lock.release();
    throw databaseError(path, error);
  }
  return {
    db,
    close() {
      db.close();
      lock.release();
    },
  };
}

/** A database start-up failure in words an operator can act on: the file and the variable. */
function databaseError(path: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `cannot use the database ${path} (DATABASE_PATH): ${reason}. Check that the directory exists or can be created, is writable and has free space, or point DATABASE_PATH elsewhere.`,
    { cause: error },
  );
}
