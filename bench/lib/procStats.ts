/**
 * Resident memory and CPU time of another process, read from Linux `/proc/<pid>/status` and
 * `/proc/<pid>/stat` (the footprint benchmark samples the bot's process once a second).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcSample {
  /** performance.now() of the sample. */
  readonly at: number;
  readonly rssBytes: number;
  /** The kernel's high-water mark of the resident set (VmHWM): the true peak between samples. */
  readonly peakRssBytes: number;
  /** User plus system CPU time since the process started. */
  readonly cpuSeconds: number;
  readonly threads: number;
}

/** VmRSS, VmHWM and Threads from the text of `/proc/<pid>/status`. */
export function parseProcStatus(text: string): { rssBytes: number; peakRssBytes: number; threads: number } {
  const kib = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
    if (!m) throw new Error(`/proc status has no ${name} line`);
    return Number(m[1]) * 1024;
  };
  const threads = /^Threads:\s+(\d+)$/m.exec(text);
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM'), threads: threads ? Number(threads[1]) : 0 };
}

/**
 * utime + stime in clock ticks from the text of `/proc/<pid>/stat`. The command name (field 2)
 * is in parentheses and may itself contain spaces and parentheses, so fields are counted from
 * the last `)`: utime and stime are fields 14 and 15.
 */
export function parseProcStatTicks(text: string): number {
  const end = text.lastIndexOf(')');
  if (end < 0) throw new Error('/proc stat has no command name');
  // After ") " come fields 3 (state), 4, …; field n is at index n - 3.
  const fields = text
    .slice(end + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('/proc stat has no utime/stime');
  return utime + stime;
}

/** Clock ticks per second for `/proc/<pid>/stat` (`getconf CLK_TCK`; 100 on every common Linux). */
export function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** One sample of `pid`; throws when the process is gone or `/proc` is missing (not Linux). */
export function readProcSample(pid: number, ticksPerSecond: number): ProcSample {
  const status = parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const ticks = parseProcStatTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return { at: performance.now(), ...status, cpuSeconds: ticks / ticksPerSecond };
}

/**
 * The processes whose parent is `pid` and whose command line contains `marker` (e.g. the
 * simulator's child of the bot), read from `/proc/<n>/stat` (field 4 is the parent's pid).
 */
export function childPids(pid: number, marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while /proc was read: it is not a child any more.
    }
  }
  return found;
}
