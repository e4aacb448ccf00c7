/**
 * MEXC wire types (validated by mexcSchemas.ts) → exchange-neutral domain types with Decimal.
 * Pure functions: no I/O, no clock.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/market-data-endpoints (Exchange Information)
 */
import { eachInTurns } from '../../common/turns.js';
import type {
  Balance,
  BookTop,
  Candle,
  Depth,
  ExchangeOrder,
  Fill,
  OrderAck,
  OrderRequest,
  OrderType,
  SymbolRules,
  SymbolStatus,
  Ticker24h,
  TradeSide,
} from '../../domain/market.js';
import { dec, type Decimal, stepFromPrecision, ZERO } from '../../domain/money.js';
import {
  formatZodError,
  type MexcAccount,
  type MexcBookTicker,
  type MexcDepth,
  type MexcKline,
  type MexcNewOrderResponse,
  type MexcOrder,
  MexcPriceFilter,
  MexcSymbolInfo,
  type MexcTicker24h,
  type MexcTrade,
} from './mexcSchemas.js';

/**
 * exchangeInfo `status`: "1" online, "2" paused, "3" offline; "ENABLED" was sent until
 * 2024-08-16. Anything unknown is treated as offline, so it is never traded by mistake.
 */
export function mapSymbolStatus(status: string): SymbolStatus {
  switch (status.trim().toUpperCase()) {
    case '1':
    case 'ENABLED':
    case 'TRADING':
      return 'TRADING';
    case '2':
    case 'PAUSED':
      return 'PAUSED';
    default:
      return 'OFFLINE';
  }
}

/** `tradeSideType`: 1 both, 2 buy only, 3 sell only, 4 closed. Absent (older payloads) = both. */
export function mapTradeSide(tradeSideType: number | undefined): TradeSide {
  switch (tradeSideType) {
    case undefined:
    case 1:
      return 'BOTH';
    case 2:
      return 'BUY_ONLY';
    case 3:
      return 'SELL_ONLY';
    default:
      return 'CLOSED';
  }
}

const KNOWN_ORDER_TYPES: ReadonlySet<string> = new Set<OrderType>([
  'LIMIT',
  'LIMIT_MAKER',
  'IMMEDIATE_OR_CANCEL',
  'MARKET',
]);

function asOrderType(type: string): OrderType | undefined {
  return KNOWN_ORDER_TYPES.has(type) ? (type as OrderType) : undefined;
}

// Published default fees (maker 0 %, taker 0.05 %), used only when a
// symbol omits makerCommission/takerCommission.
const DEFAULT_MAKER_FEE = '0';
const DEFAULT_TAKER_FEE = '0.0005';

/**
 * One symbol's rules. Field names mislead: `quoteAmountPrecision` is the minimum notional,
 * `baseSizePrecision` the minimum quantity (not a step), precisions are decimal places.
 */
export function mapSymbolRules(info: MexcSymbolInfo, apiTradable: boolean): SymbolRules {
  const priceDecimals = info.quoteAssetPrecision ?? info.quotePrecision;
  if (priceDecimals === undefined) {
    throw new RangeError(`${info.symbol}: neither quoteAssetPrecision nor quotePrecision is set`);
  }
  const maxNotional = info.maxQuoteAmount === undefined ? undefined : dec(info.maxQuoteAmount);
  const band = findPriceBand(info);
  return {
    symbol: info.symbol,
    baseAsset: info.baseAsset,
    quoteAsset: info.quoteAsset,
    status: mapSymbolStatus(info.status),
    tickSize: stepFromPrecision(priceDecimals),
    stepSize: stepFromPrecision(info.baseAssetPrecision),
    minQty: dec(info.baseSizePrecision ?? '0'),
    minNotional: dec(info.quoteAmountPrecision ?? '0'),
    // "0" would forbid every order: read it as "not published".
    ...(maxNotional !== undefined && maxNotional.greaterThan(ZERO) ? { maxNotional } : {}),
    makerFee: dec(info.makerCommission ?? DEFAULT_MAKER_FEE),
    takerFee: dec(info.takerCommission ?? DEFAULT_TAKER_FEE),
    ...(info.quoteCommissionPrecision === undefined ? {} : { feeDecimals: info.quoteCommissionPrecision }),
    orderTypes: info.orderTypes.flatMap((t) => asOrderType(t) ?? []),
    isSpotTradingAllowed: info.isSpotTradingAllowed === true,
    apiTradable,
    tradeSide: mapTradeSide(info.tradeSideType),
    ...(band ? { priceBand: band } : {}),
  };
}

function findPriceBand(info: MexcSymbolInfo): SymbolRules['priceBand'] {
  for (const raw of info.filters ?? []) {
    if (raw.filterType !== 'PERCENT_PRICE_BY_SIDE') continue;
    const parsed = MexcPriceFilter.safeParse(raw);
    if (!parsed.success) continue;
    const { bidMultiplierUp, askMultiplierDown } = parsed.data;
    if (bidMultiplierUp === undefined || askMultiplierDown === undefined) continue;
    return { bidMultiplierUp: dec(bidMultiplierUp), askMultiplierDown: dec(askMultiplierDown) };
  }
  return undefined;
}

/** Rules of every symbol that validated, and the symbols skipped with their reason. */
export interface RulesMapping {
  readonly rules: ReadonlyMap<string, SymbolRules>;
  /** Symbols skipped because their entry did not validate, with the reason. */
  readonly rejected: readonly string[];
}

/**
 * All symbols' rules from exchangeInfo `symbols` plus defaultSymbols (apiTradable). Each entry
 * is validated on its own: a malformed symbol is left out (so it is never traded) and reported
 * in `rejected`, instead of failing all the others.
 */
export async function mapExchangeInfo(
  symbols: readonly unknown[],
  defaultSymbols: readonly string[],
): Promise<RulesMapping> {
  const apiTradable = new Set(defaultSymbols);
  const rules = new Map<string, SymbolRules>();
  const rejected: string[] = [];
  // Two thousand symbols validated and mapped a slice at a time, the event loop free in between.
  await eachInTurns(symbols, (raw, index) => {
    const parsed = MexcSymbolInfo.safeParse(raw);
    if (!parsed.success) {
      const name = (raw as { symbol?: unknown } | null)?.symbol;
      rejected.push(
        `symbols[${index}]${typeof name === 'string' ? ` ${name}` : ''}: ${formatZodError(parsed.error, 3)}`,
      );
      return;
    }
    try {
      rules.set(parsed.data.symbol, mapSymbolRules(parsed.data, apiTradable.has(parsed.data.symbol)));
    } catch (error) {
      rejected.push(`symbols[${index}] ${parsed.data.symbol}: ${(error as Error).message}`);
    }
  });
  return { rules, rejected };
}

/** A 24 h ticker, or undefined when a price/volume field is missing (e.g. a symbol without trades). */
export function mapTicker24h(t: MexcTicker24h): Ticker24h | undefined {
  const { lastPrice, openPrice, highPrice, lowPrice, volume, quoteVolume, closeTime } = t;
  if (
    lastPrice === undefined ||
    openPrice === undefined ||
    highPrice === undefined ||
    lowPrice === undefined ||
    volume === undefined ||
    quoteVolume === undefined ||
    closeTime === undefined
  ) {
    return undefined;
  }
  const last = dec(lastPrice);
  const open = dec(openPrice);
  // priceChangePercent is a fraction ("0.0455" = 4.55 %); derive it when absent.
  const change =
    t.priceChangePercent !== undefined
      ? dec(t.priceChangePercent)
      : open.isZero()
        ? ZERO
        : last.minus(open).div(open);
  return {
    symbol: t.symbol,
    lastPrice: last,
    openPrice: open,
    highPrice: dec(highPrice),
    lowPrice: dec(lowPrice),
    ...(t.bidPrice !== undefined ? { bidPrice: dec(t.bidPrice) } : {}),
    ...(t.askPrice !== undefined ? { askPrice: dec(t.askPrice) } : {}),
    volume: dec(volume),
    quoteVolume: dec(quoteVolume),
    priceChangeFraction: change,
    closeTime,
  };
}

/** Best bid/ask, or undefined when one side is missing (empty book). */
export function mapBookTop(t: MexcBookTicker): BookTop | undefined {
  if (t.bidPrice === undefined || t.askPrice === undefined) return undefined;
  return {
    symbol: t.symbol,
    bid: dec(t.bidPrice),
    bidQty: dec(t.bidQty ?? '0'),
    ask: dec(t.askPrice),
    askQty: dec(t.askQty ?? '0'),
  };
}

/** Candles deduplicated by openTime (the last copy wins) and sorted ascending. */
export function mapKlines(rows: readonly MexcKline[]): Candle[] {
  const byOpen = new Map<number, Candle>();
  for (const row of rows) {
    const [openTime, open, high, low, close, volume, closeTime, quoteVolume] = row;
    byOpen.set(openTime, {
      openTime,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume,
      closeTime,
    });
  }
  return [...byOpen.values()].sort((a, b) => a.openTime - b.openTime);
}

/** Turns a MEXC order book answer into a decimal {@link Depth}. */
export function mapDepth(symbol: string, depth: MexcDepth): Depth {
  const level = ([price, qty]: readonly [string, string, ...unknown[]]) => ({
    price: dec(price),
    qty: dec(qty),
  });
  return { symbol, bids: depth.bids.map(level), asks: depth.asks.map(level) };
}

/** Balances; null amounts count as 0. Assets absent from the answer are 0 for the caller. */
export function mapBalances(account: MexcAccount): Balance[] {
  return account.balances.map((b) => ({
    asset: b.asset,
    free: dec(b.free ?? '0'),
    locked: dec(b.locked ?? '0'),
  }));
}

/** The create-order answer has no status or fills; `now` stands in for a missing transactTime. */
export function mapOrderAck(response: MexcNewOrderResponse, request: OrderRequest, now: number): OrderAck {
  return {
    symbol: response.symbol,
    orderId: response.orderId,
    clientOrderId: request.clientOrderId,
    transactTime: response.transactTime ?? now,
  };
}

/** An order as the exchange reports it, or undefined for a type the bot does not use (e.g. FOK). */
export function mapOrder(order: MexcOrder): ExchangeOrder | undefined {
  const type = asOrderType(order.type);
  if (type === undefined) return undefined;
  const time = order.time ?? order.updateTime ?? 0;
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    ...(order.clientOrderId !== undefined ? { clientOrderId: order.clientOrderId } : {}),
    side: order.side,
    type,
    price: decOrZero(order.price),
    origQty: decOrZero(order.origQty ?? order.Qty),
    executedQty: decOrZero(order.executedQty),
    cummulativeQuoteQty: decOrZero(order.cummulativeQuoteQty),
    status: order.status,
    time,
    updateTime: order.updateTime ?? time,
  };
}

/** A fill from myTrades: side from `isBuyer`; commission in `commissionAsset` (often the quote). */
export function mapFill(trade: MexcTrade): Fill {
  return {
    symbol: trade.symbol,
    tradeId: trade.id,
    orderId: trade.orderId,
    ...(trade.clientOrderId !== undefined ? { clientOrderId: trade.clientOrderId } : {}),
    side: trade.isBuyer ? 'BUY' : 'SELL',
    price: dec(trade.price),
    qty: dec(trade.qty),
    quoteQty: dec(trade.quoteQty),
    commission: dec(trade.commission),
    commissionAsset: trade.commissionAsset ?? '',
    time: trade.time,
    isMaker: trade.isMaker,
  };
}

function decOrZero(value: string | undefined): Decimal {
  return value === undefined ? ZERO : dec(value);
}
