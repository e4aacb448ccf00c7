/**
 * Child process of the benchmarks measured under `npm start`'s flags (see
 * `lib/underStartFlags.ts`): runs the measurement named by its first argument and writes the
 * result as JSON to the file named by its second.
 */
import { writeFileSync } from 'node:fs';
import type { ChildMeasurement } from './lib/underStartFlags.js';
import type { BenchResult } from './lib/report.js';

const MEASUREMENTS: Record<ChildMeasurement, () => Promise<BenchResult>> = {
  'chat-latency': async () => (await import('./chatLatency.js')).measureChatLatency(),
  'scan-block': async () => (await import('./scanBlock.js')).measureScanBlock(),
  whatif: async () => (await import('./whatIf.js')).measureWhatIf(),
};

const [name, out] = process.argv.slice(2);
if (name === undefined || out === undefined || !(name in MEASUREMENTS)) {
  throw new Error(`usage: benchChild <${Object.keys(MEASUREMENTS).join('|')}> <result file>`);
}
const result = await MEASUREMENTS[name as ChildMeasurement]();
writeFileSync(out, JSON.stringify(result));
// Every session was closed; a handle a library left open must not keep the benchmark waiting.
process.exit(0);
