import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { harness, type Harness } from '../helpers/executionHarness.js';

let h: Harness;
afterEach(() => h?.db.close());

const makerBuy: OrderIntent = {
  kind: 'order',
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  side: 'BUY',
  type: 'LIMIT_MAKER',
  price: dec('60000'),
  quantity: dec('0.001'),
  reason: 'BTC under target',
  ttlMs: 10 * 60_000,
  repriceOnExpiry: true,
};

describe('OrderExecutor.track: TTL', () => {
  it('cancels an expired resting order and re-places the remaining quantity at the new touch', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error('not placed');
    const old = placed.order.clientOrderId;
    h.exchange.fill(old, '0.0004');
    h.clock.advance(9 * 60_000);
    await h.executor.track();
    expect(h.orders.get(old)?.status, 'not expired yet').toBe('PARTIALLY_FILLED');

    h.exchange.setBook('BTCUSDC', '59000', '59010');
    h.clock.advance(60_000);
    const report = await h.executor.track();
    expect(report.expired).toBe(1);
    expect(report.repriced).toBe(1);
    expect(h.orders.get(old)?.status).toBe('PARTIALLY_CANCELED');
    const open = h.orders.listOpen({ origin: 'accumulate' });
    expect(open).toHaveLength(1);
    const next = open[0]!;
    expect(next.replaces).toBe(old);
    expect(next.price?.toFixed(), 'pegged to the new best bid').toBe('59000');
    expect(next.quantity.toFixed(), 'the remaining quantity').toBe('0.0006');
    expect(next.expiresAt, 'a fresh TTL').toBe(h.clock.now() + 10 * 60_000);
    expect(h.of('order.cancelled')).toHaveLength(1);
    expect(h.of('order.filled'), 'the partial fill was announced').toHaveLength(1);
  });

  it('the quick watch follows an expired order it sees fill exactly as the sweep does: cancelled and re-placed', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error('not placed');
    const old = placed.order.clientOrderId;
    h.clock.advance(10 * 60_000);
    h.exchange.fill(old, '0.0004');
    h.exchange.setBook('BTCUSDC', '59000', '59010');
    const watched = await h.executor.watch();
    expect(watched).toMatchObject({ checked: 1, followed: 1, filled: 1, errors: 0 });
    expect(h.orders.get(old)?.status).toBe('PARTIALLY_CANCELED');
    const open = h.orders.listOpen({ origin: 'accumulate' });
    expect(open, 'the remaining quantity rests again').toHaveLength(1);
    expect(open[0]!.replaces).toBe(old);
    expect(open[0]!.price?.toFixed(), 'pegged to the new best bid').toBe('59000');
    expect(open[0]!.quantity.toFixed()).toBe('0.0006');
  });

  it('keeps the offset from the touch when re-pricing a sell', async () => {
    h = harness({ balances: { BTC: '1', USDC: '0' } });
    // 5 bps below a 60000 bid.
    const placed = await h.executor.execute({
      ...makerBuy,
      origin: 'take-profit',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('59970'),
      ttlMs: 120_000,
      minSellPrice: dec('50000'),
    });
    if (placed.status !== 'placed') throw new Error('not placed');
    h.exchange.setBook('BTCUSDC', '62000', '62010');
    h.clock.advance(120_000);
    await h.executor.track();
    const next = h.orders.listOpen({ origin: 'take-profit' })[0];
    expect(next?.price?.toFixed(), '62000 × 59970/60000, rounded up for a sell').toBe('61969');
  });

  it('a re-priced sell still obeys the in-profit rule', async () => {
    h = harness({ balances: { BTC: '1', USDC: '0' } });
    const placed = await h.executor.execute({
      ...makerBuy,
      origin: 'take-profit',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('60000'),
      ttlMs: 120_000,
      minSellPrice: dec('59500'),
    });
    if (placed.status !== 'placed') throw new Error('not placed');
    h.exchange.setBook('BTCUSDC', '59000', '59010');
    h.clock.advance(120_000);
    const report = await h.executor.track();
    expect(report.reprices[0]).toMatchObject({ status: 'refused', code: 'in-profit' });
    expect(h.orders.listOpen({ origin: 'take-profit' })).toHaveLength(0);
  });

  it('does not re-place without repriceOnExpiry', async () => {
    h = harness();
    const placed = await h.executor.execute({ ...makerBuy, repriceOnExpiry: false });
    if (placed.status !== 'placed') throw new Error('not placed');
    h.clock.advance(11 * 60_000);
    const report = await h.executor.track();
    expect(report.expired).toBe(1);
    expect(report.repriced).toBe(0);
    expect(h.orders.listNonFinal()).toHaveLength(0);
    expect(h.exchange.balance('USDC').locked.toFixed(), 'funds released').toBe('0');
  });
});

describe('OrderExecutor.cancel', () => {
  it('cancels an open order once and reports a finished one as not open', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error('not placed');
    const cid = placed.order.clientOrderId;
    expect(await h.executor.cancel(cid, 'owner asked')).toMatchObject({ status: 'cancelled' });
    expect(h.of('order.cancelled')[0]?.why).toBe('owner asked');
    expect(await h.executor.cancel(cid, 'again')).toMatchObject({ status: 'not-open' });
    expect(h.of('order.cancelled'), 'announced once').toHaveLength(1);
    expect(await h.executor.cancel('apxx_nope', 'x')).toMatchObject({ status: 'unknown-order' });
  });

  it('a cancel racing a fill adopts the fill', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error('not placed');
    const cid = placed.order.clientOrderId;
    h.exchange.fill(cid, '0.001');
    const result = await h.executor.cancel(cid, 'too late');
    expect(result).toMatchObject({ status: 'not-open' });
    expect(h.orders.get(cid)?.status).toBe('FILLED');
    expect(h.of('order.filled')).toHaveLength(1);
  });

  it('an order cancelled on the exchange side is settled by tracking', async () => {
    h = harness();
    const placed = await h.executor.execute(makerBuy);
    if (placed.status !== 'placed') throw new Error('not placed');
    h.exchange.cancelFromExchange(placed.order.clientOrderId);
    const report = await h.executor.track();
    expect(report.cancelled).toBe(1);
    expect(h.orders.get(placed.order.clientOrderId)?.status).toBe('CANCELED');
  });
});
