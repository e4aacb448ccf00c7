import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeOrder } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import type { Db } from '../../src/persistence/db.js';
import { OrderRepository, type NewOrder } from '../../src/persistence/OrderRepository.js';
import { testDb } from '../helpers/testDb.js';

let db: Db;
afterEach(() => db?.close());

const order = (over: Partial<NewOrder> = {}): NewOrder => ({
  clientOrderId: 'apac_1',
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  baseAsset: 'BTC',
  quoteAsset: 'USDC',
  side: 'BUY',
  type: 'LIMIT',
  price: dec('60000'),
  quantity: dec('0.01'),
  reason: 'r',
  createdAt: 1000,
  ...over,
});

const state = (over: Partial<ExchangeOrder>): ExchangeOrder => ({
  symbol: 'BTCUSDC',
  orderId: 'X1',
  clientOrderId: 'apac_1',
  side: 'BUY',
  type: 'LIMIT',
  price: dec('60000'),
  origQty: dec('0.01'),
  executedQty: dec('0'),
  cummulativeQuoteQty: dec('0'),
  status: 'NEW',
  time: 1000,
  updateTime: 1000,
  ...over,
});

describe('OrderRepository', () => {
  it('moves only forward: a stale NEW after PARTIALLY_FILLED changes nothing; final rows stay final', () => {
    db = testDb();
    const repo = new OrderRepository(db);
    repo.createPending(order());
    repo.markSent('apac_1', 'X1', 1100);
    const partial = repo.applyUpdate(
      'apac_1',
      state({ status: 'PARTIALLY_FILLED', executedQty: dec('0.004'), cummulativeQuoteQty: dec('240') }),
      1200,
    );
    expect(partial.changed).toBe(true);
    const stale = repo.applyUpdate('apac_1', state({ status: 'NEW' }), 1300);
    expect(stale.changed, 'stale update ignored').toBe(false);
    expect(stale.after.executedQty.toFixed()).toBe('0.004');
    const filled = repo.applyUpdate(
      'apac_1',
      state({ status: 'FILLED', executedQty: dec('0.01'), cummulativeQuoteQty: dec('600') }),
      1400,
    );
    expect(filled.after.finalAt).toBe(1400);
    const late = repo.applyUpdate('apac_1', state({ status: 'CANCELED', executedQty: dec('0.01') }), 1500);
    expect(late.changed, 'a final row never changes').toBe(false);
    expect(repo.listNonFinal()).toHaveLength(0);
  });

  it('lets the exchange override the bot’s own REJECTED guess', () => {
    db = testDb();
    const repo = new OrderRepository(db);
    repo.createPending(order());
    repo.markRejected('apac_1', 'not found', 2000);
    const found = repo.applyUpdate('apac_1', state({ status: 'NEW' }), 3000);
    expect(found.after.status).toBe('NEW');
    expect(found.after.finalAt).toBeUndefined();
  });

  it('sums open buy notional per quote asset from remaining quantity × price, leaving out LOST and sells', () => {
    db = testDb();
    const repo = new OrderRepository(db);
    repo.createPending(order());
    repo.applyUpdate(
      'apac_1',
      state({ status: 'PARTIALLY_FILLED', executedQty: dec('0.004'), cummulativeQuoteQty: dec('240') }),
      1,
    );
    repo.createPending(
      order({
        clientOrderId: 'apsc_2',
        symbol: 'PEPEUSDT',
        baseAsset: 'PEPE',
        quoteAsset: 'USDT',
        price: dec('0.00001'),
        quantity: dec('1000000'),
      }),
    );
    repo.createPending(order({ clientOrderId: 'apac_3', side: 'SELL' }));
    repo.createPending(order({ clientOrderId: 'apac_4' }));
    repo.markLost('apac_4', 'gone', 5);
    const totals = repo.openBuyNotionalByQuote();
    expect(totals.get('USDC')?.toFixed(), '0.006 × 60000').toBe('360');
    expect(totals.get('USDT')?.toFixed()).toBe('10');
  });
});
