/**
 * Production runs the compiled JavaScript: `npm start` builds `dist/` with esbuild and runs
 * `dist/main.js` with plain node (no tsx). This builds exactly as `npm start` does and starts the
 * built bot with zero configuration, as a fresh clone would.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ReplaySpec } from '../../src/replay/replaySpec.js';
import type { runReplaysInChild } from '../../src/runtime/replayProcess.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start (compiled)', () => {
  it('npm start builds dist/ and runs it with node alone; the built bot starts with zero configuration', async () => {
    const start = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts.start!;
    expect(start, 'builds first, then runs the compiled entry point').toMatch(
      /^node scripts\/build\.mjs && ([A-Z_]+=\d+ )*exec node (--[\w-]+(=\d+)? )*dist\/main\.js$/,
    );
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    expect(existsSync(join(ROOT, 'dist/main.js'))).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'autopilot-built-'));
    const args = [...start.matchAll(/--[\w-]+(=\d+)?/g)].map((m) => m[0]);
    const child = spawn(process.execPath, [...args, 'dist/main.js'], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries([...start.matchAll(/\b([A-Z_]+)=(\d+) /g)].map((m) => [m[1]!, m[2]!])),
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_PATH: join(dir, 'autopilot.db'),
        LOG_DIR: join(dir, 'logs'),
        HTTP_PORT: '0',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && stdout.includes('Autopilot is running')) {
        signalled = true;
        // Let the console chat answer what was typed before stopping.
        setTimeout(() => child.kill('SIGINT'), 1_500);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end('/status\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(guard);
    expect(code, `exit code; stderr: ${stderr}`).toBe(0);
    expect(stdout).toMatch(/built-in simulated MEXC market/);
    expect(stdout, 'the console chat answered /status').toMatch(/paper on simulator/);
    expect(stdout).toMatch(/Autopilot stopped\./);
  }, 90_000);

  it('runs a replay in the compiled child process with node alone (what /whatif and npm run backtest start)', async () => {
    // Built by the test above. An empty database's image crosses to the child, which opens it
    // and answers that it has no candles: the compiled entry was found and ran without tsx.
    const built = (await import(pathToFileURL(join(ROOT, 'dist/runtime/replayProcess.js')).href)) as {
      runReplaysInChild: typeof runReplaysInChild;
    };
    const image = new Database(':memory:').serialize();
    const spec = { fromMs: 10 * 3_600_000, toMs: 20 * 3_600_000, settings: {} } as unknown as ReplaySpec;
    await expect(built.runReplaysInChild({ specs: [spec], candles: image })).rejects.toThrow(
      /^replay failed: .*no such table/s,
    );
  }, 30_000);
});
