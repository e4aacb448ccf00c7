/**
 * Exchange-neutral market and account types. Adapters map their wire formats into these;
 * every money field is a {@link Decimal}, every time is Unix milliseconds.
 */
import type { Decimal } from './money.js';

/** Buy or sell, spelled as the exchange spells it. */
export const OrderSide = { Buy: 'BUY', Sell: 'SELL' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

/** MEXC order types the bot uses. IOC is MEXC's `IMMEDIATE_OR_CANCEL` type (there is no timeInForce). */
export const OrderType = {
  Limit: 'LIMIT',
  LimitMaker: 'LIMIT_MAKER',
  ImmediateOrCancel: 'IMMEDIATE_OR_CANCEL',
  Market: 'MARKET',
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** Statuses as the exchange reports them (MEXC REST). */
export const ExchangeOrderStatus = {
  New: 'NEW',
  PartiallyFilled: 'PARTIALLY_FILLED',
  Filled: 'FILLED',
  Canceled: 'CANCELED',
  PartiallyCanceled: 'PARTIALLY_CANCELED',
} as const;
export type ExchangeOrderStatus = (typeof ExchangeOrderStatus)[keyof typeof ExchangeOrderStatus];

/** Exchange order states after which nothing more can fill; tracking stops there. */
export const FINAL_EXCHANGE_STATUSES: ReadonlySet<ExchangeOrderStatus> = new Set([
  'FILLED',
  'CANCELED',
  'PARTIALLY_CANCELED',
]);

/** Kline intervals exactly as MEXC names them (one hour is `60m`, a week `1W`). */
export const KLINE_INTERVALS = ['1m', '5m', '15m', '30m', '60m', '4h', '1d', '1W', '1M'] as const;
/** One candle width the exchange serves. */
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

/** Each candle width in milliseconds, for paging and alignment. */
export const INTERVAL_MS: Record<KlineInterval, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '60m': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
  '1W': 604_800_000,
  '1M': 2_592_000_000,
};

/** Whether a symbol is trading, paused or offline on the exchange. */
export type SymbolStatus = 'TRADING' | 'PAUSED' | 'OFFLINE';
/** Which sides of a symbol the exchange currently allows. */
export type TradeSide = 'BOTH' | 'BUY_ONLY' | 'SELL_ONLY' | 'CLOSED';

/** Trading rules of one symbol, derived from exchangeInfo + defaultSymbols. */
export interface SymbolRules {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly status: SymbolStatus;
  /** Price increment: 10^-quoteAssetPrecision. */
  readonly tickSize: Decimal;
  /** Quantity increment: 10^-baseAssetPrecision. */
  readonly stepSize: Decimal;
  /** Minimum quantity (`baseSizePrecision`, often 0). */
  readonly minQty: Decimal;
  /** Minimum notional for limit orders (`quoteAmountPrecision`). */
  readonly minNotional: Decimal;
  /** Maximum notional for limit orders (`maxQuoteAmount`), when published. */
  readonly maxNotional?: Decimal;
  readonly makerFee: Decimal;
  readonly takerFee: Decimal;
  /**
   * Decimals of fee amounts (`quoteCommissionPrecision`; MEXC charges fees in the quote asset), when
   * published: a fill's commission is the fee rate times its value, rounded to this many decimals.
   */
  readonly feeDecimals?: number;
  readonly orderTypes: readonly OrderType[];
  readonly isSpotTradingAllowed: boolean;
  /** Listed in `/api/v3/defaultSymbols`. */
  readonly apiTradable: boolean;
  readonly tradeSide: TradeSide;
  /** `PERCENT_PRICE_BY_SIDE` band, when present. */
  readonly priceBand?: { readonly bidMultiplierUp: Decimal; readonly askMultiplierDown: Decimal };
}

/**
 * The exchange's precision of a symbol, for writing its numbers (`domain/format.ts`): prices to
 * its tick size, quantities to its step.
 */
export type SymbolPrecision = Pick<SymbolRules, 'tickSize' | 'stepSize'>;

/** Whether the bot may send orders on a symbol at all (docs/safety-rules.md, tradable symbols only). */
export function isTradable(rules: SymbolRules): boolean {
  return (
    rules.status === 'TRADING' &&
    rules.isSpotTradingAllowed &&
    rules.apiTradable &&
    rules.tradeSide !== 'CLOSED'
  );
}

/**
 * A symbol's traded volumes over the last 24 hours, from which its 24 h volume-weighted average
 * price follows (`quoteVolume / volume`). The REST 24 h ticker and the mini-ticker stream both
 * carry it.
 */
export interface Volume24h {
  readonly symbol: string;
  /** Base volume. */
  readonly volume: Decimal;
  readonly quoteVolume: Decimal;
}

/** A symbol's rolling 24-hour statistics, used by the scanner's universe and anti-hype filter. */
export interface Ticker24h extends Volume24h {
  readonly lastPrice: Decimal;
  readonly openPrice: Decimal;
  readonly highPrice: Decimal;
  readonly lowPrice: Decimal;
  readonly bidPrice?: Decimal;
  readonly askPrice?: Decimal;
  /** Change over 24 h as a fraction (MEXC sends 0.0455 for 4.55 %). */
  readonly priceChangeFraction: Decimal;
  readonly closeTime: number;
}

/** Best bid and ask with their quantities: what orders are priced against and holdings valued at. */
export interface BookTop {
  readonly symbol: string;
  readonly bid: Decimal;
  readonly bidQty: Decimal;
  readonly ask: Decimal;
  readonly askQty: Decimal;
}

/**
 * The price a book top stands for: the mid of bid and ask, or the one side that is quoted.
 * Undefined when neither side has a positive price. Every valuation uses this one rule.
 */
export function midPrice(top: Pick<BookTop, 'bid' | 'ask'>): Decimal | undefined {
  const bid = top.bid.greaterThan(0) ? top.bid : undefined;
  const ask = top.ask.greaterThan(0) ? top.ask : undefined;
  if (bid !== undefined && ask !== undefined) return bid.plus(ask).div(2);
  return bid ?? ask;
}

/**
 * {@link midPrice} of every book top that has one, by symbol, each computed when first read: a
 * valuation reads the few symbols held out of the exchange's two thousand, and computing every
 * mid up front was a block of tens of milliseconds on every market read.
 */
export function midPrices(
  tops: ReadonlyMap<string, Pick<BookTop, 'bid' | 'ask'>>,
): ReadonlyMap<string, Decimal> {
  return new MidPrices(tops);
}

/** The map {@link midPrices} returns: mids computed on first read, all of them when iterated. */
class MidPrices implements ReadonlyMap<string, Decimal> {
  readonly #tops: ReadonlyMap<string, Pick<BookTop, 'bid' | 'ask'>>;
  /** Mid by symbol, undefined for a top without one; filled as symbols are read. */
  readonly #read = new Map<string, Decimal | undefined>();
  #all: Map<string, Decimal> | undefined;

  constructor(tops: ReadonlyMap<string, Pick<BookTop, 'bid' | 'ask'>>) {
    this.#tops = tops;
  }

  get(symbol: string): Decimal | undefined {
    if (this.#read.has(symbol)) return this.#read.get(symbol);
    const top = this.#tops.get(symbol);
    const mid = top === undefined ? undefined : midPrice(top);
    this.#read.set(symbol, mid);
    return mid;
  }

  has(symbol: string): boolean {
    return this.get(symbol) !== undefined;
  }

  get size(): number {
    return this.#every().size;
  }

  forEach(
    fn: (value: Decimal, key: string, map: ReadonlyMap<string, Decimal>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.#every()) fn.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, Decimal]> {
    return this.#every().entries();
  }

  keys(): MapIterator<string> {
    return this.#every().keys();
  }

  values(): MapIterator<Decimal> {
    return this.#every().values();
  }

  [Symbol.iterator](): MapIterator<[string, Decimal]> {
    return this.#every()[Symbol.iterator]();
  }

  #every(): Map<string, Decimal> {
    if (this.#all === undefined) {
      this.#all = new Map();
      for (const symbol of this.#tops.keys()) {
        const mid = this.get(symbol);
        if (mid !== undefined) this.#all.set(symbol, mid);
      }
    }
    return this.#all;
  }
}

/**
 * One OHLCV bar, prices and volumes as the exchange's exact decimal text. Nearly every candle
 * only ever becomes a signal number (`Number`, see `candleSeriesOf`) or is stored as it came; the
 * few whose close prices a fill read `dec()` on that one field. Parsing every field of every row
 * into a `Decimal` first cost more at a cold scan than the indicators did.
 */
export interface Candle {
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly closeTime: number;
}

/** One price level of an order book. */
export interface DepthLevel {
  readonly price: Decimal;
  readonly qty: Decimal;
}

/** An order book snapshot, best levels first. */
export interface Depth {
  readonly symbol: string;
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

/** One asset's free and locked amounts on the account. */
export interface Balance {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
}

/** An order as the exchange reports it. */
export interface ExchangeOrder {
  readonly symbol: string;
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price: Decimal;
  readonly origQty: Decimal;
  readonly executedQty: Decimal;
  readonly cummulativeQuoteQty: Decimal;
  readonly status: ExchangeOrderStatus;
  readonly time: number;
  readonly updateTime: number;
}

/** An order request after rounding to the exchange's rules. */
export interface OrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Decimal;
  /** Required for every type but MARKET. */
  readonly price?: Decimal;
  readonly clientOrderId: string;
}

/** The create-order acknowledgement. MEXC returns no status or fills here. */
export interface OrderAck {
  readonly symbol: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly transactTime: number;
}

/** One trade of the account (a fill), normalised from myTrades. */
export interface Fill {
  readonly symbol: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly quoteQty: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isMaker: boolean;
}

/** Stablecoins: never treated as altcoins, never scanned. */
export const STABLECOINS: ReadonlySet<string> = new Set([
  'USDT',
  'USDC',
  'USDE',
  'FDUSD',
  'TUSD',
  'DAI',
  'BUSD',
  'USDD',
  'PYUSD',
  'USD1',
  'USDP',
  'EURC',
  'EUR',
  'USDS',
]);

/** The core assets the `accumulate`, `take-profit` and `core-balance` strategies manage. */
export const CORE_ASSETS = ['BTC', 'ETH'] as const;
/** BTC or ETH: the coins the core strategies hold. */
export type CoreAsset = (typeof CORE_ASSETS)[number];

/** The core assets' USDC and USDT markets: where `accumulate` buys and reads its 24 h average. */
export const CORE_MARKETS: readonly string[] = CORE_ASSETS.flatMap((asset) => [
  `${asset}USDC`,
  `${asset}USDT`,
]);

/** When one of the bot's orders could fill, in exchange time (`to` absent while it is working). */
export interface OrderSpan {
  /** The exchange's order id. */
  readonly orderId: string;
  readonly from: number;
  readonly to?: number;
}
