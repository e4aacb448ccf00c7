/**
 * Builders of MEXC spot v3 wire payloads, shaped after real MEXC captures
 * (2025–2026: status "1", numbers as strings, tradeSideType a number), plus a
 * ready-wired MexcClient for adapter tests.
 */
import { MexcClient, type MexcClientOptions } from '../../src/exchange/mexc/MexcClient.js';
import { RateLimiter, type RateLimiterOptions } from '../../src/exchange/rateLimiter.js';
import { silentLogger } from '../../src/common/logger.js';
import type { FakeMexcServer } from './fakeMexcServer.js';
import { FakeTime } from './fakeTime.js';

export const TEST_API_KEY = 'mx0vglTESTKEY0000public';
export const TEST_API_SECRET = 'c0ffee5ecret5ecret5ecret5ecret00';

export function symbolInfo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    symbol: 'BTCUSDC',
    status: '1',
    baseAsset: 'BTC',
    baseAssetPrecision: 6,
    quoteAsset: 'USDC',
    quotePrecision: 2,
    quoteAssetPrecision: 2,
    baseCommissionPrecision: 6,
    quoteCommissionPrecision: 2,
    orderTypes: ['LIMIT', 'MARKET', 'LIMIT_MAKER'],
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    quoteAmountPrecision: '1',
    baseSizePrecision: '0',
    permissions: ['SPOT'],
    filters: [{ filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '0.005', askMultiplierDown: '0.005' }],
    maxQuoteAmount: '2000000',
    makerCommission: '0',
    takerCommission: '0.0005',
    quoteAmountPrecisionMarket: '1',
    maxQuoteAmountMarket: '100000',
    fullName: 'Bitcoin',
    tradeSideType: 1,
    st: false,
    ...overrides,
  };
}

export function exchangeInfo(symbols: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { timezone: 'CST', serverTime: 1767225600000, rateLimits: [], exchangeFilters: [], symbols };
}

export function defaultSymbols(symbols: readonly string[]): Record<string, unknown> {
  return { code: 0, data: symbols, msg: 'success', timestamp: 1767225600000 };
}

export function trade(
  overrides: Record<string, unknown> & { id: string; time: number },
): Record<string, unknown> {
  return {
    symbol: 'BTCUSDC',
    orderId: 'C02__600000000000000001',
    orderListId: -1,
    price: '95000.12',
    qty: '0.001',
    quoteQty: '95.00012',
    commission: '0.0475',
    commissionAsset: 'USDC',
    isBuyer: true,
    isMaker: false,
    isBestMatch: true,
    isSelfTrade: null,
    clientOrderId: null,
    ...overrides,
  };
}

export function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    symbol: 'BTCUSDC',
    orderId: 'C02__600000000000000001',
    orderListId: -1,
    clientOrderId: 'ap-1',
    price: '95000',
    origQty: '0.001',
    executedQty: '0',
    cummulativeQuoteQty: '0',
    status: 'NEW',
    timeInForce: null,
    type: 'LIMIT',
    side: 'BUY',
    stopPrice: null,
    icebergQty: null,
    time: 1767225600000,
    updateTime: 1767225600000,
    isWorking: true,
    origQuoteOrderQty: '95',
    ...overrides,
  };
}

export interface TestClient {
  readonly client: MexcClient;
  readonly limiter: RateLimiter;
  readonly time: FakeTime;
}

/**
 * A MexcClient on the fake server with fake time: backoff and limiter sleeps advance the clock
 * at once unless the test passes its own limiter.
 */
export function testClient(
  server: FakeMexcServer,
  options: Partial<MexcClientOptions> & {
    readonly time?: FakeTime;
    readonly limiterOptions?: RateLimiterOptions;
  } = {},
): TestClient {
  const time = options.time ?? new FakeTime();
  const limiter =
    options.limiter ??
    new RateLimiter({ clock: time.clock, sleep: time.autoSleep, ...options.limiterOptions });
  const client = new MexcClient({
    baseUrl: server.baseUrl,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    clock: time.clock,
    logger: silentLogger(),
    limiter,
    sleep: time.autoSleep,
    random: () => 0.5,
    retry: { attempts: 3, baseDelayMs: 100 },
    timeoutMs: 2_000,
    ...options,
  });
  return { client, limiter, time };
}
