/**
 * scan-cost: API weight, request count and wall time of one full scanner run over the
 * simulator's market, cold (fresh process) and in steady state (one scan interval later, same
 * kline cache), next to the original system's pattern (baseline) and next to the floor the rate
 * budget allows for the requests the scan truly needs.
 *
 * Everything goes through one MexcClient with the production RateLimiter budget, against the
 * built-in simulator on loopback. One clock (real speed, able to jump forward) is shared by the
 * simulator, the client and the limiter, as in simulator mode; jumps skip the 15 minutes between
 * scans and drain the 10 s weight window between scenarios, so each starts with a full budget.
 * Real time is used only to measure.
 *
 * With streams: the same scans through the bot's own market wiring (`MonitoredExchange` with the
 * streamed book tops, the scanner's kline cache fed by the kline stream, `LiveStreams`) over real
 * WebSocket connections to the simulator. The quarter of an hour to the steady scan passes in
 * 10-second steps with a pause after each (and one just before the candle boundary), so the
 * simulator pushes the candles as they form, as it would in real time.
 */
import pLimit from 'p-limit';
import { EventBus } from '../src/domain/events.js';
import { type Candle, INTERVAL_MS } from '../src/domain/market.js';
import { MexcClient } from '../src/exchange/mexc/MexcClient.js';
import { MEXC_ENDPOINTS } from '../src/exchange/mexc/mexcEndpoints.js';
import { RateLimiter, type RateLimitedRequest } from '../src/exchange/rateLimiter.js';
import { startSimulator, type SimulatorHandle } from '../src/exchange/simulator/index.js';
import { createExecutionCore } from '../src/execution/createExecutionCore.js';
import type { StrategyRunner } from '../src/execution/StrategyRunner.js';
import { openDatabase } from '../src/persistence/db.js';
import { migrate } from '../src/persistence/migrate.js';
import { SettingsStore } from '../src/settings/SettingsStore.js';
import { silentLogger } from '../src/common/logger.js';
import type { KlineSource } from '../src/strategies/contract.js';
import { createScanner, type ScannerDefinition } from '../src/strategies/scanner/scanner.js';
import { MexcMarketStream } from '../src/exchange/mexc/stream/MexcMarketStream.js';
import { CandleRepository } from '../src/persistence/CandleRepository.js';
import { LiveStreams } from '../src/runtime/LiveStreams.js';
import { MonitoredExchange } from '../src/runtime/MonitoredExchange.js';
import { budgetFloorMs, type BudgetOptions } from './lib/budgetFloor.js';
import { atMost, type BenchResult, type Figure } from './lib/report.js';
import { ShiftableClock } from './lib/ShiftableClock.js';

const SEED = 1;
/** The production budget (config MEXC_WEIGHT_PER_10S default; limiter default 15 requests/s). */
const BUDGET: Required<Pick<BudgetOptions, 'weightPer10s' | 'maxRequestsPerSecond'>> = {
  weightPer10s: 250,
  maxRequestsPerSecond: 15,
};
const SCAN_INTERVAL_MS = INTERVAL_MS['15m'];
/** One minute after a 15-minute boundary: a scan fires, then exactly one candle closes per interval. */
const START = Date.UTC(2026, 2, 2, 12, 1);
/** The original scanner: 24 candles of 15 m per pair, 10 pairs in parallel. */
const BASELINE_KLINES = 24;
const BASELINE_PARALLEL = 10;

interface Measured {
  readonly requests: number;
  readonly simWeight: number;
  readonly limiterRequests: number;
  readonly limiterWeight: number;
  readonly klineRequests: number;
  readonly klineRows: number;
  readonly candidates: number;
  readonly wallMs: number;
  readonly byEndpoint: Record<string, { requests: number; weight: number }>;
}

interface Bench {
  readonly sim: SimulatorHandle;
  /** The live streams (the streamed set-up only). */
  readonly streams?: LiveStreams;
  readonly clock: ShiftableClock;
  readonly client: MexcClient;
  readonly limiter: RateLimiter;
  readonly runner: StrategyRunner;
  readonly scanner: ScannerDefinition;
  readonly settings: SettingsStore;
  readonly close: () => Promise<void>;
}

/** Klines through the client, counting the rows that came back. */
class CountingKlines implements KlineSource {
  rows = 0;
  requests = 0;
  readonly client: MexcClient;
  constructor(client: MexcClient) {
    this.client = client;
  }
  async getKlines(query: Parameters<KlineSource['getKlines']>[0]): Promise<readonly Candle[]> {
    this.requests += 1;
    const candles = await this.client.getKlines(query);
    this.rows += candles.length;
    return candles;
  }
}

async function setUp(withStreams = false): Promise<Bench> {
  const clock = new ShiftableClock(START);
  const sim = await startSimulator({ seed: SEED, speed: 1, clock, startTime: START });
  const limiter = new RateLimiter({ clock, ...BUDGET });
  const logger = silentLogger();
  const client = new MexcClient({
    baseUrl: sim.url,
    apiKey: sim.credentials.apiKey,
    apiSecret: sim.credentials.apiSecret,
    clock,
    logger,
    limiter,
  });
  const db = openDatabase(':memory:');
  migrate(db);
  const settings = new SettingsStore(db, clock);
  const market = withStreams ? new MexcMarketStream({ url: sim.wsUrl, clock, logger }) : undefined;
  const streams = market ? new LiveStreams({ market, clock, logger }) : undefined;
  const exchange = streams
    ? new MonitoredExchange({
        inner: client,
        clock,
        candles: new CandleRepository(db),
        logger,
        ...(streams.book ? { book: streams.book } : {}),
      })
    : client;
  const scanner = createScanner(streams ? { klineCache: streams.klineCache } : {});
  // The bot's own wiring; only the runner's snapshot is used (nothing is started or placed).
  const core = createExecutionCore({
    bus: new EventBus(),
    clock,
    db,
    exchange,
    logger,
    settings,
    strategies: [scanner],
    positions: () => new Map(),
    recentFills: () => [],
    syncFills: async () => undefined,
    unattributedFills: () => [],
    // Nothing is traded here: every ledger counts as complete.
    history: { isReady: () => true, prioritise: () => undefined, beforeOrder: async () => undefined },
    historyBefore: () => clock.now(),
    // No fill is ever recorded here.
    fillsOf: async () => [],
    realisedPnl: () => undefined,
    timers: false,
  });
  streams?.readSymbolsFrom({ market: client, balances: () => [], orders: core.orders });
  return {
    sim,
    ...(streams ? { streams } : {}),
    clock,
    client,
    limiter,
    runner: core.runner,
    scanner,
    settings,
    close: async () => {
      await streams?.close();
      // The stream client is ours to close: left open, it would reconnect for ever.
      market?.close();
      await sim.close();
      db.close();
    },
  };
}

/** Runs `scan` from an empty weight window and collects both sides' counters. */
async function measure(b: Bench, scan: (klines: CountingKlines) => Promise<number>): Promise<Measured> {
  // Drain the rolling windows (10 s weight, 1 s rate) left by the previous scenario.
  b.clock.advance(10_000);
  // Let the simulator generate the skipped minutes now, not inside the measured scan.
  b.sim.step();
  b.sim.stats.reset();
  const before = b.limiter.stats();
  const klines = new CountingKlines(b.client);
  const started = performance.now();
  const candidates = await scan(klines);
  const wallMs = performance.now() - started;
  const sim = b.sim.stats.snapshot();
  const after = b.limiter.stats();
  if (sim.rejected429 > 0 || after.count429 > 0) {
    throw new Error(`the scan hit the simulator's rate limit (${sim.rejected429} × 429): budget mismatch`);
  }
  return {
    requests: sim.requests,
    simWeight: sim.weight,
    limiterRequests: after.totalRequests - before.totalRequests,
    limiterWeight: after.totalWeight - before.totalWeight,
    klineRequests: klines.requests,
    klineRows: klines.rows,
    candidates,
    wallMs,
    byEndpoint: sim.byEndpoint,
  };
}

/** Where an ours scan spent its wall time: snapshot requests, kline refresh, pure decision. */
interface Phases {
  readonly snapshotMs: number;
  readonly prepareMs: number;
  readonly decideMs: number;
}

/** One scan exactly as the runner does it: fresh snapshot, the scanner's prepare, then decide. */
async function oursScan(
  b: Bench,
  klines: KlineSource,
): Promise<{ analysed: number; symbols: string[]; phases: Phases }> {
  const t0 = performance.now();
  const snapshot = await b.runner.buildSnapshot(b.scanner.needs, b.clock.now());
  const t1 = performance.now();
  const extra = await b.scanner.prepare!({ snapshot, settings: b.settings, klines });
  const t2 = performance.now();
  const decision = b.scanner.decide({ snapshot, settings: b.settings, extra });
  const t3 = performance.now();
  if (!decision.scan || !extra) throw new Error(`scanner produced no scan: ${decision.notes.join('; ')}`);
  return {
    analysed: decision.scan.analysed,
    symbols: extra.universe.candidates.map((c) => c.symbol),
    phases: { snapshotMs: t1 - t0, prepareMs: t2 - t1, decideMs: t3 - t2 },
  };
}

const phaseText = (p: Phases) =>
  `snapshot ${Math.round(p.snapshotMs)}, klines ${Math.round(p.prepareMs)}, decide ${Math.round(p.decideMs)}`;

/**
 * The original market_scanner: one all-symbol 24 h ticker, then for every analysed pair its last
 * 24 fifteen-minute candles and its price, 10 pairs at a time, nothing cached. Indicators are
 * CPU-only and left out; the pairs are the same candidates our scan analysed.
 */
async function baselineScan(
  client: MexcClient,
  klines: KlineSource,
  symbols: readonly string[],
): Promise<number> {
  const listed = new Set((await client.getTickers24h()).map((t) => t.symbol));
  const pairs = symbols.filter((s) => listed.has(s));
  const limit = pLimit(BASELINE_PARALLEL);
  await Promise.all(
    pairs.map((symbol) =>
      limit(async () => {
        await klines.getKlines({ symbol, interval: '15m', limit: BASELINE_KLINES });
        await client.getPrice(symbol);
      }),
    ),
  );
  return pairs.length;
}

const general = (weight: number): RateLimitedRequest => ({ weight, kind: 'general' });

/** The ticker first, then `klineRequests` kline requests: what a scan truly needs. */
function neededRequests(klineRequests: number): RateLimitedRequest[] {
  return [
    general(MEXC_ENDPOINTS.ticker24hAll.weight),
    ...Array.from({ length: klineRequests }, () => general(MEXC_ENDPOINTS.klines.weight)),
  ];
}

function baselineRequests(pairs: number): RateLimitedRequest[] {
  return [
    general(MEXC_ENDPOINTS.ticker24hAll.weight),
    ...Array.from({ length: pairs }, () => [
      general(MEXC_ENDPOINTS.klines.weight),
      general(MEXC_ENDPOINTS.tickerPrice.weight),
    ]).flat(),
  ];
}

const sumWeight = (requests: readonly RateLimitedRequest[]) => requests.reduce((s, r) => s + r.weight, 0);

/**
 * MEXC's documented weights (spot v3 docs, Aug 2025) per endpoint as the simulator names it, for
 * the calls a scan makes: the client and the simulator book the higher of these and the
 * ccxt/gocryptotrader costs. `ticker/24hr` is only ever asked for all symbols here (documented 40),
 * `ticker/price` only for one symbol (the baseline's per-pair price, documented 1) and
 * `ticker/bookTicker` only for all symbols (documented 1).
 */
const DOCUMENTED_WEIGHTS: Readonly<Record<string, number>> = {
  'GET /api/v3/ping': 1,
  'GET /api/v3/time': 1,
  'GET /api/v3/defaultSymbols': 1,
  'GET /api/v3/exchangeInfo': 10,
  'GET /api/v3/depth': 1,
  'GET /api/v3/klines': 1,
  'GET /api/v3/ticker/24hr': 40,
  'GET /api/v3/ticker/price': 1,
  'GET /api/v3/ticker/bookTicker': 1,
  'GET /api/v3/account': 10,
  'GET /api/v3/openOrders': 3,
  'GET /api/v3/myTrades': 10,
  'GET /api/v3/order': 2,
};

/** The weight of a measured scan at MEXC's documented weights (NaN for an endpoint not listed). */
function documentedWeight(m: Measured): number {
  return Object.entries(m.byEndpoint).reduce(
    (sum, [endpoint, v]) => sum + v.requests * (DOCUMENTED_WEIGHTS[endpoint] ?? Number.NaN),
    0,
  );
}

function measuredRow(scan: string, m: Measured, floorMs?: number): Record<string, Figure> {
  return {
    scan,
    requests: m.requests,
    'weight (sim)': m.simWeight,
    'weight (limiter)': m.limiterWeight,
    'weight (MEXC docs)': documentedWeight(m),
    'kline req': m.klineRequests,
    'kline rows': m.klineRows,
    candidates: m.candidates,
    'wall ms': Math.round(m.wallMs),
    'wall / floor': floorMs === undefined ? '' : m.wallMs / Math.max(floorMs, 1),
  };
}

function floorRow(
  scan: string,
  floor: {
    readonly requests: readonly RateLimitedRequest[];
    readonly klineRequests: number;
    readonly ms: number;
  },
): Record<string, Figure> {
  return {
    scan,
    requests: floor.requests.length,
    'weight (limiter)': sumWeight(floor.requests),
    'kline req': floor.klineRequests,
    'wall ms': floor.ms,
  };
}

const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (real time) until `check` holds; throws after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline)
      throw new Error(`scan-cost with streams: timed out waiting for ${what}`);
    await pause(50);
  }
}

/**
 * Cold and steady scans with the streams on: the cold scan fills the kline cache over REST and
 * subscribes its candidates; then simulated time passes in steps the stream can follow.
 */
async function streamedScans(): Promise<{ cold: Measured; steady: Measured; pushedKlines: number }> {
  const b = await setUp(true);
  const streams = b.streams!;
  try {
    const coldAt = b.clock.now() + 10_000;
    const cold = await measure(b, async (klines) => (await oursScan(b, klines)).analysed);
    const live = () => streams.statuses().every((st) => st.state === 'live');
    await until(live, 'both streams live');
    await pause(500); // the first pushes of every subscribed symbol
    const target = coldAt + SCAN_INTERVAL_MS - 10_000 - 10_000; // measure() jumps the last 10 s
    const boundary = Math.floor(target / SCAN_INTERVAL_MS) * SCAN_INTERVAL_MS;
    while (b.clock.now() < target) {
      const next = Math.min(b.clock.now() + 10_000, target);
      // Stop just short of the candle boundary once, so the closing state is pushed.
      b.clock.advanceTo(b.clock.now() < boundary - 200 && next >= boundary ? boundary - 200 : next);
      await pause(120);
    }
    if (!live()) throw new Error('scan-cost with streams: a stream broke while time passed');
    const steady = await measure(b, async (klines) => (await oursScan(b, klines)).analysed);
    return { cold, steady, pushedKlines: streams.klineCache.size };
  } finally {
    await b.close();
  }
}

export async function runScanCostBench(): Promise<BenchResult> {
  const b = await setUp();
  try {
    const coldAt = b.clock.now() + 10_000;
    let candidates: string[] = [];
    const phases: Phases[] = [];
    const ours = async (klines: KlineSource) => {
      const scan = await oursScan(b, klines);
      phases.push(scan.phases);
      return scan;
    };
    const cold = await measure(b, async (klines) => {
      const scan = await ours(klines);
      candidates = scan.symbols;
      return scan.analysed;
    });
    const baseline = await measure(b, (klines) => baselineScan(b.client, klines, candidates));
    // Exactly one scan interval after the cold scan: one more 15-minute candle has closed.
    b.clock.advanceTo(coldAt + SCAN_INTERVAL_MS - 10_000);
    const steady = await measure(b, async (klines) => (await ours(klines)).analysed);
    // A manual /scan a little later, before the next candle closes: nothing new to fetch.
    b.clock.advance(50_000);
    const sameCandle = await measure(b, async (klines) => (await ours(klines)).analysed);

    const coldNeeded = neededRequests(cold.klineRequests);
    const steadyNeeded = neededRequests(steady.klineRequests);
    const baselineSent = baselineRequests(baseline.candidates);
    const [coldFloor, steadyFloor, baselineFloor] = await Promise.all([
      budgetFloorMs(coldNeeded, BUDGET),
      budgetFloorMs(steadyNeeded, BUDGET),
      budgetFloorMs(baselineSent, BUDGET),
    ]);

    const streamed = await streamedScans();
    const rows = [
      measuredRow('ours, cold (first scan of the process)', cold, coldFloor),
      measuredRow('ours, steady (+15 min, same cache)', steady, steadyFloor),
      measuredRow('ours, same candle (/scan 1 min later)', sameCandle),
      measuredRow('with streams, cold (klines over REST, then streamed)', streamed.cold),
      measuredRow('with streams, steady (+15 min, candles and tops streamed)', streamed.steady),
      measuredRow('baseline (original pattern, every scan)', baseline, baselineFloor),
      floorRow('floor, cold: ticker + kline requests', {
        requests: coldNeeded,
        klineRequests: cold.klineRequests,
        ms: coldFloor,
      }),
      floorRow('floor, steady: ticker + kline requests', {
        requests: steadyNeeded,
        klineRequests: steady.klineRequests,
        ms: steadyFloor,
      }),
      floorRow("floor of the baseline's own requests", {
        requests: baselineSent,
        klineRequests: baseline.klineRequests,
        ms: baselineFloor,
      }),
    ];
    const endpoints = (m: Measured) =>
      Object.entries(m.byEndpoint)
        .map(([e, v]) => `${e.replace('GET /api/v3/', '')} ${v.requests}×/${v.weight}`)
        .join(', ');
    return {
      name: 'scan-cost',
      description: `one scanner run over the simulator (seed ${SEED}, ${b.sim.market.symbols().length} symbols), budget ${BUDGET.weightPer10s} weight/10 s and ${BUDGET.maxRequestsPerSecond} requests/s`,
      columns: [
        'scan',
        'requests',
        'weight (sim)',
        'weight (limiter)',
        'weight (MEXC docs)',
        'kline req',
        'kline rows',
        'candidates',
        'wall ms',
        'wall / floor',
      ],
      rows,
      targets: [
        atMost(
          'steady scan weight with streams / the original pattern (conservative weights)',
          ratio(streamed.steady.limiterWeight, baseline.limiterWeight),
          0.1,
          '× baseline',
        ),
      ],
      summary: {
        'steady weight / baseline': ratio(steady.limiterWeight, baseline.limiterWeight),
        'with streams: steady weight / baseline': ratio(
          streamed.steady.limiterWeight,
          baseline.limiterWeight,
        ),
        'with streams: steady weight / baseline at MEXC documented weights': ratio(
          documentedWeight(streamed.steady),
          documentedWeight(baseline),
        ),
        'with streams: steady endpoints': endpoints(streamed.steady),
        'steady requests / baseline': ratio(steady.requests, baseline.requests),
        'cold weight / baseline': ratio(cold.limiterWeight, baseline.limiterWeight),
        'cold requests / baseline': ratio(cold.requests, baseline.requests),
        'steady kline rows / baseline': ratio(steady.klineRows, baseline.klineRows),
        'ours steady wall / floor': ratio(steady.wallMs, steadyFloor),
        'ours cold wall / floor': ratio(cold.wallMs, coldFloor),
        'baseline wall / ours steady wall': ratio(baseline.wallMs, steady.wallMs),
        'steady weight / baseline at MEXC documented weights': ratio(
          documentedWeight(steady),
          documentedWeight(baseline),
        ),
        'weight columns':
          'sim and limiter book the higher of MEXC documented and ccxt/gocryptotrader weights (conservative); "MEXC docs" books the documented ones',
        'weights booked: simulator − limiter (both book the all-symbol 24 h ticker at 40)': `sim − limiter: cold ${cold.simWeight - cold.limiterWeight}, steady ${steady.simWeight - steady.limiterWeight}, baseline ${baseline.simWeight - baseline.limiterWeight}`,
        'ours phases ms, cold': phaseText(phases[0]!),
        'ours phases ms, steady': phaseText(phases[1]!),
        'ours phases ms, same candle': phaseText(phases[2]!),
        'cold endpoints (requests×/sim weight)': endpoints(cold),
        'steady endpoints': endpoints(steady),
        'baseline endpoints': endpoints(baseline),
        'scanner settings': `maxCandidates ${b.settings.get('scanner.maxCandidates')}, klineLimit ${b.settings.get('scanner.klineLimit')}, 10 kline requests in flight`,
      },
    };
  } finally {
    await b.close();
  }
}
