/**
 * The replay's child process answers failures as errors of the promise: a job it cannot run
 * rejects with the child's own reason, and the bot's process is left as it was. The successful
 * path (both columns, the chart) is the what-if test's (`test/replay/whatIf.test.ts`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runReplaysInChild } from '../../src/runtime/replayProcess.js';
import type { ReplaySpec } from '../../src/replay/replaySpec.js';
import { withChildThatCannotStart } from '../helpers/childCannotStart.js';

const HOUR = 3_600_000;

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

  it('rejects when the child cannot start, and the bot goes on', async () => {
    const image = new Database(':memory:').serialize();
    const spec = { fromMs: 10 * HOUR, toMs: 20 * HOUR, settings: {} } as unknown as ReplaySpec;
    const replay = withChildThatCannotStart(() => runReplaysInChild({ specs: [spec], candles: image }));
    await expect(replay).rejects.toThrow(/^the replay process failed: .*ENOENT/);
    // The job's send fails too, a moment later; had it been unheard, this process would have ended.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
