import { describe, expect, it } from 'vitest';
import { buildRules } from '../../helpers/symbolRules.js';
import { dec } from '../../../src/domain/money.js';
import { PaperStore } from '../../../src/exchange/paper/PaperStore.js';
import { btcOrder, paperSetup, wallet } from './paperTestSetup.js';

const BTC = 'BTCUSDC';
const ALL_TIME = { symbol: BTC, startTime: 0, endTime: Number.MAX_SAFE_INTEGER };

describe('PaperExchange persistence', () => {
  it('seeds the initial balances once: a restart with other initial balances keeps the account', async () => {
    const { exchange, restart } = paperSetup({ balances: { USDC: '1000', BTC: '0.5', ZERO: '0' } });
    expect(
      (await exchange.getBalances()).map((b) => [b.asset, b.free.toFixed(), b.locked.toFixed()]),
      'seeded, zero balances not listed',
    ).toEqual([
      ['BTC', '0.5', '0'],
      ['USDC', '1000', '0'],
    ]);
    await exchange.placeOrder(btcOrder({ side: 'SELL', type: 'MARKET', quantity: '0.1' }));
    const afterTrade = await exchange.getBalances();
    const again = restart({ USDC: '5', ETH: '3' });
    expect(await again.getBalances(), 'the account survives, new initial balances ignored').toEqual(
      afterTrade,
    );
  });

  it('reads balances and open orders from memory between writes, never a rolled-back write', () => {
    const { db } = paperSetup({ balances: { USDC: '1000' } });
    const store = new PaperStore(db);
    expect(store.balances().map((b) => b.free.toFixed())).toEqual(['1000']);
    store.adjustBalance('USDC', { free: dec('-400'), locked: dec('400') });
    expect(store.balances()[0], 'a write is seen at once').toMatchObject({
      free: dec('600'),
      locked: dec('400'),
    });
    expect(() =>
      store.transaction(() => {
        store.adjustBalance('USDC', { free: dec('-100') });
        expect(store.balances()[0]!.free.toFixed(), 'inside the transaction').toBe('500');
        throw new Error('placing failed');
      }),
    ).toThrow('placing failed');
    expect(store.balances()[0]!.free.toFixed(), 'the rollback is seen too').toBe('600');
  });

  it('keeps open orders, fills and balances across a restart; the new instance fills the old order', async () => {
    const { exchange, restart, market } = paperSetup();
    const resting = btcOrder({ side: 'BUY', type: 'LIMIT_MAKER', price: '39999.99', quantity: '0.5' });
    const restingAck = await exchange.placeOrder(resting);
    const taker = await exchange.placeOrder(
      btcOrder({ side: 'SELL', type: 'IMMEDIATE_OR_CANCEL', price: '40000.00', quantity: '0.2' }),
    );
    const balancesBefore = await exchange.getBalances();
    const fillsBefore = await exchange.getFills(ALL_TIME);

    const restarted = restart();
    expect(await restarted.getBalances(), 'balances, held funds included').toEqual(balancesBefore);
    expect(await restarted.getFills(ALL_TIME), 'fills').toEqual(fillsBefore);
    const open = await restarted.getOpenOrders([BTC]);
    expect(
      open.map((o) => [o.clientOrderId, o.status, o.price.toFixed(), o.origQty.toFixed()]),
      'open order',
    ).toEqual([[resting.clientOrderId, 'NEW', '39999.99', '0.5']]);

    market.setBookTop(BTC, { bid: '39990.00', ask: '39991.00' });
    const filled = await restarted.getOrder({ symbol: BTC, clientOrderId: resting.clientOrderId });
    expect(filled?.status, 'filled by the restarted instance').toBe('FILLED');
    expect(await wallet(restarted, 'USDC'), 'hold settled after restart').toMatchObject({ locked: '0' });

    const next = await restarted.placeOrder(
      btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '39991.00', quantity: '0.01' }),
    );
    expect([restingAck.orderId, taker.orderId], 'order ids never repeat after a restart').not.toContain(
      next.orderId,
    );
    const tradeIds = (await restarted.getFills(ALL_TIME)).map((f) => f.tradeId);
    expect(new Set(tradeIds).size, 'trade ids never repeat after a restart').toBe(tradeIds.length);
    expect(tradeIds.length).toBe(3);
  });

  it('stores every amount as a plain decimal string, even tiny ones', async () => {
    const { exchange, db } = paperSetup({
      rules: [buildRules({ stepSize: dec('0.00000001'), minNotional: dec('0') })],
    });
    await exchange.placeOrder(
      btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '40001.00', quantity: '0.00000001' }),
    );
    const texts = [
      ...db.prepare('SELECT free, locked FROM paper_balances').raw().all(),
      ...db
        .prepare('SELECT price, orig_qty, executed_qty, cumm_quote_qty, maker_fee, locked FROM paper_orders')
        .raw()
        .all(),
      ...db.prepare('SELECT price, qty, quote_qty, commission FROM paper_fills').raw().all(),
    ].flat() as unknown[];
    expect(
      texts.every((t) => typeof t === 'string'),
      'TEXT columns',
    ).toBe(true);
    expect(
      texts.filter((t) => /e/i.test(String(t))),
      'no exponent notation',
    ).toEqual([]);
    expect(texts, 'the tiny quantity and its fee (0.00040001 × 0.002)').toEqual(
      expect.arrayContaining(['0.00000001', '0.00000080002']),
    );
  });
});

describe('PaperExchange lazy matching', () => {
  it('leaves a crossed resting order NEW in SQLite until a private call or matchRestingOrders', async () => {
    const { exchange, market, db } = paperSetup();
    const a = btcOrder({ side: 'BUY', type: 'LIMIT', price: '39990.00', quantity: '0.1' });
    const b = btcOrder({ side: 'SELL', type: 'LIMIT', price: '40020.00', quantity: '0.1' });
    await exchange.placeOrder(a);
    await exchange.placeOrder(b);
    const status = (id: string) =>
      (db.prepare('SELECT status FROM paper_orders WHERE client_order_id = ?').get(id) as { status: string })
        .status;

    market.setBookTop(BTC, { bid: '39980.00', ask: '39990.00' });
    expect(status(a.clientOrderId), 'no matching without a call').toBe('NEW');
    expect(await exchange.matchRestingOrders(), 'the buy filled').toBe(1);
    expect(status(a.clientOrderId)).toBe('FILLED');
    expect(await exchange.matchRestingOrders(), 'nothing more to fill').toBe(0);

    market.setBookTop(BTC, { bid: '40020.00', ask: '40021.00' });
    expect(status(b.clientOrderId), 'sell still NEW').toBe('NEW');
    await exchange.getBalances();
    expect(status(b.clientOrderId), 'getBalances matched first').toBe('FILLED');
  });

  it('fetches no book tops while nothing rests', async () => {
    const { exchange, market } = paperSetup();
    await exchange.getBalances();
    await exchange.getOpenOrders([BTC]);
    await exchange.getFills(ALL_TIME);
    await exchange.getOrder({ symbol: BTC, clientOrderId: 'none' });
    expect(market.bookTopRequests, 'idle account, no requests').toBe(0);
    await exchange.placeOrder(btcOrder({ side: 'BUY', type: 'LIMIT', price: '39000.00', quantity: '0.01' }));
    const afterPlace = market.bookTopRequests;
    await exchange.getBalances();
    expect(market.bookTopRequests, 'a resting order is checked on the next call').toBe(afterPlace + 1);
  });

  it('fills a crossed order once when private calls run concurrently', async () => {
    const { exchange, market } = paperSetup();
    const order = btcOrder({ side: 'BUY', type: 'LIMIT', price: '39990.00', quantity: '0.1' });
    await exchange.placeOrder(order);
    market.setBookTop(BTC, { bid: '39980.00', ask: '39985.00' });
    await Promise.all([
      exchange.getOrder({ symbol: BTC, clientOrderId: order.clientOrderId }),
      exchange.getBalances(),
      exchange.matchRestingOrders(),
      exchange.getFills(ALL_TIME),
    ]);
    expect((await exchange.getFills(ALL_TIME)).length, 'one fill').toBe(1);
    expect(await wallet(exchange, 'BTC'), 'received once').toEqual({ free: '1.1', locked: '0' });
  });

  it('reports a market-data failure on a private call while orders rest', async () => {
    const { exchange, market } = paperSetup();
    const order = btcOrder({ side: 'BUY', type: 'LIMIT', price: '39000.00', quantity: '0.01' });
    await exchange.placeOrder(order);
    market.bookTopsError = new Error('book tickers unavailable');
    await expect(
      exchange.getOrder({ symbol: BTC, clientOrderId: order.clientOrderId }),
      'not hidden',
    ).rejects.toThrow('book tickers unavailable');
    market.bookTopsError = undefined;
    expect((await exchange.getOrder({ symbol: BTC, clientOrderId: order.clientOrderId }))?.status).toBe(
      'NEW',
    );
  });
});
