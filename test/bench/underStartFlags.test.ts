/**
 * The benchmarks measured as the bot is started: the child runs with exactly `npm start`'s V8
 * flags and environment, its result comes back with a description that names them, and a child
 * that fails fails the benchmark.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../bench/lib/startCommand.js';
import { underStartFlags } from '../../bench/lib/underStartFlags.js';

const dir = mkdtempSync(join(tmpdir(), 'autopilot-start-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for `bench/benchChild.ts` that reports how it was started. */
function child(body: string): string {
  const path = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(path, body);
  return path;
}

describe('underStartFlags', () => {
  it('runs the measurement with npm start’s flags and environment and names them in the description', async () => {
    const reporter = child(`
      import { writeFileSync } from 'node:fs';
      import v8 from 'node:v8';
      const [name, out] = process.argv.slice(2);
      const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      writeFileSync(out, JSON.stringify({
        name, description: 'stand-in', columns: [], rows: [],
        summary: { execArgv: process.execArgv.join(' '), arena: process.env.MALLOC_ARENA_MAX ?? '',
          newSpaceMiB: String(newSpace.space_size / 1048576) },
      }));
    `);
    const result = await underStartFlags('whatif', reporter);
    const start = startCommand();
    expect(result.name).toBe('whatif');
    expect(result.summary!.execArgv).toBe([...start.flags, '--import', 'tsx'].join(' '));
    expect(result.summary!.arena).toBe(start.env.MALLOC_ARENA_MAX);
    // The 1 MiB semi-space took effect: new space is two semi-spaces, not V8's default 16 MiB ones.
    expect(Number(result.summary!.newSpaceMiB)).toBeLessThanOrEqual(2);
    expect(result.description).toBe(
      `stand-in; measured in a process run as node ${start.flags.join(' ')}, as npm start runs the bot`,
    );
  });

  it('fails when the child fails, with its exit code', async () => {
    const failing = child(`process.exit(3);`);
    await expect(underStartFlags('scan-block', failing)).rejects.toThrow(
      'scan-block child failed (exit code 3)',
    );
  });
});
