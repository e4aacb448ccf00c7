/**
 * How an order's price follows the book when it is re-placed after its TTL (accumulate's buy goes back to the
 * new best bid, take-profit's sell back to `priceOffsetBps` below it): the touch nearest to the intended
 * price at placement, and price ÷ touch. Re-pricing multiplies the new touch by that ratio, so a maker buy at
 * the bid stays at the bid and a sell 5 bps under the bid stays 5 bps under it.
 */
import type { BookTop } from '../domain/market.js';
import { type Decimal, ZERO } from '../domain/money.js';

/** Where an order sits relative to the book: which side's touch and the ratio of its price to it. */
export interface Peg {
  readonly ref: 'bid' | 'ask';
  readonly ratio: Decimal;
}

/** The peg of a price against a book top, or undefined when either is not positive. */
export function pegFor(price: Decimal, top: BookTop): Peg | undefined {
  if (top.bid.lessThanOrEqualTo(ZERO) || top.ask.lessThanOrEqualTo(ZERO) || price.lessThanOrEqualTo(ZERO)) {
    return undefined;
  }
  const ref = price.minus(top.bid).abs().lessThanOrEqualTo(price.minus(top.ask).abs()) ? 'bid' : 'ask';
  return { ref, ratio: price.div(ref === 'bid' ? top.bid : top.ask) };
}

/** The price a pegged order re-places at, given the new book top. */
export function repricedPrice(peg: Partial<Peg>, side: 'BUY' | 'SELL', top: BookTop): Decimal {
  const touch = (peg.ref ?? (side === 'BUY' ? 'bid' : 'ask')) === 'bid' ? top.bid : top.ask;
  return peg.ratio ? touch.times(peg.ratio) : touch;
}
