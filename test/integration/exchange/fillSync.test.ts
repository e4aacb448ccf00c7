/**
 * The fill ledger over real HTTP: `syncFills` with the SQLite fill ledger records every simulator fill
 * exactly once, however often and however overlapping the syncs are, including fills in a 24 h
 * window fuller than myTrades' 100-row page and a fill at the very end of a sync window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderSide } from '../../../src/domain/market.js';
import { dec, toWire } from '../../../src/domain/money.js';
import { syncFills } from '../../../src/exchange/fillSync.js';
import type { Db } from '../../../src/persistence/db.js';
import { FillRepository } from '../../../src/persistence/FillRepository.js';
import { silentLogger } from '../../../src/common/logger.js';
import { type SimHarness, useSimHarness } from '../../helpers/simulatorHarness.js';
import { testDb } from '../../helpers/testDb.js';

interface TradeWire {
  readonly symbol: string;
  readonly id: string;
  readonly orderId: string;
  readonly price: string;
  readonly qty: string;
  readonly quoteQty: string;
  readonly commission: string;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
}

const HOUR = 3_600_000;
const SYMBOLS = ['BTCUSDC', 'ETHUSDC'] as const;
const BOOKS = {
  BTCUSDC: { bid: '95000.00', ask: '95000.10', qty: '0.0001' },
  ETHUSDC: { bid: '3400.00', ask: '3400.10', qty: '0.002' },
} as const;

const startHarness = useSimHarness();
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

let sequence = 0;

/** One taker fill through the real client: an IOC at the current (pinned) touch. */
async function takerFill(h: SimHarness, symbol: (typeof SYMBOLS)[number], side: OrderSide): Promise<void> {
  const top = h.sim.market.bookTop(symbol);
  const before = h.sim.account.trades().length;
  sequence += 1;
  await h.client.placeOrder({
    symbol,
    side,
    type: 'IMMEDIATE_OR_CANCEL',
    price: dec(side === 'BUY' ? top.ask : top.bid),
    quantity: dec(BOOKS[symbol].qty),
    clientOrderId: `fs-${sequence}`,
  });
  expect(h.sim.account.trades().length, `${side} IOC on ${symbol} filled`).toBe(before + 1);
}

const simTrades = (h: SimHarness) => h.sim.account.trades() as TradeWire[];
const key = (symbol: string, tradeId: string) => `${symbol}|${tradeId}`;

async function setup() {
  const h = await startHarness({
    sim: { initialBalances: { USDC: '100000', BTC: '1', ETH: '10' } },
  });
  for (const symbol of SYMBOLS) h.sim.market.setBookTop(symbol, BOOKS[symbol]);
  const rules = await h.client.getRules();
  db = testDb();
  const repo = new FillRepository({
    db,
    clock: h.clock,
    assetsOf: (symbol) => {
      const r = rules.get(symbol);
      return r ? { base: r.baseAsset, quote: r.quoteAsset } : undefined;
    },
  });
  const sync = (now = h.clock.now()) =>
    syncFills({ exchange: h.client, store: repo, symbols: SYMBOLS, now, logger: silentLogger() });
  const stored = () => repo.listFills();
  return { h, repo, sync, stored };
}

describe('syncFills over the MEXC client on the simulator', () => {
  it('records every fill once across repeated, overlapping and concurrent syncs', async () => {
    const { h, repo, sync, stored } = await setup();
    // A busy hour: 105 BTCUSDC fills, more than one myTrades page for its 24 h window.
    for (let i = 0; i < 105; i++) await takerFill(h, 'BTCUSDC', i % 2 === 0 ? 'BUY' : 'SELL');
    // Then fills spread over 30 hours on both symbols, across 24 h window boundaries.
    for (let i = 0; i < 10; i++) {
      h.time.advance(3 * HOUR);
      await takerFill(h, 'ETHUSDC', 'BUY');
      await takerFill(h, 'BTCUSDC', 'SELL');
    }
    // A resting order filled by a market move: a maker fill.
    await h.client.placeOrder({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('3399.00'),
      quantity: dec('0.002'),
      clientOrderId: 'fs-maker',
    });
    h.time.advance(60_000);
    h.sim.market.setBookTop('ETHUSDC', { bid: '3398.00', ask: '3398.50' });
    h.time.advance(1_000);
    expect(simTrades(h), '105 + 20 taker fills and one maker fill').toHaveLength(126);

    const myTrades = () => h.sim.stats.snapshot().byEndpoint['GET /api/v3/myTrades']?.requests ?? 0;
    const first = await sync();
    // 30 daily windows per symbol, plus the busy day split because its page came back full.
    expect(myTrades(), 'the busy day needed more than one myTrades page').toBeGreaterThan(2 * 30);
    expect(first.failed, 'every symbol synced').toEqual({});
    expect(first.inserted, 'every fill inserted by the first sync').toBe(126);
    expect(first.bySymbol).toEqual({ BTCUSDC: 115, ETHUSDC: 11 });

    const expected = simTrades(h);
    const ledger = stored();
    expect(ledger.map((f) => key(f.symbol, f.tradeId)).sort(), 'exactly the simulator fills').toEqual(
      expected.map((t) => key(t.symbol, t.id)).sort(),
    );
    const bySimKey = new Map(expected.map((t) => [key(t.symbol, t.id), t]));
    for (const f of ledger) {
      const t = bySimKey.get(key(f.symbol, f.tradeId))!;
      expect(
        [toWire(f.price), toWire(f.qty), toWire(f.quoteQty), toWire(f.commission), f.commissionAsset],
        `fill ${f.tradeId} stored as the exchange reported it`,
      ).toEqual([toWire(dec(t.price)), toWire(dec(t.qty)), t.quoteQty, t.commission, t.commissionAsset]);
      expect([f.orderId, f.time, f.side, f.isMaker]).toEqual([
        t.orderId,
        t.time,
        t.isBuyer ? 'BUY' : 'SELL',
        t.isMaker,
      ]);
    }

    const repeat = await sync();
    expect(repeat.inserted, 'a repeated sync adds nothing').toBe(0);

    // Overlap: wind one cursor back 40 hours; everything is read again and nothing is added.
    repo.setSyncCursor('BTCUSDC', h.clock.now() - 40 * HOUR);
    const overlapping = await sync();
    expect(overlapping.inserted, 're-reading old windows adds nothing').toBe(0);

    await takerFill(h, 'BTCUSDC', 'BUY');
    await takerFill(h, 'ETHUSDC', 'SELL');
    h.time.advance(1_000);
    const concurrent = await Promise.all([sync(), sync()]);
    expect(
      concurrent.map((r) => r.inserted).reduce((a, b) => a + b, 0),
      'two concurrent syncs insert the two new fills once between them',
    ).toBe(2);
    expect(stored(), 'ledger and exchange agree').toHaveLength(simTrades(h).length);
    expect(new Set(stored().map((f) => key(f.symbol, f.tradeId))).size, 'no fill twice').toBe(128);
  });

  it("a fill stamped in the sync's own millisecond is recorded by that sync", async () => {
    const { h, sync, stored } = await setup();
    await takerFill(h, 'BTCUSDC', 'BUY');
    const [fill] = simTrades(h);
    expect((await sync(fill!.time)).inserted, 'the window ends at now inclusive').toBe(1);
    expect(stored().map((f) => f.tradeId)).toEqual([fill!.id]);
    expect((await sync()).inserted, 'and never again').toBe(0);
  });

  it('a fill just after a sync window is picked up once by the next sync', async () => {
    const { h, sync, stored } = await setup();
    await takerFill(h, 'BTCUSDC', 'BUY');
    const [fill] = simTrades(h);

    const beforeTheFill = await sync(fill!.time - 1);
    expect(beforeTheFill.inserted, 'a sync reads through its own millisecond, not beyond').toBe(0);
    expect(stored(), 'not recorded yet').toHaveLength(0);

    h.time.advance(30_000);
    const next = await sync();
    expect(next.inserted, 'the overlap before the cursor brings it in').toBe(1);
    expect(stored().map((f) => f.tradeId)).toEqual([fill!.id]);
    expect((await sync()).inserted, 'and never again').toBe(0);
  });
});
