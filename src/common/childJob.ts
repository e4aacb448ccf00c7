/**
 * One job in a short-lived child process: the process is started, sent the job, heard until it
 * answers, and gone afterwards. The charts and the replays run this way, so that their memory
 * (vega and resvg's native allocations, a replay's heap) leaves with the process and its V8 flags
 * are its own.
 */
import { fork, type Serializable } from 'node:child_process';
import { siblingEntry } from './childEntry.js';
import { lowerPriority } from './childPriority.js';

/** How a child's message ends the job, if it does: with a result or an error. */
export interface ChildJobSettle<T> {
  readonly resolve: (result: T) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Runs the sibling module `name` of `here` (see {@link siblingEntry}) with the node `flags`, sends
 * it `job` and hands every message it sends to `onMessage` until that settles the job; then the
 * process is killed if it has not exited. Rejects, saying which `process` (e.g. `the chart
 * process`), when it cannot start, ends first, takes longer than `timeoutMs`, or sends nothing for
 * `silenceMs` (a job that reports progress as it goes: stuck, however long it may take in all).
 *
 * `niceness` (1–19) lowers the child's CPU priority (see {@link lowerPriority}): on a one-CPU
 * server a job of seconds of CPU then runs when the bot has nothing to do instead of taking turns
 * with it, so the chat and the strategies stay as quick as without it.
 */
export function runChildJob<T, M>(o: {
  readonly here: string;
  readonly name: string;
  readonly flags: readonly string[];
  readonly process: string;
  readonly job: Serializable;
  readonly timeoutMs?: number;
  readonly silenceMs?: number;
  readonly niceness?: number;
  readonly onMessage: (message: M, settle: ChildJobSettle<T>) => void;
}): Promise<T> {
  const entry = siblingEntry(o.here, o.name);
  const child = fork(entry.path, [], {
    execArgv: [...entry.execArgv, ...o.flags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clone: bytes cross as bytes (a database image, a picture), objects as built.
    serialization: 'advanced',
  });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let silence: NodeJS.Timeout | undefined;
    const end = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(silence);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      finish();
    };
    const settle: ChildJobSettle<T> = {
      resolve: (result) => end(() => resolve(result)),
      reject: (error) => end(() => reject(error)),
    };
    const timer =
      o.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => settle.reject(new Error(`${o.process} did not answer within ${o.timeoutMs! / 1000} s`)),
            o.timeoutMs,
          );
    // Every message restarts the wait for the next one.
    const listen = () => {
      if (settled || o.silenceMs === undefined) return;
      clearTimeout(silence);
      silence = setTimeout(
        () => settle.reject(new Error(`${o.process} sent nothing for ${o.silenceMs! / 1000} s`)),
        o.silenceMs,
      );
    };
    listen();
    // A process that could not start (no memory, too many processes) reports it here, and the job
    // sent to it fails again: every error is listened for, or the second would end the bot.
    const failed = (error: Error | null) => {
      if (error) settle.reject(new Error(`${o.process} failed: ${error.message}`, { cause: error }));
    };
    child.on('error', failed);
    child.on('message', (message: M) => {
      listen();
      // A fault in the caller's handling ends this job, not the bot (an emitter's listener that
      // throws would be an uncaught exception).
      try {
        o.onMessage(message, settle);
      } catch (error) {
        settle.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code, signal) =>
      settle.reject(
        new Error(`${o.process} ended (${signal ?? `exit code ${String(code)}`}) before answering`),
      ),
    );
    if (o.niceness !== undefined && child.pid !== undefined) {
      try {
        lowerPriority(child.pid, o.niceness);
      } catch (error) {
        failed(error as Error);
        return;
      }
    }
    child.send(o.job, failed);
  });
}
