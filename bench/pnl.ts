/**
 * pnl: time to compute positions and realised PnL from 10 000 and 100 000 fills, with a
 * realistic mix: BTC/ETH on USDC, a few hundred altcoins on USDT, fees in the quote asset and
 * occasionally in MX, and periodic partial sells.
 *
 * Two parts: the replay alone on fills held in memory (decimal.js fills converted to the replay's
 * exact bigint decimals, then replayed), and the real path: the
 * fills stored in SQLite with their prices, the running snapshot rebuilt cold, the whole bot built
 * over that database, and `/pnl`'s data asked for after new fills (see {@link realPathRows}).
 * The cold rebuild at start is timed in fresh processes twice: with the machine's cores free, and
 * pinned to one CPU as on the owner's 1-vCPU server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { loadConfig } from '../src/config/config.js';
import { dec, type Decimal } from '../src/domain/money.js';
import { costAssetOf, makeToCostAsset } from '../src/domain/portfolio/conversion.js';
import { positionsFromFills, type PositionFill } from '../src/domain/portfolio/positions.js';
import { realisedPnlByPeriod } from '../src/domain/portfolio/realisedPnl.js';
import { FillRepository } from '../src/persistence/FillRepository.js';
import { openDatabase } from '../src/persistence/db.js';
import { migrate } from '../src/persistence/migrate.js';
import { createRuntime } from '../src/runtime/createRuntime.js';
import { silentLogger } from '../src/common/logger.js';
import { nodeCommand, oneCpuPrefix, type PinnedCpu } from './lib/oneCpu.js';
import { atMost, percentile, type BenchResult } from './lib/report.js';
import { rebuildTimes, type RebuildTimes } from './lib/rebuildTimes.js';
import { startCommand } from './lib/startCommand.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.UTC(2026, 0, 1);

/** Synthetic fills; random draws pick sizes and prices from fixed decimal grids (strings), never float money. */
export function syntheticFills(count: number, seed = 1): PositionFill[] {
  const rnd = mulberry32(seed);
  const alts = Array.from({ length: 300 }, (_, i) => `ALT${i}`);
  const fills: PositionFill[] = [];
  for (let i = 0; i < count; i++) {
    const core = rnd() < 0.3;
    const base = core ? (rnd() < 0.5 ? 'BTC' : 'ETH') : alts[Math.floor(rnd() * alts.length)]!;
    const quote = core ? 'USDC' : 'USDT';
    const side = rnd() < 0.65 ? 'BUY' : 'SELL';
    const priceCents = core
      ? (base === 'BTC' ? 6_000_000 : 300_000) + Math.floor(rnd() * 50_000)
      : 1 + Math.floor(rnd() * 10_000);
    const price = dec(priceCents).div(100);
    const qty = dec(1 + Math.floor(rnd() * 1000)).div(core ? 100_000 : 10);
    const quoteQty = price.times(qty);
    const mx = rnd() < 0.05;
    fills.push({
      symbol: `${base}${quote}`,
      baseAsset: base,
      quoteAsset: quote,
      tradeId: String(i + 1),
      orderId: `o${i + 1}`,
      side,
      price,
      qty,
      quoteQty,
      commission: mx ? dec('0.01') : quoteQty.times('0.0005'),
      commissionAsset: mx ? 'MX' : quote,
      time: T0 + i * 60_000,
      isMaker: false,
    });
  }
  return fills;
}

function timeIt(fn: () => void, repeats: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

function fmt(ms: string | number | undefined): string {
  return Number(ms).toFixed(Number(ms) < 10 ? 2 : 0);
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Every synthetic fill's prices, as the fill-price job records them (USDCUSDT, MX for MX fees). */
function pricesOf(fills: readonly PositionFill[]) {
  return fills.map((f) => ({
    symbol: f.symbol,
    tradeId: f.tradeId,
    prices: {
      usdcUsdt: dec('0.9995'),
      ...(f.commissionAsset === 'MX' ? { feePrice: dec('2.5'), feeQuote: 'USDT' } : {}),
      source: 'kline' as const,
    },
  }));
}

/** Rebuilds timed one after another in this process (the later ones with the code optimised). */
const REBUILDS = 5;

/** Fresh processes, each timing the one rebuild a start makes. */
const STARTS = 3;

/** The child process of {@link rebuildsAtStart}, built by esbuild as production code is. */
function rebuildChild(): string {
  // Inside the repository, so the bundle's packages resolve from its node_modules.
  const entry = fileURLToPath(
    new URL('../node_modules/.cache/autopilot-bench/pnlRebuildChild.mjs', import.meta.url),
  );
  buildSync({
    entryPoints: [fileURLToPath(new URL('./pnlRebuildChild.ts', import.meta.url))],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: entry,
    logLevel: 'warning',
  });
  return entry;
}

/** Rebuild times of the fresh processes of {@link rebuildsAtStart}, with the speed probe of each. */
type StartTimes = RebuildTimes & { readonly probe: number[] };

/**
 * The rebuild a start makes: the first one of a fresh process started as `npm start` starts the
 * bot (its V8 flags and environment), the code compiled by esbuild as for production. Nothing
 * is optimised yet and the heap is small, so it costs well more than the rebuilds that follow it
 * in one process; one per process, {@link STARTS} processes. With `pin`, each process runs on
 * one CPU (see `lib/oneCpu.ts`).
 */
function rebuildsAtStart(entry: string, path: string, now: number, pin?: PinnedCpu): StartTimes {
  const start = startCommand();
  const times = { wall: [] as number[], cpu: [] as number[], probe: [] as number[] };
  const run = nodeCommand([...start.flags, entry, path, String(now), '1'], pin);
  for (let i = 0; i < STARTS; i++) {
    const out = execFileSync(run.command, run.args, {
      env: { ...process.env, ...start.env },
      encoding: 'utf8',
    });
    const one = JSON.parse(out) as RebuildTimes & { readonly probe: number };
    times.wall.push(...one.wall);
    times.cpu.push(...one.cpu);
    times.probe.push(one.probe);
  }
  return times;
}

/** Each process's rebuild and speed probe, `rebuild / probe` in ms. */
function eachStart(times: StartTimes): string {
  return times.wall.map((w, i) => `${w.toFixed(0)} / ${times.probe[i]!.toFixed(0)}`).join(', ');
}

/** New fills applied one by one after the history, each then priced. */
const NEW_FILLS = 20;

/**
 * The real path: `count` priced fills in SQLite. First the cold rebuild of the running snapshot
 * alone (every fill replayed, compared with the stored copy, stored). Then the whole bot built
 * over that database (`createRuntime`, built-in simulator, no timers) and `/pnl`'s data
 * (`AppService.getPnl`) asked for cold, again, after each of 20 new fills recorded through the
 * bot's own ledger, and after each of those fills' prices are recorded.
 */
async function realPathRows(count: number): Promise<Array<Record<string, string | number>>> {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-pnl-'));
  const path = join(dir, 'autopilot.db');
  try {
    const seedDb = openDatabase(path);
    migrate(seedDb);
    const seedRepo = new FillRepository({
      db: seedDb,
      clock: { now: () => Date.now() },
      assetsOf: () => undefined,
    });
    // Only the new fills stay in memory: the history lives in SQLite, as it does for the bot.
    const newFills = (() => {
      const fills = syntheticFills(count + NEW_FILLS);
      seedRepo.insertFills(fills.slice(0, count));
      seedRepo.recordPrices(pricesOf(fills.slice(0, count)));
      return fills.slice(count);
    })();
    seedDb.close();
    // The clock just after the newest fill, as for an owner whose bot trades to this day: the
    // realisations of the last days stay in memory (at 1 fill a minute, 31 days are 45 % of them).
    const now = T0 + count * 60_000;
    const { wall: rebuild, cpu: rebuildCpu } = rebuildTimes(path, now, REBUILDS);
    const child = rebuildChild();
    const atStart = rebuildsAtStart(child, path, now);
    const pin = oneCpuPrefix();
    // Where this machine cannot pin a process, the reason instead of the figures (the target then
    // reads unmet, its figure missing).
    let onOneCpu: Record<string, string | number>;
    if (!pin.ok) {
      onOneCpu = { 'on one CPU: not measured': pin.why };
    } else {
      const times = rebuildsAtStart(child, path, now, pin);
      onOneCpu = {
        'on one CPU: the CPU': pin.cpu,
        'on one CPU: cold rebuild at start p50 ms': percentile(times.wall, 50),
        'on one CPU: each start: rebuild / speed probe ms': eachStart(times),
      };
    }

    const config = loadConfig({
      EXCHANGE: 'simulator',
      TRADING_MODE: 'paper',
      SIM_SPEED: '1',
      SIM_SEED: '1',
      DATABASE_PATH: path,
      LOG_DIR: join(dir, 'logs'),
      HTTP_PORT: '0',
    });
    const runtime = await createRuntime({ config, logger: silentLogger(), timers: false });
    try {
      const pnl = () => runtime.app.getPnl();
      const cold = await timeAsync(pnl);
      const warm: number[] = [];
      for (let i = 0; i < 5; i++) warm.push(await timeAsync(pnl));
      const afterFill: number[] = [];
      const afterFillCpu: number[] = [];
      const afterPrices: number[] = [];
      for (const fresh of newFills) {
        runtime.fills.insertFills([fresh]);
        const cpu = process.cpuUsage();
        afterFill.push(await timeAsync(pnl));
        const used = process.cpuUsage(cpu);
        afterFillCpu.push((used.user + used.system) / 1000);
        runtime.fills.recordPrices(pricesOf([fresh]));
        afterPrices.push(await timeAsync(pnl));
      }
      const view = await pnl();
      return [
        {
          path: `SQLite ${count} fills → bot → /pnl data`,
          'cold rebuild at start p50 ms': percentile(atStart.wall, 50),
          'cold rebuild at start max ms': Math.max(...atStart.wall),
          'cold rebuild at start CPU p50 ms': percentile(atStart.cpu, 50),
          'speed probe p50 ms': percentile(atStart.probe, 50),
          'each start: rebuild / speed probe ms': eachStart(atStart),
          ...onOneCpu,
          'rebuilds in one process, first ms': rebuild[0]!,
          'rebuilds in one process, later p50 ms': percentile(rebuild.slice(1), 50),
          'rebuilds in one process, later CPU p50 ms': percentile(rebuildCpu.slice(1), 50),
          'first /pnl ms': cold,
          'again p50 ms': percentile(warm, 50),
          'after a new fill p50 ms': percentile(afterFill, 50),
          'after a new fill max ms': Math.max(...afterFill),
          'after a new fill CPU p50 ms': percentile(afterFillCpu, 50),
          'after its prices p50 ms': percentile(afterPrices, 50),
          'after its prices max ms': Math.max(...afterPrices),
          answer: view.available ? 'figures' : `unavailable: ${view.reason}`,
        },
      ];
    } finally {
      await runtime.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPnlBench(): Promise<BenchResult> {
  const prices = new Map<string, Decimal>([
    ['MXUSDT', dec('2.5')],
    ['USDCUSDT', dec('0.9995')],
  ]);
  const toCostAsset = makeToCostAsset({ prices, usdcUsdt: dec('0.9995') });
  const options = { costAssetOf, toCostAsset };
  const rows: Array<Record<string, string | number>> = [];
  for (const count of [10_000, 100_000]) {
    const fills = syntheticFills(count);
    const repeats = count >= 100_000 ? 3 : 7;
    let positions = 0;
    const pos = timeIt(() => {
      positions = positionsFromFills(fills, options).positions.size;
    }, repeats);
    const now = fills.at(-1)!.time;
    const pnl = timeIt(
      () => realisedPnlByPeriod(fills, { ...options, now, dayStartMs: now - (now % 86_400_000) }),
      repeats,
    );
    rows.push({
      fills: count,
      positions,
      'positions p50 ms': percentile(pos, 50),
      'positions max ms': Math.max(...pos),
      'realised-by-period p50 ms': percentile(pnl, 50),
      'fills/s': Math.round(count / (percentile(pos, 50) / 1000)),
    });
  }
  const real = await realPathRows(100_000);
  return {
    name: 'pnl',
    description:
      'positions and realised PnL from fills (one core, exact bigint decimals equal to decimal.js)',
    summary: Object.fromEntries(
      real.flatMap((r) => [
        [
          `${String(r.path)}: /pnl after a new fill (target ≤ 5 ms)`,
          `p50 ${fmt(r['after a new fill p50 ms'])} ms (CPU ${fmt(r['after a new fill CPU p50 ms'])} ms, the in-process simulator's share included), max ${fmt(r['after a new fill max ms'])} ms over ${NEW_FILLS}; after its prices p50 ${fmt(r['after its prices p50 ms'])} ms, max ${fmt(r['after its prices max ms'])} ms; ${String(r.answer)}`,
        ],
        [
          `${String(r.path)}: cold rebuild of the running snapshot (target ≤ 500 ms)`,
          `the first rebuild of a fresh process with npm start's flags (${startCommand().flags.join(' ')}): p50 ${fmt(r['cold rebuild at start p50 ms'])} ms (CPU ${fmt(r['cold rebuild at start CPU p50 ms'])} ms), max ${fmt(r['cold rebuild at start max ms'])} ms (of ${STARTS} processes), the machine's speed probe in those processes p50 ${fmt(r['speed probe p50 ms'])} ms (see bench/README.md; each process's rebuild / probe: ${String(r['each start: rebuild / speed probe ms'])} ms); ${REBUILDS} in a row in this process: first ${fmt(r['rebuilds in one process, first ms'])} ms, the later ones p50 ${fmt(r['rebuilds in one process, later p50 ms'])} ms (CPU ${fmt(r['rebuilds in one process, later CPU p50 ms'])} ms); first /pnl after start ${fmt(r['first /pnl ms'])} ms, again p50 ${fmt(r['again p50 ms'])} ms`,
        ],
        [
          `${String(r.path)}: cold rebuild of the running snapshot on one CPU (target ≤ 500 ms)`,
          r['on one CPU: not measured'] === undefined
            ? `the same fresh processes, each pinned to CPU ${String(r['on one CPU: the CPU'])} (taskset), as the bot runs on a 1-vCPU server: p50 ${fmt(r['on one CPU: cold rebuild at start p50 ms'])} ms; each process's rebuild / probe: ${String(r['on one CPU: each start: rebuild / speed probe ms'])} ms`
            : `not measured: ${String(r['on one CPU: not measured'])}`,
        ],
      ]),
    ),
    columns: [
      'fills',
      'positions',
      'positions p50 ms',
      'positions max ms',
      'realised-by-period p50 ms',
      'fills/s',
    ],
    rows,
    targets: real.flatMap((r) => [
      atMost(
        '/pnl after a new fill, 100 000 fills in SQLite (p50 of 20)',
        Number(r['after a new fill p50 ms']),
        5,
        'ms',
      ),
      atMost(
        `cold rebuild of the running PnL snapshot at start, 100 000 fills in SQLite (fresh process, p50 of ${STARTS})`,
        Number(r['cold rebuild at start p50 ms']),
        500,
        'ms',
      ),
      atMost(
        `the same on one CPU, as on a 1-vCPU server (fresh process pinned with taskset, p50 of ${STARTS})`,
        Number(r['on one CPU: cold rebuild at start p50 ms']),
        500,
        'ms',
      ),
    ]),
  };
}
