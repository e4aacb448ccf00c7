import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/persistence/db.js';
import { JobRunRepository } from '../../src/persistence/JobRunRepository.js';
import { testDb } from '../helpers/testDb.js';

let db: Db;
afterEach(() => db?.close());

describe('JobRunRepository.health', () => {
  it('reports the running run and the last success per job, ignoring runs of a previous process', () => {
    db = testDb();
    const run = db.prepare('INSERT INTO job_runs (job, started_at, ended_at, outcome) VALUES (?, ?, ?, ?)');
    run.run('scanner', 100, 150, 'ok');
    run.run('scanner', 200, 260, 'error');
    run.run('scanner', 1_000, null, null);
    run.run('accumulate', 50, null, null); // killed with the previous process
    run.run('accumulate', 600, 610, 'ok');
    expect(new JobRunRepository(db).health(500)).toEqual([
      { id: 'accumulate', lastOkAt: 610 },
      { id: 'scanner', runningSinceMs: 1_000, lastOkAt: 150 },
    ]);
  });
});
