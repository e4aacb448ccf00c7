/**
 * Fills for resting orders. Internal to the simulator.
 *
 * A resting LIMIT (or LIMIT_MAKER) BUY fills in full at its own price, as maker, once the best
 * ask has reached the price; a SELL once the best bid has. Checks run per completed market
 * minute over the part of the minute after the order arrived, and at once when a test pins the
 * book through a price.
 */
import type { Account, SimOrder } from './Account.js';
import { MINUTE_MS, type BookView, type Market, type SymbolRuntime } from './Market.js';

function touched(
  market: Market,
  rt: SymbolRuntime,
  order: SimOrder,
  lowestAsk: number,
  highestBid: number,
): boolean {
  if (!order.price) return false;
  return order.side === 'BUY'
    ? market.price(rt, lowestAsk).lessThanOrEqualTo(order.price)
    : market.price(rt, highestBid).greaterThanOrEqualTo(order.price);
}

function fillRest(account: Account, order: SimOrder, time: number): void {
  if (!order.price) return;
  account.fill(order, {
    price: order.price,
    qty: order.origQty.minus(order.executedQty),
    isMaker: true,
    time,
  });
}

/** Market hook: the pending minute of `rt` completed. */
export function matchMinute(opts: {
  account: Account;
  market: Market;
  rt: SymbolRuntime;
  minute: number;
}): void {
  const { account, market, rt, minute } = opts;
  const end = (minute + 1) * MINUTE_MS;
  for (const order of account.openOrders(rt.spec.symbol)) {
    if (order.time >= end) continue;
    const reached = market.reachedBook(rt, order.time);
    if (touched(market, rt, order, reached.lowestAsk, reached.highestBid)) fillRest(account, order, end - 1);
  }
  rt.watched = account.hasOpenOrders(rt.spec.symbol);
}

/** The book jumped (a pin): resting orders it crossed fill now. */
export function matchBook(opts: { account: Account; market: Market; rt: SymbolRuntime; now: number }): void {
  const { account, market, rt, now } = opts;
  const book = market.book(rt, now);
  for (const order of account.openOrders(rt.spec.symbol)) {
    if (touched(market, rt, order, book.askTicks, book.bidTicks)) fillRest(account, order, now);
  }
  rt.watched = account.hasOpenOrders(rt.spec.symbol);
}

/** Takes liquidity at the touch, at most the displayed top size. Returns the filled quantity. */
export function takeAtTouch(opts: {
  account: Account;
  order: SimOrder;
  book: BookView;
  time: number;
  all?: boolean;
}): void {
  const { account, order, book, time } = opts;
  const rest = order.origQty.minus(order.executedQty);
  const available = order.side === 'BUY' ? book.askQty : book.bidQty;
  const qty = opts.all || rest.lessThan(available) ? rest : available;
  if (qty.isZero()) return;
  account.fill(order, { price: order.side === 'BUY' ? book.ask : book.bid, qty, isMaker: false, time });
}
