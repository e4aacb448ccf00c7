import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `src/main.ts` as `npm start` does, optionally sending SIGINT once `readyText` is printed. */
function runMain(env: Record<string, string>, readyText?: string, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (readyText && !signalled && stdout.includes(readyText)) {
        signalled = true;
        // Let the console chat answer what was typed before stopping.
        setTimeout(() => child.kill('SIGINT'), 1_500);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

function tempEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-main-'));
  return { DATABASE_PATH: join(dir, 'autopilot.db'), LOG_DIR: join(dir, 'logs'), HTTP_PORT: '0' };
}

describe('npm start (src/main.ts)', () => {
  it('starts with no configuration, answers in the terminal, applies migrations and stops cleanly on SIGINT', async () => {
    const env = tempEnv();
    const run = await runMain(env, 'Autopilot is running', '/status\n');
    expect(run.code, `exit code; stderr: ${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/built-in simulated MEXC market/);
    expect(run.stdout).toMatch(/paper trading/);
    expect(run.stdout, 'the console chat answered /status').toMatch(/paper on simulator/);
    expect(run.stdout).toMatch(/Autopilot stopped\./);
    expect(run.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
    expect(existsSync(env.DATABASE_PATH!)).toBe(true);
    const db = new Database(env.DATABASE_PATH!, { readonly: true });
    const applied = db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number };
    db.close();
    expect(applied.n).toBeGreaterThan(0);
  });

  it('refuses TRADING_MODE=bogus with a message naming the variable, and exits non-zero', async () => {
    const run = await runMain({ ...tempEnv(), TRADING_MODE: 'bogus' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TRADING_MODE \("bogus"\)/);
    expect(run.stderr).toMatch(/example: TRADING_MODE=paper/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses TRADING_MODE=live without keys, naming each missing variable', async () => {
    const run = await runMain({ ...tempEnv(), TRADING_MODE: 'live' });
    expect(run.code).toBe(2);
    for (const name of ['MEXC_API_KEY', 'MEXC_API_SECRET', 'LIVE_TRADING_ACK', 'EXCHANGE']) {
      expect(run.stderr).toContain(name);
    }
  });
});
