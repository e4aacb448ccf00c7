import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import { buildRules } from '../../helpers/symbolRules.js';
import { btcOrder, paperSetup, wallet } from './paperTestSetup.js';

const BTC = 'BTCUSDC';
const ref = (clientOrderId: string) => ({ symbol: BTC, clientOrderId });

describe('PaperExchange: fees and settlement (maker 0.1 %, taker 0.2 %, fees in USDC)', () => {
  it('settles a maker buy, a taker sell and two taker buys to the exact decimal', async () => {
    const { exchange, market } = paperSetup();
    const buy = btcOrder({ side: 'BUY', type: 'LIMIT_MAKER', price: '39999.99', quantity: '0.5' });
    await exchange.placeOrder(buy);
    // 0.5 × 39999.99 × 1.001 held for value plus maker fee
    expect(await wallet(exchange, 'USDC'), 'held on placement').toEqual({
      free: '79980.005005',
      locked: '20019.994995',
    });

    market.setBookTop(BTC, { bid: '39999.00', ask: '39999.50' });
    const fills = await exchange.getFills({ symbol: BTC, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
    expect(
      fills.map((f) => [f.price.toFixed(), f.qty.toFixed(), f.commission.toFixed(), f.isMaker]),
      'maker fill at its own price, fee 19999.995 × 0.001',
    ).toEqual([['39999.99', '0.5', '19.999995', true]]);
    expect(await wallet(exchange, 'USDC'), 'hold consumed exactly').toEqual({
      free: '79980.005005',
      locked: '0',
    });
    expect(await wallet(exchange, 'BTC'), 'base received').toEqual({ free: '1.5', locked: '0' });

    await exchange.placeOrder(
      btcOrder({ side: 'SELL', type: 'IMMEDIATE_OR_CANCEL', price: '39999.00', quantity: '0.2' }),
    );
    // + 0.2 × 39999.00 × (1 − 0.002)
    expect(await wallet(exchange, 'USDC'), 'sell proceeds less taker fee').toEqual({
      free: '87963.805405',
      locked: '0',
    });

    await exchange.placeOrder(
      btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '39999.50', quantity: '0.1' }),
    );
    await exchange.placeOrder(
      btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '39999.50', quantity: '0.2' }),
    );
    expect(await wallet(exchange, 'BTC'), '1.3 + 0.1 + 0.2 with no float drift').toEqual({
      free: '1.6',
      locked: '0',
    });
    expect(await wallet(exchange, 'USDC'), 'two taker buys at 39999.50 × 1.002').toEqual({
      free: '75939.955705',
      locked: '0',
    });
  });

  it('a crossing LIMIT takes the quantity at the touch, then the rest at its limit, all as taker', async () => {
    const { exchange, market } = paperSetup();
    market.setBookTop(BTC, { bid: '40000.00', ask: '40001.00', askQty: '0.1' });
    const order = btcOrder({ side: 'BUY', type: 'LIMIT', price: '40002.00', quantity: '0.3' });
    await exchange.placeOrder(order);
    const state = await exchange.getOrder(ref(order.clientOrderId));
    expect(state?.status, 'filled on arrival').toBe('FILLED');
    expect(state?.cummulativeQuoteQty.toFixed(), '0.1 × 40001 + 0.2 × 40002').toBe('12000.5');
    const fills = await exchange.getFills({ symbol: BTC, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
    expect(
      fills.map((f) => [f.qty.toFixed(), f.price.toFixed(), f.commission.toFixed(), f.isMaker]),
      'two taker executions',
    ).toEqual([
      ['0.1', '40001', '8.0002', false],
      ['0.2', '40002', '16.0008', false],
    ]);
    expect(await wallet(exchange, 'USDC'), '100000 − 4008.1002 − 8016.4008').toEqual({
      free: '87975.499',
      locked: '0',
    });
  });

  it('an IOC larger than the touch fills what is there and is PARTIALLY_CANCELED', async () => {
    const { exchange, market } = paperSetup();
    market.setBookTop(BTC, { bid: '40000.00', ask: '40001.00', askQty: '0.1' });
    const order = btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '40002.00', quantity: '0.3' });
    await exchange.placeOrder(order);
    const state = await exchange.getOrder(ref(order.clientOrderId));
    expect([state?.status, state?.executedQty.toFixed()], 'partial then cancelled').toEqual([
      'PARTIALLY_CANCELED',
      '0.1',
    ]);
    expect(await wallet(exchange, 'USDC'), 'only the executed part paid, nothing held').toEqual({
      free: '95991.8998',
      locked: '0',
    });
  });

  it('a MARKET sell fills at the bid; a MARKET buy beyond the touch is PARTIALLY_CANCELED', async () => {
    const { exchange, market } = paperSetup();
    await exchange.placeOrder(btcOrder({ side: 'SELL', type: 'MARKET', quantity: '0.25' }));
    expect(await wallet(exchange, 'USDC'), '+ 0.25 × 40000 × 0.998').toEqual({ free: '109980', locked: '0' });
    expect(await wallet(exchange, 'BTC')).toEqual({ free: '0.75', locked: '0' });

    market.setBookTop(BTC, { bid: '40000.00', ask: '40001.00', askQty: '0.2' });
    const buy = btcOrder({ side: 'BUY', type: 'MARKET', quantity: '0.5' });
    await exchange.placeOrder(buy);
    const state = await exchange.getOrder(ref(buy.clientOrderId));
    expect([state?.status, state?.executedQty.toFixed(), state?.price.toFixed()], 'market order').toEqual([
      'PARTIALLY_CANCELED',
      '0.2',
      '0',
    ]);
  });

  it('a resting sell holds base; a fill is charged the maker rate the order was accepted under', async () => {
    const { exchange, market } = paperSetup();
    const sell = btcOrder({ side: 'SELL', type: 'LIMIT', price: '40010.00', quantity: '0.4' });
    await exchange.placeOrder(sell);
    expect(await wallet(exchange, 'BTC'), 'base held').toEqual({ free: '0.6', locked: '0.4' });
    market.setRules(buildRules({ makerFee: dec('0.01') }));
    market.setBookTop(BTC, { bid: '40010.00', ask: '40011.00' });
    expect(await exchange.matchRestingOrders(), 'one order filled').toBe(1);
    expect(await wallet(exchange, 'BTC'), 'held base delivered').toEqual({ free: '0.6', locked: '0' });
    // 100000 + 0.4 × 40010 × (1 − 0.001)
    expect(await wallet(exchange, 'USDC'), 'proceeds at the accepted maker rate').toEqual({
      free: '115987.996',
      locked: '0',
    });
  });

  it('cancelling after nothing filled releases exactly what was held, fee reserve included', async () => {
    const { exchange } = paperSetup();
    const order = btcOrder({ side: 'BUY', type: 'LIMIT', price: '39000.00', quantity: '0.123457' });
    await exchange.placeOrder(order);
    // 0.123457 × 39000 × 1.001
    expect(await wallet(exchange, 'USDC'), 'held').toEqual({ free: '95180.362177', locked: '4819.637823' });
    const canceled = await exchange.cancelOrder(ref(order.clientOrderId));
    expect(canceled?.status).toBe('CANCELED');
    expect(await wallet(exchange, 'USDC'), 'released').toEqual({ free: '100000', locked: '0' });
  });
});

describe('PaperExchange: identity and public data', () => {
  it('is named paper and passes market data through unchanged', async () => {
    const { exchange, market } = paperSetup();
    expect(exchange.name).toBe('paper');
    expect([...(await exchange.getRules()).keys()], 'rules from the market').toEqual([BTC]);
    expect((await exchange.getBookTops()).get(BTC)?.ask.toFixed()).toBe('40001');
    expect((await exchange.getPrices()).get(BTC)?.toFixed(), 'mid of the fake').toBe('40000.5');
    expect((await exchange.getDepth(BTC)).bids[0]?.price.toFixed()).toBe('40000');
    expect((await exchange.getTickers24h()).map((t) => t.symbol)).toEqual([BTC]);
    expect(await exchange.getKlines({ symbol: BTC, interval: '1m' })).toEqual([]);
    await exchange.refreshRules();
    expect(market.refreshes, 'refresh reaches the market').toBe(1);
  });

  it('gives PAPER- order ids and unique trade ids; getOrder with the wrong symbol is undefined', async () => {
    const { exchange } = paperSetup();
    const a = await exchange.placeOrder(
      btcOrder({ side: 'BUY', type: 'LIMIT', price: '40001.00', quantity: '0.01' }),
    );
    const b = await exchange.placeOrder(
      btcOrder({ side: 'BUY', type: 'LIMIT', price: '40001.00', quantity: '0.01' }),
    );
    expect(a.orderId, 'order id prefix').toMatch(/^PAPER-/);
    expect(a.orderId, 'distinct order ids').not.toBe(b.orderId);
    const fills = await exchange.getFills({ symbol: BTC, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
    expect(new Set(fills.map((f) => f.tradeId)).size, 'distinct trade ids').toBe(2);
    expect(
      await exchange.getOrder({ symbol: 'ETHUSDC', clientOrderId: a.clientOrderId }),
      'symbol must match',
    ).toBeUndefined();
    expect(await exchange.getOpenOrders([]), 'no symbols, no orders').toEqual([]);
  });
});
