/**
 * `npm run bench [name…]`: runs the benchmarks (all by default), prints each table and writes
 * `bench/results/<name>.json`. Never part of `npm test`.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  RESULTS_DIR,
  formatTable,
  machine,
  writeResult,
  type BenchResult,
  type TargetCheck,
} from './lib/report.js';

type Bench = () => Promise<BenchResult>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  pnl: async () => (await import('./pnl.js')).runPnlBench,
  'scan-cost': async () => (await import('./scanCost.js')).runScanCostBench,
  footprint: async () => (await import('./footprint.js')).runFootprintBench,
  'footprint-mexc': async () => {
    const { runFootprintBench } = await import('./footprint.js');
    return () => runFootprintBench({ external: true });
  },
  'chat-latency': async () => (await import('./chatLatency.js')).runChatLatencyBench,
  'scan-block': async () => (await import('./scanBlock.js')).runScanBlockBench,
  startup: async () => (await import('./startup.js')).runStartupBench,
  backtest: async () => (await import('./backtest.js')).runBacktestBench,
  whatif: async () => (await import('./whatIf.js')).runWhatIfBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`machine: ${JSON.stringify(machine())}\n\n`);
  const fresh = new Map<string, BenchResult>();
  for (const name of names) {
    const started = Date.now();
    const bench = await BENCHES[name]!();
    const result = await bench();
    const path = writeResult(result);
    fresh.set(name, result);
    process.stdout.write(
      `${formatTable(result)}\n(${((Date.now() - started) / 1000).toFixed(1)} s; ${path})\n\n`,
    );
  }
  process.stdout.write(`${formatTable(targetSummary(fresh))}\n`);
}

/** A saved result as `writeResult` wrote it: the result plus where and when it ran. */
interface SavedResult extends BenchResult {
  readonly machine?: Record<string, string | number>;
  readonly at?: string;
}

/**
 * Every target of every benchmark next to its figure: those of this run first, then those of
 * benchmarks not run now from their last saved result, each row saying which run it comes from
 * (so a partial run never passes an old figure off as new).
 */
function targetSummary(fresh: ReadonlyMap<string, BenchResult>): BenchResult {
  const here = machine();
  const rows: Array<Record<string, string>> = [];
  const add = (bench: string, checks: readonly TargetCheck[], run: string) => {
    for (const c of checks) {
      rows.push({
        benchmark: bench,
        figure: c.figure,
        measured: c.measured,
        target: c.target,
        met: c.met ? 'yes' : 'NO',
        run,
      });
    }
  };
  for (const [name, result] of fresh) add(name, result.targets ?? [], 'this run');
  for (const name of Object.keys(BENCHES)) {
    if (fresh.has(name)) continue;
    const path = `${RESULTS_DIR}${name}.json`;
    if (!existsSync(path)) continue;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedResult;
    const where =
      saved.machine && JSON.stringify(saved.machine) !== JSON.stringify(here)
        ? ` on ${String(saved.machine.cpu)} × ${String(saved.machine.cores)}`
        : '';
    add(name, saved.targets ?? [], `earlier: ${saved.at?.slice(0, 16).replace('T', ' ') ?? '?'} UTC${where}`);
  }
  const met = rows.filter((r) => r.met === 'yes').length;
  return {
    name: 'summary',
    description: `every target next to its figure; machine ${here.cpu} × ${here.cores} cores, ${here.memoryGiB} GiB, Node ${here.node}, ${here.platform}`,
    columns: ['benchmark', 'figure', 'measured', 'target', 'met', 'run'],
    rows,
    summary: { 'targets met': `${met} of ${rows.length}` },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
