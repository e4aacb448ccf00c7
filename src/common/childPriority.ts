/**
 * A child process's CPU priority, lowered for work that should wait while the bot needs the CPU
 * (the simulator, a replay).
 */
import { constants, getPriority, setPriority } from 'node:os';

/**
 * The niceness of the bot's background children (the zero-config simulator, the what-if and
 * backtest replays): below normal, not the lowest. On one CPU they run when the bot's loops and
 * chat have nothing to do, and while the bot is busy for seconds they still get about a tenth of
 * the core (CFS weights 1024 against 110), so the simulator's streams and answers go on.
 */
export const BACKGROUND_NICENESS = constants.priority.PRIORITY_BELOW_NORMAL;

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
