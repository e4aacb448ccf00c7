/**
 * Child process of the pnl benchmark: times cold rebuilds of the running PnL snapshot (see
 * `lib/rebuildTimes.ts`) under the V8 flags it was started with, then the machine's speed
 * (`lib/speedProbe.ts`, after the rebuilds so it does not warm them), and prints them as JSON.
 * Arguments: database path, clock time (ms), number of rebuilds.
 */
import { rebuildTimes } from './lib/rebuildTimes.js';
import { speedProbe } from './lib/speedProbe.js';

const [path, now, count] = process.argv.slice(2);
if (path === undefined || now === undefined || count === undefined) {
  throw new Error('usage: pnlRebuildChild <database> <now ms> <rebuilds>');
}
const times = rebuildTimes(path, Number(now), Number(count));
process.stdout.write(JSON.stringify({ ...times, probe: speedProbe() }));
