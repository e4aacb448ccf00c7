import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persistence/db.js';
import { migrate } from '../../src/persistence/migrate.js';

/** A database as the migrations before 0120 left it, with three fills in it. */
async function databaseBeforeReplayText(): Promise<ReturnType<typeof openDatabase>> {
  const { copyFileSync, mkdtempSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { MIGRATIONS_DIR } = await import('../../src/persistence/migrate.js');
  const before = mkdtempSync(join(tmpdir(), 'mig-'));
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0120')) {
    copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
  }
  const db = openDatabase(':memory:');
  migrate(db, before);
  const insert = db.prepare(
    `INSERT INTO fills (rowid, symbol, trade_id, order_id, client_order_id, origin, base_asset, quote_asset,
       side, price, qty, quote_qty, commission, commission_asset, is_maker, time, recorded_at,
       usdc_usdt, fee_price, fee_price_quote, prices_source, prices_at)
     VALUES (?, ?, ?, 'o', NULL, NULL, ?, ?, ?, '1.5', '2', '3', '0.01', ?, 1, ?, 0, ?, ?, ?, ?, ?)`,
  );
  insert.run(7, 'BTCUSDC', '1', 'BTC', 'USDC', 'BUY', 'USDC', 100, '0.9995', null, null, 'book', 5);
  insert.run(3, 'SOLUSDT', '2', 'SOL', 'USDT', 'SELL', 'MX', 200, '1.001', '2.5', 'USDT', 'kline', 6);
  insert.run(9, 'SOLUSDT', '3', 'SOL', 'USDT', 'BUY', 'USDT', 300, null, null, null, null, null);
  return db;
}

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

  it('builds the fills table anew with its stored replay text, every row kept with its rowid and every index', async () => {
    // The database as the migrations before it left it, with fills in it.
    const db = await databaseBeforeReplayText();
    const columns =
      'rowid, symbol, trade_id, side, price, commission_asset, time, usdc_usdt, fee_price, prices_at';
    const rows = db.prepare(`SELECT ${columns} FROM fills ORDER BY rowid`).all();
    const indexes = () =>
      db
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fills' ORDER BY name",
        )
        .all();
    const indexesBefore = indexes();

    expect(migrate(db).applied).toContain('0120_fill_replay_text.sql');
    expect(db.prepare(`SELECT ${columns} FROM fills ORDER BY rowid`).all()).toEqual(rows);
    expect(indexes()).toEqual(indexesBefore);
    expect(
      db
        .prepare('SELECT rowid, replay FROM fills ORDER BY rowid')
        .all()
        .map((r) => (r as { rowid: number; replay: string }).replay.split('\u001f')),
    ).toEqual([
      ['3', '1', '1.5,2,3,0.01', '1.001', '2.5,USDT', 'MX', 'SOLUSDT', '2', 'o'],
      ['3', '0', '1.5,2,3,0.01', '0.9995', '', '\u001e', 'BTCUSDC', '1', 'o'],
      ['3', '0', '1.5,2,3,0.01', '', '', '\u001e', 'SOLUSDT', '3', 'o'],
    ]);
    // Written from now on, it follows the row: prices recorded later are in it.
    db.prepare("UPDATE fills SET usdc_usdt = '1.002', prices_at = 7 WHERE rowid = 9").run();
    expect(
      (db.prepare('SELECT replay FROM fills WHERE rowid = 9').get() as { replay: string }).replay,
    ).toContain('\u001f1.002\u001f');
  });

  it('leaves the fills table as it was when the disk is too full to build it anew, and builds it once there is room', async () => {
    const db = await databaseBeforeReplayText();
    const rows = db.prepare('SELECT rowid, * FROM fills ORDER BY rowid').all();
    // No page beyond those in use: the new table cannot be written (SQLITE_FULL).
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    expect(() => migrate(db)).toThrow(/full/);
    expect(db.prepare('SELECT rowid, * FROM fills ORDER BY rowid').all()).toEqual(rows);
    const applied = () => db.prepare('SELECT version FROM schema_migrations').pluck().all();
    expect(applied()).not.toContain(120);
    db.pragma('max_page_count = 1073741823');
    expect(migrate(db).applied).toEqual(['0120_fill_replay_text.sql']);
    expect(applied()).toContain(120);
  });
});
