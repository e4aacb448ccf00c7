/**
 * Request signing over real HTTP: the client's HMAC-SHA256 signatures are what the simulator (checking as
 * MEXC does) accepts, and authentication failures map to `auth` without leaking secrets.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../../../src/domain/errors.js';
import { dec } from '../../../src/domain/money.js';
import { type SimHarness, useSimHarness } from '../../helpers/simulatorHarness.js';

const startHarness = useSimHarness();

const requestsTo = (h: SimHarness, endpoint: string) =>
  h.sim.stats.snapshot().byEndpoint[endpoint]?.requests ?? 0;

async function failure(promise: Promise<unknown>): Promise<ExchangeError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome, 'rejected with an ExchangeError').toBeInstanceOf(ExchangeError);
  return outcome as ExchangeError;
}

describe('signed requests against the simulator', () => {
  it('a signed account request succeeds and reports the simulator account', async () => {
    const h = await startHarness({
      sim: { initialBalances: { USDC: '1234.5', USDT: '67.89', BTC: '0.01' } },
    });
    const balances = await h.client.getBalances();
    const byAsset = Object.fromEntries(
      balances.map((b) => [b.asset, [b.free.toFixed(), b.locked.toFixed()]]),
    );
    expect(byAsset, 'balances as the simulator holds them').toEqual({
      BTC: ['0.01', '0'],
      USDC: ['1234.5', '0'],
      USDT: ['67.89', '0'],
    });
  });

  it('signed requests with parameters (order, open orders, trades, cancel) are accepted', async () => {
    const h = await startHarness();
    h.sim.market.setBookTop('BTCUSDC', { bid: '95000.00', ask: '95000.10' });
    const ref = { symbol: 'BTCUSDC', clientOrderId: 'sig-check_1' };
    await h.client.placeOrder({
      ...ref,
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('94000.00'),
      quantity: dec('0.000123'),
    });
    const open = await h.client.getOpenOrders(['BTCUSDC']);
    expect(
      open.map((o) => o.clientOrderId),
      'the order is listed',
    ).toEqual([ref.clientOrderId]);
    const fills = await h.client.getFills({
      symbol: 'BTCUSDC',
      startTime: h.clock.now() - 86_400_000,
      endTime: h.clock.now(),
    });
    expect(fills, 'no fills yet').toEqual([]);
    expect((await h.client.cancelOrder(ref))?.status, 'cancelled by client id').toBe('CANCELED');
    expect(h.sim.stats.snapshot().rejected429, 'no rate limiting involved').toBe(0);
  });

  it('a wrong secret gets 700002, mapped to auth, with no secret or signature in the error', async () => {
    const h = await startHarness();
    const wrongSecret = 'f00dbadbadbadbadbadbadbadbadbad0';
    const client = h.newClient({ apiSecret: wrongSecret });

    const error = await failure(client.getBalances());

    expect(error, 'signature invalid → auth').toMatchObject({ kind: 'auth', code: 700002 });
    expect(requestsTo(h, 'GET /api/v3/account'), 'not retried').toBe(1);
    const text = `${error.message} ${JSON.stringify(error)} ${String(error.cause)}`;
    for (const secret of [wrongSecret, h.sim.credentials.apiSecret, h.sim.credentials.apiKey]) {
      expect(text, 'no credential in the error').not.toContain(secret);
    }
    expect(text, 'no signature in the error').not.toMatch(/signature=|[0-9a-f]{64}/);
  });

  it('an unknown API key gets 700001, also auth, and an order is refused the same way', async () => {
    const h = await startHarness();
    const client = h.newClient({ apiKey: 'mx0vglNOTAKEY' });

    expect(await failure(client.getBalances())).toMatchObject({ kind: 'auth', code: 700001 });
    const order = await failure(
      client.placeOrder({
        symbol: 'BTCUSDC',
        side: 'BUY',
        type: 'LIMIT',
        price: dec('90000'),
        quantity: dec('0.0001'),
        clientOrderId: 'sig-check_2',
      }),
    );
    expect(order, 'a refused key is not an unknown outcome').toMatchObject({ kind: 'auth', code: 700001 });
    expect(h.sim.account.orders(), 'nothing placed').toHaveLength(0);
  });

  it('without keys, private calls fail as auth before anything is sent', async () => {
    const h = await startHarness();
    const client = h.newClient({ apiKey: undefined, apiSecret: undefined });
    const error = await failure(client.getBalances());
    expect(error.kind).toBe('auth');
    expect(error.message, 'names the missing variables').toMatch(/MEXC_API_KEY and MEXC_API_SECRET/);
    expect(h.sim.stats.snapshot().requests, 'nothing reached the simulator').toBe(0);
  });
});
