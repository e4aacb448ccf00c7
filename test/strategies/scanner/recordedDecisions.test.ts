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
import type { OrderIntent } from '../../../src/domain/intent.js';
import { createScanner, type ScannerExtra } from '../../../src/strategies/scanner/scanner.js';
import { I15, randomWalkSeries, RecordingKlineSource } from '../../helpers/klineSource.js';
import { makeRule, snap, T0, testSettings } from '../../helpers/strategySnapshot.js';

const SYMBOLS = 16;
const SCANS = 20;
/** Candles generated per symbol: the 500 a cold request may ask for plus the warm scans. */
const SPAN = 500 + SCANS + 2;
const FIRST_OPEN = Math.floor(T0 / I15) * I15 - 500 * I15;

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
      Array.from({ length: SYMBOLS }, (_, i) => [
        `${symbolName(i)}USDT`,
        randomWalkSeries({ seed: 1000 + i, firstOpen: FIRST_OPEN, span: SPAN }),
      ]),
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
