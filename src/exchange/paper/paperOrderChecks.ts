/**
 * The checks MEXC applies to a new order, reproduced for the paper exchange so the executor
 * meets the same {@link ExchangeError} kinds in paper and live trading. Each refusal carries
 * the MEXC error code the live exchange would answer with.
 *
 * @see https://mexcdevelop.github.io/apidocs/spot_v3_en/#error-code
 */
import { ExchangeError, type ExchangeErrorKind } from '../../domain/errors.js';
import { isTradable, type OrderRequest, type SymbolRules } from '../../domain/market.js';
import { type Decimal, toWire, ZERO } from '../../domain/money.js';

/** MEXC codes the paper exchange answers with. */
export const MexcCode = {
  NotApiTradable: 10007,
  AmountMissing: 10095,
  TooManyDecimals: 10096,
  InvalidAmount: 10102,
  BelowMinNotional: 30002,
  AboveMaxNotional: 30003,
  InsufficientBalance: 30004,
  SideNotAllowed: 30001,
  NoValidPrice: 30010,
  InvalidSymbol: 30014,
  MarketOrdersDisabled: 30018,
  UnknownOrder: 30026,
  OrderTypeNotAllowed: 30041,
  IllegalCharacters: 700008,
} as const;

/** MEXC's accepted client order id shape. */
const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Builds the error the live adapter would raise for the same MEXC answer. `code` is omitted
 * where MEXC's answer is not on record (reused client id, crossing post-only order).
 */
export function paperError(
  kind: ExchangeErrorKind,
  code: number | undefined,
  symbol: string,
  message: string,
): ExchangeError {
  const suffix = code === undefined ? 'paper' : `paper, as MEXC ${code}`;
  return new ExchangeError(`${message} (${suffix})`, { kind, code, symbol });
}

/** An invalid-order refusal. */
export function invalid(code: number | undefined, symbol: string, message: string): ExchangeError {
  return paperError('invalid-order', code, symbol, message);
}

function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step.isZero() || value.mod(step).isZero();
}

/**
 * Checks a request against the symbol's rules before the book is consulted: symbol,
 * tradability, side, order type, client id, and the shape of price and quantity. Notional
 * limits are checked by {@link checkNotional} once the execution price is known.
 */
export function checkOrderShape(request: OrderRequest, rules: SymbolRules | undefined): SymbolRules {
  const { symbol } = request;
  if (!rules) throw invalid(MexcCode.InvalidSymbol, symbol, `unknown symbol ${symbol}`);
  if (!isTradable(rules)) {
    throw paperError('not-tradable', MexcCode.NotApiTradable, symbol, `${symbol} is not API-tradable`);
  }
  if (
    (rules.tradeSide === 'BUY_ONLY' && request.side === 'SELL') ||
    (rules.tradeSide === 'SELL_ONLY' && request.side === 'BUY')
  ) {
    throw invalid(MexcCode.SideNotAllowed, symbol, `${symbol} does not allow ${request.side} orders now`);
  }
  // IOC is accepted though unlisted.
  if (
    request.type !== 'IMMEDIATE_OR_CANCEL' &&
    rules.orderTypes.length > 0 &&
    !rules.orderTypes.includes(request.type)
  ) {
    throw invalid(
      request.type === 'MARKET' ? MexcCode.MarketOrdersDisabled : MexcCode.OrderTypeNotAllowed,
      symbol,
      `${symbol} does not accept ${request.type} orders`,
    );
  }
  if (!CLIENT_ORDER_ID.test(request.clientOrderId)) {
    throw invalid(
      MexcCode.IllegalCharacters,
      symbol,
      `client order id "${request.clientOrderId}" must be 1–32 characters of A-Z a-z 0-9 _ -`,
    );
  }
  const { quantity, price } = request;
  if (!quantity.isFinite() || quantity.lessThanOrEqualTo(ZERO)) {
    throw invalid(MexcCode.InvalidAmount, symbol, `quantity ${toWire(quantity)} is not positive`);
  }
  if (!isMultipleOf(quantity, rules.stepSize)) {
    throw invalid(
      MexcCode.TooManyDecimals,
      symbol,
      `quantity ${toWire(quantity)} is not a multiple of the step ${toWire(rules.stepSize)}`,
    );
  }
  if (quantity.lessThan(rules.minQty)) {
    throw invalid(
      MexcCode.BelowMinNotional,
      symbol,
      `quantity ${toWire(quantity)} is below the minimum ${toWire(rules.minQty)}`,
    );
  }
  if (request.type === 'MARKET') return rules;
  if (price === undefined)
    throw invalid(MexcCode.AmountMissing, symbol, `${request.type} order needs a price`);
  if (!price.isFinite() || price.lessThanOrEqualTo(ZERO)) {
    throw invalid(MexcCode.InvalidAmount, symbol, `price ${toWire(price)} is not positive`);
  }
  if (!isMultipleOf(price, rules.tickSize)) {
    throw invalid(
      MexcCode.TooManyDecimals,
      symbol,
      `price ${toWire(price)} is not a multiple of the tick ${toWire(rules.tickSize)}`,
    );
  }
  return rules;
}

/** Minimum and maximum order value at the price the order is valued at. */
export function checkNotional(rules: SymbolRules, quantity: Decimal, price: Decimal): void {
  const notional = quantity.times(price);
  if (notional.lessThan(rules.minNotional)) {
    throw invalid(
      MexcCode.BelowMinNotional,
      rules.symbol,
      `order value ${toWire(notional)} ${rules.quoteAsset} is below the minimum ${toWire(rules.minNotional)}`,
    );
  }
  if (rules.maxNotional && rules.maxNotional.greaterThan(ZERO) && notional.greaterThan(rules.maxNotional)) {
    throw invalid(
      MexcCode.AboveMaxNotional,
      rules.symbol,
      `order value ${toWire(notional)} ${rules.quoteAsset} is above the maximum ${toWire(rules.maxNotional)}`,
    );
  }
}
