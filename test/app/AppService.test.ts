import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { createTestApp, MemoryCore } from '../helpers/memoryCore.js';
import type { SymbolListResult } from '../../src/app/appViews.js';

describe('AppService', () => {
  it('status: strategies from the scheduler port, falling back to job_runs; reserves and headroom; warnings', async () => {
    const { app, core, db, clock, settings } = createTestApp();
    core.jobs = [
      {
        id: 'accumulate',
        running: false,
        lastRunAt: clock.now() - 30_000,
        nextRunAt: clock.now() + 30_000,
        lastOutcome: 'ok',
        lastSummary: 'bought',
      },
    ];
    db.prepare(
      "INSERT INTO job_runs (job, started_at, ended_at, outcome, error) VALUES ('scanner', ?, ?, 'error', 'timeout')",
    ).run(clock.now() - 60_000, clock.now() - 59_000);
    settings.set('take-profit.enabled', 'off', 'test');
    const s = await app.getStatus();
    expect(s).toMatchObject({ tradingMode: 'paper', exchange: 'simulator', paused: false, openOrders: 0 });
    expect(s.strategies.find((x) => x.id === 'accumulate')).toMatchObject({
      state: 'idle',
      lastOutcome: 'ok',
      nextRunAt: clock.now() + 30_000,
    });
    expect(s.strategies.find((x) => x.id === 'scanner')).toMatchObject({
      lastOutcome: 'error',
      lastRunAt: clock.now() - 60_000,
    });
    expect(s.strategies.find((x) => x.id === 'take-profit')?.state).toBe('disabled');
    const usdc = s.reserves.find((r) => r.asset === 'USDC')!;
    expect(usdc.headroom?.toFixed()).toBe('900');
    expect(s.warnings.join('\n')).toMatch(/scanner: last run failed: timeout/);
  });

  it('balances: USDC values (USDT through USDCUSDT, never 1:1) and the alts/core split', async () => {
    const { app } = createTestApp();
    const b = await app.getBalances();
    if (!b.available) throw new Error(b.reason);
    const usdt = b.lines.find((l) => l.asset === 'USDT')!;
    expect(usdt.valueUsdc!.toFixed(6)).toBe(dec('480.5').div('1.0002').toFixed(6));
    expect(b.split.coreUsdc.toFixed(2)).toBe('2719.50'); // 0.0123 × 65000 + 0.6 × 3200
    expect(b.split.altsUsdc.toFixed(4)).toBe(dec('12.34').div('1.0002').toFixed(4));
  });

  it('pnl: value, unrealised amount and %, realised periods, flags for unexplained cost basis', async () => {
    const { app } = createTestApp();
    const p = await app.getPnl();
    if (!p.available) throw new Error(p.reason);
    const btc = p.assets.find((a) => a.asset === 'BTC')!;
    expect(btc.value?.toFixed()).toBe('799.5');
    expect(btc.unrealised?.toFixed()).toBe('61.5');
    expect(btc.unrealisedPct?.toFixed(4)).toBe('8.3333');
    expect(p.realised.today?.toFixed()).toBe('2.5');
    expect(p.realised.all?.toFixed()).toBe('12.5');
    expect(p.warnings.join()).toMatch(/PEPE: cost basis from the price at first sight/);
  });

  it('says so when the market does not answer, and still answers /status and draws a chart', async () => {
    const { app, core } = createTestApp();
    core.marketDown = 'connect ECONNREFUSED';
    expect(await app.getBalances()).toEqual({
      available: false,
      reason: 'portfolio unavailable: connect ECONNREFUSED',
    });
    expect((await app.getPnl()).available).toBe(false);
    expect((await app.getStatus()).warnings).toContain('portfolio unavailable: connect ECONNREFUSED');
    expect(await app.getChart('7d'), 'charts are always drawn').toMatchObject({ available: true });
    expect((await app.getStatus()).strategies).toHaveLength(6);
  });

  it('trades come from fills, newest first; open orders from orders', async () => {
    const core = new MemoryCore();
    core.fills = [];
    const { app, db } = createTestApp({ core });
    const insert = db.prepare(
      `INSERT INTO fills (symbol, trade_id, order_id, origin, base_asset, quote_asset, side, price, qty, quote_qty, commission, commission_asset, is_maker, time, recorded_at)
       VALUES (?, ?, 'o', 'accumulate', 'BTC', 'USDC', 'BUY', ?, '0.001', '65', '0.065', 'USDC', 1, ?, 0)`,
    );
    insert.run('BTCUSDC', 't1', '65000', 1000);
    insert.run('BTCUSDC', 't2', '64000', 2000);
    insert.run('BTCUSDC', 't3', 'garbage', 3000);
    const trades = await app.getTrades({ kind: 'first' }, 10);
    expect(
      trades.rows.map((t) => t.price.toFixed()),
      'malformed row skipped',
    ).toEqual(['64000', '65000']);
    expect(trades).toMatchObject({ skipped: 1, total: 3, before: 0 });
    expect(trades.precision.get('BTCUSDC')?.tickSize.toFixed(), 'the symbol’s tick from the exchange').toBe(
      '0.01',
    );
    expect((await app.getOpenOrders({ kind: 'first' }, 10)).rows).toEqual([]);
  });

  /** Saves a proposed change of the exclusions as the owner's ✅ Save does. */
  async function save(app: ReturnType<typeof createTestApp>['app'], r: SymbolListResult) {
    if (r.status !== 'proposed') throw new Error(`expected a proposal, got ${r.status}`);
    return app.resolveConfirmation(r.proposal.confirmation.id, 'confirm', 'tg:1');
  }

  it('exclusions validate the symbol against the exchange and are proposed as a versioned setting change', async () => {
    const { app, settings } = createTestApp();
    expect(await app.exclude('pepe usdt')).toMatchObject({ status: 'refused' });
    const proposed = await app.exclude('pepeusdt');
    expect(proposed).toMatchObject({
      status: 'proposed',
      changed: ['PEPEUSDT'],
      proposal: { key: 'exclusions', old: 'none', new: 'PEPEUSDT' },
    });
    expect(settings.get('exclusions'), 'proposing changes nothing').toEqual([]);
    expect(await save(app, proposed)).toMatchObject({ status: 'done' });
    expect(await app.exclude('PEPEUSDT')).toMatchObject({ status: 'unchanged', symbols: ['PEPEUSDT'] });
    expect(settings.get('exclusions')).toEqual(['PEPEUSDT']);
    const include = await app.include('PEPEUSDT');
    expect(include).toMatchObject({ changed: ['PEPEUSDT'], proposal: { old: 'PEPEUSDT', new: 'none' } });
    await save(app, include);
    expect(settings.get('exclusions')).toEqual([]);
    expect(settings.history('exclusions').map((h) => h.newValue)).toEqual(['none', 'PEPEUSDT']);
  });

  it('a bare asset proposes all its pairs; an unknown name is refused with the reason and proposes nothing', async () => {
    const { app, settings, confirmations, clock } = createTestApp();
    const asked = await app.exclude('OP');
    expect(asked).toMatchObject({
      status: 'proposed',
      asset: 'OP',
      changed: ['OPUSDC', 'OPUSDT'],
      proposal: { key: 'exclusions', old: 'none', new: 'OPUSDC,OPUSDT' },
      exclusions: [],
    });
    expect(settings.get('exclusions'), 'asking changes nothing').toEqual([]);
    const pending = confirmations.pending(clock.now()).length;
    const refused = await app.exclude('FOOBARUSDT');
    expect(refused).toMatchObject({ status: 'refused' });
    expect(refused.status === 'refused' && refused.error).toMatch(
      /FOOBARUSDT is neither a symbol nor an asset.*nothing changed/,
    );
    expect(confirmations.pending(clock.now()), 'a refusal proposes nothing').toHaveLength(pending);
    expect(settings.get('exclusions'), 'a refusal changes nothing').toEqual([]);
    await save(app, asked);
    expect(settings.get('exclusions')).toEqual(['OPUSDC', 'OPUSDT']);
    expect(await app.exclude('OP'), 'every pair already excluded').toMatchObject({
      status: 'unchanged',
      symbols: ['OPUSDC', 'OPUSDT'],
    });
    const include = await app.include('OP');
    expect(include, 'including an asset proposes its excluded pairs').toMatchObject({
      status: 'proposed',
      asset: 'OP',
      changed: ['OPUSDC', 'OPUSDT'],
    });
    await save(app, include);
    expect(settings.get('exclusions')).toEqual([]);
    expect(await app.include('BTC'), 'no excluded pair of BTC').toMatchObject({
      status: 'unchanged',
      symbols: [],
    });
  });

  it('why: the latest verdict with every gate, from either stored shape', () => {
    const { app, db } = createTestApp();
    db.prepare(
      'INSERT INTO scans (id, started_at, ended_at, universe, analysed, leaders) VALUES (1, 10, 20, 300, 80, \'["PEPEUSDT"]\')',
    ).run();
    const gates = [
      { gate: 'rsi', ok: true, value: '35.2', limit: '40', points: 30 },
      { gate: 'change24h', ok: false, value: 25, limit: 20 },
    ];
    db.prepare("INSERT INTO scan_verdicts VALUES (1, 'PEPEUSDT', 30, 0, ?)").run(JSON.stringify({ gates }));
    const w = app.why('pepeusdt');
    expect(w).toMatchObject({ found: true, score: 30, passed: false });
    if (w.found)
      expect(w.gates.map((g) => [g.gate, g.value])).toEqual([
        ['rsi', '35.2'],
        ['change24h', '25'],
      ]);
    expect(app.why('DOGEUSDT')).toEqual({ found: false, symbol: 'DOGEUSDT', scanned: true });
    expect(app.getScan()).toMatchObject({
      available: true,
      leaders: ['PEPEUSDT'],
      top: [{ symbol: 'PEPEUSDT', score: 30, passed: false }],
    });
  });

  it('a symbol excluded after the scan is no longer a leader: /scan and /why mark it excluded', async () => {
    const { app, db } = createTestApp();
    db.prepare(
      'INSERT INTO scans (id, started_at, ended_at, universe, analysed, leaders) VALUES (1, 10, 20, 300, 80, \'["PEPEUSDT","OPUSDT"]\')',
    ).run();
    db.prepare("INSERT INTO scan_verdicts VALUES (1, 'PEPEUSDT', 80, 1, '{\"gates\":[]}')").run();
    db.prepare("INSERT INTO scan_verdicts VALUES (1, 'OPUSDT', 70, 1, '{\"gates\":[]}')").run();
    expect(app.getScan()).toMatchObject({ leaders: ['PEPEUSDT', 'OPUSDT'] });
    await save(app, await app.exclude('PEPEUSDT'));
    const scan = app.getScan();
    expect(scan.available && scan.leaders, 'excluded symbols never appear as scan leaders').toEqual([
      'OPUSDT',
    ]);
    expect(scan.available && scan.top).toEqual([
      { symbol: 'PEPEUSDT', score: 80, passed: true, excluded: true },
      { symbol: 'OPUSDT', score: 70, passed: true, excluded: false },
    ]);
    expect(app.why('PEPEUSDT')).toMatchObject({ found: true, passed: true, excluded: true });
  });

  it('a confirmed action that fails is reported as failed and cannot be retried by tapping again', async () => {
    const { app, confirmations } = createTestApp();
    const record = confirmations.create({
      kind: 'nothing-handles-this',
      payload: '{}',
      summary: 'BUY 1 BTCUSDC',
      ttlMs: 60_000,
    });
    expect(await app.resolveConfirmation(record.id, 'confirm', 'tg:1'), 'no handler').toMatchObject({
      status: 'failed',
      error: 'nothing handles confirmations of kind nothing-handles-this',
    });
    expect(await app.resolveConfirmation(record.id, 'confirm', 'tg:1')).toMatchObject({
      status: 'already-resolved',
      outcome: 'failed',
    });
  });

  it('runs one scan at a time from chat', async () => {
    const { app, core } = createTestApp();
    let finish!: () => void;
    core.onScan = () => new Promise<void>((r) => (finish = r));
    const first = app.runScan();
    expect(first.status).toBe('started');
    expect(app.runScan().status).toBe('already-running');
    finish();
    if (first.status === 'started') expect((await first.done).available).toBe(false);
    expect(core.scanCalls).toBe(1);
    expect(app.runScan().status).toBe('started');
  });
});
