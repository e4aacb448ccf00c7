/**
 * A child's priority is only ever lowered: a bot already started below the niceness asked for
 * (by `nice`, or a service manager's `Nice=`) leaves its children at its own, where setting the
 * niceness asked for would raise them (refused without privilege: EACCES, and the simulator
 * would not start).
 */
import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** This test's own niceness: a test run may be niced already, and nothing here may raise it. */
const base = getPriority();

/** The niceness a child ends at when a process at `own` (or its parent's) lowers it to `asked`. */
function childNicenessFrom(own: number | undefined, asked: number): number {
  const script = `
    import { spawn } from 'node:child_process';
    import { getPriority, setPriority } from 'node:os';
    import { lowerPriority } from './src/common/childPriority.ts';
    ${own === undefined ? '' : `setPriority(${own});`}
    const child = spawn('sleep', ['5']);
    try {
      lowerPriority(child.pid, ${asked});
      process.stdout.write(String(getPriority(child.pid)));
    } finally {
      child.kill();
    }`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return Number(out);
}

describe('lowerPriority', () => {
  it('lowers a child of a process at normal priority to the niceness asked for', () => {
    const asked = Math.min(19, base + 5);
    expect(childNicenessFrom(undefined, asked)).toBe(asked);
  });

  it('leaves a child of a process already lower at its parent’s niceness, and does not throw', () => {
    const own = Math.min(19, base + 10);
    expect(childNicenessFrom(own, Math.min(19, base + 5))).toBe(own);
  });
});
