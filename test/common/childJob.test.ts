/**
 * One job in a short-lived child process: the answer settles it, and a child that never answers,
 * ends first or cannot start rejects it, saying which process, and is gone afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runChildJob } from '../../src/common/childJob.js';
import { withChildThatCannotStart } from '../helpers/childCannotStart.js';

const dir = mkdtempSync(join(tmpdir(), 'autopilot-child-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Sibling modules of this (absent) file, plain JavaScript: the children need no loader.
const here = pathToFileURL(join(dir, 'starter.mjs')).href;

function childModule(name: string, body: string): string {
  writeFileSync(join(dir, `${name}.js`), body);
  return name;
}

/** Whether a process with this id still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Process ids the children reported, in order. */
const pids: number[] = [];
const job = (name: string, timeoutMs?: number, more: { silenceMs?: number; niceness?: number } = {}) =>
  runChildJob<number, { pid: number; doubled?: number }>({
    here,
    name,
    flags: [],
    process: 'the test process',
    job: { n: 21 },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...more,
    onMessage: (message, settle) => {
      pids.push(message.pid);
      if (message.doubled !== undefined) settle.resolve(message.doubled);
    },
  });
describe('runChildJob', () => {
  it('sends the job, resolves with the answer, and the child is gone', async () => {
    const name = childModule(
      'doubler',
      `process.once('message', (job) => process.send({ pid: process.pid, doubled: job.n * 2 }));`,
    );
    await expect(job(name)).resolves.toBe(42);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(pids.at(-1)!)).toBe(false);
  });

  it('rejects a child that does not answer in time, and kills it', async () => {
    const name = childModule(
      'silent',
      `process.send({ pid: process.pid }); process.once('message', () => setInterval(() => {}, 1000));`,
    );
    await expect(job(name, 1_500)).rejects.toThrow('the test process did not answer within 1.5 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(pids.at(-1)!)).toBe(false);
  });

  it('lets a child that keeps reporting run past its silence limit', async () => {
    const name = childModule(
      'reporter',
      `process.once('message', (job) => {
        const started = Date.now();
        const beat = setInterval(() => {
          if (Date.now() - started < 2_500) return process.send({ pid: process.pid });
          clearInterval(beat);
          process.send({ pid: process.pid, doubled: job.n * 2 });
        }, 100);
      });`,
    );
    const started = Date.now();
    // A silence limit well above the beat, so that a loaded test machine does not trip it.
    await expect(job(name, undefined, { silenceMs: 1_200 })).resolves.toBe(42);
    expect(Date.now() - started).toBeGreaterThan(2_500);
  });

  it('rejects a child that falls silent, and kills it', async () => {
    const name = childModule(
      'stuck',
      `process.once('message', () => {
        process.send({ pid: process.pid });
        setTimeout(() => { process.send({ pid: process.pid }); setInterval(() => {}, 1000); }, 400);
      });`,
    );
    const started = Date.now();
    await expect(job(name, undefined, { silenceMs: 700 })).rejects.toThrow(
      'the test process sent nothing for 0.7 s',
    );
    // The second message restarted the wait: it ended about 0.7 s after it, not after the first.
    expect(Date.now() - started).toBeGreaterThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(pids.at(-1)!)).toBe(false);
  });

  it('runs the child at the niceness asked for', async () => {
    const name = childModule(
      'niced',
      `import { getPriority } from 'node:os';
      process.once('message', () => process.send({ pid: process.pid, doubled: getPriority() }));`,
    );
    // Relative to this process's own, which a test runner may already have lowered.
    const own = getPriority();
    const lower = Math.min(19, own + 5);
    await expect(job(name, undefined, { niceness: lower })).resolves.toBe(lower);
    await expect(job(name)).resolves.toBe(own);
  });

  it('rejects a child that ends before answering, with how it ended', async () => {
    const name = childModule('quitter', `process.once('message', () => process.exit(7));`);
    await expect(job(name)).rejects.toThrow('the test process ended (exit code 7) before answering');
  });

  it('rejects when the child cannot start, and this process goes on', async () => {
    const name = childModule('unreached', `process.exit(0);`);
    await expect(withChildThatCannotStart(() => job(name))).rejects.toThrow(
      /^the test process failed: .*ENOENT/,
    );
    // The job's send fails too, a moment later; had it been unheard, this process would have ended.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it('rejects with the error of a handler that throws, and this process goes on', async () => {
    const name = childModule(
      'chatty',
      `process.once('message', () => process.send({ pid: process.pid, doubled: 1 }));`,
    );
    const run = runChildJob<number, { pid: number }>({
      here,
      name,
      flags: [],
      process: 'the test process',
      job: {},
      onMessage: () => {
        throw new Error('the handler broke');
      },
    });
    await expect(run).rejects.toThrow('the handler broke');
  });
});
