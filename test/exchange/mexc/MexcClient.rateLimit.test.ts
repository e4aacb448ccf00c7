import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError } from '../../../src/domain/errors.js';
import { type PauseEvent, RateLimiter } from '../../../src/exchange/rateLimiter.js';
import { type FakeMexcServer, routes, startFakeMexc } from '../../helpers/fakeMexcServer.js';
import { FakeTime, settle } from '../../helpers/fakeTime.js';
import { testClient } from '../../helpers/mexcWire.js';

let server: FakeMexcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const kline = (t: number) => [t, '1', '1', '1', '1', '1', t + 60_000, '1'];

function setup(reply429: () => boolean, headers: Record<string, string> = {}, status = 429) {
  return startFakeMexc(
    routes({
      'GET /api/v3/ticker/price': () =>
        reply429()
          ? {
              status,
              body:
                status === 403 ? '<html>Access denied</html>' : { code: status, msg: 'Too Many Requests' },
              headers,
            }
          : { body: [{ symbol: 'BTCUSDC', price: '95000' }] },
      'GET /api/v3/klines': { body: [kline(0)] },
      'GET /api/v3/ticker/bookTicker': { body: [] },
    }),
  );
}

describe('MexcClient under rate limiting', () => {
  it('during a 429 storm sends nothing until the advised Retry-After has passed', async () => {
    let storm = 2; // the first two price requests are refused
    server = await setup(() => storm-- > 0, { 'Retry-After': '90' });
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, random: () => 0 });
    const { client } = testClient(server, { time, limiter });

    const first = await client.getPrices().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ExchangeError);
    expect(first).toMatchObject({ kind: 'rate-limited', httpStatus: 429, retryAfterMs: 90_000 });

    const pending = [
      client.getPrices().catch((e: unknown) => e),
      client.getKlines({ symbol: 'BTCUSDC', interval: '1m' }),
      client.getBookTops(),
    ];
    await settle(
      () => limiter.stats().queued === 3 && time.pendingSleeps === 1,
      'requests queued behind the pause',
    );
    time.advance(89_999);
    await settle(() => time.pendingSleeps === 1, 'limiter sleeps the last millisecond');
    expect(server.requests, 'nothing sent while paused').toHaveLength(1);

    time.advance(1);
    const [second] = await Promise.all(pending);
    expect(server.requests, 'all three sent once the pause ended').toHaveLength(4);
    expect(second, 'the storm continues: a second 429 pauses twice the advice (180 s)').toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 180_000,
    });

    const later = client.getKlines({ symbol: 'BTCUSDC', interval: '1m' });
    await settle(
      () => limiter.stats().queued === 1 && time.pendingSleeps === 1,
      'queued behind the second pause',
    );
    time.advance(179_999);
    await settle(() => time.pendingSleeps === 1, 'still paused');
    expect(server.requests).toHaveLength(4);
    time.advance(1);
    await later;
    expect(server.requests).toHaveLength(5);
    expect(limiter.stats().count429).toBe(2);
  });

  it('429 with Retry-After 15: the next request goes within 17 s, a queued kill-switch cancel first', async () => {
    let refuse = true;
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: time.clock.now() } }),
        'GET /api/v3/ticker/price': () =>
          refuse
            ? { status: 429, body: { code: 429, msg: 'Too Many Requests' }, headers: { 'Retry-After': '15' } }
            : { body: [{ symbol: 'BTCUSDC', price: '95000' }] },
        'DELETE /api/v3/order': (r) => ({
          body: { symbol: 'BTCUSDC', orderId: '1', clientOrderId: r.params.get('origClientOrderId') },
        }),
      }),
    );
    const time = new FakeTime();
    let manual = false;
    // One request per second, so the order in which queued requests get the budget is visible.
    const limiter = new RateLimiter({
      clock: time.clock,
      sleep: (ms) => (manual ? time.sleep(ms) : time.autoSleep(ms)),
      random: () => 0.999,
      maxRequestsPerSecond: 1,
    });
    const { client } = testClient(server, { time, limiter });
    // An earlier signed call measured the server-time offset, as the running bot has.
    await client.cancelOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-earlier' });
    await expect(client.getPrices()).rejects.toMatchObject({ kind: 'rate-limited', httpStatus: 429 });
    const refusedAt = time.clock.now();
    const sentBefore = server.requests.length;
    refuse = false;
    manual = true;

    const reads = [client.getPrices(), client.getPrices()];
    await settle(() => limiter.stats().queued === 2 && time.pendingSleeps === 1, 'reads queued');
    const cancel = client.cancelOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-kill' });
    await settle(() => limiter.stats().queued === 3, 'the cancel queued behind the pause too');
    time.advance(15_000);
    await settle(() => time.pendingSleeps === 1, 'the jitter is still running');
    expect(server.requests, 'nothing sent during the advised pause').toHaveLength(sentBefore);
    time.advance(1_000);
    await cancel;
    const wire = () => server!.requests.slice(sentBefore).map((r) => `${r.method} ${r.path}`);
    expect(wire(), 'the cancel goes first, alone in its second').toEqual(['DELETE /api/v3/order']);
    expect(time.clock.now() - refusedAt, 'the pause ended within N + 2 s').toBeLessThanOrEqual(17_000);
    time.advance(1_000);
    await settle(() => wire().length === 2, 'first read');
    // A request counts from its answer (not only its grant): the second read's second starts there.
    await reads[0];
    time.advance(1_000);
    await Promise.all(reads);
    expect(wire()).toEqual(['DELETE /api/v3/order', 'GET /api/v3/ticker/price', 'GET /api/v3/ticker/price']);
  });

  it('418 pauses everything for at least 10 minutes and raises an alert', async () => {
    let once = true;
    server = await setup(
      () => {
        const r = once;
        once = false;
        return r;
      },
      {},
      418,
    );
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
    const alerts: PauseEvent[] = [];
    limiter.onPause((e) => e.alert && alerts.push(e));
    const { client } = testClient(server, { time, limiter });

    await expect(client.getPrices()).rejects.toMatchObject({
      kind: 'rate-limited',
      httpStatus: 418,
      retryAfterMs: 600_000,
    });
    expect(alerts).toEqual([expect.objectContaining({ httpStatus: 418, pauseMs: 600_000, alert: true })]);

    const next = client.getPrices();
    await settle(() => limiter.stats().queued === 1 && time.pendingSleeps === 1, 'queued behind the ban');
    time.advance(599_999);
    await settle(() => time.pendingSleeps === 1, 'still banned');
    expect(server.requests).toHaveLength(1);
    time.advance(1);
    await next;
    expect(server.requests).toHaveLength(2);
  });

  it('a WAF 403 (no MEXC code) pauses 10 minutes with an alert; a 403 with a MEXC code is auth', async () => {
    let once = true;
    server = await setup(
      () => {
        const r = once;
        once = false;
        return r;
      },
      {},
      403,
    );
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
    const { client } = testClient(server, { time, limiter });
    await expect(client.getPrices()).rejects.toMatchObject({ kind: 'rate-limited', httpStatus: 403 });
    expect(limiter.stats().countBans).toBe(1);

    await server.close();
    server = await startFakeMexc(
      routes({
        'GET /api/v3/time': () => ({ body: { serverTime: time.clock.now() } }),
        'GET /api/v3/account': {
          status: 403,
          body: { code: 700007, msg: 'No permission to access the endpoint.' },
        },
      }),
    );
    const other = testClient(server);
    await expect(other.client.getBalances()).rejects.toMatchObject({ kind: 'auth', code: 700007 });
    expect(other.limiter.stats().countBans, 'a permission error is not a ban').toBe(0);
  });

  it('counts endpoint weights: all 24 h tickers + 80 kline requests = 120', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/ticker/24hr': { body: [] },
        'GET /api/v3/klines': { body: [kline(0)] },
      }),
    );
    const { client, limiter, time } = testClient(server);
    const start = time.clock.now();
    await client.getTickers24h();
    await Promise.all(
      Array.from({ length: 80 }, (_, i) => client.getKlines({ symbol: `A${i}USDT`, interval: '60m' })),
    );
    expect(limiter.stats()).toMatchObject({ totalRequests: 81, totalWeight: 120 });
    expect(
      time.clock.now() - start,
      'weight 120 fits the 250 budget; the 15 requests/s cap paces 81 requests over 5 s',
    ).toBe(5_000);
  });
});
