import type { SymbolRules } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';

/**
 * Symbol rules for tests: BTCUSDC-like defaults (tick 0.01, step 0.000001, minimum order value
 * 5 USDC, maker 0.1 %, taker 0.2 % so fee maths is visible), overridden per test.
 */
export function buildRules(overrides: Partial<SymbolRules> & { symbol?: string } = {}): SymbolRules {
  return {
    symbol: 'BTCUSDC',
    baseAsset: 'BTC',
    quoteAsset: 'USDC',
    status: 'TRADING',
    tickSize: dec('0.01'),
    stepSize: dec('0.000001'),
    minQty: dec('0'),
    minNotional: dec('5'),
    makerFee: dec('0.001'),
    takerFee: dec('0.002'),
    orderTypes: ['LIMIT', 'MARKET', 'LIMIT_MAKER'],
    isSpotTradingAllowed: true,
    apiTradable: true,
    tradeSide: 'BOTH',
    ...overrides,
  };
}
