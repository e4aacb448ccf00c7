/**
 * The fill ledger never stops and never misses, over real HTTP against a myTrades server that
 * behaves like MEXC's (100-row cap, inclusive bounds, the latest rows when more match, rows
 * published when the exchange gets round to it, its own clock): `syncFills` with the MEXC client
 * and the SQLite ledger.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import { positionsFromFills } from '../../../src/domain/portfolio/positions.js';
import { FILL_SYNC_OVERLAP_MS, syncFills } from '../../../src/exchange/fillSync.js';
import type { Db } from '../../../src/persistence/db.js';
import { FillRepository } from '../../../src/persistence/FillRepository.js';
import { OrderRepository } from '../../../src/persistence/OrderRepository.js';
import {
  type FakeMexcServer,
  type RecordedRequest,
  routes,
  startFakeMexc,
} from '../../helpers/fakeMexcServer.js';
import { FakeTime } from '../../helpers/fakeTime.js';
import { testClient, trade } from '../../helpers/mexcWire.js';
import { testDb } from '../../helpers/testDb.js';

const T0 = Date.UTC(2026, 0, 10, 12);
const MIN = 60_000;

interface Published {
  readonly row: Record<string, unknown>;
  /** Exchange time from which myTrades lists the row. */
  readonly publishedAt: number;
}

let server: FakeMexcServer | undefined;
let db: Db | undefined;
afterEach(async () => {
  await server?.close();
  db?.close();
  server = undefined;
  db = undefined;
});

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

/** A MEXC-like exchange whose clock is the test clock plus `skewMs`. */
async function exchange(options: { skewMs?: number } = {}) {
  const time = new FakeTime(T0);
  const skewMs = options.skewMs ?? 0;
  const exchangeNow = () => time.clock.now() + skewMs;
  const published: Published[] = [];
  const myTrades = (r: RecordedRequest) => {
    const start = Number(r.params.get('startTime'));
    const end = Number(r.params.get('endTime'));
    const orderId = r.params.get('orderId');
    const limit = Math.min(Number(r.params.get('limit') ?? 100), 100);
    const hits = published
      .filter((p) => p.publishedAt <= exchangeNow())
      .map((p) => p.row)
      .filter((t) => (t.time as number) >= start && (t.time as number) <= end)
      .filter((t) => orderId === null || t.orderId === orderId);
    return { body: hits.slice(-limit) };
  };
  server = await startFakeMexc(
    routes({
      'GET /api/v3/time': () => ({ body: { serverTime: exchangeNow() } }),
      'GET /api/v3/myTrades': myTrades,
    }),
  );
  const { lines, logger } = captureLogger();
  const { client } = testClient(server, { time, logger });
  db = testDb();
  const ledger = new FillRepository({
    db,
    clock: time.clock,
    assetsOf: () => ({ base: 'BTC', quote: 'USDC' }),
  });
  const orders = new OrderRepository(db);
  const sync = () => syncFills({ exchange: client, store: ledger, symbols: ['BTCUSDC'], logger });
  const publish = (row: Record<string, unknown>, publishedAt = row.time as number) =>
    published.push({ row, publishedAt });
  const myTradesCalls = () => server!.requests.filter((r) => r.path === '/api/v3/myTrades');
  return { time, exchangeNow, publish, sync, ledger, orders, lines, myTradesCalls };
}

describe('the fill ledger against a MEXC-like myTrades', () => {
  it('skips a malformed row with a warning naming it, stores its neighbours and advances the cursor', async () => {
    const x = await exchange();
    x.publish(trade({ id: 'good-1', time: T0 - 3 * MIN }));
    x.publish(trade({ id: 'bad-price', time: T0 - 2 * MIN, price: 'abc' }));
    x.publish(trade({ id: 'good-2', time: T0 - MIN }));

    const result = await x.sync();
    expect(result.failed, 'the symbol did not fail').toEqual({});
    expect(x.ledger.listFills().map((f) => f.tradeId)).toEqual(['good-1', 'good-2']);
    expect(x.ledger.getSyncCursor('BTCUSDC'), 'the cursor moved past the page').toBe(T0 + 1);
    const warning = x.lines.find((l) => l.level === 40 && String(l.msg).includes('bad-price'));
    expect(warning, 'a warning names the row').toBeDefined();
    expect(String(warning!.problem)).toContain('price');

    // Later syncs keep going instead of failing on the same row until it ages out.
    x.time.advance(MIN);
    x.publish(trade({ id: 'good-3', time: T0 + 30_000 }));
    expect((await x.sync()).inserted).toBe(1);
  });

  it('treats a blank or null commission as malformed, never as a zero fee', async () => {
    const x = await exchange();
    x.publish(trade({ id: 'blank-fee', time: T0 - 3 * MIN, commission: '' }));
    x.publish(trade({ id: 'null-fee', time: T0 - 2 * MIN, commission: null }));
    x.publish(trade({ id: 'zero-fee', time: T0 - MIN, commission: '0' }));

    await x.sync();
    const stored = x.ledger.listFills();
    expect(
      stored.map((f) => f.tradeId),
      'only the explicit zero fee is a fee-free fill',
    ).toEqual(['zero-fee']);
    for (const id of ['blank-fee', 'null-fee']) {
      expect(
        x.lines.some(
          (l) => l.level === 40 && String(l.msg).includes(id) && String(l.problem).includes('commission'),
        ),
        `${id} skipped with a warning about its commission`,
      ).toBe(true);
    }
  });

  it('builds windows in exchange time: with the exchange 10 minutes behind, no fill is missed', async () => {
    const x = await exchange({ skewMs: -10 * MIN });
    const syncedAt = x.exchangeNow();
    await x.sync();
    const last = x.myTradesCalls().at(-1)!.params;
    expect(Number(last.get('endTime')), 'the window ends at the exchange clock').toBe(syncedAt + 1);
    expect(x.ledger.getSyncCursor('BTCUSDC'), 'the cursor is in exchange time').toBe(syncedAt + 1);

    // Fills in the next minutes, stamped by the exchange clock, each followed by a sync.
    for (let i = 1; i <= 5; i++) {
      x.time.advance(MIN);
      x.publish(trade({ id: `t${i}`, time: x.exchangeNow() - 1_000 }));
      await x.sync();
    }
    expect(x.ledger.listFills().map((f) => f.tradeId)).toEqual(['t1', 't2', 't3', 't4', 't5']);
  });

  it('reads a fill published 6 minutes after its time stamp, at one myTrades call per sync', async () => {
    const x = await exchange();
    await x.sync();
    x.publish(trade({ id: 'late', time: T0 + 10_000 }), T0 + 10_000 + 6 * MIN);
    const callsBefore = x.myTradesCalls().length;
    // A sync every minute: the fill is invisible for six of them.
    for (let i = 1; i <= 8; i++) {
      x.time.advance(MIN);
      await x.sync();
    }
    expect(x.ledger.listFills().map((f) => f.tradeId)).toEqual(['late']);
    expect(FILL_SYNC_OVERLAP_MS, 'the overlap covers 6 minutes with a margin').toBeGreaterThanOrEqual(
      12 * MIN,
    );
    expect(
      x.myTradesCalls().length - callsBefore,
      'the overlap costs no extra request (weight 10 per sync)',
    ).toBe(8);
  });

  it('reads 150 fills of one millisecond per order of the bot, none lost', async () => {
    const x = await exchange();
    const at = T0 - 5 * MIN;
    // Three of the bot's orders filled 50 times each in the same millisecond.
    for (const [n, orderId] of ['C02__1', 'C02__2', 'C02__3'].entries()) {
      x.orders.createPending({
        clientOrderId: `ap-${n}`,
        origin: 'accumulate',
        symbol: 'BTCUSDC',
        baseAsset: 'BTC',
        quoteAsset: 'USDC',
        side: 'BUY',
        type: 'MARKET',
        quantity: dec('0.05'),
        reason: 'sweep',
        createdAt: at - 100,
      });
      x.orders.markSent(`ap-${n}`, orderId, at - 50);
      for (let i = 0; i < 50; i++) x.publish(trade({ id: `${orderId}-${i}`, orderId, time: at }));
    }
    const result = await x.sync();
    expect(result.failed).toEqual({});
    expect(x.ledger.listFills(), 'every fill of the millisecond').toHaveLength(150);
    const perOrder = x.myTradesCalls().filter((r) => r.params.has('orderId'));
    expect(perOrder.map((r) => r.params.get('orderId')).sort(), 'one read per order').toEqual([
      'C02__1',
      'C02__2',
      'C02__3',
    ]);
  });

  it('orders a buy and a sell of the same millisecond so the position is never oversold', async () => {
    const x = await exchange();
    const at = T0 - MIN;
    // The sell's id sorts before the buy's: trade ids say nothing about execution order.
    x.publish(
      trade({ id: '0a', time: at, isBuyer: false, qty: '1', price: '100', quoteQty: '100', commission: '0' }),
    );
    x.publish(
      trade({ id: '0b', time: at, isBuyer: true, qty: '1', price: '90', quoteQty: '90', commission: '0' }),
    );
    await x.sync();
    const { positions, warnings } = positionsFromFills(x.ledger.listFills(), {
      costAssetOf: () => 'USDC',
      toCostAsset: (amount) => amount,
    });
    expect(warnings, 'no sale beyond what the fills explain').toEqual([]);
    const btc = positions.get('BTC')!;
    expect(btc.qty.toFixed(), 'bought and sold: flat').toBe('0');
    expect(btc.realisedPnl.toFixed(), 'the sale realised against the buy').toBe('10');
  });
});
