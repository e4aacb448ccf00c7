import { describe, expect, it } from 'vitest';
import { normalizeTrade } from '../../../src/domain/portfolio/normalizeTrade.js';

const TIME = 1_767_225_600_000;

/** A REST myTrades row as MEXC sends it. */
const rest = {
  symbol: 'BTCUSDC',
  id: 'fb3c5b3a9d2e4c7f8a1b2c3d4e5f6a7b',
  orderId: 'C02__443776347957968896088',
  orderListId: -1,
  price: '60000.5',
  qty: '0.0123',
  quoteQty: '738.00615',
  commission: '0.369',
  commissionAsset: 'USDC',
  time: TIME,
  isBuyer: true,
  isMaker: false,
  isBestMatch: true,
  isSelfTrade: null,
  clientOrderId: 'ap-acc-1',
};

function ok(raw: unknown) {
  const result = normalizeTrade(raw);
  if (!result.ok) throw new Error(`expected ok, refused: ${result.reason}`);
  return result.fill;
}

function refused(raw: unknown): string {
  const result = normalizeTrade(raw);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.fill)}`);
  return result.reason;
}

describe('normalizeTrade', () => {
  it('reads a REST myTrades row into decimals', () => {
    const fill = ok(rest);
    expect(fill.symbol).toBe('BTCUSDC');
    expect(fill.tradeId).toBe(rest.id);
    expect(fill.orderId).toBe(rest.orderId);
    expect(fill.clientOrderId).toBe('ap-acc-1');
    expect(fill.side).toBe('BUY');
    expect(fill.price.toFixed(), 'exact decimal, no float').toBe('60000.5');
    expect(fill.qty.toFixed()).toBe('0.0123');
    expect(fill.quoteQty.toFixed()).toBe('738.00615');
    expect(fill.commission.toFixed()).toBe('0.369');
    expect(fill.commissionAsset).toBe('USDC');
    expect(fill.time).toBe(TIME);
    expect(fill.isMaker).toBe(false);
  });

  it.each([
    ['short names p / q / quote_qty', { p: '60000.5', q: '0.0123', quote_qty: '738.00615' }],
    ['long names with numbers', { price: 60000.5, qty: 0.0123, quoteQty: 738.00615 }],
    ['stream names p / v / a', { p: 60000.5, v: '0.0123', a: '738.00615' }],
    ['quantity / amount', { price: '60000.5', quantity: '0.0123', amount: '738.00615' }],
  ])('accepts %s', (_name, fields) => {
    const base = {
      symbol: 'BTCUSDC',
      id: '1',
      orderId: '2',
      time: TIME,
      isBuyer: false,
      commission: '0',
      commissionAsset: 'USDC',
    };
    const fill = ok({ ...base, ...fields });
    expect(fill.price.toFixed(), 'price from any alias').toBe('60000.5');
    expect(fill.qty.toFixed(), 'qty from any alias').toBe('0.0123');
    expect(fill.quoteQty.toFixed(), 'quote qty from any alias').toBe('738.00615');
    expect(fill.side).toBe('SELL');
  });

  it.each([
    [{ side: 'BUY' }, 'BUY'],
    [{ side: 'sell' }, 'SELL'],
    [{ S: 1 }, 'BUY'],
    [{ tradeType: 2 }, 'SELL'],
    [{ isBuyer: 'true' }, 'BUY'],
    [{ is_buyer: 0 }, 'SELL'],
    [{ isBuyer: true, side: 'BUY' }, 'BUY'],
  ])('reads the side from %j', (sideFields, expected) => {
    const { isBuyer: _drop, ...noSide } = rest;
    expect(ok({ ...noSide, ...sideFields }).side).toBe(expected);
  });

  it('accepts timestamp (number or digit string) and numeric ids', () => {
    const { time: _t, id: _i, orderId: _o, ...rest2 } = rest;
    const fill = ok({ ...rest2, timestamp: String(TIME), id: 123456789, orderId: 987 });
    expect(fill.time).toBe(TIME);
    expect(fill.tradeId, 'ids become strings').toBe('123456789');
    expect(fill.orderId).toBe('987');
  });

  it('reads snake-case stored rows and the one-letter stream shape', () => {
    const snake = ok({
      symbol: 'SOLUSDT',
      trade_id: '77',
      order_id: '88',
      client_order_id: null,
      price: '150',
      qty: '2',
      quote_qty: '300',
      commission: '0.15',
      commission_asset: 'USDT',
      timestamp: TIME,
      side: 'SELL',
      is_maker: 1,
    });
    expect(snake.clientOrderId, 'null client id is absent').toBeUndefined();
    expect(snake.commissionAsset).toBe('USDT');
    expect(snake.isMaker).toBe(true);

    const stream = ok({
      s: 'MXUSDT',
      t: 'abc',
      i: 'ord',
      c: 'ap-1',
      p: '2.5',
      v: '10',
      a: '25',
      n: '0.01',
      N: 'MX',
      T: TIME,
      S: 2,
      m: 0,
    });
    expect(stream).toMatchObject({
      symbol: 'MXUSDT',
      tradeId: 'abc',
      orderId: 'ord',
      clientOrderId: 'ap-1',
      side: 'SELL',
      commissionAsset: 'MX',
    });
    expect(stream.commission.toFixed()).toBe('0.01');
  });

  it('derives a missing quote quantity exactly as price × qty', () => {
    const { quoteQty: _q, ...noQuote } = rest;
    expect(ok(noQuote).quoteQty.toFixed(), '60000.5 × 0.0123').toBe('738.00615');
  });

  it('a zero fee is fine, with or without an asset; no fee fields at all means fee-free', () => {
    expect(ok({ ...rest, commission: '0' }).commission.isZero()).toBe(true);
    const { commission: _c, commissionAsset: _a, ...noFee } = rest;
    const fill = ok(noFee);
    expect(fill.commission.isZero(), 'fee-free').toBe(true);
    expect(fill.commissionAsset).toBe('');
  });

  it.each([
    ['zero price', { price: '0' }, /price: must be above zero/],
    ['negative qty', { qty: '-1' }, /qty: must be above zero/],
    ['zero quote qty', { quoteQty: 0 }, /quoteQty: must be above zero/],
    ['garbage price', { price: 'abc' }, /price: not a decimal/],
    ['NaN qty', { qty: Number.NaN }, /qty: not a decimal/],
    ['object price', { price: { v: 1 } }, /price: expected a decimal string or number/],
    ['negative fee', { commission: '-0.1' }, /commission: must not be negative/],
    ['fee without asset', { commissionAsset: undefined }, /commissionAsset: missing for a fee of 0\.369/],
    ['time in seconds', { time: 1_767_225_600 }, /time: expected Unix milliseconds/],
    ['time as a word', { time: 'yesterday' }, /time: expected integer milliseconds/],
    ['unsafe numeric id', { id: 2 ** 60 }, /tradeId \(`id`\): numeric id .* not an exact integer/],
    ['empty symbol', { symbol: ' ' }, /symbol: must not be empty/],
    ['contradicting side', { side: 'SELL' }, /side: isBuyer says BUY but side says SELL/],
    ['unknown side', { isBuyer: undefined, side: 'HOLD' }, /side.*expected BUY or SELL/],
  ])('refuses %s with a reason naming the field', (_name, patch, reason) => {
    expect(refused({ ...rest, ...patch })).toMatch(reason);
  });

  it.each([
    ['price', ['price']],
    ['qty', ['qty']],
    ['time', ['time']],
    ['tradeId', ['id']],
    ['orderId', ['orderId']],
    ['symbol', ['symbol']],
    ['side', ['isBuyer']],
  ])('refuses a row missing %s', (field, keys) => {
    const row: Record<string, unknown> = { ...rest };
    for (const k of keys) delete row[k];
    expect(refused(row)).toMatch(new RegExp(`^${field}: missing`));
  });

  it('refuses non-objects without throwing', () => {
    for (const raw of [null, undefined, 42, 'trade', [rest]]) {
      expect(() => normalizeTrade(raw), 'never throws').not.toThrow();
      expect(normalizeTrade(raw).ok, JSON.stringify(raw)).toBe(false);
    }
  });
});
