/**
 * Clock skew over real HTTP: a server clock that drifts from ours answers 700003; the client re-measures
 * the server-time offset and retries exactly once, for reads and for order placement alike.
 */
import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import { type SimHarness, useSimHarness } from '../../helpers/simulatorHarness.js';

const startHarness = useSimHarness();

const requestsTo = (h: SimHarness, endpoint: string) =>
  h.sim.stats.snapshot().byEndpoint[endpoint]?.requests ?? 0;

describe('MexcClient against a skewed simulator clock', () => {
  it.each([
    ['behind: our timestamps look more than 1 s ahead', -3_000],
    ['ahead by more than the recvWindow', 10_000],
  ])('server %s → 700003, one time re-sync, one successful retry', async (_case, skewMs) => {
    const h = await startHarness();
    await h.client.getBalances();
    expect(h.client.serverTimeOffsetMs, 'in sync at first').toBe(0);

    h.sim.faults.clockSkew(skewMs);
    const balances = await h.client.getBalances();

    expect(balances.find((b) => b.asset === 'USDC')?.free.toFixed(), 'the retry succeeded').toBe('1000');
    expect(h.client.serverTimeOffsetMs, 'offset re-measured').toBe(skewMs);
    expect(requestsTo(h, 'GET /api/v3/account'), 'refused once, then one retry').toBe(3);
    expect(requestsTo(h, 'GET /api/v3/time'), 'first sync plus one re-sync').toBe(2);

    await h.client.getBalances();
    expect(requestsTo(h, 'GET /api/v3/account'), 'later calls go through first time').toBe(4);
    expect(requestsTo(h, 'GET /api/v3/time'), 'no further re-sync').toBe(2);
  });

  it('an order refused with 700003 is re-sent once after the re-sync and exists once', async () => {
    const h = await startHarness();
    h.sim.market.setBookTop('BTCUSDC', { bid: '95000.00', ask: '95000.10' });
    await h.client.getBalances();
    h.sim.faults.clockSkew(-5_000);

    const ack = await h.client.placeOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('94000.00'),
      quantity: dec('0.0002'),
      clientOrderId: 'skew-order-1',
    });

    expect(requestsTo(h, 'POST /api/v3/order'), 'refused before acting, then sent once more').toBe(2);
    const orders = h.sim.account.orders() as { orderId: string; clientOrderId: string }[];
    expect(
      orders.map((o) => o.clientOrderId),
      'one order on the exchange',
    ).toEqual(['skew-order-1']);
    expect(ack.orderId).toBe(orders[0]!.orderId);
  });

  it('a second 700003 right after the re-sync is not retried again', async () => {
    const h = await startHarness();
    await h.client.getBalances();
    h.sim.faults.failNext({
      method: 'GET',
      path: '/api/v3/account',
      status: 400,
      code: 700003,
      msg: 'Timestamp for this request is outside of the recvWindow.',
      count: 2,
    });

    await expect(h.client.getBalances(), 'gives up after one retry').rejects.toMatchObject({
      kind: 'clock-skew',
      code: 700003,
    });
    expect(requestsTo(h, 'GET /api/v3/account'), 'first call, failed call, one retry').toBe(3);
    expect(requestsTo(h, 'GET /api/v3/time'), 'one re-sync only').toBe(2);
  });
});
