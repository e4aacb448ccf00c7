import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persistence/db.js';
import { migrate } from '../../src/persistence/migrate.js';

describe('migrate', () => {
  it('applies every migration on an empty database and records it', () => {
    const db = openDatabase(':memory:');
    const result = migrate(db);
    expect(result.applied.length, 'all files applied on first run').toBe(result.total);
    expect(result.total).toBeGreaterThan(0);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [
      'settings',
      'settings_history',
      'orders',
      'fills',
      'outbox',
      'job_runs',
      'events',
      'scan_verdicts',
      'equity_snapshots',
      'paper_balances',
    ]) {
      expect(tables, `table ${t}`).toContain(t);
    }
    const recorded = db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number };
    expect(recorded.n).toBe(result.total);
  });

  it('is idempotent: a second run applies nothing', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    expect(migrate(db).applied).toEqual([]);
  });

  it('stores money as TEXT: no REAL columns anywhere', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    for (const { name } of tables) {
      const cols = db.prepare(`PRAGMA table_info(${name})`).all() as { name: string; type: string }[];
      for (const c of cols) expect(c.type, `${name}.${c.name}`).not.toMatch(/REAL|FLOAT|DOUBLE|NUMERIC/i);
    }
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    writeFileSync(join(dir, '0001_ok.sql'), 'CREATE TABLE a (x TEXT);');
    writeFileSync(join(dir, '0002_bad.sql'), 'CREATE TABLE b (x TEXT); INSERT INTO nowhere VALUES (1);');
    const db = openDatabase(':memory:');
    expect(() => migrate(db, dir)).toThrow(/nowhere/);
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(names).toContain('a');
    expect(names, 'table b rolled back with its migration').not.toContain('b');
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(1);
  });
});
