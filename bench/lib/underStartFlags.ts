/**
 * Runs a benchmark's measurement in a child process started as `npm start` starts the bot: with
 * its V8 flags (heap limits, inlining budget) and environment. The benchmarks run under tsx with
 * V8's defaults (a 16 MiB young generation, parallel scavenges, the full inlining budget), and a
 * bot measured there collects and compiles differently from the one the owner runs, and answered
 * faster. The measurement itself is registered in `bench/benchChild.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeCommand } from './oneCpu.js';
import type { BenchResult } from './report.js';
import { startCommand } from './startCommand.js';

/** The measurements `bench/benchChild.ts` can run. */
export type ChildMeasurement = 'chat-latency' | 'scan-block' | 'whatif';

const CHILD = fileURLToPath(new URL('../benchChild.ts', import.meta.url));

/**
 * The result of `measurement` measured in a child process with `npm start`'s flags; its
 * description says which. Its output goes to this process's terminal. `child` is the script the
 * child runs (`bench/benchChild.ts`; tests give one of their own), called with the measurement's
 * name and the file to write the result to.
 */
export async function underStartFlags(
  measurement: ChildMeasurement,
  child: string = CHILD,
): Promise<BenchResult> {
  const start = startCommand();
  const dir = mkdtempSync(join(tmpdir(), `autopilot-${measurement}-`));
  const out = join(dir, 'result.json');
  try {
    const node = nodeCommand([...start.flags, '--import', 'tsx', child, measurement, out]);
    const run = spawnSync(node.command, node.args, {
      env: { ...process.env, ...start.env },
      stdio: 'inherit',
    });
    if (run.status !== 0) {
      throw new Error(`${measurement} child failed (${run.signal ?? `exit code ${String(run.status)}`})`);
    }
    const result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    return {
      ...result,
      description: `${result.description}; measured in a process run as node ${start.flags.join(' ')}, as npm start runs the bot`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
