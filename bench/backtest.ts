/**
 * `npm run bench backtest`: how fast the replay engine runs, as a speed-up over real time.
 *
 * Candles come from the built-in simulator (seed 7, 20 altcoins): its clock is stepped through
 * 30 days and every symbol's 1-minute candles are read through the MEXC client into a candle
 * store as they are made (its rings hold a day), plus the 15-minute candles of the scanner's
 * warm-up before the start (read at the start, as a bot running then would have kept them) and
 * of the span. Then two replays run in-process on that store, from 1000 USDC and 500 USDT,
 * with the default settings but for the scanner (analysing the 12 most traded symbols, buying from a
 * score of 50, as in the simulated week):
 *
 * - 7 days of one strategy (the scanner: what `/whatif scanner.minScore 70` replays, twice);
 * - 30 days of all six strategies.
 *
 * Aims: 7 days of one strategy in ≤ 5 s, 30 days of all six in ≤ 60 s (wall time; the CPU time
 * is shown too, since on a shared machine the wall time also counts the other processes).
 */
import { dec } from '../src/domain/money.js';
import { STRATEGY_IDS } from '../src/domain/strategy.js';
import { MexcClient } from '../src/exchange/mexc/MexcClient.js';
import { RateLimiter } from '../src/exchange/rateLimiter.js';
import { startSimulator } from '../src/exchange/simulator/index.js';
import { SETTINGS } from '../src/settings/definitions.js';
import { CandleRepository } from '../src/persistence/CandleRepository.js';
import { openDatabase } from '../src/persistence/db.js';
import { migrate } from '../src/persistence/migrate.js';
import { backfillCandles } from '../src/replay/candleBackfill.js';
import { CandleTape } from '../src/replay/CandleTape.js';
import { rulesToWire, type ReplaySpec } from '../src/replay/replaySpec.js';
import { runReplay } from '../src/runtime/replayRun.js';
import { spreadsOf } from '../src/runtime/replaySetup.js';
import { tapeRange } from '../src/runtime/replayProcess.js';
import { ManualClock } from '../src/common/clock.js';
import { silentLogger } from '../src/common/logger.js';
import { atMost, type BenchResult, type TargetCheck } from './lib/report.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2);
const DAYS = 30;
/** The simulator keeps 25 hours of minutes: read them every 20 hours. */
const CHUNK = 20 * HOUR;

/** Steps a simulator through `DAYS` days and keeps every candle a replay of them needs. */
async function recordCandles() {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({ seed: 7, speed: 1, clock, altcoins: 20, weightPer10s: 1e9 });
  const db = openDatabase(':memory:');
  migrate(db);
  const store = new CandleRepository(db);
  const client = new MexcClient({
    baseUrl: sim.url,
    ...sim.credentials,
    clock,
    logger: silentLogger(),
    limiter: new RateLimiter({ clock, weightPer10s: 1e9, maxRequestsPerSecond: 1e9, sleep: async () => {} }),
  });
  try {
    const rules = await client.getRules();
    const symbols = [...rules.keys()].sort();
    const end = T0 + DAYS * DAY;
    const range = tapeRange([
      specFor({ fromMs: T0, toMs: end, strategies: STRATEGY_IDS, rules, tops: await client.getBookTops() }),
    ]);
    // The scanner's warm-up before the start (its klineLimit candles) from the simulator's history
    // at the start, as a bot that ran before the span would have kept it.
    await backfillCandles({
      store,
      source: client,
      request: { symbols, interval: '15m', from: range.from, to: T0, now: T0 },
    });
    for (let t = T0; t < end; t = Math.min(end, t + CHUNK)) {
      const next = Math.min(end, t + CHUNK);
      clock.set(next);
      await backfillCandles({
        store,
        source: client,
        request: { symbols, interval: '1m', from: t - HOUR, to: next, now: next },
      });
    }
    // The 15-minute candles of the span as the exchange serves them at its end.
    await backfillCandles({
      store,
      source: client,
      request: { symbols, interval: '15m', from: T0, to: end, now: end },
    });
    return { store, rules, tops: await client.getBookTops(), range };
  } finally {
    await sim.close();
  }
}

function specFor(o: {
  fromMs: number;
  toMs: number;
  strategies: readonly string[];
  rules: Awaited<ReturnType<MexcClient['getRules']>>;
  tops: Awaited<ReturnType<MexcClient['getBookTops']>>;
}): ReplaySpec {
  const settings: Record<string, string> = { 'scanner.maxCandidates': '12', 'scanner.minScore': '50' };
  for (const id of STRATEGY_IDS) settings[`${id}.enabled`] = o.strategies.includes(id) ? 'on' : 'off';
  for (const key of Object.keys(settings)) if (!(key in SETTINGS)) throw new Error(`no setting ${key}`);
  return {
    fromMs: o.fromMs,
    toMs: o.toMs,
    stepMs: MINUTE,
    settings,
    start: { balances: { USDC: '1000', USDT: '500' }, costs: {} },
    rules: [...o.rules.values()].map(rulesToWire),
    spreads: spreadsOf(o.tops),
    slippage: 0,
    timeZone: 'UTC',
    equityEveryMs: HOUR,
  };
}

/** Replays 7 days of the scanner and 30 days of all six over simulated candles. */
export async function runBacktestBench(): Promise<BenchResult> {
  const recordStarted = performance.now();
  const { store, rules, tops, range } = await recordCandles();
  const recordMs = performance.now() - recordStarted;
  const tape = CandleTape.load(store, range.from, range.to);
  const cases = [
    { name: '7 days, scanner', days: 7, strategies: ['scanner'], aimS: 5 },
    { name: '30 days, all six', days: 30, strategies: STRATEGY_IDS, aimS: 60 },
  ];
  const rows = [];
  const targets: TargetCheck[] = [];
  for (const c of cases) {
    const spec = specFor({ fromMs: T0, toMs: T0 + c.days * DAY, strategies: c.strategies, rules, tops });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const outcome = await runReplay(spec, tape);
    const wallS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    targets.push(
      atMost(
        `replay of ${c.name} (wall time; ${cpuS.toFixed(1)} CPU s)`,
        Number(wallS.toFixed(1)),
        c.aimS,
        's',
      ),
    );
    rows.push({
      replay: c.name,
      'wall s': wallS,
      'cpu s': cpuS,
      'speed-up ×': Math.round((c.days * DAY) / 1000 / wallS),
      'aim s': c.aimS,
      met: wallS <= c.aimS ? 'yes' : 'no',
      orders: outcome.orders.length,
      trades: Object.values(outcome.tradesByStrategy).reduce((a, b) => a + b, 0),
      'end value USDC': dec(outcome.endValueUsdc).toFixed(2),
    });
  }
  return {
    name: 'backtest',
    description:
      'replay engine (real strategies and executor on a manual clock over recorded candles), one-minute steps',
    columns: [
      'replay',
      'wall s',
      'cpu s',
      'speed-up ×',
      'aim s',
      'met',
      'orders',
      'trades',
      'end value USDC',
    ],
    rows,
    targets,
    summary: {
      'candles recorded (s)': Math.round(recordMs / 100) / 10,
      symbols: tape.symbols().length,
    },
  };
}
