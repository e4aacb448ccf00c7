/**
 * The replay's child process answers failures as errors of the promise: a job it cannot run
 * rejects with the child's own reason, and the bot's process is left as it was. The successful
 * path (both columns, the chart) is the what-if test's (`test/replay/whatIf.test.ts`).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runReplaysInChild } from '../../src/runtime/replayProcess.js';
import type { ReplaySpec } from '../../src/replay/replaySpec.js';
import { withChildThatCannotStart } from '../helpers/childCannotStart.js';

const HOUR = 3_600_000;

/** The nice values of this process's replay children now (Linux: `/proc/<pid>/stat`). */
function replayChildNiceness(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let command: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // After the command's closing parenthesis: state, ppid, … with nice the 17th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid && command.includes('replayChild')) found.push(Number(fields[16]));
  }
  return found;
}

describe('runReplaysInChild', () => {
  it('rejects with the child’s reason when the candle store cannot be opened, and reports no progress', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'autopilot-replay-')), 'absent.db');
    const progress: number[] = [];
    const spec = { fromMs: 10 * HOUR, toMs: 20 * HOUR, settings: {} } as unknown as ReplaySpec;
    await expect(
      runReplaysInChild({ specs: [spec], candles: missing }, (_i, fraction) => progress.push(fraction)),
    ).rejects.toThrow(/^replay failed: .*(unable to open|does not exist)/is);
    expect(progress).toEqual([]);
  });

  it('opens an in-memory database sent as its image, and answers what it lacks', async () => {
    // An image of an empty database crosses to the child as bytes and opens there; it has no
    // candle table, and the child says so.
    const image = new Database(':memory:').serialize();
    const spec = { fromMs: 10 * HOUR, toMs: 20 * HOUR, settings: {} } as unknown as ReplaySpec;
    await expect(runReplaysInChild({ specs: [spec], candles: image })).rejects.toThrow(
      /^replay failed: .*no such table/s,
    );
  });

  it.runIf(process.platform === 'linux')('runs the replay at a lower CPU priority than the bot', async () => {
    const image = new Database(':memory:').serialize();
    const spec = { fromMs: 10 * HOUR, toMs: 20 * HOUR, settings: {} } as unknown as ReplaySpec;
    const seen = new Set<number>();
    const watch = setInterval(() => replayChildNiceness().forEach((n) => seen.add(n)), 5);
    await expect(runReplaysInChild({ specs: [spec], candles: image })).rejects.toThrow(/no such table/);
    clearInterval(watch);
    // Nice 10, or this process's own if a test runner set it lower still (a child cannot be raised).
    expect([...seen]).toEqual([Math.max(10, getPriority())]);
  });

  it('rejects when the child cannot start, and the bot goes on', async () => {
    const image = new Database(':memory:').serialize();
    const spec = { fromMs: 10 * HOUR, toMs: 20 * HOUR, settings: {} } as unknown as ReplaySpec;
    const replay = withChildThatCannotStart(() => runReplaysInChild({ specs: [spec], candles: image }));
    await expect(replay).rejects.toThrow(/^the replay process failed: .*ENOENT/);
    // The job's send fails too, a moment later; had it been unheard, this process would have ended.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
