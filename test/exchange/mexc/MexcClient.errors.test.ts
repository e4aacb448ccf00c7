import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError } from '../../../src/domain/errors.js';
import { dec } from '../../../src/domain/money.js';
import {
  type FakeMexcServer,
  type RecordedRequest,
  routes,
  startFakeMexc,
} from '../../helpers/fakeMexcServer.js';
import { order, testClient } from '../../helpers/mexcWire.js';

let server: FakeMexcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const T0 = Date.UTC(2026, 0, 1);
const limitBuy = {
  symbol: 'BTCUSDC',
  side: 'BUY',
  type: 'LIMIT',
  quantity: dec('0.001'),
  price: dec('95000'),
  clientOrderId: 'ap-42',
} as const;
const ack = {
  symbol: 'BTCUSDC',
  orderId: 'C02__9',
  orderListId: -1,
  price: '95000',
  origQty: '0.001',
  type: 'LIMIT',
  side: 'BUY',
  transactTime: T0,
};

async function caught(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    expect(error, 'adapter errors are ExchangeError').toBeInstanceOf(ExchangeError);
    return error as ExchangeError;
  }
  throw new Error('expected a rejection');
}

/** MEXC's timing rule: timestamp < serverTime + 1000 and serverTime − timestamp ≤ recvWindow. */
function timingCheck(serverNow: () => number, r: RecordedRequest) {
  const ts = Number(r.params.get('timestamp'));
  const window = Number(r.params.get('recvWindow'));
  if (ts >= serverNow() + 1000 || serverNow() - ts > window) {
    return {
      status: 400,
      body: { code: 700003, msg: 'Timestamp for this request is outside of the recvWindow.' },
    };
  }
  return undefined;
}

describe('MexcClient error handling', () => {
  it('700003 on an order: re-syncs server time once and re-sends the same order exactly once', async () => {
    let serverSkew = 0; // server clock minus local clock
    const fake = await startFakeMexc(() => ({ body: {} }));
    server = fake;
    const { client, time } = testClient(fake);
    const serverNow = () => time.clock.now() + serverSkew;
    fake.setHandler(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: serverNow() } }),
        'POST /api/v3/order': (r) => timingCheck(serverNow, r) ?? { body: ack },
      }),
    );
    await client.getOrder({ symbol: 'BTCUSDC', clientOrderId: 'warm-up' }).catch(() => undefined);
    serverSkew = -3_000; // our clock is now 3 s ahead of MEXC's

    const result = await client.placeOrder(limitBuy);

    expect(result).toEqual({
      symbol: 'BTCUSDC',
      orderId: 'C02__9',
      clientOrderId: 'ap-42',
      transactTime: T0,
    });
    expect(fake.count('GET /api/v3/time'), 'initial sync + one re-sync').toBe(2);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts, 'the rejected order and exactly one retry').toHaveLength(2);
    expect(posts.map((r) => r.params.get('newClientOrderId'))).toEqual(['ap-42', 'ap-42']);
    expect(client.serverTimeOffsetMs).toBe(-3_000);
  });

  it('700003 again after the re-sync: gives up with clock-skew instead of looping', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'GET /api/v3/account': { status: 400, body: { code: 700003, msg: 'Timestamp outside recvWindow' } },
      }),
    );
    const { client } = testClient(server);
    const error = await caught(client.getBalances());
    expect(error.kind).toBe('clock-skew');
    expect(server.count('GET /api/v3/account'), 'one try, one retry after re-sync').toBe(2);
    expect(server.count('GET /api/v3/time')).toBe(2);
  });

  it('maps 10007 "symbol not support api" to not-tradable', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'POST /api/v3/order': { status: 400, body: { code: 10007, msg: 'symbol not support api' } },
      }),
    );
    const { client } = testClient(server);
    const error = await caught(client.placeOrder(limitBuy));
    expect(error).toMatchObject({ kind: 'not-tradable', code: 10007, httpStatus: 400, symbol: 'BTCUSDC' });
    expect(error.message).toBe('POST /api/v3/order: MEXC code 10007 "symbol not support api"');
  });

  it('getOrder answers undefined on −2013 (order does not exist)', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'GET /api/v3/order': { status: 400, body: { code: -2013, msg: 'Order does not exist.' } },
      }),
    );
    const { client } = testClient(server);
    expect(await client.getOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-404' })).toBeUndefined();
    expect(server.count('GET /api/v3/order'), 'not-found is an answer, not retried').toBe(1);
  });

  it('POST order answered 503: unknown-outcome and never re-sent', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'POST /api/v3/order': { status: 503, body: 'Service Unavailable' },
      }),
    );
    const { client } = testClient(server);
    const error = await caught(client.placeOrder(limitBuy));
    expect(error).toMatchObject({ kind: 'unknown-outcome', httpStatus: 503 });
    expect(server.count('POST /api/v3/order')).toBe(1);
  });

  it('POST order timing out: unknown-outcome and never re-sent', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'POST /api/v3/order': { hang: true },
      }),
    );
    const { client } = testClient(server, { timeoutMs: 150 });
    const error = await caught(client.placeOrder(limitBuy));
    expect(error.kind).toBe('unknown-outcome');
    expect(error.message).toBe('POST /api/v3/order: timeout after 150 ms');
    expect(server.count('POST /api/v3/order')).toBe(1);
  });

  it('DELETE order answered 500: unknown-outcome, not retried', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'DELETE /api/v3/order': { status: 500, body: { code: 500, msg: 'internal error' } },
      }),
    );
    const { client } = testClient(server);
    const error = await caught(client.cancelOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-1' }));
    expect(error.kind).toBe('unknown-outcome');
    expect(server.count('DELETE /api/v3/order')).toBe(1);
  });

  it('GET answered 5xx is retried with exponential backoff, then succeeds', async () => {
    let calls = 0;
    server = await startFakeMexc(
      routes({
        'GET /api/v3/klines': () =>
          ++calls <= 2
            ? { status: calls === 1 ? 502 : 504, body: '' }
            : { body: [[T0, '1', '2', '0.5', '1.5', '10', T0 + 60_000, '15']] },
      }),
    );
    const { client, time, limiter } = testClient(server);
    const candles = await client.getKlines({ symbol: 'BTCUSDC', interval: '1m' });
    expect(candles).toHaveLength(1);
    expect(server.count('GET /api/v3/klines')).toBe(3);
    expect(time.sleeps, 'backoff 100 ms then 200 ms (jitter factor 1 here)').toEqual([100, 200]);
    expect(limiter.stats().totalRequests, 'every attempt passes the limiter').toBe(3);
  });

  it('GET still failing after all attempts throws temporary', async () => {
    server = await startFakeMexc(routes({ 'GET /api/v3/ticker/price': { status: 500, body: '' } }));
    const { client } = testClient(server, { retry: { attempts: 4, baseDelayMs: 10 } });
    const error = await caught(client.getPrices());
    expect(error).toMatchObject({ kind: 'temporary', httpStatus: 500 });
    expect(server.count('GET /api/v3/ticker/price')).toBe(4);
  });

  it('a GET that cannot connect is temporary and retried', async () => {
    const dead = await startFakeMexc(() => ({ body: {} }));
    const baseUrl = dead.baseUrl;
    await dead.close();
    server = await startFakeMexc(() => ({ body: {} }));
    const { client, time } = testClient(server, { baseUrl });
    const error = await caught(client.getPrices());
    expect(error.kind).toBe('temporary');
    expect(error.message).toBe('GET /api/v3/ticker/price: network error ECONNREFUSED');
    expect(time.sleeps, 'two backoffs for three attempts').toHaveLength(2);
  });

  it.each([
    [10101, 'insufficient-funds'],
    [30002, 'invalid-order'],
    [30087, 'invalid-order'],
    [30000, 'suspended'],
    [700002, 'auth'],
    [123456, 'invalid-order'],
  ] as const)('order rejected with code %i → %s', async (code, kind) => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'POST /api/v3/order': { status: 400, body: { code, msg: 'refused', _extend: null } },
      }),
    );
    const { client } = testClient(server);
    expect((await caught(client.placeOrder(limitBuy))).kind).toBe(kind);
    expect(server.count('POST /api/v3/order')).toBe(1);
  });

  it('cancel of a finished or unknown order (−2011 / 30026) throws not-found', async () => {
    for (const code of [-2011, 30026]) {
      server = await startFakeMexc(
        routes({
          'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
          'DELETE /api/v3/order': { status: 400, body: { code, msg: 'Unknown order' } },
        }),
      );
      const { client } = testClient(server);
      expect((await caught(client.cancelOrder({ symbol: 'BTCUSDC', clientOrderId: 'x' }))).kind).toBe(
        'not-found',
      );
      await server.close();
      server = undefined;
    }
  });

  it('a 2xx body with an error code is an error, not data', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'GET /api/v3/order': { status: 200, body: { code: 30014, msg: 'invalid symbol' } },
      }),
    );
    const { client } = testClient(server);
    expect((await caught(client.getOrder({ symbol: 'NOPEUSDT', clientOrderId: 'x' }))).kind).toBe(
      'not-tradable',
    );
  });

  it('a malformed order answer (2xx) on a write is unknown-outcome: it probably happened', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'POST /api/v3/order': { body: { symbol: 'BTCUSDC' } },
        'GET /api/v3/order': { body: order({ status: 'WEIRD' }) },
      }),
    );
    const { client } = testClient(server);
    const error = await caught(client.placeOrder(limitBuy));
    expect(error.kind).toBe('unknown-outcome');
    expect(error.message).toMatch(/^POST \/api\/v3\/order: unexpected response: orderId: /);
    const readError = await caught(client.getOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-1' }));
    expect(readError.kind).toBe('temporary');
    expect(readError.message).toMatch(/status: /);
    expect(server.count('GET /api/v3/order'), 'a malformed answer is not retried').toBe(1);
  });

  it('close cuts requests in flight (a read temporary, an order write of unknown outcome) and sends none after', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'GET /api/v3/depth': { hang: true },
        'POST /api/v3/order': { hang: true },
      }),
    );
    const { client } = testClient(server, { timeoutMs: 60_000 });
    const read = caught(client.getDepth('BTCUSDC'));
    const write = caught(client.placeOrder(limitBuy));
    while (server.count('GET /api/v3/depth') + server.count('POST /api/v3/order') < 2)
      await new Promise((resolve) => setTimeout(resolve, 5));
    client.close();
    expect(await read, 'a cut read is not retried').toMatchObject({ kind: 'temporary' });
    expect(await write, 'the order may have reached MEXC').toMatchObject({ kind: 'unknown-outcome' });
    const after = await caught(client.getDepth('BTCUSDC'));
    expect(after).toMatchObject({
      kind: 'temporary',
      message: 'GET /api/v3/depth: not sent, the bot is stopping',
    });
    expect(server.count('GET /api/v3/depth'), 'nothing sent after close, no retry').toBe(1);
    expect(server.count('POST /api/v3/order')).toBe(1);
  });
});
