/**
 * exchangeInfo symbol entries, typed as in real 2025–2026 captures:
 * `status` a string, `tradeSideType` a number, `quoteAmountPrecision` the minimum notional,
 * `baseSizePrecision` the minimum quantity. Internal to the simulator.
 */
import { toWire } from '../../domain/money.js';
import { commissionDecimals } from './Account.js';
import type { SymbolRuntime } from './Market.js';

/** One symbol's exchangeInfo entry, in the field types MEXC actually sends. */
export function exchangeInfoSymbol(rt: SymbolRuntime): Record<string, unknown> {
  const { spec } = rt;
  return {
    symbol: spec.symbol,
    status: spec.status,
    baseAsset: spec.baseAsset,
    baseAssetPrecision: spec.qtyPrecision,
    quoteAsset: spec.quoteAsset,
    quotePrecision: spec.pricePrecision,
    quoteAssetPrecision: spec.pricePrecision,
    baseCommissionPrecision: spec.qtyPrecision,
    quoteCommissionPrecision: commissionDecimals(spec),
    orderTypes: [...spec.orderTypes],
    isSpotTradingAllowed: spec.isSpotTradingAllowed,
    isMarginTradingAllowed: false,
    quoteAmountPrecision: toWire(spec.minNotional),
    baseSizePrecision: toWire(spec.minQty),
    permissions: ['SPOT'],
    filters: [
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: toWire(spec.bandUp),
        askMultiplierDown: toWire(spec.bandDown),
      },
    ],
    maxQuoteAmount: toWire(spec.maxNotional),
    makerCommission: toWire(spec.makerFee),
    takerCommission: toWire(spec.takerFee),
    quoteAmountPrecisionMarket: toWire(spec.minNotionalMarket),
    maxQuoteAmountMarket: toWire(spec.maxNotionalMarket),
    fullName: spec.fullName,
    tradeSideType: spec.tradeSideType,
    contractAddress: '',
    st: false,
    firstOpenTime: spec.listedAt,
  };
}
