import { afterEach, describe, expect, it, vi } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { harness, type Harness } from '../helpers/executionHarness.js';

let h: Harness;
afterEach(() => {
  vi.restoreAllMocks();
  h?.db.close();
});

const makerBuy: OrderIntent = {
  kind: 'order',
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  side: 'BUY',
  type: 'LIMIT_MAKER',
  price: dec('60000'),
  quantity: dec('0.001'),
  reason: 'BTC under target',
};

describe('fill announcements across a crash', () => {
  it('announces, once, the fills of an order whose final state was recorded just before a crash', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error(`not placed: ${placed.status}`);
    const cid = placed.order.clientOrderId;
    h.exchange.fill(cid, '0.001');
    // What applyExchangeState commits first; the process dies before announcing (an await later).
    const state = h.exchange.order(cid);
    if (!state) throw new Error('order missing on the exchange');
    h.orders.applyUpdate(cid, state, h.clock.now());
    expect(h.orders.get(cid)?.status, 'final in the database, so no longer tracked').toBe('FILLED');

    await h.executor.track();
    const filled = h.of('order.filled');
    expect(filled, 'announced by the next pass (e.g. the start-up reconciliation)').toHaveLength(1);
    expect(filled[0]?.qty.toFixed()).toBe('0.001');
    expect(filled[0]?.partial, 'the order is complete').toBe(false);
    await h.executor.track();
    expect(h.of('order.filled'), 'and never again').toHaveLength(1);
  });

  it('does not mark a fill announced when its event cannot be written, and announces it once on the next pass', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error(`not placed: ${placed.status}`);
    const cid = placed.order.clientOrderId;
    h.exchange.fill(cid, '0.001');
    // The process dies (here: the write fails) right after the fill was marked announced.
    const insert = h.eventRepo.insert.bind(h.eventRepo);
    let failNext = true;
    vi.spyOn(h.eventRepo, 'insert').mockImplementation((row) => {
      if (failNext && row.type === 'order.filled') {
        failNext = false;
        throw new Error('disk I/O error');
      }
      return insert(row);
    });

    await expect(h.executor.track(), 'the failed write surfaces').rejects.toThrow('disk I/O error');
    expect(h.of('order.filled'), 'nothing announced yet').toHaveLength(0);
    expect(h.orders.get(cid)?.reportedQty.toFixed(), 'the mark rolled back with the event').toBe('0');

    await h.executor.track();
    const filled = h.of('order.filled');
    expect(filled, 'announced on the next pass, once').toHaveLength(1);
    expect(filled[0]?.qty.toFixed(), 'the whole fill').toBe('0.001');
    await h.executor.track();
    expect(h.of('order.filled'), 'and never again').toHaveLength(1);
  });
});
