/**
 * The paper fill model, as pure functions over the book top:
 *
 * - an order that meets the book on arrival (MARKET, IOC, a crossing LIMIT) takes liquidity at
 *   the best opposite price, up to the quantity shown there, and pays the taker fee;
 * - what is left of an IOC or MARKET is cancelled; what is left of a crossing LIMIT also fills at
 *   once as taker, priced at its own limit (it would walk the book; the limit is the worst case);
 * - a LIMIT that does not cross, and a LIMIT_MAKER, rest;
 * - a resting buy fills in full at its own price, as maker, once the best ask is at or below
 *   it (a sell: once the best bid is at or above it). Filling at the limit rather than at the
 *   better touch is deliberately pessimistic: the market traded through the order.
 */
import type { BookTop, OrderRequest, OrderSide, SymbolRules } from '../../domain/market.js';
import { type Decimal, minDec, ZERO } from '../../domain/money.js';
import { invalid, MexcCode } from './paperOrderChecks.js';
import { formatPrice } from '../../domain/format.js';

/** What happens to a paper order when it arrives: immediate taker fills and whether the rest rests. */
export interface ArrivalPlan {
  /** Immediate taker executions, in order; empty when the order does not meet the book. */
  readonly taker: readonly { readonly qty: Decimal; readonly price: Decimal }[];
  /** Whether the unfilled remainder rests on the book; otherwise it is cancelled. */
  readonly rests: boolean;
  /** Price the whole order is valued at for notional limits and funds (limit price, or the touch for MARKET). */
  readonly valuationPrice: Decimal;
  /** Fee rate the funds check reserves for: the highest the order can pay. */
  readonly reserveFeeRate: Decimal;
}

/** The best opposite price an order of `side` would trade against, when the book shows one. */
export function touchFor(
  side: OrderSide,
  top: BookTop | undefined,
): { price: Decimal; qty: Decimal } | undefined {
  if (!top) return undefined;
  const price = side === 'BUY' ? top.ask : top.bid;
  const qty = side === 'BUY' ? top.askQty : top.bidQty;
  return price.greaterThan(ZERO) ? { price, qty } : undefined;
}

/** Whether a limit at `price` reaches the opposite side of the book. */
export function crossesBook(side: OrderSide, price: Decimal, top: BookTop | undefined): boolean {
  const touch = touchFor(side, top);
  if (!touch) return false;
  return side === 'BUY' ? price.greaterThanOrEqualTo(touch.price) : price.lessThanOrEqualTo(touch.price);
}

/**
 * Decides what happens to a validated order when it reaches the book. Throws the MEXC-like
 * refusals that depend on the book: a MARKET order with no price (30010), a post-only order
 * that would take liquidity.
 */
export function planArrival(
  request: OrderRequest,
  rules: SymbolRules,
  top: BookTop | undefined,
): ArrivalPlan {
  const { side, symbol, quantity } = request;
  const touch = touchFor(side, top);
  // What the best opposite level can absorb; nothing when the book shows no quantity there.
  const atTouch = () =>
    touch && touch.qty.greaterThan(ZERO) ? [{ qty: minDec(quantity, touch.qty), price: touch.price }] : [];

  if (request.type === 'MARKET') {
    if (!touch)
      throw invalid(
        MexcCode.NoValidPrice,
        symbol,
        `no ${side === 'BUY' ? 'ask' : 'bid'} to trade a market order against`,
      );
    return {
      taker: atTouch(),
      rests: false,
      valuationPrice: touch.price,
      reserveFeeRate: rules.takerFee,
    };
  }
  const limit = request.price!;
  const crosses = crossesBook(side, limit, top);
  switch (request.type) {
    case 'LIMIT_MAKER':
      if (crosses) {
        throw invalid(
          undefined,
          symbol,
          `post-only ${side} at ${formatPrice(limit, rules.tickSize)} would trade against the book at ${formatPrice(touch!.price, rules.tickSize)}`,
        );
      }
      return { taker: [], rests: true, valuationPrice: limit, reserveFeeRate: rules.makerFee };
    case 'IMMEDIATE_OR_CANCEL':
      return {
        taker: crosses ? atTouch() : [],
        rests: false,
        valuationPrice: limit,
        reserveFeeRate: rules.takerFee,
      };
    case 'LIMIT': {
      if (!crosses) return { taker: [], rests: true, valuationPrice: limit, reserveFeeRate: rules.makerFee };
      const first = atTouch();
      const rest = quantity.minus(first[0]?.qty ?? ZERO);
      return {
        taker: rest.greaterThan(ZERO) ? [...first, { qty: rest, price: limit }] : first,
        rests: false,
        valuationPrice: limit,
        reserveFeeRate: rules.takerFee,
      };
    }
  }
}

/** A resting order as a fill model sees it: where, which side, its limit and when it was placed. */
export interface RestingOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  /** When the order was accepted (ms): the market before it cannot fill it. */
  readonly time: number;
}

/**
 * How paper orders meet the market. Live paper trading matches on the book tops of the moment
 * ({@link bookTopFillModel}); a replay over recorded candles matches on the candles instead.
 */
export interface PaperFillModel {
  /** The book an order arriving now trades against (the touch prices and quantities). */
  arrivalTop(symbol: string, tops: ReadonlyMap<string, BookTop>): BookTop | undefined;
  /** The price a resting order fills at now (its own limit), or undefined while the market has not reached it. */
  restingFill(order: RestingOrder, tops: ReadonlyMap<string, BookTop>): Decimal | undefined;
}

/** The paper exchange's own fill model: arrivals meet the current book top, resting orders fill once the touch reaches them. */
export const bookTopFillModel: PaperFillModel = {
  arrivalTop: (symbol, tops) => tops.get(symbol),
  restingFill: (order, tops) => restingFillPrice(order.side, order.price, tops.get(order.symbol)),
};

/** The price a resting order fills at now (its own limit), or undefined when the book has not reached it. */
export function restingFillPrice(
  side: OrderSide,
  limit: Decimal,
  top: BookTop | undefined,
): Decimal | undefined {
  return crossesBook(side, limit, top) ? limit : undefined;
}
