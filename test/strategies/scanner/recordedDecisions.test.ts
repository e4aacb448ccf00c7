/**
 * The scanner's decisions on a fixed candle set, scan after scan, pinned in a file snapshot.
 *
 * The snapshot was recorded with the batch indicator implementation (whole-series
 * `calculate` on every scan); the incremental one (typed arrays and `nextValue` as candles
 * close) must reproduce it exactly: the same scores, leaders, buys and every gate's numbers.
 * The candles are generated deterministically (seeded random walks with dips and volume
 * bursts) and served through the real kline cache, one cold scan then warm top-ups.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../../src/strategies/contract.js';
import { createScanner, type ScannerExtra } from '../../../src/strategies/scanner/scanner.js';
import { I15, RecordingKlineSource, type SeriesFn } from '../../helpers/klineSource.js';
import { makeRule, snap, T0, testSettings } from '../../helpers/strategySnapshot.js';

const SYMBOLS = 16;
const SCANS = 20;
/** Candles generated per symbol: the 500 a cold request may ask for plus the warm scans. */
const SPAN = 500 + SCANS + 2;
const FIRST_OPEN = Math.floor(T0 / I15) * I15 - 500 * I15;

/** mulberry32: a small seeded generator, so the candles are the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random walk with a slow cycle, occasional dips and volume bursts; a pure function of time. */
function recordedSeries(seed: number): SeriesFn {
  const rnd = prng(seed);
  const level = 10 ** (rnd() * 6 - 3);
  const period = 20 + Math.floor(rnd() * 60);
  const amplitude = 0.005 + rnd() * 0.04;
  const closes: number[] = [];
  const volumes: number[] = [];
  let walk = 0;
  for (let k = 0; k < SPAN; k += 1) {
    walk += (rnd() - 0.5) * 0.01;
    if (rnd() < 0.02) walk -= rnd() * 0.05;
    closes.push(level * Math.exp(walk + amplitude * Math.sin((2 * Math.PI * k) / period)));
    volumes.push(1000 * (0.5 + rnd()) * (rnd() < 0.08 ? 2 + rnd() * 4 : 1));
  }
  return (openTime, open) => {
    const k = Math.min(Math.max(Math.round((openTime - FIRST_OPEN) / I15), 0), SPAN - 1);
    return { close: closes[k]!, volume: open ? volumes[k]! / 50 : volumes[k]! };
  };
}

function symbolName(i: number): string {
  return `S${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`;
}

function marketAt(now: number) {
  const b = snap().at(now).balance('USDT', '1000');
  for (let i = 0; i < SYMBOLS; i += 1) {
    const base = symbolName(i);
    const symbol = `${base}USDT`;
    b.rule(makeRule(symbol, base))
      .book(symbol, '0.99', '1.01')
      .ticker(symbol, {
        last: '1',
        quoteVolume: String(50_000_000 - i * 1_000_000),
        changeFraction: ((i % 7) * 0.03 - 0.05).toFixed(2),
      });
  }
  return b.build();
}

describe('scanner decisions on recorded candles', () => {
  it('every scan (one cold, then warm top-ups) gives the recorded verdicts, leaders and buys', async () => {
    const settings = testSettings({ 'scanner.maxBuysPerScan': '3', 'scanner.maxPositions': '50' });
    const series = Object.fromEntries(
      Array.from({ length: SYMBOLS }, (_, i) => [`${symbolName(i)}USDT`, recordedSeries(1000 + i)]),
    );
    const source = new RecordingKlineSource({ now: T0, series });
    const scanner = createScanner();
    const lines: string[] = [];
    let passed = 0;
    for (let s = 0; s < SCANS; s += 1) {
      const now = T0 + s * I15;
      source.now = now;
      const snapshot = marketAt(now);
      const extra = (await scanner.prepare!({ snapshot, settings, klines: source })) as ScannerExtra;
      const decision = scanner.decide({ snapshot, settings, extra });
      const scan = decision.scan!;
      passed += scan.leaders.length;
      const digest = createHash('sha256').update(JSON.stringify(scan.verdicts)).digest('hex');
      const buys = (decision.intents as OrderIntent[]).map((i) => i.symbol).join(',');
      const scores = scan.verdicts.map((v) => `${v.symbol}=${v.score}${v.passed ? '+' : ''}`).join(' ');
      lines.push(`scan ${s}: buys [${buys}] ${scores} sha256 ${digest.slice(0, 16)}`);
      if (s === SCANS - 1) lines.push(JSON.stringify(scan.verdicts.slice(0, 4), null, 1));
    }
    // The set must exercise both outcomes, or the comparison would prove little.
    expect(passed).toBeGreaterThan(5);
    expect(passed).toBeLessThan(SYMBOLS * SCANS - 5);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/recordedDecisions.txt');
  });
});
