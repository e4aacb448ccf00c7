/**
 * `npm run bench [name…]`: runs the benchmarks (all by default), prints each table and writes
 * `bench/results/<name>.json`. Never part of `npm test`.
 */
import { formatTable, machine, writeResult, type BenchResult } from './lib/report.js';

type Bench = () => Promise<BenchResult>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  pnl: async () => (await import('./pnl.js')).runPnlBench,
  'scan-cost': async () => (await import('./scanCost.js')).runScanCostBench,
  footprint: async () => (await import('./footprint.js')).runFootprintBench,
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
  for (const name of names) {
    const started = Date.now();
    const bench = await BENCHES[name]!();
    const result = await bench();
    const path = writeResult(result);
    process.stdout.write(
      `${formatTable(result)}\n(${((Date.now() - started) / 1000).toFixed(1)} s; ${path})\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
