/**
 * No look-ahead: a replay of all six strategies over twelve hours of simulator candles, run twice
 * — once on the recorded candles, once on candles whose future after a time T is rewritten (every
 * price after T up 25 %, volumes tripled) — must make exactly the same decisions before T (same
 * orders: strategy, symbol, side, type, quantity, price, time; same portfolio values) and
 * different ones after it (the rewrite is seen once it is the past). The same candles also replay
 * a symbol-list setting, as a what-if of `exclusions` does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MexcClient } from '../../src/exchange/mexc/MexcClient.js';
import { RateLimiter } from '../../src/exchange/rateLimiter.js';
import { startSimulator, type SimulatorHandle } from '../../src/exchange/simulator/index.js';
import type { CandleColumns } from '../../src/domain/candleColumns.js';
import { CandleRepository } from '../../src/persistence/CandleRepository.js';
import { openDatabase } from '../../src/persistence/db.js';
import { migrate } from '../../src/persistence/migrate.js';
import { backfillCandles } from '../../src/replay/candleBackfill.js';
import { CandleTape, type SymbolTape } from '../../src/replay/CandleTape.js';
import { rulesToWire, type ReplayOutcome, type ReplaySpec } from '../../src/replay/replaySpec.js';
import { runReplay } from '../../src/runtime/replayRun.js';
import { spreadsOf } from '../../src/runtime/replaySetup.js';
import { tapeRange } from '../../src/runtime/replayProcess.js';
import { ManualClock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 2, 2);
const FROM = T0 - 12 * HOUR;
/** The rewrite starts here: candles opening at or after T are changed. */
const T = FROM + 6 * HOUR + 7 * MINUTE;

let sim: SimulatorHandle;
let original: ReplayOutcome;
let altered: ReplayOutcome;
/** The first half again with the symbols the scanner bought excluded (a what-if of `exclusions`). */
let excluded: { readonly symbols: readonly string[]; readonly outcome: ReplayOutcome };

/**
 * A copy of `c` with every price observed from `from` on moved up 25 % and the volumes tripled: the
 * candles opening at or after it entirely, and the high, low, close and volumes of a candle that
 * opened before it but closes after it.
 */
function rewriteFuture(c: CandleColumns, from: number, width: number): CandleColumns {
  const out = {
    openTimes: Float64Array.from(c.openTimes),
    opens: Float64Array.from(c.opens),
    highs: Float64Array.from(c.highs),
    lows: Float64Array.from(c.lows),
    closes: Float64Array.from(c.closes),
    volumes: Float64Array.from(c.volumes),
    quoteVolumes: Float64Array.from(c.quoteVolumes),
  };
  for (let i = 0; i < out.openTimes.length; i += 1) {
    const open = out.openTimes[i]!;
    if (open + width <= from) continue;
    const cols =
      open >= from ? [out.opens, out.highs, out.lows, out.closes] : [out.highs, out.lows, out.closes];
    for (const col of cols) col[i] = col[i]! * 1.25;
    out.volumes[i] = out.volumes[i]! * 3;
    out.quoteVolumes[i] = out.quoteVolumes[i]! * 3.75;
  }
  return out;
}

beforeAll(async () => {
  const clock = new ManualClock(T0);
  sim = await startSimulator({ seed: 11, speed: 1, clock, altcoins: 20, weightPer10s: 1e9 });
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
  const rules = await client.getRules();
  const symbols = [...rules.keys()].sort();
  const spec: ReplaySpec = {
    fromMs: FROM,
    toMs: T0,
    stepMs: MINUTE,
    settings: { 'scanner.maxCandidates': '12', 'scanner.minScore': '50', 'take-profit.minProfitPct': '1' },
    start: {
      balances: { USDC: '1000', USDT: '500', BTC: '0.01' },
      costs: { BTC: { price: '60000', costAsset: 'USDC' } },
    },
    rules: [...rules.values()].map(rulesToWire),
    spreads: spreadsOf(await client.getBookTops()),
    slippage: 0,
    timeZone: 'UTC',
    equityEveryMs: 15 * MINUTE,
  };
  const range = tapeRange([spec]);
  await backfillCandles({
    store,
    source: client,
    request: { symbols, interval: '1m', from: FROM - HOUR, to: T0, now: T0 },
  });
  await backfillCandles({
    store,
    source: client,
    request: { symbols, interval: '15m', from: range.from, to: T0, now: T0 },
  });
  const tapes = new Map<string, SymbolTape>();
  const changed = new Map<string, SymbolTape>();
  for (const symbol of symbols) {
    const m1 = store.columns(symbol, '1m', range.from, range.to);
    const m15 = store.columns(symbol, '15m', range.from, range.to);
    tapes.set(symbol, { m1, m15 });
    changed.set(symbol, { m1: rewriteFuture(m1, T, MINUTE), m15: rewriteFuture(m15, T, 15 * MINUTE) });
  }
  original = await runReplay(spec, new CandleTape(tapes));
  altered = await runReplay(spec, new CandleTape(changed));
  const scannerSymbols = [
    ...new Set(original.orders.filter((o) => o.origin === 'scanner' && o.createdAt < T).map((o) => o.symbol)),
  ].sort();
  excluded = {
    symbols: scannerSymbols,
    outcome: await runReplay(
      { ...spec, toMs: T, settings: { ...spec.settings, exclusions: scannerSymbols.join(',') } },
      new CandleTape(tapes),
    ),
  };
  db.close();
}, 120_000);

afterAll(async () => {
  await sim?.close();
});

describe('a replay never looks ahead', () => {
  const before = (o: ReplayOutcome) => o.orders.filter((x) => x.createdAt < T);
  const after = (o: ReplayOutcome) => o.orders.filter((x) => x.createdAt >= T);

  it('makes the same decisions before T on candles whose future differs', () => {
    console.log(
      `no look-ahead: ${before(original).length} orders before T, ${after(original).length} after (${after(altered).length} on the rewritten future); strategies trading before T: ${[...new Set(before(original).map((o) => o.origin))].join(', ')}`,
    );
    expect(before(original).length, 'the strategies traded before T').toBeGreaterThan(3);
    expect(new Set(before(original).map((o) => o.origin)).size).toBeGreaterThan(1);
    const strip = (o: ReplayOutcome['orders'][number]) => ({
      ...o,
      executedQty: undefined,
      status: undefined,
    });
    // What became of an order placed before T (filled, cancelled later) may depend on later candles.
    expect(before(altered).map(strip)).toEqual(before(original).map(strip));
    const valuesBefore = (o: ReplayOutcome) => o.equity.filter((p) => p.at < T);
    expect(valuesBefore(altered)).toEqual(valuesBefore(original));
  });

  it('sees the rewritten candles once they are the past', () => {
    const valueAfter = (o: ReplayOutcome) => o.equity.at(-1)!.totalUsdc;
    expect(valueAfter(altered)).not.toBe(valueAfter(original));
  });

  it('replays a symbol-list setting: with the scanner’s symbols excluded, no strategy orders them', () => {
    expect(excluded.symbols.length, 'the scanner traded before T').toBeGreaterThan(0);
    const ordered = excluded.outcome.orders.map((o) => o.symbol);
    expect(ordered.filter((symbol) => excluded.symbols.includes(symbol))).toEqual([]);
    expect(ordered.length, 'the other symbols are still traded').toBeGreaterThan(0);
  });
});
