import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { DAY, MINUTE, T0, decimals, startTestSim, type TestSim } from './simTestKit.js';

type Row = Record<string, unknown>;

describe('simulator market data', () => {
  const open: TestSim[] = [];
  const start = async (options: Parameters<typeof startTestSim>[0] = {}) => {
    const t = await startTestSim(options);
    open.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.sim.close()));
  });

  it('is a deterministic function of the seed and the time', async () => {
    const a = await start({ seed: 11 });
    const b = await start({ seed: 11 });
    const c = await start({ seed: 12 });
    for (const t of [a, b, c]) t.clock.advance(3 * 3600_000 + 17_000);
    const [ta, tb, tc] = await Promise.all([a, b, c].map((t) => t.get<Row[]>('/api/v3/ticker/24hr')));
    expect(ta?.body, 'same seed, same time: same tickers').toEqual(tb?.body);
    expect(ta?.body, 'another seed gives another market').not.toEqual(tc?.body);
    const klines = await Promise.all(
      [a, b].map((t) => t.get('/api/v3/klines', { symbol: 'BTCUSDC', interval: '1m', limit: 300 })),
    );
    expect(klines[0]?.body, 'same candles').toEqual(klines[1]?.body);
  });

  it('does not depend on how often it is asked', async () => {
    const eager = await start({ seed: 5 });
    const lazy = await start({ seed: 5 });
    for (let i = 0; i < 30; i++) {
      eager.clock.advance(7 * MINUTE + 1234);
      await eager.get('/api/v3/ticker/price', { symbol: 'ETHUSDC' });
    }
    lazy.clock.set(eager.clock.now());
    const params = { symbol: 'ETHUSDC', interval: '1m', limit: 500 };
    const [x, y] = await Promise.all([
      eager.get('/api/v3/klines', params),
      lazy.get('/api/v3/klines', params),
    ]);
    expect(x.body, 'a market stepped in small jumps equals one jumped at once').toEqual(y.body);
  });

  it('lists the core pairs, stablecoins, leveraged tokens and altcoins with MEXC field types', async () => {
    const { get } = await start();
    const info = await get<{ timezone: string; serverTime: number; rateLimits: unknown[]; symbols: Row[] }>(
      '/api/v3/exchangeInfo',
    );
    expect(info.status).toBe(200);
    expect(info.body.timezone).toBe('CST');
    expect(info.body.serverTime).toBe(T0);
    expect(info.body.rateLimits).toEqual([]);
    const names = info.body.symbols.map((s) => s.symbol);
    for (const name of [
      'BTCUSDC',
      'ETHUSDC',
      'BTCUSDT',
      'ETHUSDT',
      'USDCUSDT',
      'FDUSDUSDT',
      'BTC3LUSDT',
      'BTC3SUSDT',
    ]) {
      expect(names, `${name} is listed`).toContain(name);
    }
    expect(
      names.filter((n) => String(n).endsWith('USDT')).length,
      '10 altcoins plus the rest',
    ).toBeGreaterThan(15);
    const btc = info.body.symbols.find((s) => s.symbol === 'BTCUSDC') as Row;
    expect(btc.status, 'status is the string "1" since 2024-08').toBe('1');
    expect(btc.tradeSideType, 'tradeSideType is a number').toBe(1);
    expect(btc.quoteAmountPrecision, 'quoteAmountPrecision is the minimum notional').toBe('5');
    expect(btc.baseSizePrecision, 'baseSizePrecision is a minimum quantity, often 0').toBe('0');
    expect(btc.makerCommission).toBe('0');
    expect(btc.takerCommission).toBe('0.0005');
    expect(typeof btc.baseAssetPrecision).toBe('number');
    expect(typeof btc.quoteAssetPrecision).toBe('number');
    expect(btc.filters).toEqual([
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '0.005', askMultiplierDown: '0.005' },
    ]);
    const alt = info.body.symbols.find((s) => s.symbol === 'SOLUSDT') as Row;
    expect(alt.quoteAmountPrecision, 'USDT altcoins need 1 USDT').toBe('1');
    expect(
      info.body.symbols.some((s) => !(s.orderTypes as string[]).includes('MARKET')),
      'some lack MARKET',
    ).toBe(true);
    expect(
      info.body.symbols.some((s) => s.isSpotTradingAllowed === false),
      'some are not API-tradable',
    ).toBe(true);

    const one = await get<{ symbols: Row[] }>('/api/v3/exchangeInfo', { symbol: 'ETHUSDC' });
    expect(one.body.symbols.map((s) => s.symbol)).toEqual(['ETHUSDC']);
    const two = await get<{ symbols: Row[] }>('/api/v3/exchangeInfo', { symbols: 'BTCUSDT,ETHUSDT' });
    expect(two.body.symbols.map((s) => s.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    const unknown = await get('/api/v3/exchangeInfo', { symbol: 'NOPEUSDT' });
    expect(unknown.status).toBe(400);
    expect(unknown.body, 'unknown symbol').toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('publishes defaultSymbols in its envelope, without the non-tradable symbols', async () => {
    const { get } = await start();
    const res = await get<{ code: number; data: string[]; msg: string; timestamp: number }>(
      '/api/v3/defaultSymbols',
    );
    expect(res.body.code).toBe(0);
    expect(res.body.msg).toBe('success');
    expect(res.body.timestamp).toBe(T0);
    const info = await get<{ symbols: Row[] }>('/api/v3/exchangeInfo');
    const all = info.body.symbols.map((s) => String(s.symbol));
    const missing = all.filter((s) => !res.body.data.includes(s));
    expect(missing.length, 'a handful of symbols are not API-tradable').toBeGreaterThan(0);
    expect(res.body.data).toContain('BTCUSDC');
    for (const s of info.body.symbols.filter((x) => x.isSpotTradingAllowed === false)) {
      expect(res.body.data, `${String(s.symbol)} cannot be traded by API`).not.toContain(s.symbol);
    }
  });

  it('keeps tickers, book tickers, depth and prices consistent and typed like MEXC', async () => {
    const { get } = await start();
    const [t24, books, prices, info] = await Promise.all([
      get<Row[]>('/api/v3/ticker/24hr'),
      get<Row[]>('/api/v3/ticker/bookTicker'),
      get<Row[]>('/api/v3/ticker/price'),
      get<{ symbols: Row[] }>('/api/v3/exchangeInfo'),
    ]);
    const precision = new Map(info.body.symbols.map((s) => [s.symbol, s.quoteAssetPrecision as number]));
    const bookOf = new Map(books.body.map((b) => [b.symbol, b]));
    const priceOf = new Map(prices.body.map((p) => [p.symbol, p.price]));
    expect(t24.body.length, 'one ticker per symbol').toBe(info.body.symbols.length);
    for (const t of t24.body) {
      const sym = String(t.symbol);
      for (const field of [
        'priceChange',
        'priceChangePercent',
        'lastPrice',
        'bidPrice',
        'bidQty',
        'askPrice',
        'askQty',
        'openPrice',
        'highPrice',
        'lowPrice',
        'volume',
        'quoteVolume',
        'prevClosePrice',
      ]) {
        expect(typeof t[field], `${sym}.${field} is a string`).toBe('string');
      }
      expect(typeof t.openTime).toBe('number');
      expect(t.closeTime, 'closeTime is now').toBe(T0);
      expect(t.count, 'count is always null').toBeNull();
      const bid = new Decimal(String(t.bidPrice));
      const ask = new Decimal(String(t.askPrice));
      const last = new Decimal(String(t.lastPrice));
      expect(bid.lessThan(ask), `${sym}: bid < ask`).toBe(true);
      expect(
        last.greaterThanOrEqualTo(bid) && last.lessThanOrEqualTo(ask),
        `${sym}: last within the book`,
      ).toBe(true);
      expect(decimals(String(t.lastPrice)), `${sym}: prices carry the price decimals`).toBe(
        precision.get(sym),
      );
      const fraction = new Decimal(String(t.lastPrice)).minus(String(t.openPrice)).div(String(t.openPrice));
      expect(
        new Decimal(String(t.priceChangePercent)).minus(fraction).abs().lessThanOrEqualTo('0.00005'),
        `${sym}: priceChangePercent is a fraction of the open`,
      ).toBe(true);
      const high = new Decimal(String(t.highPrice));
      expect(high.greaterThanOrEqualTo(last) && new Decimal(String(t.lowPrice)).lessThanOrEqualTo(last)).toBe(
        true,
      );
      expect(bookOf.get(sym), `${sym}: book ticker matches the 24 h ticker`).toEqual({
        symbol: sym,
        bidPrice: t.bidPrice,
        bidQty: t.bidQty,
        askPrice: t.askPrice,
        askQty: t.askQty,
      });
      expect(priceOf.get(sym), `${sym}: ticker/price is the last price`).toBe(t.lastPrice);
    }
    const depth = await get<{ lastUpdateId: number; bids: string[][]; asks: string[][]; timestamp: number }>(
      '/api/v3/depth',
      { symbol: 'ETHUSDC', limit: 5 },
    );
    const eth = bookOf.get('ETHUSDC') as Row;
    expect(depth.body.bids[0], 'depth top is the book top').toEqual([eth.bidPrice, eth.bidQty]);
    expect(depth.body.asks[0]).toEqual([eth.askPrice, eth.askQty]);
    expect(depth.body.bids).toHaveLength(5);
    expect(Number(depth.body.bids[1]?.[0]) < Number(depth.body.bids[0]?.[0]), 'bids high to low').toBe(true);
    expect(Number(depth.body.asks[1]?.[0]) > Number(depth.body.asks[0]?.[0]), 'asks low to high').toBe(true);
    expect(Number.isInteger(depth.body.lastUpdateId)).toBe(true);
    const avg = await get<{ mins: number; price: string }>('/api/v3/avgPrice', { symbol: 'ETHUSDC' });
    expect(avg.body.mins).toBe(5);
    expect(decimals(avg.body.price)).toBe(2);
  });

  it('has a realistic market: USDCUSDT near 1, spread volumes, pumps and dumps', async () => {
    const { get } = await start({ altcoins: 300, seed: 1 });
    const t24 = await get<Row[]>('/api/v3/ticker/24hr');
    expect(t24.body.length, '300 altcoins plus core, stablecoin and leveraged pairs').toBeGreaterThan(300);
    const usdc = t24.body.find((t) => t.symbol === 'USDCUSDT') as Row;
    const usdcPrice = new Decimal(String(usdc.lastPrice));
    expect(
      usdcPrice.greaterThanOrEqualTo('0.997') && usdcPrice.lessThanOrEqualTo('1.0005'),
      'USDCUSDT near 1',
    ).toBe(true);
    expect(usdcPrice.equals(1), 'but not exactly 1').toBe(false);
    const alts = t24.body.filter((t) => String(t.symbol).endsWith('USDT'));
    const volumes = alts.map((t) => Number(t.quoteVolume));
    expect(Math.min(...volumes), 'thin altcoins trade a few thousand a day').toBeLessThan(100_000);
    expect(Math.max(...volumes), 'the busiest trade hundreds of millions').toBeGreaterThan(50_000_000);
    const movers = alts.filter((t) => Math.abs(Number(t.priceChangePercent)) > 0.2);
    expect(movers.length, 'some altcoins pumped or dumped over 20 % in 24 h').toBeGreaterThan(2);
    const btc = t24.body.find((t) => t.symbol === 'BTCUSDC') as Row;
    const btcUsdt = t24.body.find((t) => t.symbol === 'BTCUSDT') as Row;
    const implied = new Decimal(String(btc.lastPrice)).times(usdcPrice);
    const gap = implied.minus(String(btcUsdt.lastPrice)).abs().div(implied);
    expect(gap.lessThan('0.002'), 'BTCUSDT ≈ BTCUSDC × USDCUSDT').toBe(true);
    expect(Number(btc.lastPrice), 'BTC at a realistic level').toBeGreaterThan(40_000);
  });

  it('moves prices as time passes and keeps the book on the tick grid', async () => {
    const { get, clock } = await start();
    const before = await get<Row>('/api/v3/ticker/24hr', { symbol: 'BTCUSDC' });
    clock.advance(DAY / 4);
    const after = await get<Row>('/api/v3/ticker/24hr', { symbol: 'BTCUSDC' });
    expect(after.body.lastPrice, 'six hours later the price has moved').not.toBe(before.body.lastPrice);
    expect(decimals(String(after.body.bidPrice))).toBe(2);
  });
});
