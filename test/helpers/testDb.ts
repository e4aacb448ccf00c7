import { openDatabase, type Db } from '../../src/persistence/db.js';
import { migrate } from '../../src/persistence/migrate.js';

/** A fresh in-memory database with every migration applied. */
export function testDb(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}
