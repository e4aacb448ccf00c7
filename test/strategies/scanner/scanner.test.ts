import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../../src/domain/intent.js';
import type { SettingsReader, StrategySnapshot } from '../../../src/strategies/contract.js';
import { createScanner, type ScannerExtra } from '../../../src/strategies/scanner/scanner.js';
import { calmSeries, dipSeries, I15, RecordingKlineSource } from '../../helpers/klineSource.js';
import {
  HOUR,
  makeRule,
  snap,
  T0,
  testSettings,
  type SnapshotBuilder,
} from '../../helpers/strategySnapshot.js';

/**
 * Four candidates: CCCUSDT and AAAUSDT score 100 (a dip with a MACD cross and 2× volume),
 * BBBUSDT 75 (volume ratio only 1.2), DDDUSDT 15 (calm). By volume: CCC, AAA, BBB, DDD.
 */
function market(now = T0): SnapshotBuilder {
  const b = snap().at(now).balance('USDT', '105');
  const add = (sym: string, vol: string) =>
    b
      .rule(makeRule(`${sym}USDT`, sym))
      .book(`${sym}USDT`, '98.63', '98.65')
      .ticker(`${sym}USDT`, { last: '98.64', quoteVolume: vol, changeFraction: '0.03' });
  add('CCC', '40000000');
  add('AAA', '30000000');
  add('BBB', '20000000');
  add('DDD', '10000000');
  return b;
}

function source(now = T0) {
  return new RecordingKlineSource({
    now,
    series: {
      CCCUSDT: dipSeries(T0),
      AAAUSDT: dipSeries(T0),
      BBBUSDT: dipSeries(T0, 1200),
      DDDUSDT: calmSeries(T0),
    },
  });
}

async function run(snapshot: StrategySnapshot, settings: SettingsReader = testSettings(), src = source()) {
  const scanner = createScanner();
  const extra = (await scanner.prepare!({ snapshot, settings, klines: src })) as ScannerExtra;
  return { decision: scanner.decide({ snapshot, settings, extra }), scanner, src, extra };
}

const symbols = (intents: readonly unknown[]) => (intents as OrderIntent[]).map((i) => i.symbol);

describe('scanner', () => {
  it('buys the best maxBuysPerScan leaders with IOC limits at the ask, and reports every verdict', async () => {
    const { decision } = await run(market().build());
    expect(symbols(decision.intents)).toEqual(['CCCUSDT', 'AAAUSDT']);
    const i = decision.intents[0] as OrderIntent;
    expect(i).toMatchObject({ origin: 'scanner', side: 'BUY', type: 'IMMEDIATE_OR_CANCEL' });
    expect(i.price.toFixed()).toBe('98.65');
    expect(i.quoteAmount!.toFixed()).toBe('10');
    expect(i.reason).toMatch(
      /^CCCUSDT score 100: RSI buy zone 38\.\d\d \(≤ 40\); MACD histogram .* \(crossed zero\);/,
    );
    expect(i.reason).toContain('volume ratio 2.00× (≥ 1.5×)');

    const scan = decision.scan!;
    expect(scan.universe).toBe(4);
    expect(scan.analysed).toBe(4);
    expect(scan.leaders).toEqual(['CCCUSDT', 'AAAUSDT', 'BBBUSDT']);
    expect(scan.requests, 'one cold request per candidate').toBe(4);
    const bbb = scan.verdicts.find((v) => v.symbol === 'BBBUSDT')!;
    expect(bbb.score).toBe(75);
    expect(bbb.gates.find((g) => g.gate === 'volume ratio')).toEqual({
      gate: 'volume ratio',
      ok: false,
      value: '1.20×',
      limit: '≥ 1.5×',
      points: 0,
    });
    expect(scan.verdicts.find((v) => v.symbol === 'DDDUSDT')).toMatchObject({ score: 15, passed: false });
    expect(decision.notes[0]).toMatch(
      /^universe 4 symbols; analysed 4 with 4 kline requests; 3 passed: CCCUSDT, AAAUSDT, BBBUSDT$/,
    );
  });

  it('a second scan tops up only the new candles through the same cache', async () => {
    const scanner = createScanner();
    const settings = testSettings();
    const src = source();
    await scanner.prepare!({ snapshot: market().build(), settings, klines: src });
    const T1 = T0 + I15;
    src.now = T1;
    src.calls.length = 0;
    const extra = (await scanner.prepare!({
      snapshot: market(T1).build(),
      settings,
      klines: src,
    })) as ScannerExtra;
    const open0 = Math.floor(T0 / I15) * I15;
    expect(src.calls.map((c) => [c.symbol, c.startTime, c.endTime, c.limit])).toEqual(
      ['CCCUSDT', 'AAAUSDT', 'BBBUSDT', 'DDDUSDT'].map((s) => [s, open0, open0 + 2 * I15, 2]),
    );
    expect(extra.klines.requests).toBe(4);
    expect(scanner.klineCache.requestCount).toBe(8);
  });

  it('does not buy a score just below minScore', async () => {
    const { decision } = await run(
      market().build(),
      testSettings({ 'scanner.minScore': '80', 'scanner.maxBuysPerScan': '5' }),
    );
    expect(symbols(decision.intents), 'BBB scores 75').toEqual(['CCCUSDT', 'AAAUSDT']);
    const strict = await run(
      market().build(),
      testSettings({ 'scanner.minScore': '100', 'scanner.maxBuysPerScan': '5' }),
    );
    expect(symbols(strict.decision.intents)).toEqual(['CCCUSDT', 'AAAUSDT']);
  });

  it('per-symbol cooldown: skips a symbol the scanner bought within cooldownHours', async () => {
    const recent = market().fill({
      symbol: 'CCCUSDT',
      side: 'BUY',
      price: '98',
      qty: '0.1',
      ago: 23 * HOUR,
      origin: 'scanner',
    });
    const { decision } = await run(recent.build());
    expect(symbols(decision.intents)).toEqual(['AAAUSDT', 'BBBUSDT']);
    expect(decision.notes.join('\n')).toContain('CCCUSDT: bought recently, cooldown 1h left');
    const old = market().fill({
      symbol: 'CCCUSDT',
      side: 'BUY',
      price: '98',
      qty: '0.1',
      ago: 25 * HOUR,
      origin: 'scanner',
    });
    expect(symbols((await run(old.build())).decision.intents)).toEqual(['CCCUSDT', 'AAAUSDT']);
  });

  it('reserve: no buy when USDT headroom is below orderUsdt, one when it covers one order', async () => {
    const none = await run(market().headroom('0', '9.99').build());
    expect(none.decision.intents).toHaveLength(0);
    expect(none.decision.notes.join('\n')).toContain(
      'USDT headroom 9.99 is below the order 10 USDT (reserve 5 USDT kept)',
    );
    const one = await run(market().headroom('0', '15').build());
    expect(symbols(one.decision.intents)).toEqual(['CCCUSDT']);
  });

  it('stops at maxPositions altcoin positions (dust does not count)', async () => {
    const held = market().balance('SOL', '1').balance('XRP', '10').balance('DOGE', '1');
    const full = await run(held.build(), testSettings({ 'scanner.maxPositions': '2' }));
    expect(full.decision.intents, 'SOL and XRP are positions; DOGE (0.2 USDT) is dust').toHaveLength(0);
    expect(full.decision.notes.join('\n')).toContain('2 alt positions held, at most 2');
    const room = await run(held.build(), testSettings({ 'scanner.maxPositions': '3' }));
    expect(symbols(room.decision.intents)).toEqual(['CCCUSDT']);
  });

  it('leaves held leaders to alt-profit top-ups', async () => {
    const { decision } = await run(market().balance('CCC', '1').build());
    expect(symbols(decision.intents)).toEqual(['AAAUSDT', 'BBBUSDT']);
    expect(decision.notes.join('\n')).toContain('CCCUSDT: already held');
  });

  it('skips a leader that became untradable and one with an open scanner order', async () => {
    const s = market()
      .block('CCCUSDT')
      .openOrder({ symbol: 'AAAUSDT', side: 'BUY', price: '98', qty: '0.1', origin: 'scanner' });
    const { decision } = await run(s.build(), testSettings({ 'scanner.maxBuysPerScan': '5' }));
    expect(symbols(decision.intents), 'CCC is blocked before the scan, AAA has an open order').toEqual([
      'BBBUSDT',
    ]);
  });

  it('disabled or paused: keeps the scan for /why but places nothing', async () => {
    for (const settings of [testSettings({ 'scanner.enabled': 'off' }), testSettings({ paused: 'on' })]) {
      const { decision } = await run(market().build(), settings);
      expect(decision.intents).toHaveLength(0);
      expect(decision.notes[0]).toMatch(/disabled|paused/);
      expect(decision.scan!.leaders).toEqual(['CCCUSDT', 'AAAUSDT', 'BBBUSDT']);
    }
  });

  it('explains an empty result with the best verdict', async () => {
    const { decision } = await run(market().build(), testSettings({ 'scanner.maxChange24hPct': '1' }));
    expect(decision.intents).toHaveLength(0);
    expect(decision.notes.at(-1)).toBe('nothing passed; best was CCCUSDT: 24 h change 3.00% vs ≤ 1.00%');
  });

  it('is scheduled by scanner.cron and needs tickers', () => {
    const s = createScanner();
    expect(s.needs.tickers).toBe(true);
    expect(s.schedule(testSettings({ 'scanner.cron': '*/5 * * * *' }))).toEqual({
      kind: 'cron',
      expression: '*/5 * * * *',
    });
    expect(
      s.decide({ snapshot: market().build(), settings: testSettings(), extra: undefined }).notes[0],
    ).toContain('no scan data');
  });
});
