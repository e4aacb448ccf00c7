import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import { type FakeMexcServer, routes, startFakeMexc } from '../../helpers/fakeMexcServer.js';
import { TEST_API_KEY, TEST_API_SECRET, testClient } from '../../helpers/mexcWire.js';

let server: FakeMexcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: pino({ level: 'trace' }, stream) };
}

/** Every way an error can be printed or shipped. */
function renderings(error: unknown): string[] {
  const e = error as Error & { cause?: unknown };
  return [
    e.message,
    String(e),
    JSON.stringify(e),
    inspect(e, { depth: 6 }),
    String(e.cause),
    JSON.stringify(e.cause),
    inspect(e.cause, { depth: 6 }),
    e.stack ?? '',
  ];
}

describe('MexcClient keeps secrets out of errors and logs', () => {
  it('no key, secret, signature or signed query in any error rendering or log line', async () => {
    let attack = 0;
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: Date.UTC(2026, 0, 1) } }),
        // A hostile or buggy server echoing the request back in its error message.
        'GET /api/v3/account': (r) => ({
          status: 400,
          body: {
            code: 700002,
            msg: `Signature for this request is not valid. query=${r.rawQuery} key=${TEST_API_KEY} secret=${TEST_API_SECRET} sig=${r.params.get('signature')}`,
          },
        }),
        'POST /api/v3/order': () =>
          attack++ === 0 ? { status: 503, body: { code: 503, msg: 'busy' } } : { hang: true },
        'GET /api/v3/openOrders': { status: 502, body: '<html>bad gateway</html>' },
        'GET /api/v3/myTrades': { status: 429, body: '' },
      }),
    );
    const { lines, logger } = captureLogger();
    const { client } = testClient(server, { logger, timeoutMs: 150 });
    const order = {
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: dec('1'),
      price: dec('1'),
      clientOrderId: 'ap-s',
    } as const;

    const errors = await Promise.all([
      client.getBalances().catch((e: unknown) => e),
      client.placeOrder(order).catch((e: unknown) => e),
      client.placeOrder(order).catch((e: unknown) => e),
      client.getOpenOrders(['BTCUSDC']).catch((e: unknown) => e),
      client.getFills({ symbol: 'BTCUSDC', startTime: 0, endTime: 1 }).catch((e: unknown) => e),
    ]);
    expect(
      errors.every((e) => e instanceof Error),
      'every call failed',
    ).toBe(true);

    const signed = server.requests.filter((r) => r.params.has('signature'));
    expect(signed.length, 'the scenario exercised signed requests').toBeGreaterThanOrEqual(5);
    const forbidden = [TEST_API_KEY, TEST_API_SECRET];
    for (const r of signed) {
      forbidden.push(r.params.get('signature')!, r.rawQuery, r.rawQuery.split('&signature=')[0]!);
    }
    const texts = [...errors.flatMap(renderings), ...lines];
    expect(lines.length, 'logs were captured').toBeGreaterThan(0);
    for (const text of texts) {
      for (const secret of forbidden) {
        expect(text.includes(secret), `leaked "${secret.slice(0, 24)}…" in: ${text.slice(0, 200)}`).toBe(
          false,
        );
      }
    }
    expect((errors[0] as Error).message, 'method, path, code and the scrubbed message remain').toMatch(
      /^GET \/api\/v3\/account: MEXC code 700002 "Signature for this request is not valid\. query=\[redacted\]/,
    );
  });

  it('private calls without keys fail with auth naming the missing variables; public calls work', async () => {
    server = await startFakeMexc(
      routes({ 'GET /api/v3/ticker/price': { body: [{ symbol: 'BTCUSDC', price: '1' }] } }),
    );
    const { client } = testClient(server, { apiKey: undefined, apiSecret: undefined });
    await expect(client.getBalances()).rejects.toMatchObject({
      kind: 'auth',
      message: 'GET /api/v3/account: API key not configured; set MEXC_API_KEY and MEXC_API_SECRET',
    });
    const onlySecret = testClient(server, { apiKey: 'k', apiSecret: undefined }).client;
    await expect(onlySecret.getOpenOrders(['BTCUSDC'])).rejects.toThrow(/set MEXC_API_SECRET$/);
    expect((await client.getPrices()).get('BTCUSDC')?.toFixed()).toBe('1');
    expect(
      server.requests.map((r) => r.path),
      'no private request left the process',
    ).toEqual(['/api/v3/ticker/price']);
    expect(server.requests[0]!.headers['x-mexc-apikey'], 'public calls carry no key').toBeUndefined();
  });
});
