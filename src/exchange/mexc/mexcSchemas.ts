/**
 * zod schemas of MEXC spot v3 responses (wire types, `Mexc`-prefixed). They validate shape and
 * keep decimals as normalised strings; mexcMapper.ts turns them into domain types with Decimal.
 *
 * MEXC changes field types without versioning, so every numeric field
 * accepts a string or a number, and `null` or `""` count as missing.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/market-data-endpoints
 */
import { z } from 'zod';

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const ZERO_TEXT = /^[+-]?(0+\.?0*|\.0+)$/;

const rawScalar = z.union([z.string(), z.number(), z.null()]).optional();

function blankToUndefined(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  return text === '' ? undefined : text;
}

/** Optional decimal: string or number → normalised string; null, "" or absent → undefined. */
export const mexcOptionalDecimal = rawScalar.transform((value, ctx) => {
  const text = blankToUndefined(value);
  if (text === undefined) return undefined;
  if (!DECIMAL_TEXT.test(text)) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal string or number, got "${text}"` });
    return z.NEVER;
  }
  return text;
});

/** Required decimal: as {@link mexcOptionalDecimal} but null, "" or absent is an error. */
export const mexcDecimal = rawScalar.transform((value, ctx) => {
  const text = blankToUndefined(value);
  if (text === undefined || !DECIMAL_TEXT.test(text)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a decimal string or number, got ${text === undefined ? String(value) : `"${text}"`}`,
    });
    return z.NEVER;
  }
  return text;
});

/** Optional integer (times in ms, precisions): string or number → number. */
export const mexcOptionalInt = rawScalar.transform((value, ctx) => {
  const text = blankToUndefined(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!INTEGER_TEXT.test(text) || !Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: `expected an integer, got "${text}"` });
    return z.NEVER;
  }
  return n;
});

/** Required integer. */
export const mexcInt = rawScalar.transform((value, ctx) => {
  const text = blankToUndefined(value);
  const n = Number(text);
  if (text === undefined || !INTEGER_TEXT.test(text) || !Number.isSafeInteger(n)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected an integer, got ${text === undefined ? String(value) : `"${text}"`}`,
    });
    return z.NEVER;
  }
  return n;
});

/**
 * An identifier MEXC sends as a string or a number (order ids, trade ids), kept as a string. A
 * number beyond 2^53 has already lost digits in JSON.parse, so it is refused, not guessed.
 */
export const mexcId = z.union([
  z.string().min(1),
  z
    .number()
    .refine(Number.isSafeInteger, { message: 'id is a JSON number too large to be exact; expected a string' })
    .transform((v) => String(v)),
]);

/** Optional string: null and "" → undefined. */
export const mexcOptionalString = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : v));

/** Error body: `{code, msg}`, sometimes with `_extend: null`. */
export const MexcErrorBody = z.object({
  code: mexcOptionalInt,
  msg: mexcOptionalString,
});
export type MexcErrorBody = z.output<typeof MexcErrorBody>;

/** `{code: 0|200, data, msg}` wrapper of defaultSymbols, selfSymbols and tradeFee. */
export function mexcWrapped<T extends z.ZodType>(data: T) {
  return z.object({
    code: z.union([z.number(), z.string()]).refine((c) => String(c) === '0' || String(c) === '200', {
      message: 'expected success code 0 or 200',
    }),
    data,
    msg: mexcOptionalString,
  });
}

/** GET /api/v3/time: MEXC's clock, for the signing offset. */
export const MexcServerTime = z.object({ serverTime: mexcInt });
export type MexcServerTime = z.output<typeof MexcServerTime>;

/** POST, PUT and DELETE /api/v3/userDataStream: the listen key authorising a user-data stream. */
export const MexcListenKey = z.object({ listenKey: z.string().min(1) });
export type MexcListenKey = z.output<typeof MexcListenKey>;

/** GET /api/v3/defaultSymbols: the symbols API keys may trade. */
export const MexcDefaultSymbols = mexcWrapped(z.array(z.string()));
export type MexcDefaultSymbols = z.output<typeof MexcDefaultSymbols>;

/** The price band filter of an exchangeInfo symbol entry. */
export const MexcPriceFilter = z.object({
  filterType: z.string(),
  bidMultiplierUp: mexcOptionalDecimal,
  askMultiplierDown: mexcOptionalDecimal,
});

/** One entry of exchangeInfo `symbols` (field meanings as MEXC documents them). */
export const MexcSymbolInfo = z.object({
  symbol: z.string().min(1),
  status: z.union([z.string(), z.number()]).transform((s) => String(s)),
  baseAsset: z.string().min(1),
  quoteAsset: z.string().min(1),
  baseAssetPrecision: mexcInt,
  quoteAssetPrecision: mexcOptionalInt,
  quotePrecision: mexcOptionalInt,
  quoteCommissionPrecision: mexcOptionalInt,
  orderTypes: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  isSpotTradingAllowed: z.boolean().nullish(),
  permissions: z.array(z.string()).nullish(),
  filters: z.array(z.looseObject({ filterType: z.string() })).nullish(),
  maxQuoteAmount: mexcOptionalDecimal,
  makerCommission: mexcOptionalDecimal,
  takerCommission: mexcOptionalDecimal,
  quoteAmountPrecision: mexcOptionalDecimal,
  baseSizePrecision: mexcOptionalDecimal,
  tradeSideType: mexcOptionalInt,
});
export type MexcSymbolInfo = z.output<typeof MexcSymbolInfo>;

/** exchangeInfo: symbols are validated one by one so one odd symbol cannot hide the other 2000. */
export const MexcExchangeInfo = z.object({
  serverTime: mexcOptionalInt,
  symbols: z.array(z.unknown()),
});
export type MexcExchangeInfo = z.output<typeof MexcExchangeInfo>;

/** One symbol's entry in GET /api/v3/ticker/24hr. */
export const MexcTicker24h = z.object({
  symbol: z.string().min(1),
  priceChangePercent: mexcOptionalDecimal,
  lastPrice: mexcOptionalDecimal,
  openPrice: mexcOptionalDecimal,
  highPrice: mexcOptionalDecimal,
  lowPrice: mexcOptionalDecimal,
  bidPrice: mexcOptionalDecimal,
  askPrice: mexcOptionalDecimal,
  volume: mexcOptionalDecimal,
  quoteVolume: mexcOptionalDecimal,
  closeTime: mexcOptionalInt,
});
export type MexcTicker24h = z.output<typeof MexcTicker24h>;
/** GET /api/v3/ticker/24hr for every symbol. */
export const MexcTicker24hList = z.array(MexcTicker24h);

/** One symbol's entry in GET /api/v3/ticker/price. */
export const MexcPrice = z.object({ symbol: z.string().min(1), price: mexcOptionalDecimal });
export type MexcPrice = z.output<typeof MexcPrice>;
/** GET /api/v3/ticker/price for every symbol. */
export const MexcPriceList = z.array(MexcPrice);

/** One symbol's entry in GET /api/v3/ticker/bookTicker: best bid and ask. */
export const MexcBookTicker = z.object({
  symbol: z.string().min(1),
  bidPrice: mexcOptionalDecimal,
  bidQty: mexcOptionalDecimal,
  askPrice: mexcOptionalDecimal,
  askQty: mexcOptionalDecimal,
});
export type MexcBookTicker = z.output<typeof MexcBookTicker>;
/** GET /api/v3/ticker/bookTicker for every symbol. */
export const MexcBookTickerList = z.array(MexcBookTicker);

/** `[openTime, open, high, low, close, volume, closeTime, quoteVolume]`. */
export const MexcKline = z
  .tuple([mexcInt, mexcDecimal, mexcDecimal, mexcDecimal, mexcDecimal, mexcDecimal, mexcInt, mexcDecimal])
  .rest(z.unknown());
export type MexcKline = z.output<typeof MexcKline>;
/** GET /api/v3/klines: candles oldest first. */
export const MexcKlineList = z.array(MexcKline);

const MexcDepthLevel = z.tuple([mexcDecimal, mexcDecimal]).rest(z.unknown());
/** GET /api/v3/depth: order book levels as price and quantity pairs. */
export const MexcDepth = z.object({
  lastUpdateId: mexcOptionalInt,
  bids: z.array(MexcDepthLevel),
  asks: z.array(MexcDepthLevel),
});
export type MexcDepth = z.output<typeof MexcDepth>;

/** GET /api/v3/account: the account's balances. */
export const MexcAccount = z.object({
  balances: z.array(
    z.object({ asset: z.string().min(1), free: mexcOptionalDecimal, locked: mexcOptionalDecimal }),
  ),
});
export type MexcAccount = z.output<typeof MexcAccount>;

/** POST /api/v3/order answer: no status, no fills. */
export const MexcNewOrderResponse = z.object({
  symbol: z.string().min(1),
  orderId: mexcId,
  transactTime: mexcOptionalInt,
});
export type MexcNewOrderResponse = z.output<typeof MexcNewOrderResponse>;

/** Every order status MEXC reports. */
export const MEXC_ORDER_STATUSES = [
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'PARTIALLY_CANCELED',
] as const;

/** GET /api/v3/order, openOrders entries, and the full form of a cancel answer. */
export const MexcOrder = z.object({
  symbol: z.string().min(1),
  orderId: mexcId,
  clientOrderId: mexcOptionalString,
  price: mexcOptionalDecimal,
  origQty: mexcOptionalDecimal,
  // A 2025-04 docs example shows `Qty` for `origQty` (UNCONFIRMED); read either.
  Qty: mexcOptionalDecimal,
  executedQty: mexcOptionalDecimal,
  cummulativeQuoteQty: mexcOptionalDecimal,
  status: z.enum(MEXC_ORDER_STATUSES),
  type: z.string().min(1),
  side: z.enum(['BUY', 'SELL']),
  time: mexcOptionalInt,
  updateTime: mexcOptionalInt,
});
export type MexcOrder = z.output<typeof MexcOrder>;
/** GET /api/v3/openOrders: the open orders of one symbol. */
export const MexcOrderList = z.array(MexcOrder);

/** DELETE /api/v3/order: documented as a full order, live replies may lack status and amounts. */
export const MexcCancelResponse = z.looseObject({
  symbol: z.string().min(1),
  orderId: mexcId,
  status: z.string().nullish(),
});
export type MexcCancelResponse = z.output<typeof MexcCancelResponse>;

/**
 * One row of GET /api/v3/myTrades: the only parser that turns exchange trade rows into fills.
 * `commission` is required: a blank or null fee is a broken row, never a free trade (zero-fee
 * fills say `"0"`).
 */
export const MexcTrade = z
  .object({
    id: mexcId,
    symbol: z.string().min(1),
    orderId: mexcId,
    clientOrderId: mexcOptionalString,
    price: mexcDecimal,
    qty: mexcDecimal,
    quoteQty: mexcDecimal,
    commission: mexcDecimal,
    commissionAsset: mexcOptionalString,
    time: mexcInt,
    isBuyer: z.boolean(),
    isMaker: z.boolean(),
  })
  .refine((t) => t.commissionAsset !== undefined || ZERO_TEXT.test(t.commission), {
    message: 'commissionAsset is missing for a non-zero commission',
    path: ['commissionAsset'],
  });
export type MexcTrade = z.output<typeof MexcTrade>;
/** A myTrades page as a list of rows still to be checked one by one with {@link MexcTrade}. */
export const MexcTradeRows = z.array(z.unknown());

/** GET /api/v3/tradeFee: rates are numbers here, strings in exchangeInfo. */
export const MexcTradeFee = mexcWrapped(
  z.object({ makerCommission: mexcDecimal, takerCommission: mexcDecimal }),
);
export type MexcTradeFee = z.output<typeof MexcTradeFee>;

/** "symbols[3].status: expected …; …" — readable, names the field, at most `max` issues. */
export function formatZodError(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, key) =>
        typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
      '',
    );
    return `${path || '(root)'}: ${issue.message}`;
  });
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
