import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeQuery, mexcEscape } from '../../../src/exchange/mexc/mexcSigning.js';
import { dec } from '../../../src/domain/money.js';
import { type FakeMexcServer, routes, startFakeMexc } from '../../helpers/fakeMexcServer.js';
import { order, TEST_API_KEY, TEST_API_SECRET, testClient } from '../../helpers/mexcWire.js';

/** HMAC-SHA256 computed by the openssl binary, independent of the client's code. */
function opensslHmac(payload: string, secret: string): string {
  const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: payload }).toString();
  return out.trim().split(/\s+/).pop()!;
}

let server: FakeMexcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('MEXC signing', () => {
  it('escapes with uppercase hex, including the characters encodeURIComponent keeps', () => {
    expect(mexcEscape('[{"a":"b,c"}]')).toBe('%5B%7B%22a%22%3A%22b%2Cc%22%7D%5D');
    expect(mexcEscape("it's (x)*!")).toBe('it%27s%20%28x%29%2A%21');
    expect(encodeQuery({ a: 1, skip: undefined, b: 'x y' }), 'insertion order, undefined dropped').toBe(
      'a=1&b=x%20y',
    );
  });

  it('signs the exact query the server received, appends signature last, sends the key header and an empty body', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: Date.UTC(2026, 0, 1) } }),
        'POST /api/v3/order': (r) => ({
          body: {
            symbol: 'BTCUSDC',
            orderId: 'C02__1',
            orderListId: -1,
            price: r.params.get('price'),
            origQty: '0.001',
            type: 'LIMIT',
            side: 'BUY',
            transactTime: 1,
          },
        }),
      }),
    );
    const { client } = testClient(server);
    await client.placeOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: dec('0.0000001'),
      price: dec('95000.5'),
      clientOrderId: 'ap-(1)',
    });
    const req = server.requests.find((r) => r.path === '/api/v3/order')!;
    const [unsigned, signature] = req.rawQuery.split('&signature=');
    expect(signature, 'signature is the last parameter').toMatch(/^[0-9a-f]{64}$/);
    expect(signature, 'openssl agrees on the HMAC of the bytes actually sent').toBe(
      opensslHmac(unsigned!, TEST_API_SECRET),
    );
    expect(signature).toBe(createHmac('sha256', TEST_API_SECRET).update(unsigned!).digest('hex'));
    expect(unsigned).toBe(
      'symbol=BTCUSDC&side=BUY&type=LIMIT&quantity=0.0000001&price=95000.5&newClientOrderId=ap-%281%29' +
        `&recvWindow=5000&timestamp=${Date.UTC(2026, 0, 1)}`,
    );
    expect(req.headers['x-mexc-apikey']).toBe(TEST_API_KEY);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body, 'all parameters in the query, none in the body').toBe('');
  });

  it('re-signs every attempt: a retried signed GET carries a new timestamp and signature', async () => {
    let calls = 0;
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: Date.UTC(2026, 0, 1) } }),
        'GET /api/v3/order': () => (++calls === 1 ? { status: 502, body: 'bad gateway' } : { body: order() }),
      }),
    );
    const { client } = testClient(server);
    const result = await client.getOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-1' });
    expect(result?.status).toBe('NEW');
    const attempts = server.requests.filter((r) => r.path === '/api/v3/order');
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts.map((r) => r.params);
    expect(second!.get('timestamp'), 'fresh timestamp after the backoff').not.toBe(first!.get('timestamp'));
    expect(Number(second!.get('timestamp')) - Number(first!.get('timestamp'))).toBe(100);
    for (const r of attempts) {
      const [unsigned, signature] = r.rawQuery.split('&signature=');
      expect(signature).toBe(opensslHmac(unsigned!, TEST_API_SECRET));
    }
  });
});
