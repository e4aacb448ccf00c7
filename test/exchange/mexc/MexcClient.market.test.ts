import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError } from '../../../src/domain/errors.js';
import { isTradable } from '../../../src/domain/market.js';
import { dec } from '../../../src/domain/money.js';
import { type FakeMexcServer, routes, startFakeMexc } from '../../helpers/fakeMexcServer.js';
import { defaultSymbols, exchangeInfo, symbolInfo, testClient } from '../../helpers/mexcWire.js';

let server: FakeMexcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const kline = (t: number, close = '1') => [t, '1', '2', '0.5', close, '10', t + 60_000, '15'];

const SYMBOLS = [
  symbolInfo(),
  // Pre-2024-08 shape: "ENABLED", numbers as strings, only quotePrecision, no tradeSideType.
  symbolInfo({
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    status: 'ENABLED',
    baseAssetPrecision: '4',
    quoteAssetPrecision: null,
    quotePrecision: '2',
    quoteAmountPrecision: 5,
    baseSizePrecision: '0.0001',
    maxQuoteAmount: '',
    makerCommission: null,
    takerCommission: undefined,
    tradeSideType: undefined,
    filters: [],
  }),
  symbolInfo({ symbol: 'PAUSEDUSDT', baseAsset: 'PAUSED', quoteAsset: 'USDT', status: '2' }),
  symbolInfo({ symbol: 'NOAPIUSDT', baseAsset: 'NOAPI', quoteAsset: 'USDT' }),
  symbolInfo({ symbol: 'BTCUSDT', quoteAsset: 'USDT', isSpotTradingAllowed: false }),
  symbolInfo({ symbol: 'CLOSEDUSDT', baseAsset: 'CLOSED', quoteAsset: 'USDT', tradeSideType: 4 }),
  symbolInfo({ symbol: 'BROKENUSDT', baseAssetPrecision: 'six' }),
];
const DEFAULTS = ['BTCUSDC', 'ETHUSDT', 'PAUSEDUSDT', 'BTCUSDT', 'CLOSEDUSDT', 'BROKENUSDT'];

function rulesServer() {
  return startFakeMexc(
    routes({
      'GET /api/v3/exchangeInfo': { body: exchangeInfo(SYMBOLS) },
      'GET /api/v3/defaultSymbols': { body: defaultSymbols(DEFAULTS) },
    }),
  );
}

describe('MexcClient rules', () => {
  it('derives tick, step, minimums, fees and band exactly as MEXC documents exchangeInfo', async () => {
    server = await rulesServer();
    const { client } = testClient(server);
    const rules = await client.getRules();
    const btc = rules.get('BTCUSDC')!;
    expect(btc.tickSize.toFixed(), 'tick = 10^-quoteAssetPrecision').toBe('0.01');
    expect(btc.stepSize.toFixed(), 'step = 10^-baseAssetPrecision').toBe('0.000001');
    expect(btc.minQty.toFixed(), 'baseSizePrecision "0" = no minimum').toBe('0');
    expect(btc.minNotional.toFixed(), 'quoteAmountPrecision is the minimum notional').toBe('1');
    expect(btc.maxNotional?.toFixed()).toBe('2000000');
    expect([btc.makerFee.toFixed(), btc.takerFee.toFixed()]).toEqual(['0', '0.0005']);
    expect(btc.priceBand?.bidMultiplierUp.toFixed()).toBe('0.005');
    expect(btc).toMatchObject({ status: 'TRADING', tradeSide: 'BOTH', apiTradable: true, baseAsset: 'BTC' });
    expect(btc.orderTypes).toEqual(['LIMIT', 'MARKET', 'LIMIT_MAKER']);
    expect(isTradable(btc)).toBe(true);

    const eth = rules.get('ETHUSDT')!;
    expect(eth.status, 'legacy "ENABLED" means trading').toBe('TRADING');
    expect(eth.tickSize.toFixed(), 'falls back to quotePrecision').toBe('0.01');
    expect(eth.stepSize.toFixed()).toBe('0.0001');
    expect(eth.minQty.toFixed()).toBe('0.0001');
    expect(eth.minNotional.toFixed(), 'numeric 5 accepted').toBe('5');
    expect(eth.maxNotional, '"" is missing').toBeUndefined();
    expect(eth.takerFee.toFixed(), 'published default when absent').toBe('0.0005');
    expect(eth.tradeSide).toBe('BOTH');
    expect(eth.priceBand).toBeUndefined();
    expect(isTradable(eth)).toBe(true);
  });

  it('tradability: status "1" + isSpotTradingAllowed + listed in defaultSymbols + side not closed', async () => {
    server = await rulesServer();
    const { client } = testClient(server);
    const rules = await client.getRules();
    const tradable = [...rules.values()].filter(isTradable).map((r) => r.symbol);
    expect(tradable.sort()).toEqual(['BTCUSDC', 'ETHUSDT']);
    expect(rules.get('PAUSEDUSDT')?.status).toBe('PAUSED');
    expect(rules.get('NOAPIUSDT')?.apiTradable, 'not in defaultSymbols').toBe(false);
    expect(rules.get('BTCUSDT')?.isSpotTradingAllowed).toBe(false);
    expect(rules.get('CLOSEDUSDT')?.tradeSide).toBe('CLOSED');
    expect(rules.has('BROKENUSDT'), 'a malformed entry is left out, not guessed').toBe(false);
  });

  it('caches rules for the TTL, shares a concurrent load, reloads after TTL and on refreshRules', async () => {
    server = await rulesServer();
    const { client, time } = testClient(server, { rulesTtlMs: HOUR });
    await Promise.all([client.getRules(), client.getRules()]);
    expect(server.count('GET /api/v3/exchangeInfo'), 'one load for two concurrent callers').toBe(1);
    expect(server.count('GET /api/v3/defaultSymbols'), 'loaded together with exchangeInfo').toBe(1);
    time.clock.advance(HOUR - 1);
    await client.getRules();
    expect(server.count('GET /api/v3/exchangeInfo')).toBe(1);
    time.clock.advance(1);
    await client.getRules();
    expect(server.count('GET /api/v3/exchangeInfo'), 'stale after an hour').toBe(2);
    await client.refreshRules();
    expect(server.count('GET /api/v3/exchangeInfo')).toBe(3);
  });

  it('an order refused for its rules makes the next getRules() reload them', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/exchangeInfo': { body: exchangeInfo(SYMBOLS) },
        'GET /api/v3/defaultSymbols': { body: defaultSymbols(DEFAULTS) },
        'GET /api/v3/time': () => ({ body: { serverTime: T0 } }),
        'POST /api/v3/order': {
          status: 400,
          body: { code: 30002, msg: 'Minimum transaction volume cannot be less than 1' },
        },
      }),
    );
    const { client } = testClient(server);
    await client.getRules();
    await client.getRules();
    expect(server.count('GET /api/v3/exchangeInfo')).toBe(1);
    const order = {
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: dec('0.00001'),
      price: dec('1'),
      clientOrderId: 'ap-r',
    } as const;
    await expect(client.placeOrder(order)).rejects.toMatchObject({ kind: 'invalid-order', code: 30002 });
    await client.getRules();
    expect(server.count('GET /api/v3/exchangeInfo'), 'reloaded after the rules error').toBe(2);
  });

  it('a failed rules load throws and the next call tries again', async () => {
    let fail = true;
    server = await startFakeMexc(
      routes({
        'GET /api/v3/exchangeInfo': () =>
          fail ? { status: 400, body: { code: 33333, msg: 'param error' } } : { body: exchangeInfo(SYMBOLS) },
        'GET /api/v3/defaultSymbols': { body: defaultSymbols(DEFAULTS) },
      }),
    );
    const { client } = testClient(server);
    await expect(client.getRules()).rejects.toMatchObject({ code: 33333 });
    fail = false;
    expect((await client.getRules()).size).toBe(6);
  });
});

describe('MexcClient market data', () => {
  it('getKlines with only startTime sends startTime AND endTime = start + limit × interval', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/klines': {
          body: [kline(T0 + 120_000, '3'), kline(T0), kline(T0 + 60_000), kline(T0, '9')],
        },
      }),
    );
    const { client } = testClient(server);
    const candles = await client.getKlines({ symbol: 'BTCUSDC', interval: '1m', startTime: T0, limit: 3 });
    const params = server.requests[0]!.params;
    expect(Object.fromEntries(params)).toEqual({
      symbol: 'BTCUSDC',
      interval: '1m',
      startTime: String(T0),
      endTime: String(T0 + 3 * 60_000),
      limit: '3',
    });
    expect(
      candles.map((c) => c.openTime),
      'deduped by openTime, ascending',
    ).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(candles[0]!.close, 'the later duplicate wins').toBe('9');
    expect(candles[2]!.quoteVolume).toBe('15');
  });

  it('getKlines clamps to 500 rows, keeps a caller end inside the span, drops rows outside [start, end)', async () => {
    server = await startFakeMexc(
      routes({ 'GET /api/v3/klines': { body: [kline(T0 - 60 * 60_000), kline(T0), kline(T0 + 2 * HOUR)] } }),
    );
    const { client } = testClient(server);
    const candles = await client.getKlines({
      symbol: 'X',
      interval: '60m',
      startTime: T0,
      endTime: T0 + 2 * HOUR,
      limit: 1000,
    });
    expect(server.requests[0]!.params.get('limit')).toBe('500');
    expect(server.requests[0]!.params.get('endTime'), 'the caller end is nearer than 500 h').toBe(
      String(T0 + 2 * HOUR),
    );
    expect(candles.map((c) => c.openTime)).toEqual([T0]);

    await client.getKlines({
      symbol: 'X',
      interval: '4h',
      startTime: T0,
      endTime: T0 + 10_000 * 4 * HOUR,
      limit: 500,
    });
    expect(server.requests[1]!.params.get('endTime'), 'a far end is clamped to 500 rows').toBe(
      String(T0 + 500 * 4 * HOUR),
    );
  });

  it('getKlines without bounds asks for the latest candles (neither startTime nor endTime)', async () => {
    server = await startFakeMexc(routes({ 'GET /api/v3/klines': { body: [kline(T0)] } }));
    const { client } = testClient(server);
    await client.getKlines({ symbol: 'BTCUSDC', interval: '1d', limit: 30 });
    expect(server.requests[0]!.rawQuery).toBe('symbol=BTCUSDC&interval=1d&limit=30');
  });

  it('getTickers24h: one request; string, number and null numerics; rows without prices skipped', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/ticker/24hr': {
          body: [
            {
              symbol: 'BTCUSDC',
              priceChange: '100',
              priceChangePercent: '0.0455',
              prevClosePrice: '1',
              lastPrice: '95000.5',
              bidPrice: '95000.4',
              bidQty: '1',
              askPrice: '95000.6',
              askQty: '2',
              openPrice: 90000,
              highPrice: '96000',
              lowPrice: '89000',
              volume: '1234.5',
              quoteVolume: '117283950.123456789012345678',
              openTime: T0,
              closeTime: T0 + 1,
              count: null,
            },
            {
              symbol: 'DEADUSDT',
              lastPrice: null,
              openPrice: '',
              highPrice: '0',
              lowPrice: '0',
              volume: '0',
              quoteVolume: '0',
              closeTime: T0,
              count: null,
            },
            {
              symbol: 'NOCHANGEUSDT',
              lastPrice: '2',
              openPrice: '1',
              highPrice: '2',
              lowPrice: '1',
              volume: '1',
              quoteVolume: '1',
              bidPrice: '',
              closeTime: '1767225600000',
              priceChangePercent: null,
            },
          ],
        },
      }),
    );
    const { client } = testClient(server);
    const tickers = await client.getTickers24h();
    expect(server.requests).toHaveLength(1);
    expect(tickers.map((t) => t.symbol)).toEqual(['BTCUSDC', 'NOCHANGEUSDT']);
    const btc = tickers[0]!;
    expect(btc.priceChangeFraction.toFixed(), 'a fraction, not percent').toBe('0.0455');
    expect(btc.openPrice.toFixed()).toBe('90000');
    expect(btc.quoteVolume.toFixed(), 'no float rounding').toBe('117283950.123456789012345678');
    expect(tickers[1]!.bidPrice, '"" is missing').toBeUndefined();
    expect(tickers[1]!.priceChangeFraction.toFixed(), 'derived when absent').toBe('1');
    expect(tickers[1]!.closeTime).toBe(T0);
  });

  it('getBookTops and getPrices: one all-symbol request each', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/ticker/bookTicker': {
          body: [
            { symbol: 'BTCUSDC', bidPrice: '1.1', bidQty: '2', askPrice: '1.2', askQty: 3 },
            { symbol: 'EMPTYUSDT', bidPrice: null, bidQty: null, askPrice: null, askQty: null },
          ],
        },
        'GET /api/v3/ticker/price': {
          body: [
            { symbol: 'BTCUSDC', price: '95000.01' },
            { symbol: 'X', price: 0.00000012 },
          ],
        },
      }),
    );
    const { client } = testClient(server);
    const tops = await client.getBookTops();
    expect([...tops.keys()]).toEqual(['BTCUSDC']);
    expect(tops.get('BTCUSDC')?.askQty.toFixed()).toBe('3');
    const prices = await client.getPrices();
    expect(prices.get('X')?.toFixed(), 'a JSON number in exponent form still parses exactly').toBe(
      '0.00000012',
    );
    expect(
      server.requests.map((r) => r.rawQuery),
      'no per-symbol parameters',
    ).toEqual(['', '']);
  });

  it('getPrice: one request for one symbol, booked at the price-ticker weight', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/ticker/price': (req) =>
          req.params.get('symbol') === 'NOTRADEUSDT'
            ? { body: { symbol: 'NOTRADEUSDT', price: '' } }
            : req.params.get('symbol') === 'WRONGUSDT'
              ? { body: { symbol: 'OTHERUSDT', price: '1' } }
              : { body: { symbol: 'PEPEUSDT', price: '0.00001234' } },
      }),
    );
    const { client, limiter } = testClient(server);
    const price = await client.getPrice('PEPEUSDT');
    expect(price?.toFixed(), 'exact decimal from the string').toBe('0.00001234');
    expect(server.requests[0]!.rawQuery, 'the symbol is sent').toBe('symbol=PEPEUSDT');
    expect(limiter.stats().totalWeight, 'ccxt/gct weight 10').toBe(10);
    expect(await client.getPrice('NOTRADEUSDT'), '"" means no price yet').toBeUndefined();
    const error = await client.getPrice('WRONGUSDT').catch((e: unknown) => e);
    expect(error, 'a price of another symbol is refused').toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).message).toContain('asked for WRONGUSDT, got the price of OTHERUSDT');
  });

  it('getDepth maps levels to decimals', async () => {
    server = await startFakeMexc(
      routes({
        'GET /api/v3/depth': {
          body: { lastUpdateId: 1, bids: [['10.5', '1']], asks: [['10.6', '2.25']], timestamp: T0 },
        },
      }),
    );
    const { client } = testClient(server);
    const depth = await client.getDepth('BTCUSDC', 5);
    expect(server.requests[0]!.rawQuery).toBe('symbol=BTCUSDC&limit=5');
    expect(depth.asks[0]!.qty.toFixed()).toBe('2.25');
    expect(depth.bids[0]!.price.toFixed()).toBe('10.5');
  });

  it('rejects a malformed payload with a message naming the field', async () => {
    server = await startFakeMexc(
      routes({ 'GET /api/v3/klines': { body: [[T0, 'abc', '1', '1', '1', '1', T0, '1']] } }),
    );
    const { client } = testClient(server);
    await expect(client.getKlines({ symbol: 'BTCUSDC', interval: '1m' })).rejects.toMatchObject({
      kind: 'temporary',
      message:
        'GET /api/v3/klines: unexpected response: [0][1]: expected a decimal string or number, got "abc"',
    });
  });

  it('a list of two thousand rows is read whole and in order (validated a slice per turn); one bad row still fails it as before', async () => {
    const tops = (n: number, bad?: number) =>
      Array.from({ length: n }, (_, i) => ({
        symbol: `S${i}USDT`,
        bidPrice: i === bad ? 'abc' : `${i + 1}.5`,
        bidQty: '1',
        askPrice: `${i + 2}`,
        askQty: '1',
      }));
    server = await startFakeMexc(routes({ 'GET /api/v3/ticker/bookTicker': { body: tops(2_000) } }));
    const { client } = testClient(server);
    const read = await client.getBookTops();
    expect(read.size).toBe(2_000);
    expect(read.get('S1999USDT')?.bid.toFixed(), 'the last row, in place').toBe('2000.5');
    expect([...read.keys()].slice(0, 2)).toEqual(['S0USDT', 'S1USDT']);
    await server.close();

    server = await startFakeMexc(routes({ 'GET /api/v3/ticker/bookTicker': { body: tops(2_000, 1_500) } }));
    await expect(testClient(server).client.getBookTops()).rejects.toMatchObject({
      message: expect.stringContaining('[1500].bidPrice') as unknown,
    });
  });
});
