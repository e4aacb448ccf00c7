/**
 * pnl: time to compute positions and realised PnL from 10 000 and 100 000 fills, with a
 * realistic mix: BTC/ETH on USDC, a few hundred altcoins on USDT, fees in the quote asset and
 * occasionally in MX, and periodic partial sells.
 *
 * Two parts: the arithmetic alone on fills held in memory, and the real path: the fills stored
 * in SQLite, the whole bot built over that database (`createRuntime`, built-in simulator, no
 * timers), and `/pnl`'s data (`AppService.getPnl`) asked for cold, again, and after one new fill.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { dec, type Decimal } from '../src/domain/money.js';
import { costAssetOf, makeToCostAsset } from '../src/domain/portfolio/conversion.js';
import { positionsFromFills, type PositionFill } from '../src/domain/portfolio/positions.js';
import { realisedPnlByPeriod } from '../src/domain/portfolio/realisedPnl.js';
import { FillRepository } from '../src/persistence/FillRepository.js';
import { openDatabase } from '../src/persistence/db.js';
import { migrate } from '../src/persistence/migrate.js';
import { createRuntime } from '../src/runtime/createRuntime.js';
import { silentLogger } from '../src/shared/logger.js';
import { percentile, type BenchResult } from './lib/report.js';

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

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The real path: `count` fills in SQLite → the bot → `/pnl`'s data, cold, warm and after a new fill. */
async function realPathRows(count: number): Promise<Array<Record<string, string | number>>> {
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-bench-pnl-'));
  const path = join(dir, 'autopilot.db');
  try {
    const fills = syntheticFills(count + 1);
    const seedDb = openDatabase(path);
    migrate(seedDb);
    const assetsOf = (symbol: string) => {
      const f = fills.find((x) => x.symbol === symbol);
      return f ? { base: f.baseAsset, quote: f.quoteAsset } : undefined;
    };
    const seedRepo = new FillRepository({ db: seedDb, clock: { now: () => Date.now() }, assetsOf });
    seedRepo.insertFills(fills.slice(0, count));
    seedDb.close();

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
      for (let i = 0; i < 3; i++) warm.push(await timeAsync(pnl));
      const repo = new FillRepository({ db: runtime.db, clock: runtime.clock, assetsOf });
      repo.insertFills(fills.slice(count));
      const afterFill = await timeAsync(pnl);
      const view = await pnl();
      return [
        {
          path: `SQLite ${count} fills → bot → /pnl data`,
          'cold ms': cold,
          'again p50 ms': percentile(warm, 50),
          'after one new fill ms': afterFill,
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
    description: 'positions and realised PnL from fills (one core, decimal.js arithmetic)',
    summary: Object.fromEntries(
      real.map((r) => [
        String(r.path),
        `cold ${Math.round(Number(r['cold ms']))} ms, again ${Math.round(Number(r['again p50 ms']))} ms (p50 of 3), after one new fill ${Math.round(Number(r['after one new fill ms']))} ms; ${String(r.answer)}`,
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
  };
}
