import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign, startTestSim, type TestSim } from './simTestKit.js';

describe('simulator signed-request checks', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim();
  });
  afterEach(async () => {
    await t.sim.close();
  });

  it('accepts a correctly signed request', async () => {
    const res = await t.signed<{ accountType: string; balances: unknown[] }>('GET', '/api/v3/account');
    expect(res.status).toBe(200);
    expect(res.body.accountType).toBe('SPOT');
    expect(res.body.balances, 'default balances').toEqual([
      { asset: 'USDC', free: '1000', locked: '0' },
      { asset: 'USDT', free: '500', locked: '0' },
    ]);
  });

  it('rejects a missing or wrong API key', async () => {
    const missing = await t.signed('GET', '/api/v3/account', {}, { apiKey: null });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ code: 400, msg: 'api key required' });
    const wrong = await t.signed('GET', '/api/v3/account', {}, { apiKey: 'mx0vglnotourkey' });
    expect(wrong.status).toBe(400);
    expect(wrong.body, 'unknown key').toMatchObject({ code: 700001 });
  });

  it('rejects a signature made with another secret or over other bytes', async () => {
    const otherSecret = await t.signed('GET', '/api/v3/account', {}, { secret: 'not-the-secret' });
    expect(otherSecret.body).toMatchObject({ code: 700002 });
    const otherBytes = await t.signed(
      'GET',
      '/api/v3/account',
      {},
      { signature: sign(t.sim.credentials.apiSecret, 'x=1') },
    );
    expect(otherBytes.body, 'signature over different parameters').toMatchObject({ code: 700002 });
  });

  it('signs the query immediately followed by the body', async () => {
    const { bid } = t.sim.market.bookTop('BTCUSDC');
    const body = `symbol=BTCUSDC&side=BUY&type=LIMIT_MAKER&quantity=0.001&price=${bid}`;
    const res = await t.signed('POST', '/api/v3/order/test', {}, { body });
    expect(res.status, 'body parameters count and are signed after the query').toBe(200);
    expect(res.body, 'a test order answers {}').toEqual({});
    const timestamp = t.clock.now();
    const queryOnly = sign(t.sim.credentials.apiSecret, `timestamp=${timestamp}`);
    const unsignedBody = await t.signed(
      'POST',
      '/api/v3/order/test',
      {},
      { body, timestamp, signature: queryOnly },
    );
    expect(unsignedBody.body, 'a signature that leaves out the body fails').toMatchObject({ code: 700002 });
    expect(t.sim.account.orders(), 'test orders are never placed').toHaveLength(0);
  });

  it('enforces timestamp and recvWindow like MEXC', async () => {
    const now = t.clock.now();
    const old = await t.signed('GET', '/api/v3/account', {}, { timestamp: now - 5001 });
    expect(old.status).toBe(400);
    expect(old.body, 'older than the default recvWindow of 5000').toMatchObject({ code: 700003 });
    const widened = await t.signed(
      'GET',
      '/api/v3/account',
      { recvWindow: 60000 },
      { timestamp: now - 50_000 },
    );
    expect(widened.status, 'a wider recvWindow admits it').toBe(200);
    const ahead = await t.signed('GET', '/api/v3/account', { recvWindow: 60000 }, { timestamp: now + 1000 });
    expect(ahead.body, 'a clock 1 s ahead fails whatever the recvWindow').toMatchObject({ code: 700003 });
    const slightlyAhead = await t.signed('GET', '/api/v3/account', {}, { timestamp: now + 999 });
    expect(slightlyAhead.status).toBe(200);
    const tooWide = await t.signed('GET', '/api/v3/account', { recvWindow: 60001 });
    expect(tooWide.body, 'recvWindow above 60000').toMatchObject({ code: 700005 });
  });
});
