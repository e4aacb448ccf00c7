/**
 * A child process's CPU priority, lowered for work that should wait while the bot needs the CPU
 * (the simulator, a replay).
 */
import { getPriority, setPriority } from 'node:os';

/**
 * Sets the niceness of process `pid` (0 normal, 19 lowest) to `niceness`, unless this process's
 * own is that low already: a child starts at its parent's niceness, and taking it back up needs a
 * privilege that a bot started by `nice` or a service manager's `Nice=` does not have (EACCES).
 * Lowering a child of one's own needs none, so a failure here is a fault and throws.
 */
export function lowerPriority(pid: number, niceness: number): void {
  if (getPriority() >= niceness) return;
  setPriority(pid, niceness);
}
