import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { StrategyDefinition } from '../../src/strategies/contract.js';
import { StrategyRunner } from '../../src/execution/StrategyRunner.js';
import { createTakeProfit } from '../../src/strategies/takeProfit.js';
import { silentLogger } from '../../src/common/logger.js';
import { dcaReference } from '../helpers/dcaReference.js';
import { harness, type Harness } from '../helpers/executionHarness.js';
import { withRunner } from '../helpers/runnerHarness.js';

let h: Harness;
afterEach(() => h?.db.close());

function setup() {
  const r = withRunner(harness({ balances: { USDC: '1000', USDT: '500', BTC: '0.01' } }));
  h = r;
  return r;
}

describe('StrategyRunner', () => {
  it('builds the snapshot: headroom after open buys and reserves, USDCUSDT mid, blocked symbols, open orders', async () => {
    const r = setup();
    await r.executor.execute({
      kind: 'order',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('50000'),
      quoteAmount: dec('100'),
      reason: 'open buy',
    });
    r.settings.set('exclusions', 'PEPEUSDT', 'owner');
    r.blocks.block('ETHUSDC', r.clock.now() + 60_000, '10007');
    const snap = await r.runner.buildSnapshot({ tickers: true }, r.clock.now());
    expect(snap.headroom.usdc.toFixed(), '900 free (100 locked) − 100 open − 50 reserve').toBe('750');
    expect(snap.headroom.usdt.toFixed(), '500 − 0 − 5').toBe('495');
    expect(snap.usdcUsdt.toFixed(), 'mid of 0.9998 / 1.0001').toBe('0.99995');
    expect([...snap.blockedSymbols].sort()).toEqual(['ETHUSDC', 'PEPEUSDT']);
    expect(snap.openOrders).toHaveLength(1);
    expect(snap.tickers.size).toBeGreaterThan(0);
    expect(snap.balances.get('BTC')?.free.toFixed()).toBe('0.01');
  });

  it('reads open orders before fills: an order filled while the snapshot is built still counts as open', async () => {
    const r = setup();
    const placed = await r.executor.execute({
      kind: 'order',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('50000'),
      quoteAmount: dec('100'),
      reason: 'open buy',
    });
    if (placed.status !== 'placed') throw new Error('not placed');
    const cid = placed.order.clientOrderId;
    // The executor settles the order while the runner awaits the fills: its fill is not read yet.
    const runner = new StrategyRunner({
      blocks: r.blocks,
      clock: r.clock,
      confirmations: r.confirmations,
      events: r.publisher,
      exchange: r.exchange,
      executor: r.executor,
      logger: silentLogger(),
      orders: r.orders,
      positions: () => new Map(),
      recentFills: async () => {
        r.exchange.fill(cid, placed.order.quantity.toFixed(), '50000');
        await r.executor.track();
        return [];
      },
      scans: r.scans,
      settings: r.settings,
      state: r.state,
    });
    const snap = await runner.buildSnapshot({ tickers: false }, r.clock.now());
    expect(r.orders.get(cid)?.status, 'filled meanwhile').toBe('FILLED');
    expect(
      snap.openOrders.map((o) => o.clientOrderId),
      'still seen open: a strategy waits instead of ordering again before its cooldown starts',
    ).toEqual([cid]);
  });

  it('auto mode: intents go to the executor', async () => {
    const r = setup();
    const report = await r.runner.run(dcaReference());
    expect(report.summary).toBe('auto: 1 placed');
    expect(r.exchange.placeCalls).toHaveLength(1);
    const again = await r.runner.run(dcaReference());
    expect(again.summary, 'the reference strategy waits for its open buy').toMatch(
      /no orders; a buy is already open/,
    );
  });

  it('confirm mode: proposes instead of placing, once per symbol and side', async () => {
    const r = setup();
    r.settings.set('accumulate.mode', 'confirm', 'owner');
    const report = await r.runner.run(dcaReference());
    expect(report.summary).toBe('confirm: 1 awaiting confirmation');
    expect(r.exchange.placeCalls, 'nothing placed').toHaveLength(0);
    expect(r.of('intent.proposed')).toHaveLength(1);
    await r.runner.run(dcaReference());
    expect(r.confirmations.pending(r.clock.now()), 'not proposed twice').toHaveLength(1);
    const id = r.of('intent.proposed')[0]!.confirmationId;
    await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now());
    expect(r.exchange.placeCalls).toHaveLength(1);
  });

  it('notify mode: places nothing and reports what it would do', async () => {
    const r = setup();
    r.settings.set('accumulate.mode', 'notify', 'owner');
    const report = await r.runner.run(dcaReference());
    expect(r.exchange.placeCalls).toHaveLength(0);
    expect(r.confirmations.pending(r.clock.now())).toHaveLength(0);
    const notes = r.of('intent.notified');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.summary).toMatch(/^would BUY 0.000333 BTC on BTCUSDC at 60,000\.00 USDC/);
    expect(report.summary).toBe('notify: 1 notified');
    await r.runner.run(dcaReference());
    expect(r.of('intent.notified'), 'not repeated within confirmTtlMin').toHaveLength(1);
  });

  it('stores the scan a decision carries, and the next snapshot sees its leaders', async () => {
    const r = setup();
    const scanner: StrategyDefinition = {
      id: 'scanner',
      needs: { tickers: true },
      schedule: () => ({ kind: 'cron', expression: '*/15 * * * *' }),
      decide: () => ({
        intents: [],
        notes: ['scan done'],
        scan: {
          universe: 3,
          analysed: 2,
          leaders: ['PEPEUSDT'],
          verdicts: [
            {
              symbol: 'PEPEUSDT',
              score: 72,
              passed: true,
              gates: [{ gate: 'rsi', ok: true, value: '35', limit: '40', points: 30 }],
            },
            {
              symbol: 'DOGEUSDT',
              score: 20,
              passed: false,
              gates: [{ gate: 'change24h', ok: false, value: '25%', limit: '20%' }],
            },
          ],
        },
      }),
    };
    const report = await r.runner.run(scanner);
    expect(report.scanId).toBeDefined();
    expect(r.scans.latestVerdict('DOGEUSDT')).toMatchObject({ passed: false, score: 20 });
    const snap = await r.runner.buildSnapshot({ tickers: false }, r.clock.now());
    expect(snap.scanLeaders).toEqual(['PEPEUSDT']);
  });

  it('cancel intents: only a strategy’s own orders', async () => {
    const r = setup();
    const placed = await r.executor.execute({
      kind: 'order',
      origin: 'take-profit',
      symbol: 'BTCUSDC',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('70000'),
      quantity: dec('0.005'),
      reason: 'tp',
    });
    if (placed.status !== 'placed') throw new Error('not placed');
    const cancelFor = (id: 'accumulate' | 'take-profit'): StrategyDefinition => ({
      id,
      needs: { tickers: false },
      schedule: () => ({ kind: 'interval', everyMs: 60_000 }),
      decide: () => ({
        intents: [
          {
            kind: 'cancel',
            origin: id,
            clientOrderId: placed.order.clientOrderId,
            symbol: 'BTCUSDC',
            reason: 'stale',
          },
        ],
        notes: [],
      }),
    });
    const foreign = await r.runner.run(cancelFor('accumulate'));
    expect(foreign.outcomes[0]).toMatchObject({ kind: 'cancel', result: { status: 'not-own' } });
    const own = await r.runner.run(cancelFor('take-profit'));
    expect(own.outcomes[0]).toMatchObject({ kind: 'cancel', result: { status: 'cancelled' } });
  });

  describe("while an asset's trade history is still being read", () => {
    /**
     * BTC 0.01 whose ledger so far (the newest days, read first) gives an average cost of 50 000:
     * at a bid of 60 000 that looks like 20 % profit and take-profit would sell. The older buys,
     * not read yet, may put the true cost anywhere, so nothing is decided until they are in.
     */
    function withLedger(mode: 'auto' | 'notify') {
      const r = setup();
      r.settings.set('take-profit.enabled', 'on', 'owner');
      r.settings.set('take-profit.mode', mode, 'owner');
      const ledger = { complete: false, asked: [] as string[] };
      const runner = new StrategyRunner({
        blocks: r.blocks,
        clock: r.clock,
        confirmations: r.confirmations,
        events: r.publisher,
        exchange: r.exchange,
        executor: r.executor,
        logger: silentLogger(),
        orders: r.orders,
        positions: () =>
          new Map([
            [
              'BTC',
              {
                asset: 'BTC',
                qty: dec('0.01'),
                avgCost: dec('50000'),
                costAsset: 'USDC',
                realisedPnl: dec(0),
                feesPaid: dec(0),
                costBasisSource: 'fills' as const,
              },
            ],
          ]),
        recentFills: () => [],
        scans: r.scans,
        settings: r.settings,
        state: r.state,
        ledgers: {
          isReady: (asset) => asset !== 'BTC' || ledger.complete,
          prioritise: (asset) => ledger.asked.push(asset),
        },
      });
      return { r, runner, ledger };
    }

    it('take-profit decides no sell on the provisional cost, asks for BTC next, and sells once the history is in', async () => {
      const { r, runner, ledger } = withLedger('auto');
      const snapshot = await runner.buildSnapshot({ tickers: false }, r.clock.now());
      expect([...snapshot.historyPending]).toEqual(['BTC']);

      const waiting = await runner.run(createTakeProfit());
      expect(waiting.outcomes, 'no intent at all: not decided, not merely held back').toEqual([]);
      expect(waiting.notes[0]).toBe(
        'BTC: trade history still being read; no decision on a provisional average cost',
      );
      expect(waiting.summary).toMatch(/^auto: waiting for the trade history of BTC/);
      expect(ledger.asked, "BTC's history is read next").toContain('BTC');
      expect(r.exchange.placeCalls).toHaveLength(0);

      ledger.complete = true;
      const decided = await runner.run(createTakeProfit());
      expect(decided.outcomes).toHaveLength(1);
      expect(decided.outcomes[0]).toMatchObject({
        kind: 'order',
        intent: { symbol: 'BTCUSDC', side: 'SELL' },
        result: { status: 'placed' },
      });
      expect(r.exchange.placeCalls).toHaveLength(1);
    });

    it('an order a strategy does produce for such an asset waits in notify mode too (nothing reported as if decided)', async () => {
      const { r, runner, ledger } = withLedger('notify');
      r.settings.set('accumulate.mode', 'notify', 'owner');
      const report = await runner.run(dcaReference());
      expect(report.outcomes[0]).toMatchObject({ kind: 'waiting', asset: 'BTC' });
      expect(r.of('intent.notified')).toHaveLength(0);
      expect(ledger.asked).toContain('BTC');
    });
  });
});
