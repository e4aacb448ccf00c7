import { describe, expect, it } from 'vitest';
import { parseProcStatTicks, parseProcStatus } from '../../bench/lib/procStats.js';

const STATUS = [
  'Name:\tnode',
  'State:\tS (sleeping)',
  'VmPeak:\t 1234567 kB',
  'VmHWM:\t  524288 kB',
  'VmRSS:\t  380000 kB',
  'RssAnon:\t  300000 kB',
  'Threads:\t15',
].join('\n');

describe('parseProcStatus', () => {
  it('reads the resident set, its high-water mark and the thread count in bytes', () => {
    expect(parseProcStatus(STATUS)).toEqual({
      rssBytes: 380_000 * 1024,
      peakRssBytes: 524_288 * 1024,
      threads: 15,
    });
  });

  it('refuses a status without a resident set rather than reporting zero', () => {
    expect(() => parseProcStatus('Name:\tnode\nThreads:\t1'), 'VmRSS is required').toThrow(/VmRSS/);
  });
});

describe('parseProcStatTicks', () => {
  it('adds utime and stime (fields 14 and 15)', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const stat = '4186 (node) S 1 4186 4186 0 -1 4194304 100 0 0 0 1234 567 0 0 20 0 15 0';
    expect(parseProcStatTicks(stat)).toBe(1234 + 567);
  });

  it('counts fields from the last parenthesis, so a command name with spaces and ) cannot shift them', () => {
    const stat = '77 (my (odd) name) R 1 77 77 0 -1 0 5 0 0 0 40 2 0 0 20 0 1 0';
    expect(parseProcStatTicks(stat), 'utime 40 + stime 2').toBe(42);
  });

  it('throws on a truncated line', () => {
    expect(() => parseProcStatTicks('1 (x) S 1 2'), 'no utime/stime there').toThrow(/utime/);
  });
});
