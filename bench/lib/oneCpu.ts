/**
 * Running a benchmark's child process on one CPU, as the bot runs on the owner's 1-vCPU server.
 * On a machine with more cores, V8's collector and optimising compiler work on other threads
 * beside the script; on one CPU they take turns with it, so a figure measured with every core
 * free can be well below what the owner sees.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The command and arguments that run a program on CPU `cpu` alone: `command args… node …`. */
export interface PinnedCpu {
  readonly ok: true;
  readonly command: string;
  readonly args: readonly string[];
  readonly cpu: number;
}

/** A {@link PinnedCpu}, or why pinning is not possible here. */
export type OneCpuPrefix = PinnedCpu | { readonly ok: false; readonly why: string };

/**
 * `taskset -c <cpu>` for the first CPU this process may run on (Linux only; `taskset` is part of
 * util-linux). Pinning affects only the child it starts, not the benchmark itself.
 */
export function oneCpuPrefix(): OneCpuPrefix {
  if (process.platform !== 'linux') return { ok: false, why: `not on Linux (${process.platform})` };
  let cpu: number;
  try {
    // "Cpus_allowed_list:\t0-1" or "0,2-3": the first one listed.
    const list = /^Cpus_allowed_list:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (list === null) return { ok: false, why: 'no Cpus_allowed_list in /proc/self/status' };
    cpu = Number(list[1]);
  } catch (error) {
    return { ok: false, why: `cannot read /proc/self/status: ${(error as Error).message}` };
  }
  try {
    execFileSync('taskset', ['-c', String(cpu), 'true'], { stdio: 'ignore' });
  } catch (error) {
    return { ok: false, why: `taskset cannot pin a process: ${(error as Error).message}` };
  }
  return { ok: true, command: 'taskset', args: ['-c', String(cpu)], cpu };
}

/**
 * The command and arguments that run this Node with `args`, on `pin`'s one CPU when given
 * (`taskset` then replaces itself with node, so the process started is node's).
 */
export function nodeCommand(
  args: readonly string[],
  pin?: PinnedCpu,
): { readonly command: string; readonly args: readonly string[] } {
  return pin === undefined
    ? { command: process.execPath, args }
    : { command: pin.command, args: [...pin.args, process.execPath, ...args] };
}
