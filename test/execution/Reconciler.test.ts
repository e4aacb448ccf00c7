import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError } from '../../src/domain/errors.js';
import { dec } from '../../src/domain/money.js';
import { Reconciler, type ForeignFillView } from '../../src/execution/Reconciler.js';
import { ForeignActivityRepository } from '../../src/persistence/ForeignActivityRepository.js';
import type { NewOrder } from '../../src/persistence/OrderRepository.js';
import { silentLogger } from '../../src/common/logger.js';
import { noHistoryBefore } from '../helpers/completeHistory.js';
import { harness, type Harness } from '../helpers/executionHarness.js';

let h: Harness;
afterEach(() => h?.db.close());

function reconciler(h: Harness, options: { foreignFills?: ForeignFillView[]; synced?: string[][] } = {}) {
  return new Reconciler({
    clock: h.clock,
    events: h.publisher,
    exchange: h.exchange,
    executor: h.executor,
    foreign: new ForeignActivityRepository(h.db),
    locks: h.locks,
    logger: silentLogger(),
    orders: h.orders,
    syncFills: async (symbols) => {
      options.synced?.push([...symbols]);
    },
    unattributedFills: () => options.foreignFills ?? [],
    historyBefore: noHistoryBefore,
    sleep: async () => {},
  });
}

const pending = (h: Harness, clientOrderId: string, over: Partial<NewOrder> = {}): NewOrder => ({
  clientOrderId,
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  baseAsset: 'BTC',
  quoteAsset: 'USDC',
  side: 'BUY',
  type: 'LIMIT',
  price: dec('60000'),
  quantity: dec('0.0003'),
  reason: 'before the crash',
  createdAt: h.clock.now(),
  ...over,
});

describe('Reconciler', () => {
  it('raises a critical alert once for a foreign open order', async () => {
    h = harness({ balances: { USDC: '1000', BTC: '0.5' } });
    const r = reconciler(h);
    h.exchange.addForeignOrder({
      symbol: 'BTCUSDC',
      side: 'SELL',
      price: '70000',
      qty: '0.1',
      clientOrderId: 'web_1',
    });
    const first = await r.reconcile();
    expect(first.foreignOrders).toBe(1);
    const alerts = h.of('alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical' });
    expect(alerts[0]!.message).toMatch(/SELL 0.1 BTCUSDC @ 70000/);
    expect(h.eventRepo.list({ type: 'alert' })[0]?.severity, 'events row').toBe('critical');
    const second = await r.reconcile();
    expect(second.foreignOrders).toBe(0);
    expect(h.of('alert'), 'alerted once').toHaveLength(1);
  });

  it('does not flag the bot’s own open orders', async () => {
    h = harness();
    await h.executor.execute({
      kind: 'order',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('60000'),
      quoteAmount: dec('20'),
      reason: 'own',
    });
    const report = await reconciler(h).reconcile();
    expect(report.symbols).toContain('BTCUSDC');
    expect(report.foreignOrders).toBe(0);
    expect(h.of('alert')).toHaveLength(0);
  });

  it('raises a critical alert once per unattributed fill', async () => {
    h = harness();
    const fill: ForeignFillView = {
      symbol: 'ETHUSDC',
      tradeId: 'T9',
      side: 'BUY',
      qty: dec('0.2'),
      price: dec('3000'),
      time: h.clock.now() - 60_000,
    };
    const r = reconciler(h, { foreignFills: [fill] });
    expect((await r.reconcile()).foreignFills).toBe(1);
    expect((await r.reconcile()).foreignFills).toBe(0);
    expect(h.of('alert').map((a) => a.severity)).toEqual(['critical']);
  });

  it('settles PENDING rows from a crash: adopts the one the exchange has, rejects the one it never got, re-sends nothing', async () => {
    h = harness({ balances: { USDC: '1000' } });
    h.clock.advance(-120_000);
    h.orders.createPending(pending(h, 'apac_sent'));
    h.orders.createPending(pending(h, 'apac_unsent'));
    h.clock.advance(120_000);
    await h.exchange.placeOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      price: dec('60000'),
      quantity: dec('0.0003'),
      clientOrderId: 'apac_sent',
    });
    const sentBefore = h.exchange.placeCalls.length;
    const synced: string[][] = [];
    const report = await reconciler(h, { synced }).reconcile();
    expect(h.orders.get('apac_sent')?.status).toBe('NEW');
    expect(h.orders.get('apac_unsent')?.status).toBe('REJECTED');
    expect(report).toMatchObject({ unresolved: 0, ready: true });
    expect(h.exchange.placeCalls.length, 'nothing re-sent').toBe(sentBefore);
    expect(synced[0], 'fills synced for the traded symbol').toContain('BTCUSDC');
  });

  it('is not ready while orders cannot be queried', async () => {
    h = harness();
    h.orders.createPending(pending(h, 'apac_x'));
    const r = reconciler(h);
    for (let i = 0; i < 3; i++) {
      h.exchange.getOrderErrors.push(new ExchangeError('timeout', { kind: 'temporary' }));
    }
    const report = await r.reconcile();
    expect(report.ready).toBe(false);
    expect(r.isReady(), 'strategies keep waiting').toBe(false);
    expect((await r.reconcile()).ready).toBe(true);
    expect(r.isReady()).toBe(true);
  });

  it('adopts an order the database gave up on but the exchange shows open', async () => {
    h = harness();
    h.orders.createPending(pending(h, 'apac_back'));
    h.orders.markRejected('apac_back', 'not found', h.clock.now());
    await h.exchange.placeOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      price: dec('60000'),
      quantity: dec('0.0003'),
      clientOrderId: 'apac_back',
    });
    const report = await reconciler(h).reconcile();
    expect(report.foreignOrders).toBe(0);
    expect(h.orders.get('apac_back')?.status).toBe('NEW');
  });
});
