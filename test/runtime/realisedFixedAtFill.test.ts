/**
 * Realised PnL, fees and conversions are fixed at the fill: the prices recorded with each fill
 * (the fee asset's price, USDCUSDT) value it for good, so moving MXUSDT or USDCUSDT later changes
 * no realised figure. Runs the real ledger (SQLite, money as TEXT) and the portfolio service;
 * the same fills without recorded prices show the figures that used to move.
 */
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Balance, Fill, OrderSide } from '../../src/domain/market.js';
import { dec, type Decimal } from '../../src/domain/money.js';
import { CostBasisRepository } from '../../src/persistence/CostBasisRepository.js';
import type { Db } from '../../src/persistence/db.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { PortfolioService } from '../../src/runtime/PortfolioService.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

const T0 = Date.UTC(2026, 2, 2, 10);
const MINUTE = 60_000;

function fill(
  symbol: string,
  tradeId: string,
  side: OrderSide,
  price: string,
  qty: string,
  time: number,
  fee: { amount: string; asset: string } = { amount: '0', asset: symbol.slice(-4) },
): Fill {
  return {
    symbol,
    tradeId,
    orderId: `o${tradeId}`,
    side,
    price: dec(price),
    qty: dec(qty),
    quoteQty: dec(price).times(qty),
    commission: dec(fee.amount),
    commissionAsset: fee.asset,
    time,
    isMaker: false,
  };
}

let db: Db;
let clock: ManualClock;
let fills: FillRepository;
let prices: Map<string, Decimal>;

function service(): PortfolioService {
  const balances: Balance[] = [{ asset: 'USDC', free: dec('10000'), locked: dec('0') }];
  return new PortfolioService({
    clock,
    market: {
      market: async () => ({ balances, prices, usdcUsdt: prices.get('USDCUSDT'), at: clock.now() }),
    },
    fills,
    costBasis: new CostBasisRepository({ db, clock }),
    logger: pino({ level: 'silent' }),
    timeZone: 'UTC',
    // Every asset's history is in the ledger already.
    historyPending: () => [],
  });
}

beforeEach(() => {
  db = testDb();
  clock = new ManualClock(T0 + 10 * MINUTE);
  fills = new FillRepository({ db, clock, assetsOf: () => undefined });
  prices = new Map([
    ['BTCUSDC', dec('61000')],
    ['MXUSDT', dec('2')],
    ['USDCUSDT', dec('1')],
  ]);
});

describe('realised PnL fixed at the fill', () => {
  // Buy 1 BTC at 60 000 USDC paying a 10 MX fee (MXUSDT = 2, USDCUSDT = 1: 20 USDC), sell at 61 000.
  const mxRoundTrip = [
    fill('BTCUSDC', '1', 'BUY', '60000', '1', T0, { amount: '10', asset: 'MX' }),
    fill('BTCUSDC', '2', 'SELL', '61000', '1', T0 + MINUTE),
  ];
  // Buy 1 BTC at 60 000 USDT and sell it at 61 000 USDT while USDCUSDT = 1.
  const usdtRoundTrip = [
    fill('BTCUSDT', '3', 'BUY', '60000', '1', T0 + 2 * MINUTE),
    fill('BTCUSDT', '4', 'SELL', '61000', '1', T0 + 3 * MINUTE),
  ];

  it('a sell with an MX fee stays at 980 when MXUSDT moves from 2 to 3', async () => {
    fills.insertFills(mxRoundTrip);
    fills.recordPrices([
      {
        symbol: 'BTCUSDC',
        tradeId: '1',
        prices: { usdcUsdt: dec('1'), feePrice: dec('2'), feeQuote: 'USDT', source: 'book' },
      },
      { symbol: 'BTCUSDC', tradeId: '2', prices: { usdcUsdt: dec('1'), source: 'book' } },
    ]);
    const portfolio = service();
    const before = await portfolio.snapshot();
    expect(before.realisedUsdc.all.toFixed()).toBe('980');
    expect(before.positions.get('BTC')!.realisedPnl.toFixed()).toBe('980');
    expect(before.feesUsdc.toFixed()).toBe('20');

    prices.set('MXUSDT', dec('3'));
    clock.advance(86_400_000);
    const after = await portfolio.snapshot();
    expect(after.realisedUsdc.all.toFixed(), 'realised never moves').toBe('980');
    expect(after.positions.get('BTC')!.realisedPnl.toFixed()).toBe('980');
    expect(after.feesUsdc.toFixed(), 'nor do the fees').toBe('20');
    expect(portfolio.realisedOfSell({ symbol: 'BTCUSDC', exchangeOrderId: 'o2' })).toEqual({
      pnl: dec('980'),
      asset: 'USDC',
    });
  });

  it('a BTCUSDT round trip stays at 1 000 USDC when USDCUSDT moves', async () => {
    fills.insertFills(usdtRoundTrip);
    fills.recordPrices(
      ['3', '4'].map((tradeId) => ({
        symbol: 'BTCUSDT',
        tradeId,
        prices: { usdcUsdt: dec('1'), source: 'kline' as const },
      })),
    );
    const portfolio = service();
    expect((await portfolio.snapshot()).realisedUsdc.all.toFixed()).toBe('1000');
    prices.set('USDCUSDT', dec('1.01'));
    clock.advance(86_400_000);
    const after = await portfolio.snapshot();
    expect(after.realisedUsdc.all.toFixed(), 'USDCUSDT moved, the realised PnL did not').toBe('1000');
    expect(after.positions.get('BTC')!.realisedPnl.toFixed()).toBe('1000');
  });

  it('recorded prices are written once: a second recording does not move them', () => {
    fills.insertFills(usdtRoundTrip);
    const first = fills.recordPrices([
      { symbol: 'BTCUSDT', tradeId: '3', prices: { usdcUsdt: dec('0.9995'), source: 'book' } },
    ]);
    const second = fills.recordPrices([
      { symbol: 'BTCUSDT', tradeId: '3', prices: { usdcUsdt: dec('1.2'), source: 'kline' } },
    ]);
    expect([first, second]).toEqual([1, 0]);
    const stored = fills.listFills({ symbol: 'BTCUSDT' });
    expect(stored[0]!.prices).toEqual({ usdcUsdt: dec('0.9995') });
    expect(stored[1]!.prices, 'not recorded yet').toBeUndefined();
    expect(fills.unpricedFills(10).map((f) => f.tradeId)).toEqual(['4']);
  });

  it('without recorded prices the same fills follow today’s prices (what used to move)', async () => {
    fills.insertFills([...mxRoundTrip, ...usdtRoundTrip]);
    const portfolio = service();
    expect((await portfolio.snapshot()).realisedUsdc.all.toFixed()).toBe('1980');
    prices.set('MXUSDT', dec('3'));
    prices.set('USDCUSDT', dec('1.01'));
    const moved = await portfolio.snapshot();
    // 1 000 − 30 / 1.01 (the MX fee at 3 USDT, in USDC) + 1 000 / 1.01 (the USDT round trip)
    const expected = dec('1000').minus(dec('30').div('1.01')).plus(dec('1000').div('1.01'));
    expect(moved.realisedUsdc.all.toFixed(4)).toBe(expected.toFixed(4));
  });
});
