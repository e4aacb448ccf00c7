import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from './simTestKit.js';

type Row = Record<string, unknown>;

describe('simulator fault injection', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim();
  });
  afterEach(async () => {
    await t.sim.close();
  });

  const makerBuy = (clientId: string) => {
    const { bid } = t.sim.market.bookTop('ETHUSDC');
    return t.signed<Row>('POST', '/api/v3/order', {
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: bid,
      newClientOrderId: clientId,
    });
  };

  it('failNext answers the next matching requests with the given error, without executing them', async () => {
    t.sim.faults.failNext({
      method: 'POST',
      path: '/api/v3/order',
      status: 503,
      code: 503,
      msg: 'busy',
      count: 2,
    });
    expect((await t.get('/api/v3/ping')).status, 'other paths are untouched').toBe(200);
    const first = await makerBuy('f1');
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ code: 503, msg: 'busy' });
    expect((await makerBuy('f2')).status, 'count 2').toBe(503);
    expect(t.sim.account.orders(), 'failed requests placed nothing').toHaveLength(0);
    expect((await makerBuy('f3')).status, 'the third goes through').toBe(200);
    t.sim.faults.failNext({ path: '/api/v3/order', status: 400, code: -2013, msg: 'Order does not exist.' });
    const lookup = await t.signed('GET', '/api/v3/order', { symbol: 'ETHUSDC', origClientOrderId: 'f3' });
    expect(lookup.body, 'a transient -2013 after create can be staged').toEqual({
      code: -2013,
      msg: 'Order does not exist.',
    });
  });

  it('timeoutNext accepts the request and never answers it, until close', async () => {
    t.sim.faults.timeoutNext({ path: '/api/v3/order', method: 'POST' });
    const hung = makerBuy('t1');
    const outcome = await Promise.race([
      hung.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    expect(outcome, 'no answer').toBe('still waiting');
    expect((await t.get('/api/v3/ping')).status, 'the server still serves others').toBe(200);
    expect(t.sim.account.orders(), 'the swallowed order was not placed').toHaveLength(0);
    await t.sim.close();
    await expect(hung, 'closing the simulator drops the hung connection').rejects.toThrow();
  });

  it('acceptThenFail executes the order but answers 503', async () => {
    t.sim.faults.acceptThenFail({});
    const res = await makerBuy('a1');
    expect(res.status).toBe(503);
    const order = await t.signed<Row>('GET', '/api/v3/order', { symbol: 'ETHUSDC', origClientOrderId: 'a1' });
    expect(order.status, 'the order exists despite the 5xx').toBe(200);
    expect(order.body.status).toBe('NEW');
    expect(t.sim.account.balances().USDC?.locked, 'and holds its funds').not.toBe('0');
    expect((await makerBuy('a2')).status, 'one shot by default').toBe(200);
  });

  it('rateLimitStorm answers every request 429 with Retry-After for its duration', async () => {
    t.sim.faults.rateLimitStorm({ durationMs: 30_000, retryAfterSec: 45 });
    const res = await t.get('/api/v3/ping');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('45');
    expect((await t.signed('GET', '/api/v3/account')).status, 'signed requests too').toBe(429);
    expect(t.sim.stats.snapshot().rejected429).toBe(2);
    t.clock.advance(30_000);
    expect((await t.get('/api/v3/ping')).status, 'the storm passed').toBe(200);
  });

  it('clockSkew shifts server time, and a client that ignores it gets 700003', async () => {
    t.sim.faults.clockSkew(-3000);
    const time = await t.get<{ serverTime: number }>('/api/v3/time');
    expect(time.body.serverTime, 'server 3 s behind the clock').toBe(t.clock.now() - 3000);
    const res = await t.signed('GET', '/api/v3/account');
    expect(res.body, 'our timestamp is > 1 s ahead of the server').toMatchObject({ code: 700003 });
    const synced = await t.signed('GET', '/api/v3/account', {}, { timestamp: time.body.serverTime });
    expect(synced.status, 'a client using the server offset passes').toBe(200);
    t.sim.faults.reset();
    expect((await t.signed('GET', '/api/v3/account')).status, 'reset clears the skew').toBe(200);
  });
});
