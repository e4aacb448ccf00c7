/**
 * A full disk for 15 s, then freed: the whole bot on the built-in simulator with real timers
 * (SIM_SPEED 600, so an hour-long interval passes in 6 s). The disk is filled the way SQLite
 * sees a full disk: `PRAGMA max_page_count` set to the database's current size makes every write
 * that needs a new page fail with SQLITE_FULL ("database or disk is full"), the very error a
 * full file system gives; setting it back frees it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';

let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

const SPEED = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a full disk', () => {
  it('15 s of SQLITE_FULL: every job runs again within two of its intervals, nothing placed unrecorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autopilot-full-'));
    const lines: { level: number; msg: string; job?: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(JSON.parse(l) as never) });
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'autopilot.db'),
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      SIM_SPEED: String(SPEED),
    });
    const rt = await createRuntime({
      config,
      logger,
      input: new PassThrough(),
      output: new Writable({ write: (_c, _e, done) => done() }),
      simulator: { altcoins: 10 },
    });
    runtime = rt;
    await rt.start();
    await sleep(3_000);

    // Fill the disk: no page may be added from now on (VACUUM first, so no free page is left
    // inside the file for writes to reuse).
    rt.db.exec('VACUUM');
    const pages = rt.db.pragma('page_count', { simple: true }) as number;
    const free = rt.db.pragma('freelist_count', { simple: true }) as number;
    expect(free, 'no free pages left to write into').toBe(0);
    rt.db.pragma(`max_page_count = ${pages}`);
    await sleep(15_000);
    const failedWrites = lines.filter((l) => /could not record the start of a run/.test(l.msg)).length;
    rt.db.pragma('max_page_count = 1073741823');
    const freedAt = rt.clock.now();
    expect(failedWrites, 'the full disk was hit by job bookkeeping').toBeGreaterThan(0);

    // Every job comes back within two of its intervals (the daily ones: /healthz says they are not late).
    const health = () => rt.core.scheduler.health(rt.clock.now());
    const due = health().filter((j) => j.everyMs !== undefined && j.everyMs <= 60 * 60_000);
    const longest = Math.max(...due.map((j) => j.everyMs!));
    const until = Date.now() + (2 * longest) / SPEED + 3_000;
    const lagging = () =>
      health()
        .filter((j) => due.some((d) => d.id === j.id))
        .filter((j) => (j.lastRunAt ?? 0) <= freedAt)
        .map((j) => j.id);
    while (lagging().length > 0 && Date.now() < until) await sleep(200);
    expect(lagging(), 'jobs not run again within two intervals of the disk being freed').toEqual([]);
    expect(due.map((j) => j.id)).toEqual(
      expect.arrayContaining(['reconcile', 'orders.track', 'accumulate', 'take-profit', 'core-balance']),
    );
    const report = rt.health.health();
    // orders.track (10 simulated s) and orders.watch (2 simulated s) run every 17 and 3 wall ms at
    // this speed: below timer jitter, so lateness of jobs that short says nothing here.
    const belowJitter = new Set(
      health()
        .filter((j) => (j.everyMs ?? Infinity) / SPEED < 50)
        .map((j) => j.id),
    );
    expect(report.checks.jobs.stale.filter((id) => !belowJitter.has(id))).toEqual([]);
    expect(report.checks.jobs.stuck).toEqual([]);
    const recorded = rt.db
      .prepare(`SELECT COUNT(*) AS n FROM job_runs WHERE started_at > ? AND ended_at IS NOT NULL`)
      .get(freedAt) as { n: number };
    expect(recorded.n, 'runs are recorded again').toBeGreaterThan(0);

    // Nothing placed that is not recorded: every order the paper exchange accepted is in `orders`.
    const unrecorded = rt.db
      .prepare(
        `SELECT p.client_order_id AS id FROM paper_orders p
         LEFT JOIN orders o ON o.client_order_id = p.client_order_id WHERE o.client_order_id IS NULL`,
      )
      .all();
    expect(unrecorded).toEqual([]);
  }, 90_000);
});
