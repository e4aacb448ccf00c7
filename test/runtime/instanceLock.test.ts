/**
 * One process per database, with real processes started as `npm start` does: a second one on
 * the same DATABASE_PATH refuses to start naming the first; after a kill -9 of the first, a new
 * one starts. Database start-up errors name the path and the variable.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants, getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockedError } from '../../src/persistence/instanceLock.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startMain(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const started: Started = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout.on('data', (d: Buffer) => (started.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (started.stderr += d.toString()));
  return started;
}

async function running(s: Started, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!s.stdout.includes('Autopilot is running')) {
    if (s.child.exitCode !== null) throw new Error(`exited ${s.child.exitCode}: ${s.stderr}`);
    if (Date.now() > until) throw new Error(`not running after ${timeoutMs} ms: ${s.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fields of `/proc/<pid>/stat` after the command name: [state, parent pid, …]; undefined when gone. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The simulator processes the bot `pid` started (zero config runs the simulator as its child). */
function simulatorChildren(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && procStat(Number(e))?.[1] === String(pid))
    .map(Number)
    .filter((child) => {
      try {
        return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('simulator/serve');
      } catch {
        return false;
      }
    });
}

/** Whether `pid` still runs (a zombie waiting for its reaper does not). */
const runs = (pid: number): boolean => {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
};

function tempEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-lock-'));
  return { DATABASE_PATH: join(dir, 'autopilot.db'), LOG_DIR: join(dir, 'logs'), HTTP_PORT: '0' };
}

describe('one instance per database', () => {
  it('a second process refuses to start naming the first; after kill -9 of the first a new one starts', async () => {
    const env = tempEnv();
    const first = startMain(env);
    await running(first);

    const second = startMain(env);
    const code = await second.exited;
    expect(code, second.stderr).not.toBe(0);
    expect(second.stderr).toContain(`already running on ${env.DATABASE_PATH} (DATABASE_PATH)`);
    expect(second.stderr).toMatch(new RegExp(`pid ${first.child.pid}, since \\d{4}-\\d\\d-\\d\\dT`));
    expect(second.stdout).not.toMatch(/Autopilot is running/);
    expect(first.child.exitCode, 'the first one runs on').toBeNull();

    const simulators = simulatorChildren(first.child.pid!);
    expect(simulators, 'zero config runs the simulator in one child process').toHaveLength(1);
    expect(getPriority(simulators[0]!), 'at below-normal priority: the bot comes first').toBe(
      constants.priority.PRIORITY_BELOW_NORMAL,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    // The simulator sees its channel to the bot close and ends: no orphan holding on.
    const until = Date.now() + 5_000;
    while (runs(simulators[0]!) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(runs(simulators[0]!), 'the simulator ended with its bot').toBe(false);
    const third = startMain(env);
    await running(third);
    third.child.kill('SIGINT');
    expect(await third.exited, third.stderr).toBe(0);
  }, 120_000);

  it('a database path that cannot be used is named with DATABASE_PATH', async () => {
    const env = tempEnv();
    const file = join(env.LOG_DIR!, '..', 'not-a-dir');
    writeFileSync(file, 'x');
    const bad = join(file, 'autopilot.db');
    const run = startMain({ ...env, DATABASE_PATH: bad });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain(`cannot use the database ${bad} (DATABASE_PATH)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('in one process: held until released, then free again', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'autopilot-lock-')), 'a.db');
    const lock = acquireInstanceLock(path, { pid: 4321, now: Date.UTC(2026, 0, 2, 3, 4, 5) });
    let refused: unknown;
    try {
      acquireInstanceLock(path);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InstanceLockedError);
    expect((refused as Error).message).toContain('pid 4321, since 2026-01-02T03:04:05.000Z');
    lock.release();
    acquireInstanceLock(path).release();
  });
});
