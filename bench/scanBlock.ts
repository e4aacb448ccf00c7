/**
 * `npm run bench scan-block`: the longest stretch the scanner keeps the event loop to itself.
 *
 * 80 candidates (the default `maxCandidates`) with `klineLimit` 250, served by an in-process
 * kline source that answers on the next turn of the event loop (like a socket would, with no
 * network time) from candles it made before the scans, so the figure is the scanner's own work:
 * kline merging, indicators, verdicts.
 * A probe re-schedules itself with `setImmediate` and records the longest gap between two of
 * its turns while `prepare` and `decide` run: that gap is the longest synchronous block, the
 * time a `/status` arriving at the worst moment waits before it is even read.
 *
 * Rows: a cold scan (empty cache, 250 candles per symbol) and warm scans 15 minutes apart (one
 * new closed candle each), repeated `ROUNDS` times in fresh caches; the median and the worst
 * of the rounds are reported.
 */
import { createScanner, type ScannerExtra } from '../src/strategies/scanner/scanner.js';
import { I15, randomWalkSeries, RecordingKlineSource } from '../test/helpers/klineSource.js';
import { makeRule, snap, T0, testSettings } from '../test/helpers/strategySnapshot.js';
import { loadavg } from 'node:os';
import { atMost, percentile, type BenchResult } from './lib/report.js';
import { underStartFlags } from './lib/underStartFlags.js';

/** The bound on any stall of the event loop after start-up. */
const STALL_TARGET_MS = 50;

const SYMBOLS = 80;
const WARM_SCANS = 8;
const ROUNDS = 5;
const SPAN = 500 + WARM_SCANS + 2;
const FIRST_OPEN = Math.floor(T0 / I15) * I15 - 500 * I15;

function marketAt(now: number) {
  const b = snap().at(now).balance('USDT', '1000');
  for (let i = 0; i < SYMBOLS; i += 1) {
    const base = `B${i}X`;
    b.rule(makeRule(`${base}USDT`, base))
      .book(`${base}USDT`, '0.99', '1.01')
      .ticker(`${base}USDT`, {
        last: '1',
        quoteVolume: String(90_000_000 - i * 100_000),
        changeFraction: '0.01',
      });
  }
  return b.build();
}

/** Runs `work` while measuring the longest gap between event-loop turns, in ms. */
async function longestBlock(work: () => Promise<void>): Promise<{ blockMs: number; wallMs: number }> {
  let running = true;
  let last = performance.now();
  let worst = 0;
  const probe = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  const started = performance.now();
  await work();
  // Let the probe see the end of the last synchronous stretch.
  await new Promise<void>((resolve) => setImmediate(resolve));
  running = false;
  return { blockMs: worst, wallMs: performance.now() - started };
}

/** The scan-block benchmark, measured under `npm start`'s flags (see `lib/underStartFlags.ts`). */
export function runScanBlockBench(): Promise<BenchResult> {
  return underStartFlags('scan-block');
}

/** Cold and warm scans, median and worst of the rounds, in the process it runs in. */
export async function measureScanBlock(): Promise<BenchResult> {
  const settings = testSettings();
  const cold: number[] = [];
  const coldWall: number[] = [];
  const warm: number[] = [];
  const warmWall: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const series = Object.fromEntries(
      Array.from({ length: SYMBOLS }, (_, i) => [
        `B${i}XUSDT`,
        randomWalkSeries({ seed: 7000 + round * SYMBOLS + i, firstOpen: FIRST_OPEN, span: SPAN }),
      ]),
    );
    const source = new RecordingKlineSource({ now: T0, series });
    // The answers exist before the scans, as an exchange's do: the timed turns hold the
    // scanner's work on them, not the test source's making of 250 candles per request.
    source.prebuild(FIRST_OPEN, T0 + WARM_SCANS * I15);
    const scanner = createScanner();
    for (let s = 0; s <= WARM_SCANS; s += 1) {
      const now = T0 + s * I15;
      source.now = now;
      const snapshot = marketAt(now);
      const m = await longestBlock(async () => {
        const extra = (await scanner.prepare!({ snapshot, settings, klines: source })) as ScannerExtra;
        scanner.decide({ snapshot, settings, extra });
      });
      (s === 0 ? cold : warm).push(m.blockMs);
      (s === 0 ? coldWall : warmWall).push(m.wallMs);
    }
  }
  const row = (name: string, blocks: number[], walls: number[]) => ({
    scan: name,
    samples: blocks.length,
    'block p50 ms': percentile(blocks, 50),
    'block max ms': Math.max(...blocks),
    'wall p50 ms': percentile(walls, 50),
  });
  return {
    name: 'scan-block',
    description: `longest synchronous block of a scanner run (prepare + decide), ${SYMBOLS} candidates × 250 candles, in-process kline source`,
    columns: ['scan', 'samples', 'block p50 ms', 'block max ms', 'wall p50 ms'],
    rows: [row('cold (empty cache)', cold, coldWall), row('warm (+1 candle)', warm, warmWall)],
    summary: {
      rounds: ROUNDS,
      'warm scans per round': WARM_SCANS,
      // Wall-clock gaps: on a shared machine they include time the process waited for a core.
      'load average (1 min) at the end': loadavg()[0]!,
    },
    targets: [
      atMost(
        `scanner's longest event-loop block, cold scan of ${SYMBOLS} candidates × 250 candles (worst of ${ROUNDS})`,
        Math.max(...cold),
        STALL_TARGET_MS,
        'ms',
      ),
      atMost(
        `scanner's longest event-loop block, warm scan +1 candle (worst of ${ROUNDS * WARM_SCANS})`,
        Math.max(...warm),
        STALL_TARGET_MS,
        'ms',
      ),
    ],
  };
}
