import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { MINUTE, startTestSim, type TestSim } from './simTestKit.js';

type Row = Record<string, string | number | boolean | null>;

/** Taker fee as the simulator charges it: 0.05 %, rounded up to quoteCommissionPrecision (8). */
const takerFee = (quoteQty: Decimal) => quoteQty.times('0.0005').toDecimalPlaces(8, Decimal.ROUND_UP);

describe('simulator orders', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim();
  });
  afterEach(async () => {
    await t.sim.close();
  });

  const order = (params: Record<string, string>) => t.signed<Row>('POST', '/api/v3/order', params);
  const query = (symbol: string, clientId: string) =>
    t.signed<Row>('GET', '/api/v3/order', { symbol, origClientOrderId: clientId });
  const myTrades = (symbol: string, params: Record<string, string | number> = {}) =>
    t.signed<Row[]>('GET', '/api/v3/myTrades', { symbol, ...params });
  const balance = (asset: string) => t.sim.account.balances()[asset] ?? { free: '0', locked: '0' };

  it('rests a maker order, locks its funds, and fills it as maker when the price moves through', async () => {
    t.sim.market.setBookTop('BTCUSDC', { bid: '100000.00', ask: '100000.50' });
    const placed = await order({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.002',
      price: '99900.00',
      newClientOrderId: 'maker-1',
    });
    expect(placed.status).toBe(200);
    expect(Object.keys(placed.body).sort(), 'the ack has no status, fills or fees').toEqual(
      ['orderId', 'orderListId', 'origQty', 'price', 'side', 'symbol', 'transactTime', 'type'].sort(),
    );
    expect(String(placed.body.orderId), 'orderId is a C02__ string').toMatch(/^C02__\d+$/);
    expect(balance('USDC'), 'notional locked (maker fee 0)').toEqual({ free: '800.2', locked: '199.8' });
    const open = await t.signed<Row[]>('GET', '/api/v3/openOrders', { symbol: 'BTCUSDC' });
    expect(open.body.map((o) => o.clientOrderId)).toEqual(['maker-1']);
    expect((await query('BTCUSDC', 'maker-1')).body.status).toBe('NEW');

    t.sim.market.setBookTop('BTCUSDC', { bid: '99800.00', ask: '99850.00' });
    const filled = await query('BTCUSDC', 'maker-1');
    expect(filled.body).toMatchObject({
      status: 'FILLED',
      executedQty: '0.002000',
      cummulativeQuoteQty: '199.8',
      price: '99900.00',
      clientOrderId: 'maker-1',
    });
    const trades = await myTrades('BTCUSDC');
    expect(trades.body).toHaveLength(1);
    expect(trades.body[0]).toMatchObject({
      price: '99900.00',
      qty: '0.002000',
      quoteQty: '199.8',
      commission: '0',
      commissionAsset: 'USDC',
      isBuyer: true,
      isMaker: true,
      clientOrderId: 'maker-1',
      orderId: placed.body.orderId,
    });
    expect(typeof trades.body[0]?.id, 'trade ids are strings').toBe('string');
    expect(balance('USDC'), 'lock consumed').toEqual({ free: '800.2', locked: '0' });
    expect(balance('BTC')).toEqual({ free: '0.002', locked: '0' });
    expect((await t.signed<Row[]>('GET', '/api/v3/openOrders', { symbol: 'BTCUSDC' })).body).toEqual([]);
  });

  it('fills a crossing LIMIT as taker at the touch with the fee in the quote asset, resting the rest', async () => {
    t.sim.market.setBookTop('ETHUSDC', { bid: '3000.00', ask: '3001.00' });
    const book = await t.get<Row>('/api/v3/ticker/bookTicker', { symbol: 'ETHUSDC' });
    const askQty = new Decimal(String(book.body.askQty));
    const qty = askQty.plus('0.01');
    t.sim.account.setBalance('USDC', '100000');
    const placed = await order({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: qty.toFixed(),
      price: '3005.00',
      newClientOrderId: 'taker-1',
    });
    expect(placed.status).toBe(200);
    const partial = await query('ETHUSDC', 'taker-1');
    expect(partial.body.status, 'the top size was taken, the rest rests').toBe('PARTIALLY_FILLED');
    expect(new Decimal(String(partial.body.executedQty)).equals(askQty)).toBe(true);
    const [fill] = (await myTrades('ETHUSDC')).body;
    const quoteQty = askQty.times('3001');
    expect(fill).toMatchObject({ price: '3001.00', isMaker: false, commissionAsset: 'USDC' });
    expect(fill?.commission, 'taker fee 0.05 % of the quote amount').toBe(takerFee(quoteQty).toFixed());

    t.clock.advance(2 * MINUTE);
    const done = await query('ETHUSDC', 'taker-1');
    expect(done.body.status, 'the resting rest fills as the market steps').toBe('FILLED');
    const trades = (await myTrades('ETHUSDC')).body;
    expect(trades).toHaveLength(2);
    expect(trades[1]).toMatchObject({ price: '3005.00', qty: '0.01000', isMaker: true, commission: '0' });
    expect(new Set(trades.map((x) => x.id)).size, 'unique trade ids').toBe(2);
    const spent = quoteQty.plus(String(fill?.commission)).plus(new Decimal('0.01').times('3005'));
    expect(balance('USDC'), 'balance = start − cost − fee; the unused lock was released').toEqual({
      free: new Decimal('100000').minus(spent).toFixed(),
      locked: '0',
    });
  });

  it('fills IOC up to the top size and cancels the rest (PARTIALLY_CANCELED), or cancels outright', async () => {
    t.sim.market.setBookTop('BTCUSDT', { bid: '99000.00', ask: '99001.00' });
    const book = await t.get<Row>('/api/v3/ticker/bookTicker', { symbol: 'BTCUSDT' });
    const askQty = new Decimal(String(book.body.askQty));
    t.sim.account.setBalance('USDT', '1000000');
    const qty = askQty.times(2);
    await order({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'IMMEDIATE_OR_CANCEL',
      quantity: qty.toFixed(),
      price: '99001.00',
      newClientOrderId: 'ioc-1',
    });
    const ioc = await query('BTCUSDT', 'ioc-1');
    expect(ioc.body.status).toBe('PARTIALLY_CANCELED');
    expect(new Decimal(String(ioc.body.executedQty)).equals(askQty), 'filled the displayed size').toBe(true);
    const cost = askQty.times('99001');
    const fee = takerFee(cost);
    expect(balance('USDT'), 'the rest of the lock is released').toEqual({
      free: new Decimal('1000000').minus(cost).minus(fee).toFixed(),
      locked: '0',
    });
    await order({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'IMMEDIATE_OR_CANCEL',
      quantity: '0.001',
      price: '98990.00',
      newClientOrderId: 'ioc-2',
    });
    expect((await query('BTCUSDT', 'ioc-2')).body.status, 'below the ask: nothing to take').toBe('CANCELED');
  });

  it('executes MARKET orders at the touch by quantity or by quote amount', async () => {
    t.sim.market.setBookTop('ETHUSDT', { bid: '2500.00', ask: '2500.50' });
    const buy = await order({
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'MARKET',
      quoteOrderQty: '100',
      newClientOrderId: 'mkt-1',
    });
    expect(buy.status).toBe(200);
    const bought = await query('ETHUSDT', 'mkt-1');
    expect(bought.body).toMatchObject({ status: 'FILLED', executedQty: '0.03999', origQuoteOrderQty: '100' });
    expect(bought.body.cummulativeQuoteQty, 'quantity rounded down to the step, spend ≤ 100').toBe(
      '99.994995',
    );
    const sell = await order({
      symbol: 'ETHUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.02',
      newClientOrderId: 'mkt-2',
    });
    expect(sell.status).toBe(200);
    const [, sold] = (await myTrades('ETHUSDT')).body;
    expect(sold).toMatchObject({
      price: '2500.00',
      qty: '0.02000',
      isBuyer: false,
      commission: '0.025',
      commissionAsset: 'USDT',
    });
  });

  it('releases the lock on cancel; a second cancel is -2011, an unknown order -2013, no id 700004', async () => {
    const { bid } = t.sim.market.bookTop('ETHUSDC');
    await order({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: bid,
      newClientOrderId: 'c-1',
    });
    expect(balance('USDC').locked, 'funds locked').not.toBe('0');
    const canceled = await t.signed<Row>('DELETE', '/api/v3/order', {
      symbol: 'ETHUSDC',
      origClientOrderId: 'c-1',
    });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'CANCELED', clientOrderId: 'c-1' });
    expect(balance('USDC'), 'released').toEqual({ free: '1000', locked: '0' });
    const again = await t.signed('DELETE', '/api/v3/order', { symbol: 'ETHUSDC', origClientOrderId: 'c-1' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const unknown = await t.signed('GET', '/api/v3/order', { symbol: 'ETHUSDC', orderId: 'C02__1' });
    expect(unknown.body).toEqual({ code: -2013, msg: 'Order does not exist.' });
    const noRef = await t.signed('GET', '/api/v3/order', { symbol: 'ETHUSDC' });
    expect(noRef.body).toMatchObject({ code: 700004 });
    expect((await query('ETHUSDC', 'c-1')).body.status, 'a canceled order can still be queried').toBe(
      'CANCELED',
    );
  });

  it('answers 10007 for symbols the API may not trade', async () => {
    const defaults = await t.get<{ data: string[] }>('/api/v3/defaultSymbols');
    const info = await t.get<{ symbols: Row[] }>('/api/v3/exchangeInfo');
    const hidden = info.body.symbols.find(
      (s) => !defaults.body.data.includes(String(s.symbol)) && s.status === '1',
    );
    expect(hidden, 'the listing has a symbol outside defaultSymbols').toBeDefined();
    const limitAtBid = async (symbol: string) => {
      const { bid } = t.sim.market.bookTop(symbol);
      return order({ symbol, side: 'BUY', type: 'LIMIT', quantity: '1000', price: bid });
    };
    expect((await limitAtBid(String(hidden?.symbol))).body).toEqual({
      code: 10007,
      msg: 'symbol not support api',
    });
    t.sim.market.setTradable('BTCUSDC', false);
    const { bid } = t.sim.market.bookTop('BTCUSDC');
    const blocked = await order({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.0001',
      price: bid,
    });
    expect(blocked.body, 'setTradable(false) removes it from defaultSymbols').toMatchObject({ code: 10007 });
    expect((await t.get<{ data: string[] }>('/api/v3/defaultSymbols')).body.data).not.toContain('BTCUSDC');
    t.sim.market.setTradable('BTCUSDC', true);
    const back = await order({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.0001',
      price: bid,
    });
    expect(back.status, 'tradable again').toBe(200);
  });

  it('refuses orders that break the rules with the MEXC codes', async () => {
    t.sim.market.setBookTop('BTCUSDC', { bid: '100000.00', ask: '100000.50' });
    const base = { symbol: 'BTCUSDC', side: 'BUY', type: 'LIMIT' };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, quantity: '0.00004', price: '100000.00' }, 30002, 'below the 5 USDC minimum notional'],
      [
        { ...base, quantity: '0.0000001', price: '100000.00' },
        10096,
        'more decimals than baseAssetPrecision',
      ],
      [{ ...base, quantity: '0.001', price: '100000.001' }, 10096, 'more decimals than the price precision'],
      [{ ...base, quantity: '0', price: '100000.00' }, 10102, 'zero quantity'],
      [{ ...base, quantity: '0.001', price: '100600.00' }, 30087, 'above the 0.5 % buy band'],
      [{ ...base, side: 'SELL', quantity: '0.001', price: '99400.00' }, 30087, 'below the 0.5 % sell band'],
      [{ ...base, quantity: '0.02', price: '100000.00' }, 30004, 'more than the 1000 USDC balance'],
      [{ ...base, side: 'SELL', quantity: '0.001', price: '100000.00' }, 30004, 'no BTC to sell'],
      [
        { ...base, type: 'LIMIT_MAKER', quantity: '0.001', price: '100000.50' },
        -2010,
        'a post-only order that would take',
      ],
      [{ ...base, quantity: '0.001' }, 33333, 'LIMIT without a price'],
      [{ ...base, symbol: 'NOPEUSDT', quantity: '1', price: '1' }, -1121, 'an unknown symbol'],
    ];
    for (const [params, code, why] of cases) {
      const res = await order(params);
      expect(res.status, why).toBe(400);
      expect(res.body.code, why).toBe(code);
    }
    expect(t.sim.account.orders(), 'nothing was placed').toHaveLength(0);
    expect(balance('USDC')).toEqual({ free: '1000', locked: '0' });
  });

  it('refuses MARKET where the symbol lacks it, and a reused newClientOrderId', async () => {
    const info = await t.get<{ symbols: Row[] }>('/api/v3/exchangeInfo');
    const defaults = await t.get<{ data: string[] }>('/api/v3/defaultSymbols');
    const noMarket = info.body.symbols.find(
      (s) =>
        !(s.orderTypes as unknown as string[]).includes('MARKET') &&
        defaults.body.data.includes(String(s.symbol)),
    );
    expect(noMarket, 'some tradable symbol lacks MARKET').toBeDefined();
    const res = await order({
      symbol: String(noMarket?.symbol),
      side: 'BUY',
      type: 'MARKET',
      quoteOrderQty: '10',
    });
    expect(res.body).toMatchObject({ code: 30051 });
    const { bid } = t.sim.market.bookTop('ETHUSDC');
    const first = await order({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: bid,
      newClientOrderId: 'dup',
    });
    expect(first.status).toBe(200);
    const second = await order({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: bid,
      newClientOrderId: 'dup',
    });
    expect(second.status, 'a client order id is used once').toBe(400);
    expect(t.sim.account.orders()).toHaveLength(1);
  });

  it('matches resting orders as the market moves on its own', async () => {
    const { bid } = t.sim.market.bookTop('ETHUSDC');
    const price = new Decimal(bid).times('0.995').toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2);
    await order({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price,
      newClientOrderId: 'walk-1',
    });
    let status = (await query('ETHUSDC', 'walk-1')).body.status;
    for (let hour = 0; hour < 72 && status === 'NEW'; hour++) {
      t.clock.advance(60 * MINUTE);
      t.sim.step();
      status = (await query('ETHUSDC', 'walk-1')).body.status;
    }
    expect(status, 'ETH dipped 0.5 % within three simulated days (seeded path)').toBe('FILLED');
    const [fill] = (await myTrades('ETHUSDC')).body;
    expect(fill).toMatchObject({ price, isMaker: true, commission: '0' });
    const klines = await t.get<string[][]>('/api/v3/klines', {
      symbol: 'ETHUSDC',
      interval: '1m',
      startTime: Number(fill?.time) - MINUTE + 1,
      endTime: Number(fill?.time) + 1,
    });
    const low = new Decimal(String(klines.body[0]?.[3]));
    expect(
      low.lessThanOrEqualTo(price),
      'the fill happened in a minute that traded at or below the price',
    ).toBe(true);
  });

  it('pages myTrades: at most 100 rows, filtered by time, ascending', async () => {
    t.sim.account.setBalance('USDT', '100000');
    t.sim.market.setBookTop('ETHUSDT', { bid: '2500.00', ask: '2500.50' });
    for (let i = 0; i < 105; i++) {
      await order({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
      t.clock.advance(1000);
    }
    const latest = await myTrades('ETHUSDT');
    expect(latest.body, 'default and maximum 100').toHaveLength(100);
    const times = latest.body.map((x) => Number(x.time));
    expect(
      [...times].sort((a, b) => a - b),
      'ascending',
    ).toEqual(times);
    expect((await myTrades('ETHUSDT', { limit: 500 })).body, 'limit capped at 100').toHaveLength(100);
    const first = Number(t.sim.account.trades().length && (t.sim.account.trades()[0] as Row).time);
    const window = await myTrades('ETHUSDT', { startTime: first, endTime: first + 4999 });
    expect(window.body, 'five fills in the first five seconds').toHaveLength(5);
    expect(t.sim.account.trades(), 'the handle sees every fill').toHaveLength(105);
  });

  it('lists all orders, cancels all open orders of a symbol, and lists self symbols', async () => {
    const { bid } = t.sim.market.bookTop('ETHUSDC');
    for (const id of ['o-1', 'o-2']) {
      await order({
        symbol: 'ETHUSDC',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '0.01',
        price: bid,
        newClientOrderId: id,
      });
      t.clock.advance(1000);
    }
    const all = await t.signed<Row[]>('GET', '/api/v3/allOrders', { symbol: 'ETHUSDC' });
    expect(
      all.body.map((o) => o.clientOrderId),
      'ascending by time',
    ).toEqual(['o-1', 'o-2']);
    const canceled = await t.signed<Row[]>('DELETE', '/api/v3/openOrders', { symbol: 'ETHUSDC' });
    expect(canceled.body.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(balance('USDC'), 'every lock released').toEqual({ free: '1000', locked: '0' });
    const self = await t.signed<{ code: number; data: string[] }>('GET', '/api/v3/selfSymbols');
    const defaults = await t.get<{ data: string[] }>('/api/v3/defaultSymbols');
    expect(self.body.data, 'the same tradable list for this key').toEqual(defaults.body.data);
    const missing = await t.signed('GET', '/api/v3/openOrders');
    expect(missing.body, 'openOrders needs a symbol').toMatchObject({ code: -1121 });
  });

  it('reports fee rates as numbers from tradeFee', async () => {
    const res = await t.signed<{ code: number; data: { makerCommission: number; takerCommission: number } }>(
      'GET',
      '/api/v3/tradeFee',
      { symbol: 'BTCUSDC' },
    );
    expect(res.body.code).toBe(0);
    expect(res.body.data).toEqual({ makerCommission: 0, takerCommission: 0.0005 });
  });
});
