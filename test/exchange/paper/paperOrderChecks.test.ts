import { describe, expect, it } from 'vitest';
import { type ExchangeError, isExchangeError } from '../../../src/domain/errors.js';
import type { OrderRequest, SymbolRules } from '../../../src/domain/market.js';
import { dec } from '../../../src/domain/money.js';
import { buildRules } from '../../helpers/symbolRules.js';
import { btcOrder, paperSetup, wallet } from './paperTestSetup.js';

interface RefusalCase {
  readonly name: string;
  readonly rules?: Partial<SymbolRules>;
  readonly request: () => OrderRequest;
  readonly kind: ExchangeError['kind'];
  readonly code: number | undefined;
}

const restingBuy = (overrides: Partial<Parameters<typeof btcOrder>[0]> = {}) =>
  btcOrder({ side: 'BUY', type: 'LIMIT', price: '39000.00', quantity: '0.01', ...overrides });

const cases: readonly RefusalCase[] = [
  {
    name: 'unknown symbol (30014)',
    request: () => restingBuy({ symbol: 'NOPEUSDC' }),
    kind: 'invalid-order',
    code: 30014,
  },
  {
    name: 'not in defaultSymbols',
    rules: { apiTradable: false },
    request: restingBuy,
    kind: 'not-tradable',
    code: 10007,
  },
  {
    name: 'spot trading not allowed',
    rules: { isSpotTradingAllowed: false },
    request: restingBuy,
    kind: 'not-tradable',
    code: 10007,
  },
  {
    name: 'status paused',
    rules: { status: 'PAUSED' },
    request: restingBuy,
    kind: 'not-tradable',
    code: 10007,
  },
  {
    name: 'trade side closed',
    rules: { tradeSide: 'CLOSED' },
    request: restingBuy,
    kind: 'not-tradable',
    code: 10007,
  },
  {
    name: 'sell on a buy-only symbol (30001)',
    rules: { tradeSide: 'BUY_ONLY' },
    request: () => btcOrder({ side: 'SELL', type: 'LIMIT', price: '41000.00', quantity: '0.01' }),
    kind: 'invalid-order',
    code: 30001,
  },
  {
    name: 'MARKET where orderTypes lack it (30018)',
    rules: { orderTypes: ['LIMIT', 'LIMIT_MAKER'] },
    request: () => btcOrder({ side: 'BUY', type: 'MARKET', quantity: '0.01' }),
    kind: 'invalid-order',
    code: 30018,
  },
  {
    name: 'LIMIT_MAKER where orderTypes lack it (30041)',
    rules: { orderTypes: ['LIMIT', 'MARKET'] },
    request: () => restingBuy({ type: 'LIMIT_MAKER' }),
    kind: 'invalid-order',
    code: 30041,
  },
  {
    name: 'client order id with a space (700008)',
    request: () => ({ ...restingBuy(), clientOrderId: 'has space' }),
    kind: 'invalid-order',
    code: 700008,
  },
  {
    name: 'client order id longer than 32 characters (700008)',
    request: () => ({ ...restingBuy(), clientOrderId: 'x'.repeat(33) }),
    kind: 'invalid-order',
    code: 700008,
  },
  {
    name: 'zero quantity (10102)',
    request: () => restingBuy({ quantity: '0' }),
    kind: 'invalid-order',
    code: 10102,
  },
  {
    name: 'negative quantity (10102)',
    request: () => restingBuy({ quantity: '-0.01' }),
    kind: 'invalid-order',
    code: 10102,
  },
  {
    name: 'LIMIT without a price (10095)',
    request: () => restingBuy({ price: undefined }),
    kind: 'invalid-order',
    code: 10095,
  },
  {
    name: 'zero price (10102)',
    request: () => restingBuy({ price: '0' }),
    kind: 'invalid-order',
    code: 10102,
  },
  {
    name: 'price finer than the tick (10096)',
    request: () => restingBuy({ price: '39000.001' }),
    kind: 'invalid-order',
    code: 10096,
  },
  {
    name: 'quantity finer than the step (10096)',
    request: () => restingBuy({ quantity: '0.0100001' }),
    kind: 'invalid-order',
    code: 10096,
  },
  {
    name: 'quantity below the minimum quantity (30002)',
    rules: { minQty: dec('0.001') },
    request: () => restingBuy({ quantity: '0.0005' }),
    kind: 'invalid-order',
    code: 30002,
  },
  {
    name: 'value below the minimum notional (30002)',
    request: () => restingBuy({ quantity: '0.000128' }),
    kind: 'invalid-order',
    code: 30002,
  },
  {
    name: 'value above the maximum notional (30003)',
    rules: { maxNotional: dec('1000') },
    request: () => restingBuy({ quantity: '0.03' }),
    kind: 'invalid-order',
    code: 30003,
  },
  {
    name: 'MARKET sell valued at the bid below the minimum notional (30002)',
    request: () => btcOrder({ side: 'SELL', type: 'MARKET', quantity: '0.000124' }),
    kind: 'invalid-order',
    code: 30002,
  },
  {
    name: 'buy beyond free quote, fee included (30004)',
    request: () => restingBuy({ price: '40000.00', quantity: '2.5' }),
    kind: 'insufficient-funds',
    code: 30004,
  },
  {
    name: 'sell beyond free base (30004)',
    request: () => btcOrder({ side: 'SELL', type: 'LIMIT', price: '41000.00', quantity: '1.000001' }),
    kind: 'insufficient-funds',
    code: 30004,
  },
  {
    name: 'post-only buy at the ask',
    request: () => restingBuy({ type: 'LIMIT_MAKER', price: '40001.00' }),
    kind: 'invalid-order',
    code: undefined,
  },
  {
    name: 'post-only sell below the bid',
    request: () => btcOrder({ side: 'SELL', type: 'LIMIT_MAKER', price: '39999.00', quantity: '0.01' }),
    kind: 'invalid-order',
    code: undefined,
  },
];

describe('PaperExchange refuses orders as MEXC would', () => {
  it.each(cases)('$name', async ({ rules, request, kind, code }) => {
    const { exchange, db } = paperSetup({
      rules: [buildRules(rules ?? {})],
      balances: { USDC: '100000', BTC: '1' },
    });
    const before = await exchange.getBalances();
    const error = await exchange.placeOrder(request()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isExchangeError(error), `rejected with an ExchangeError: ${String(error)}`).toBe(true);
    expect((error as ExchangeError).kind, String(error)).toBe(kind);
    expect((error as ExchangeError).code, 'MEXC code the live exchange would send').toBe(code);
    expect((error as ExchangeError).symbol, 'error names the symbol').toBe(request().symbol);
    const orders = db.prepare('SELECT COUNT(*) AS n FROM paper_orders').get() as { n: number };
    expect(orders.n, 'a refused order leaves no trace').toBe(0);
    expect(await exchange.getBalances(), 'balances untouched').toEqual(before);
  });

  it('a buy needing exactly the free quote including the fee is accepted; one step more is refused', async () => {
    // 0.5 × 40000.00 × (1 + 0.001 maker) = 20020
    const { exchange } = paperSetup({ balances: { USDC: '20020' } });
    const tooBig = btcOrder({ side: 'BUY', type: 'LIMIT', price: '40000.00', quantity: '0.500001' });
    await expect(exchange.placeOrder(tooBig), 'one step above the funds').rejects.toMatchObject({
      kind: 'insufficient-funds',
    });
    await exchange.placeOrder(btcOrder({ side: 'BUY', type: 'LIMIT', price: '40000.00', quantity: '0.5' }));
    expect(await wallet(exchange, 'USDC'), 'all of it held').toEqual({ free: '0', locked: '20020' });
  });

  it('accepts an IOC although orderTypes do not list it (MEXC accepts unlisted IOC)', async () => {
    const { exchange } = paperSetup({ rules: [buildRules({ orderTypes: ['LIMIT'] })] });
    const ioc = btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '40001.00', quantity: '0.01' });
    await exchange.placeOrder(ioc);
    const order = await exchange.getOrder({ symbol: 'BTCUSDC', clientOrderId: ioc.clientOrderId });
    expect(order?.status, 'IOC at the ask').toBe('FILLED');
  });

  it('refuses a MARKET order when the book shows no opposite price (30010)', async () => {
    const { exchange, market } = paperSetup();
    market.setBookTop('BTCUSDC', { bid: '40000.00', ask: '0' });
    await expect(
      exchange.placeOrder(btcOrder({ side: 'BUY', type: 'MARKET', quantity: '0.01' })),
      'market buy without an ask',
    ).rejects.toMatchObject({ kind: 'invalid-order', code: 30010 });
  });

  it('refuses a reused client order id even after the first order finished', async () => {
    const { exchange } = paperSetup();
    const first = btcOrder({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: '40001.00', quantity: '0.01' });
    await exchange.placeOrder(first);
    await expect(exchange.placeOrder({ ...first }), 'same id again').rejects.toMatchObject({
      kind: 'invalid-order',
    });
  });
});
