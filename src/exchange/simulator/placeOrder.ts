/**
 * POST /api/v3/order (and /order/test): MEXC's checks in MEXC's order, then execution against
 * the simulated book. Internal to the simulator.
 *
 * Execution model: MARKET fills in full at the touch; a LIMIT crossing the book takes up to the
 * displayed top size at the touch and rests the remainder; IMMEDIATE_OR_CANCEL takes what the
 * top size allows and cancels the rest; FILL_OR_KILL fills in full or not at all; LIMIT_MAKER
 * never takes (refused if it would). Taker fills pay the taker fee, resting fills the maker fee.
 */
import { Decimal, quantize } from '../../domain/money.js';
import type { Account, SimOrder, SimOrderType } from './Account.js';
import { feeFor } from './Account.js';
import type { BookView, Market, SymbolRuntime } from './Market.js';
import { takeAtTouch } from './matching.js';
import { clientOrderIdParam, decimalParam, symbolParam } from './params.js';
import { SimErrors } from './wire.js';

const ORDER_TYPES: readonly SimOrderType[] = [
  'LIMIT',
  'LIMIT_MAKER',
  'IMMEDIATE_OR_CANCEL',
  'FILL_OR_KILL',
  'MARKET',
];

/** A new-order request with the market and account it executes against. */
export interface PlaceOrderInput {
  readonly market: Market;
  readonly account: Account;
  readonly params: URLSearchParams;
  readonly now: number;
  /** /order/test: validate only. */
  readonly dryRun: boolean;
}

/** The order acknowledgement MEXC returns (no status, fills or fees), or `{}` for a dry run. */
export function placeOrder(input: PlaceOrderInput): Record<string, unknown> {
  const { market, params, now } = input;
  const rt = symbolParam(market, params);
  const { spec } = rt;
  const side = params.get('side');
  if (side !== 'BUY' && side !== 'SELL') throw SimErrors.parameter('side must be BUY or SELL');
  const type = params.get('type') as SimOrderType;
  if (!ORDER_TYPES.includes(type)) throw SimErrors.parameter(`type must be one of ${ORDER_TYPES.join(', ')}`);
  if (!rt.apiTradable || !spec.isSpotTradingAllowed) throw SimErrors.notApiTradable();
  if (spec.status !== '1') throw SimErrors.suspended();
  const sideBlocked =
    spec.tradeSideType === 4 ||
    (spec.tradeSideType === 2 && side === 'SELL') ||
    (spec.tradeSideType === 3 && side === 'BUY');
  if (sideBlocked) throw SimErrors.sideNotAllowed();
  if (type === 'MARKET' && !spec.orderTypes.includes('MARKET')) throw SimErrors.marketNotAllowed();
  const quantity = decimalParam(params, 'quantity', spec.qtyPrecision);
  const price = decimalParam(params, 'price', spec.pricePrecision);
  const quoteOrderQty = decimalParam(params, 'quoteOrderQty', spec.pricePrecision);
  const clientOrderId = clientOrderIdParam(params);
  if (clientOrderId !== undefined && input.account.clientIdTaken(clientOrderId)) {
    throw SimErrors.duplicateClientOrderId();
  }
  const book = market.book(rt, now);
  const order =
    type === 'MARKET'
      ? { kind: 'market' as const, ...sizeMarket({ rt, side, book, quantity, quoteOrderQty }) }
      : { kind: 'limit' as const, ...checkLimit({ market, rt, side, type, book, price, quantity, now }) };
  const base = spec.baseAsset;
  const lockAsset = side === 'BUY' ? spec.quoteAsset : base;
  const feeRate = type === 'LIMIT_MAKER' ? spec.makerFee : spec.takerFee;
  const notional = order.price.times(order.qty);
  const lockAmount = side === 'BUY' ? notional.plus(feeFor(spec, notional, feeRate)) : order.qty;
  if (input.account.balance(lockAsset).free.lessThan(lockAmount)) throw SimErrors.insufficientBalance();
  if (input.dryRun) return {};

  const placed = input.account.open({
    spec,
    clientOrderId: clientOrderId ?? null,
    side,
    type,
    price: order.kind === 'limit' ? order.price : undefined,
    origQty: order.qty,
    origQuoteOrderQty: quoteOrderQty ?? new Decimal(0),
    time: now,
    lockAsset,
    lockAmount,
  });
  execute({ account: input.account, order: placed, book, crosses: order.crosses, now });
  rt.watched = input.account.hasOpenOrders(spec.symbol);
  return {
    symbol: spec.symbol,
    orderId: placed.orderId,
    orderListId: -1,
    price: order.price.toFixed(spec.pricePrecision),
    origQty: order.qty.toFixed(spec.qtyPrecision),
    type,
    side,
    transactTime: now,
  };
}

function execute(opts: {
  account: Account;
  order: SimOrder;
  book: BookView;
  crosses: boolean;
  now: number;
}): void {
  const { account, order, book, crosses, now } = opts;
  const time = now;
  switch (order.type) {
    case 'MARKET':
      takeAtTouch({ account, order, book, time, all: true });
      return;
    case 'LIMIT':
      if (crosses) takeAtTouch({ account, order, book, time });
      return;
    case 'LIMIT_MAKER':
      return;
    case 'IMMEDIATE_OR_CANCEL':
      if (crosses) takeAtTouch({ account, order, book, time });
      if (account.isOpen(order)) account.cancel(order, time);
      return;
    case 'FILL_OR_KILL': {
      const available = order.side === 'BUY' ? book.askQty : book.bidQty;
      if (crosses && order.origQty.lessThanOrEqualTo(available)) takeAtTouch({ account, order, book, time });
      if (account.isOpen(order)) account.cancel(order, time);
      return;
    }
  }
}

/** MARKET: exactly one of quantity (base) or quoteOrderQty (quote); sized at the touch. */
function sizeMarket(opts: {
  rt: SymbolRuntime;
  side: 'BUY' | 'SELL';
  book: BookView;
  quantity: Decimal | undefined;
  quoteOrderQty: Decimal | undefined;
}): { price: Decimal; qty: Decimal; crosses: boolean } {
  const { spec } = opts.rt;
  if ((opts.quantity === undefined) === (opts.quoteOrderQty === undefined)) {
    throw SimErrors.parameter('MARKET orders need exactly one of quantity or quoteOrderQty');
  }
  const touch = opts.side === 'BUY' ? opts.book.ask : opts.book.bid;
  const qty = opts.quantity ?? quantize((opts.quoteOrderQty as Decimal).div(touch), spec.step, 'down');
  const value = opts.quoteOrderQty ?? qty.times(touch);
  if (qty.isZero() || value.lessThan(spec.minNotionalMarket)) {
    throw SimErrors.belowMinimum(`${spec.minNotionalMarket.toFixed()}${spec.quoteAsset}`);
  }
  if (value.greaterThan(spec.maxNotionalMarket)) {
    throw SimErrors.aboveMaximum(`${spec.maxNotionalMarket.toFixed()}${spec.quoteAsset}`);
  }
  return { price: touch, qty, crosses: true };
}

/** LIMIT-like types: size, notional, price band and post-only checks. */
function checkLimit(opts: {
  market: Market;
  rt: SymbolRuntime;
  side: 'BUY' | 'SELL';
  type: SimOrderType;
  book: BookView;
  price: Decimal | undefined;
  quantity: Decimal | undefined;
  now: number;
}): { price: Decimal; qty: Decimal; crosses: boolean } {
  const { market, rt, side, type, book, price, quantity } = opts;
  const { spec } = rt;
  if (price === undefined) throw SimErrors.parameter(`price is required for ${type} orders`);
  if (quantity === undefined) throw SimErrors.parameter(`quantity is required for ${type} orders`);
  if (!spec.minQty.isZero() && quantity.lessThan(spec.minQty)) {
    throw SimErrors.belowMinimum(`${spec.minQty.toFixed()}${spec.baseAsset}`);
  }
  const notional = price.times(quantity);
  if (notional.lessThan(spec.minNotional))
    throw SimErrors.belowMinimum(`${spec.minNotional.toFixed()}${spec.quoteAsset}`);
  if (notional.greaterThan(spec.maxNotional))
    throw SimErrors.aboveMaximum(`${spec.maxNotional.toFixed()}${spec.quoteAsset}`);
  // PERCENT_PRICE_BY_SIDE, as ccxt reads it (UNCONFIRMED): buys at most ref × (1 + up), sells at least ref × (1 − down).
  const ref = market.price(rt, market.lastTicks(rt, opts.now));
  const outside =
    side === 'BUY'
      ? price.greaterThan(ref.times(spec.bandUp.plus(1)))
      : price.lessThan(ref.times(new Decimal(1).minus(spec.bandDown)));
  if (outside) throw SimErrors.priceBand();
  const crosses = side === 'BUY' ? price.greaterThanOrEqualTo(book.ask) : price.lessThanOrEqualTo(book.bid);
  if (type === 'LIMIT_MAKER' && crosses) throw SimErrors.wouldTake();
  return { price, qty: quantity, crosses };
}
