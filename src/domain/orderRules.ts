/**
 * Turns an intended order into an exchange-valid one, or a clear refusal.
 *
 * Rounding is decimal and directional: quantities round down to the step (never spend or sell
 * more than intended); a buy's limit price rounds down and a sell's rounds up to the tick (never
 * pay more or receive less than intended). An order that cannot meet the rules after rounding
 * is refused with a reason; the caller must not retry with guessed roundings.
 */
import { isTradable, type OrderSide, type OrderType, type SymbolRules } from './market.js';
import { type Decimal, ONE, quantize, ZERO } from './money.js';

/** An order as a strategy means it, before tick, step and minimum rules are applied. */
export interface OrderDraft {
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Limit price (the reference price for MARKET orders). */
  readonly price: Decimal;
  /** Base quantity; or set quoteAmount to size the order by value at `price`. */
  readonly quantity?: Decimal;
  readonly quoteAmount?: Decimal;
}

/** Why an order cannot be made valid for the exchange, one code per rule. */
export type RefusalCode =
  | 'not-tradable'
  | 'side-not-allowed'
  | 'order-type-not-allowed'
  | 'bad-price'
  | 'bad-size'
  | 'below-min-qty'
  | 'below-min-notional'
  | 'above-max-notional'
  | 'price-band';

/** A draft rounded onto the symbol's rules and ready to send, or a refusal with its code and reason. */
export type PreparedOrder =
  | {
      readonly ok: true;
      readonly symbol: string;
      readonly side: OrderSide;
      readonly type: OrderType;
      /** Rounded to the tick (absent for MARKET). */
      readonly price?: Decimal;
      /** Rounded down to the step. */
      readonly quantity: Decimal;
      /** quantity × price after rounding. */
      readonly notional: Decimal;
    }
  | { readonly ok: false; readonly code: RefusalCode; readonly reason: string };

function refuse(code: RefusalCode, reason: string): PreparedOrder {
  return { ok: false, code, reason };
}

/**
 * Applies a symbol's trading rules to a draft: rounds price and quantity in the safe direction and refuses
 * what still breaks a rule.
 */
export function prepareOrder(draft: OrderDraft, rules: SymbolRules): PreparedOrder {
  const { symbol } = rules;
  if (!isTradable(rules)) {
    const why = !rules.apiTradable
      ? 'not in defaultSymbols (API trading not allowed)'
      : !rules.isSpotTradingAllowed
        ? 'isSpotTradingAllowed is false'
        : `status is ${rules.status}`;
    return refuse('not-tradable', `${symbol} is not API-tradable: ${why}`);
  }
  if (
    (rules.tradeSide === 'BUY_ONLY' && draft.side === 'SELL') ||
    (rules.tradeSide === 'SELL_ONLY' && draft.side === 'BUY')
  ) {
    return refuse(
      'side-not-allowed',
      `${symbol} allows ${rules.tradeSide === 'BUY_ONLY' ? 'buys' : 'sells'} only`,
    );
  }
  // IOC is accepted though unlisted; otherwise respect the listed types.
  if (
    draft.type !== 'IMMEDIATE_OR_CANCEL' &&
    rules.orderTypes.length > 0 &&
    !rules.orderTypes.includes(draft.type)
  ) {
    return refuse(
      'order-type-not-allowed',
      `${symbol} does not accept ${draft.type} orders (${rules.orderTypes.join(', ')})`,
    );
  }
  if (!draft.price.isFinite() || draft.price.lessThanOrEqualTo(ZERO)) {
    return refuse('bad-price', `${symbol}: price ${draft.price.toFixed()} is not positive`);
  }
  const hasQty = draft.quantity !== undefined;
  const hasQuote = draft.quoteAmount !== undefined;
  if (hasQty === hasQuote)
    return refuse('bad-size', `${symbol}: give exactly one of quantity and quote amount`);

  const price = quantize(draft.price, rules.tickSize, draft.side === 'BUY' ? 'down' : 'up');
  if (price.lessThanOrEqualTo(ZERO)) {
    return refuse(
      'bad-price',
      `${symbol}: price ${draft.price.toFixed()} rounds to zero at tick ${rules.tickSize.toFixed()}`,
    );
  }
  const rawQty = hasQty ? draft.quantity! : draft.quoteAmount!.div(price);
  if (!rawQty.isFinite() || rawQty.lessThanOrEqualTo(ZERO)) {
    return refuse('bad-size', `${symbol}: quantity ${rawQty.toFixed()} is not positive`);
  }
  const quantity = quantize(rawQty, rules.stepSize, 'down');
  if (quantity.lessThanOrEqualTo(ZERO)) {
    return refuse(
      'below-min-qty',
      `${symbol}: quantity ${rawQty.toFixed()} rounds to zero at step ${rules.stepSize.toFixed()}`,
    );
  }
  if (quantity.lessThan(rules.minQty)) {
    return refuse(
      'below-min-qty',
      `${symbol}: quantity ${quantity.toFixed()} is below the minimum ${rules.minQty.toFixed()}`,
    );
  }
  const notional = quantity.times(price);
  if (notional.lessThan(rules.minNotional)) {
    return refuse(
      'below-min-notional',
      `${symbol}: order value ${notional.toFixed()} ${rules.quoteAsset} is below the minimum ${rules.minNotional.toFixed()}`,
    );
  }
  if (rules.maxNotional && rules.maxNotional.greaterThan(ZERO) && notional.greaterThan(rules.maxNotional)) {
    return refuse(
      'above-max-notional',
      `${symbol}: order value ${notional.toFixed()} ${rules.quoteAsset} is above the maximum ${rules.maxNotional.toFixed()}`,
    );
  }
  return {
    ok: true,
    symbol,
    side: draft.side,
    type: draft.type,
    price: draft.type === 'MARKET' ? undefined : price,
    quantity,
    notional,
  };
}

/**
 * Checks a rounded price against the `PERCENT_PRICE_BY_SIDE` band around a reference price
 * (semantics UNCONFIRMED, as read from MEXC's docs: buy ≤ ref × (1 + up), sell ≥ ref × (1 − down)).
 * Returns a refusal reason, or undefined when inside the band or when no band is published.
 */
export function checkPriceBand(
  rules: SymbolRules,
  side: OrderSide,
  price: Decimal,
  reference: Decimal,
): string | undefined {
  if (!rules.priceBand || reference.lessThanOrEqualTo(ZERO)) return undefined;
  if (side === 'BUY') {
    const max = reference.times(rules.priceBand.bidMultiplierUp.plus(1));
    if (price.greaterThan(max))
      return `${rules.symbol}: buy price ${price.toFixed()} above the allowed ${max.toFixed()}`;
  } else {
    const min = reference.times(ONE.minus(rules.priceBand.askMultiplierDown));
    if (price.lessThan(min))
      return `${rules.symbol}: sell price ${price.toFixed()} below the allowed ${min.toFixed()}`;
  }
  return undefined;
}

/**
 * The fee rate a buy of `type` may pay on top of its notional, in the quote asset: the maker fee
 * for a post-only order, the higher of maker and taker for anything that can take liquidity.
 * The reserve check counts it, so a buy sized to the whole headroom cannot end below the
 * reserve once its fee is paid.
 */
export function buyFeeRate(rules: SymbolRules, type: OrderType): Decimal {
  if (type === 'LIMIT_MAKER') return rules.makerFee;
  return rules.takerFee.greaterThan(rules.makerFee) ? rules.takerFee : rules.makerFee;
}

/** The largest quote amount a buy of `type` may spend so that amount plus fee fits in `budget`. */
export function buyAmountWithin(budget: Decimal, rules: SymbolRules, type: OrderType): Decimal {
  return budget.greaterThan(ZERO) ? budget.div(ONE.plus(buyFeeRate(rules, type))) : ZERO;
}
