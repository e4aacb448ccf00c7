/**
 * `scanner` through the whole bot on the simulator: 24 h tickers and 15-minute klines over
 * the MEXC client, verdicts stored for /why, IOC buys through the executor to the paper exchange.
 * The analysed head is kept small (`maxCandidates`) so every scan is a handful of requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dec, quantize } from '../../src/domain/money.js';
import { ANTI_HYPE_GATES } from '../../src/strategies/scanner/antiHype.js';
import type { ScanGate } from '../../src/domain/scan.js';
import { MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

async function start(settings: Record<string, string> = {}) {
  h = await startRuntimeHarness({
    only: ['scanner'],
    settings: { 'scanner.maxCandidates': '8', ...settings },
  });
  return h;
}

interface StoredVerdict {
  readonly symbol: string;
  readonly score: number;
  readonly passed: boolean;
  readonly gates: readonly ScanGate[];
}

/** Verdicts of the latest scan, from the scan_verdicts table. */
function latestVerdicts(): StoredVerdict[] {
  const rows = h.runtime.db
    .prepare<[], { symbol: string; score: number; passed: number; verdict: string }>(
      'SELECT symbol, score, passed, verdict FROM scan_verdicts WHERE scan_id = (SELECT MAX(id) FROM scans)',
    )
    .all();
  return rows.map((r) => ({
    symbol: r.symbol,
    score: r.score,
    passed: r.passed === 1,
    gates: JSON.parse(r.verdict) as ScanGate[],
  }));
}

const HYPE = new Set<string>([...Object.values(ANTI_HYPE_GATES), 'history']);
const calm = (v: StoredVerdict) => v.gates.filter((g) => HYPE.has(g.gate)).every((g) => g.ok);

/** Scans once without buying; returns the best score among symbols the anti-hype filter lets through. */
async function bestCalmScore(): Promise<{ symbol: string; score: number }> {
  h.set('scanner.maxBuysPerScan', '0');
  await h.run('scanner');
  const best = latestVerdicts()
    .filter(calm)
    .sort((a, b) => b.score - a.score)[0];
  if (!best || best.score === 0) throw new Error('no scored symbol passes the anti-hype filter');
  h.set('scanner.maxBuysPerScan', '2');
  return best;
}

describe('scanner on the simulator', () => {
  it('trigger: buys the best scored symbol with an IOC at the ask for orderUsdt, with the score in the reason', async () => {
    await start();
    const best = await bestCalmScore();
    h.set('scanner.minScore', String(best.score));
    const { ask } = await h.pinHere(best.symbol);
    await h.run('scanner');

    const orders = h.orders({ origin: 'scanner' });
    const order = orders.find((o) => o.symbol === best.symbol);
    expect(order, `${best.symbol} (score ${best.score}) is bought`).toBeDefined();
    expect(orders.every((o) => o.side === 'BUY' && o.type === 'IMMEDIATE_OR_CANCEL')).toBe(true);
    const rules = await h.rules(best.symbol);
    expect(order!.price!.equals(ask), `priced at the ask ${ask.toFixed()}`).toBe(true);
    expect(
      order!.quantity.equals(quantize(dec(10).div(ask), rules.stepSize, 'down')),
      '10 USDT at the ask',
    ).toBe(true);
    expect(order!.reason).toMatch(
      new RegExp(`^${best.symbol} score ${best.score}: .*; ask .*; buy 10 USDT \\(IOC at the ask\\)`),
    );
    expect(order!.status, 'settled at once').toMatch(/FILLED|CANCELED/);
    const paper = h.paperOrders().find((p) => p.clientOrderId === order!.clientOrderId);
    expect(paper, 'on the paper exchange').toBeDefined();
    expect(
      h.fills({ origin: 'scanner', symbol: best.symbol }).length,
      'the fill is recorded',
    ).toBeGreaterThan(0);
  });

  it('non-trigger: minScore one point above the best score buys nothing and says what came closest', async () => {
    await start();
    const best = await bestCalmScore();
    h.set('scanner.minScore', String(best.score + 1));
    await h.run('scanner');
    expect(h.orders()).toHaveLength(0);
    expect(h.runtime.core.scans.latest()?.leaders, 'no leaders').toEqual([]);
    expect(h.runSummaries('scanner').at(-1)).toMatch(/0 passed; nothing passed; best was /);
  });

  it('cooldown: a symbol bought and sold again is not re-bought for cooldownHours', async () => {
    // The top-volume symbol alone, every calm symbol a leader: the scan's choice is deterministic.
    await start({ 'scanner.maxCandidates': '1', 'scanner.minScore': '0', 'scanner.cooldownHours': '1' });
    await h.run('scanner');
    const [first] = h.orders({ origin: 'scanner' });
    expect(first, 'the first buy').toBeDefined();
    const symbol = first!.symbol;
    // Keep it calm (a flat price) and sell it, so only the cooldown can stop a second buy.
    await h.pinHere(symbol);
    const base = (await h.rules(symbol)).baseAsset;
    await h.trade({ symbol, side: 'SELL', quantity: h.balance(base).free });
    const boughtAt = h.fills({ origin: 'scanner' })[0]!.time;

    await h.advance(boughtAt + 55 * MINUTE - h.now());
    expect(h.orders({ origin: 'scanner' }), 'no second buy inside the hour').toHaveLength(1);
    expect(h.runSummaries('scanner').at(-1)).toMatch(
      new RegExp(`${symbol}: bought recently, cooldown .* left`),
    );

    await h.advance(boughtAt + 80 * MINUTE - h.now());
    const orders = h.orders({ origin: 'scanner' });
    expect(
      orders.map((o) => o.symbol),
      'bought again after the cooldown',
    ).toEqual([symbol, symbol]);
    expect(orders[1]!.createdAt - boughtAt).toBeGreaterThanOrEqual(60 * MINUTE);
  });

  it('reserve: USDT headroom one cent short of orderUsdt buys nothing and gives the numbers', async () => {
    await start({ 'scanner.maxCandidates': '1', 'scanner.minScore': '0', 'reserve.usdt': '490.01' });
    await h.run('scanner');
    expect(h.orders()).toHaveLength(0);
    expect(h.runSummaries('scanner').at(-1)).toMatch(
      /USDT headroom 9\.99 is below the order 10 USDT \(reserve 490\.01 USDT kept\)/,
    );
  });

  it('disabled: scanner.enabled off scans nothing on its schedule', async () => {
    await start({ 'scanner.enabled': 'off', 'scanner.minScore': '0' });
    await h.advance(31 * MINUTE);
    expect(h.runSummaries('scanner')).toHaveLength(0);
    expect(h.runtime.core.scans.latest(), 'no scan stored').toBeUndefined();
    expect(h.orders()).toHaveLength(0);
  });

  it('paused: paused on scans nothing; resumed, the next quarter-hour scan buys', async () => {
    await start({ paused: 'on', 'scanner.maxCandidates': '1', 'scanner.minScore': '0' });
    await h.advance(31 * MINUTE);
    expect(h.runSummaries('scanner')).toHaveLength(0);
    expect((await h.run('scanner')).status).toBe('paused');
    h.set('paused', 'off');
    await h.advance(16 * MINUTE);
    expect(h.runSummaries('scanner'), 'one scheduled scan').toHaveLength(1);
    expect(h.orders({ origin: 'scanner' })).toHaveLength(1);
  });

  it('special rule: a pumping coin (+35 % in 24 h) is rejected by the anti-hype filter, and /why shows the gate', async () => {
    await start({ 'scanner.maxCandidates': '1', 'scanner.minScore': '0', 'scanner.maxBuysPerScan': '0' });
    await h.run('scanner');
    const [calmVerdict] = latestVerdicts();
    expect(calmVerdict && calm(calmVerdict), 'the top-volume symbol is calm before the pump').toBe(true);
    const symbol = calmVerdict!.symbol;
    h.set('scanner.maxBuysPerScan', '2');
    const ticker = (await h.runtime.exchange.getTickers24h()).find((t) => t.symbol === symbol)!;
    const open = ticker.lastPrice.div(ticker.priceChangeFraction.plus(1));
    const tick = (await h.rules(symbol)).tickSize;
    const pumped = quantize(open.times('1.35'), tick, 'down');
    await h.pin(symbol, pumped.toFixed(), pumped.plus(tick).toFixed());
    await h.run('scanner');

    expect(h.orders(), 'nothing bought').toHaveLength(0);
    const why = h.runtime.app.why(symbol);
    expect(why.found, '/why has a verdict').toBe(true);
    if (!why.found) return;
    expect(why.passed).toBe(false);
    const gate = why.gates.find((g) => g.gate === ANTI_HYPE_GATES.change24h);
    expect(gate?.ok, 'rejected by the 24 h change gate').toBe(false);
    expect(Number(gate?.value?.replace(/[^\d.]/g, '')), `24 h change ${gate?.value}`).toBeGreaterThan(30);
    expect(gate?.limit).toBe('≤ 20.00%');
    expect(h.runSummaries('scanner').at(-1)).toMatch(new RegExp(`best was ${symbol}: 24 h change`));
  });
});
