import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import {
  type FakeMexcServer,
  type RecordedRequest,
  routes,
  startFakeMexc,
} from '../../helpers/fakeMexcServer.js';
import { order, testClient, trade } from '../../helpers/mexcWire.js';

let server: FakeMexcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const time = { 'GET /api/v3/time': () => ({ body: { serverTime: T0 } }) };

/**
 * myTrades as MEXC serves it: both bounds inclusive, at most `limit` (≤ 100) rows, and when more
 * match, the LATEST ones (the adversarial case: the earliest rows are what a naive pager loses).
 */
function myTrades(all: readonly Record<string, unknown>[]) {
  return (r: RecordedRequest) => {
    const start = Number(r.params.get('startTime'));
    const end = Number(r.params.get('endTime'));
    const limit = Math.min(Number(r.params.get('limit') ?? 100), 100);
    const hits = all.filter((t) => (t.time as number) >= start && (t.time as number) <= end);
    return { body: hits.slice(-limit) };
  };
}

describe('MexcClient account and orders', () => {
  it('getFills walks ≤ 24 h windows, halves a window that returns exactly 100 rows, dedupes and sorts', async () => {
    const trades: Record<string, unknown>[] = [];
    // 250 fills inside one hour of day 2 (forces splitting), a few spread over other days,
    // one exactly on a window boundary, ids that do not sort by time.
    for (let i = 0; i < 250; i++)
      trades.push(trade({ id: `f${(i * 7919) % 1000}x${i}`, time: T0 + DAY + 10 * 60_000 + i * 1000 }));
    trades.push(trade({ id: 'early', time: T0 + 5 }), trade({ id: 'boundary', time: T0 + DAY }));
    trades.push(
      trade({ id: 'late', time: T0 + 3 * DAY - 1, isBuyer: false, commission: '0', commissionAsset: null }),
    );
    trades.push(trade({ id: 'outside', time: T0 + 3 * DAY }));
    server = await startFakeMexc(routes({ ...time, 'GET /api/v3/myTrades': myTrades(trades) }));
    const { client } = testClient(server);

    const fills = await client.getFills({ symbol: 'BTCUSDC', startTime: T0, endTime: T0 + 3 * DAY });

    expect(fills, 'every fill in [start, end) exactly once').toHaveLength(253);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(253);
    expect(fills.map((f) => f.time)).toEqual([...fills.map((f) => f.time)].sort((a, b) => a - b));
    expect(
      fills.some((f) => f.tradeId === 'outside'),
      'end is exclusive',
    ).toBe(false);
    const calls = server.requests.filter((r) => r.path === '/api/v3/myTrades').map((r) => r.params);
    for (const p of calls) {
      expect(
        Number(p.get('endTime')) - Number(p.get('startTime')),
        'no window over 24 h',
      ).toBeLessThanOrEqual(DAY);
      expect(p.get('limit')).toBe('100');
      expect(p.get('symbol')).toBe('BTCUSDC');
    }
    expect(calls.length, 'three day windows plus the splits of the busy one').toBeGreaterThan(3);
    const late = fills.at(-1)!;
    expect(late).toMatchObject({ tradeId: 'late', side: 'SELL', commissionAsset: '' });
    expect(late.commission.toFixed()).toBe('0');
    const first = fills.find((f) => f.tradeId === 'early')!;
    expect(first).toMatchObject({
      side: 'BUY',
      orderId: 'C02__600000000000000001',
      isMaker: false,
      commissionAsset: 'USDC',
    });
    expect(first.clientOrderId, 'null client id is absent').toBeUndefined();
    expect([
      first.price.toFixed(),
      first.qty.toFixed(),
      first.quoteQty.toFixed(),
      first.commission.toFixed(),
    ]).toEqual(['95000.12', '0.001', '95.00012', '0.0475']);
  });

  it('getBalances maps free and locked as decimals; null counts as 0', async () => {
    server = await startFakeMexc(
      routes({
        ...time,
        'GET /api/v3/account': {
          body: {
            canTrade: true,
            updateTime: null,
            accountType: 'SPOT',
            balances: [
              { asset: 'USDC', free: '1000.123456789', locked: '0' },
              { asset: 'BTC', free: 0.5, locked: null },
            ],
            permissions: ['SPOT'],
          },
        },
      }),
    );
    const { client } = testClient(server);
    const balances = await client.getBalances();
    expect(balances.map((b) => [b.asset, b.free.toFixed(), b.locked.toFixed()])).toEqual([
      ['USDC', '1000.123456789', '0'],
      ['BTC', '0.5', '0'],
    ]);
  });

  it('placeOrder sends plain decimal strings and the client id; MARKET sends no price', async () => {
    server = await startFakeMexc(
      routes({
        ...time,
        'POST /api/v3/order': (r) => ({
          body: {
            symbol: r.params.get('symbol'),
            orderId: 379608025,
            orderListId: -1,
            type: r.params.get('type'),
            side: 'SELL',
          },
        }),
      }),
    );
    const { client } = testClient(server);
    const ack = await client.placeOrder({
      symbol: 'PEPEUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: dec('1e-8').plus(dec('12345678901234567890')),
      clientOrderId: 'ap-m1',
    });
    const p = server.requests.find((r) => r.method === 'POST')!.params;
    expect(p.get('quantity'), 'never exponent notation').toBe('12345678901234567890.00000001');
    expect(p.has('price')).toBe(false);
    expect(p.get('newClientOrderId')).toBe('ap-m1');
    expect(ack, 'numeric order ids become strings; missing transactTime → now').toEqual({
      symbol: 'PEPEUSDT',
      orderId: '379608025',
      clientOrderId: 'ap-m1',
      transactTime: T0,
    });
    await expect(
      client.placeOrder({
        symbol: 'X',
        side: 'BUY',
        type: 'LIMIT',
        quantity: dec(1),
        clientOrderId: 'ap-np',
      }),
    ).rejects.toMatchObject({ kind: 'invalid-order' });
  });

  it('getOrder queries by origClientOrderId and maps the order (Qty alias, null client id)', async () => {
    server = await startFakeMexc(
      routes({
        ...time,
        'GET /api/v3/order': {
          body: order({
            origQty: undefined,
            Qty: '0.002',
            executedQty: '0.001',
            cummulativeQuoteQty: '95.5',
            status: 'PARTIALLY_FILLED',
            clientOrderId: null,
            updateTime: null,
          }),
        },
      }),
    );
    const { client } = testClient(server);
    const o = await client.getOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-1' });
    const p = server.requests.find((r) => r.path === '/api/v3/order')!.params;
    expect([p.get('symbol'), p.get('origClientOrderId')]).toEqual(['BTCUSDC', 'ap-1']);
    expect(o).toMatchObject({
      status: 'PARTIALLY_FILLED',
      type: 'LIMIT',
      side: 'BUY',
      time: T0,
      updateTime: T0,
    });
    expect(o?.clientOrderId).toBeUndefined();
    expect([o!.origQty.toFixed(), o!.executedQty.toFixed(), o!.cummulativeQuoteQty.toFixed()]).toEqual([
      '0.002',
      '0.001',
      '95.5',
    ]);
  });

  it('getOpenOrders makes one request per symbol and skips order types the bot does not use', async () => {
    server = await startFakeMexc(
      routes({
        ...time,
        'GET /api/v3/openOrders': (r) => ({
          body:
            r.params.get('symbol') === 'BTCUSDC'
              ? [order(), order({ orderId: 'C02__2', type: 'FILL_OR_KILL' })]
              : [order({ symbol: 'ETHUSDC', orderId: 'C02__3', side: 'SELL', type: 'LIMIT_MAKER' })],
        }),
      }),
    );
    const { client } = testClient(server);
    const open = await client.getOpenOrders(['BTCUSDC', 'ETHUSDC']);
    expect(
      server.requests.filter((r) => r.path === '/api/v3/openOrders').map((r) => r.params.get('symbol')),
    ).toEqual(['BTCUSDC', 'ETHUSDC']);
    expect(open.map((o) => [o.symbol, o.orderId, o.type])).toEqual([
      ['BTCUSDC', 'C02__600000000000000001', 'LIMIT'],
      ['ETHUSDC', 'C02__3', 'LIMIT_MAKER'],
    ]);
  });

  it('cancelOrder returns the final state when MEXC sends it, undefined for a partial reply', async () => {
    let full = true;
    server = await startFakeMexc(
      routes({
        ...time,
        'DELETE /api/v3/order': () => ({
          body: full
            ? order({ status: 'CANCELED' })
            : {
                symbol: 'BTCUSDC',
                orderId: 'C02__1',
                price: '95000',
                origQty: '0.001',
                type: 'LIMIT',
                side: 'BUY',
              },
        }),
      }),
    );
    const { client } = testClient(server);
    expect((await client.cancelOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-1' }))?.status).toBe('CANCELED');
    full = false;
    expect(await client.cancelOrder({ symbol: 'BTCUSDC', clientOrderId: 'ap-1' })).toBeUndefined();
    expect(server.requests.find((r) => r.method === 'DELETE')!.params.get('origClientOrderId')).toBe('ap-1');
  });
});
