/**
 * Decoded MEXC pushes → the exchange-neutral stream updates. Every money field is parsed to a
 * Decimal here (a candle's prices and volumes, which only feed signals, to numbers); a push with a missing or malformed field maps to a `problem` string so the
 * caller can skip it with a warning and keep the next one.
 */
import type { ExchangeOrderStatus, OrderSide } from '../../../domain/market.js';
import { type Decimal, parseDecimal, parseSignalNumber, ZERO } from '../../../domain/money.js';
import type { Logger } from '../../../common/logger.js';
import type { Listeners } from '../../stream/Listeners.js';
import type {
  BalanceUpdate,
  BookTickerUpdate,
  DealUpdate,
  KlineUpdate,
  MiniTickerUpdate,
  OrderUpdate,
  StreamOrderType,
} from '../../stream/streamTypes.js';
import { restInterval } from './mexcChannels.js';
import type { PbPushWrapper } from './mexcProto.js';

/** Hands a mapped update to its listeners, or skips a malformed push with a warning. */
export function deliver<T>(
  log: Logger,
  push: PbPushWrapper,
  mapped: Mapped<T>,
  listeners: Listeners<T>,
): void {
  if (mapped.ok) listeners.emit(mapped.value);
  else log.warn({ channel: push.channel, problem: mapped.problem }, 'malformed push skipped');
}

/** One push mapped: the update, or why it was skipped. */
export type Mapped<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Order status numbers of the user stream. */
const ORDER_STATUS: Readonly<Record<number, ExchangeOrderStatus>> = {
  1: 'NEW',
  2: 'FILLED',
  3: 'PARTIALLY_FILLED',
  4: 'CANCELED',
  5: 'PARTIALLY_CANCELED',
};

/** Order type numbers of the user stream (100, stop orders, the bot never places). */
const ORDER_TYPE: Readonly<Record<number, StreamOrderType>> = {
  1: 'LIMIT',
  2: 'LIMIT_MAKER',
  3: 'IMMEDIATE_OR_CANCEL',
  4: 'FILL_OR_KILL',
  5: 'MARKET',
};

/** The reverse tables, for the simulator's encoder. */
export const ORDER_STATUS_CODE: Readonly<Record<ExchangeOrderStatus, number>> = {
  NEW: 1,
  FILLED: 2,
  PARTIALLY_FILLED: 3,
  CANCELED: 4,
  PARTIALLY_CANCELED: 5,
};

/** Order type → the user stream's number, for the simulator's encoder. */
export const ORDER_TYPE_CODE: Readonly<Record<StreamOrderType, number>> = {
  LIMIT: 1,
  LIMIT_MAKER: 2,
  IMMEDIATE_OR_CANCEL: 3,
  FILL_OR_KILL: 4,
  MARKET: 5,
};

/** Trade side numbers of the user stream: 1 buy, 2 sell. */
export const SIDE_CODE: Readonly<Record<OrderSide, number>> = { BUY: 1, SELL: 2 };

function side(code: number | undefined): OrderSide | undefined {
  return code === 1 ? 'BUY' : code === 2 ? 'SELL' : undefined;
}

/** Collects decimal fields; remembers the first one that is not a decimal. */
class Fields {
  problem: string | undefined;
  decimal(name: string, value: unknown): Decimal {
    const parsed = parseDecimal(value);
    if (parsed === undefined) {
      this.problem ??= `${name} is not a decimal: ${JSON.stringify(value ?? null)}`;
      // A placeholder only: result() refuses the whole update once a problem is recorded.
      return ZERO;
    }
    return parsed;
  }
  number(name: string, value: unknown): number {
    const parsed = parseSignalNumber(value);
    if (parsed === undefined) this.problem ??= `${name} is not a number: ${JSON.stringify(value ?? null)}`;
    return parsed ?? 0;
  }
  text(name: string, value: string | undefined): string {
    if (!value) this.problem ??= `${name} is missing`;
    return value ?? '';
  }
  time(name: string, value: number | undefined): number {
    if (value === undefined || !Number.isSafeInteger(value) || value <= 0)
      this.problem ??= `${name} is missing`;
    return value ?? 0;
  }
  result<T>(value: T): Mapped<T> {
    return this.problem === undefined ? { ok: true, value } : { ok: false, problem: this.problem };
  }
}

/** A book-ticker push; its time is the envelope's send time. */
export function mapBookTicker(push: PbPushWrapper): Mapped<BookTickerUpdate> {
  const body = push.publicAggreBookTicker;
  if (!body) return { ok: false, problem: 'no book ticker body' };
  const f = new Fields();
  return f.result({
    symbol: f.text('symbol', push.symbol),
    bidPrice: f.decimal('bidPrice', body.bidPrice),
    bidQty: f.decimal('bidQuantity', body.bidQuantity),
    askPrice: f.decimal('askPrice', body.askPrice),
    askQty: f.decimal('askQuantity', body.askQuantity),
    timeMs: f.time('sendTime', push.sendTime ?? push.createTime),
  });
}

/** A kline push; MEXC sends the window in seconds. */
export function mapKline(push: PbPushWrapper): Mapped<KlineUpdate> {
  const body = push.publicSpotKline;
  if (!body) return { ok: false, problem: 'no kline body' };
  const interval = restInterval(body.interval);
  if (!interval) return { ok: false, problem: `unknown kline interval ${JSON.stringify(body.interval)}` };
  const f = new Fields();
  return f.result({
    symbol: f.text('symbol', push.symbol),
    interval,
    openTime: f.time('windowStart', body.windowStart) * 1000,
    closeTimeMs: f.time('windowEnd', body.windowEnd) * 1000,
    open: f.number('openingPrice', body.openingPrice),
    high: f.number('highestPrice', body.highestPrice),
    low: f.number('lowestPrice', body.lowestPrice),
    close: f.number('closingPrice', body.closingPrice),
    volume: f.number('volume', body.volume),
    quoteVolume: f.number('amount', body.amount),
  });
}

/** A mini-ticker push: MEXC's `volume` is the quote turnover, `quantity` the base volume. */
export function mapMiniTicker(push: PbPushWrapper): Mapped<MiniTickerUpdate> {
  const body = push.publicMiniTicker;
  if (!body) return { ok: false, problem: 'no mini ticker body' };
  const f = new Fields();
  return f.result({
    symbol: f.text('symbol', body.symbol || push.symbol),
    lastPrice: f.decimal('price', body.price),
    highPrice: f.decimal('high', body.high),
    lowPrice: f.decimal('low', body.low),
    volume: f.decimal('quantity', body.quantity),
    quoteVolume: f.decimal('volume', body.volume),
    timeMs: f.time('sendTime', push.sendTime ?? push.createTime),
  });
}

/** A private deal (fill). */
export function mapDeal(push: PbPushWrapper): Mapped<DealUpdate> {
  const body = push.privateDeals;
  if (!body) return { ok: false, problem: 'no deal body' };
  const dealSide = side(body.tradeType);
  if (!dealSide) return { ok: false, problem: `unknown tradeType ${body.tradeType}` };
  const f = new Fields();
  return f.result({
    symbol: f.text('symbol', push.symbol),
    tradeId: f.text('tradeId', body.tradeId),
    orderId: f.text('orderId', body.orderId),
    clientOrderId: body.clientOrderId || undefined,
    side: dealSide,
    price: f.decimal('price', body.price),
    quantity: f.decimal('quantity', body.quantity),
    quoteQuantity: f.decimal('amount', body.amount),
    commission: f.decimal('feeAmount', body.feeAmount ?? '0'),
    commissionAsset: f.text('feeCurrency', body.feeCurrency),
    isMaker: body.isMaker === true,
    timeMs: f.time('time', body.time),
  });
}

/** A private order change. Stop orders (type 100) map to a problem: the bot never places them. */
export function mapOrder(push: PbPushWrapper): Mapped<OrderUpdate> {
  const body = push.privateOrders;
  if (!body) return { ok: false, problem: 'no order body' };
  const orderSide = side(body.tradeType);
  const type = ORDER_TYPE[body.orderType];
  const status = ORDER_STATUS[body.status];
  if (!orderSide) return { ok: false, problem: `unknown tradeType ${body.tradeType}` };
  if (!type) return { ok: false, problem: `unknown orderType ${body.orderType}` };
  if (!status) return { ok: false, problem: `unknown status ${body.status}` };
  const f = new Fields();
  return f.result({
    symbol: f.text('symbol', push.symbol),
    orderId: f.text('id', body.id),
    clientOrderId: body.clientId || undefined,
    side: orderSide,
    type,
    status,
    // Proto3 leaves zero values out: a MARKET order has no price, a new order no fills.
    price: f.decimal('price', body.price ?? '0'),
    quantity: f.decimal('quantity', body.quantity ?? '0'),
    executedQuantity: f.decimal('cumulativeQuantity', body.cumulativeQuantity ?? '0'),
    cumulativeQuote: f.decimal('cumulativeAmount', body.cumulativeAmount ?? '0'),
    timeMs: f.time('sendTime', push.sendTime ?? body.createTime),
  });
}

/** A private balance change. */
export function mapBalance(push: PbPushWrapper): Mapped<BalanceUpdate> {
  const body = push.privateAccount;
  if (!body) return { ok: false, problem: 'no account body' };
  const f = new Fields();
  return f.result({
    asset: f.text('vcoinName', body.vcoinName),
    free: f.decimal('balanceAmount', body.balanceAmount ?? '0'),
    locked: f.decimal('frozenAmount', body.frozenAmount ?? '0'),
    timeMs: f.time('time', body.time),
  });
}
