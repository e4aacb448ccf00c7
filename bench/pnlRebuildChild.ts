/**
 * Child process of the pnl benchmark: times cold rebuilds of the running PnL snapshot (see
 * `lib/rebuildTimes.ts`) under the heap flags it was started with, and prints them as JSON.
 * Arguments: database path, clock time (ms), number of rebuilds.
 */
import { rebuildTimes } from './lib/rebuildTimes.js';

const [path, now, count] = process.argv.slice(2);
if (path === undefined || now === undefined || count === undefined) {
  throw new Error('usage: pnlRebuildChild <database> <now ms> <rebuilds>');
}
process.stdout.write(JSON.stringify(rebuildTimes(path, Number(now), Number(count))));
