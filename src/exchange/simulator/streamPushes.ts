/**
 * The simulator's WebSocket pushes in MEXC's protobuf shapes: book tickers, klines and mini tickers from the
 * market, deals, order changes and balances from the account. Internal to the simulator.
 */
import type { KlineInterval } from '../../domain/market.js';
import { type Decimal, toWire, ZERO } from '../../domain/money.js';
import {
  bookTickerChannel,
  klineChannel,
  miniTickerChannel,
  PRIVATE_CHANNELS,
  streamInterval,
} from '../mexc/stream/mexcChannels.js';
import type { PbPushWrapper } from '../mexc/stream/mexcProto.js';
import { ORDER_STATUS_CODE, ORDER_TYPE_CODE, SIDE_CODE } from '../mexc/stream/mexcStreamMapper.js';
import type { SimOrder, SimTrade } from './Account.js';
import { queryKlines } from './klines.js';
import type { Market, SymbolRuntime } from './Market.js';
import { bookTickerWire, ticker24hWire } from './marketViews.js';

/** One symbol's book top as pushed on the aggregated book-ticker channel. */
export function bookTickerPush(market: Market, rt: SymbolRuntime, now: number): PbPushWrapper {
  const wire = bookTickerWire(market, rt, now) as Record<
    'bidPrice' | 'bidQty' | 'askPrice' | 'askQty',
    string
  >;
  return {
    channel: bookTickerChannel(rt.spec.symbol),
    symbol: rt.spec.symbol,
    sendTime: now,
    publicAggreBookTicker: {
      bidPrice: wire.bidPrice,
      bidQuantity: wire.bidQty,
      askPrice: wire.askPrice,
      askQuantity: wire.askQty,
    },
  };
}

/** One symbol's rolling 24 h summary, from the same figures as its REST 24 h ticker. */
export function miniTickerPush(market: Market, rt: SymbolRuntime, now: number): PbPushWrapper {
  const wire = ticker24hWire(market, rt, now) as Record<
    'lastPrice' | 'highPrice' | 'lowPrice' | 'volume' | 'quoteVolume' | 'priceChangePercent',
    string
  >;
  return {
    channel: miniTickerChannel(rt.spec.symbol),
    symbol: rt.spec.symbol,
    sendTime: now,
    publicMiniTicker: {
      symbol: rt.spec.symbol,
      price: wire.lastPrice,
      // The simulator has no time zones: its day change is the rolling one.
      rate: wire.priceChangePercent,
      zonedRate: wire.priceChangePercent,
      high: wire.highPrice,
      low: wire.lowPrice,
      // MEXC's names: `volume` is the quote turnover, `quantity` the base volume.
      volume: wire.quoteVolume,
      quantity: wire.volume,
    },
  };
}

/** The current candle of one symbol and width; undefined before the symbol's first candle. */
export function klinePush(
  market: Market,
  rt: SymbolRuntime,
  interval: KlineInterval,
  now: number,
): PbPushWrapper | undefined {
  const row = queryKlines(market, rt, { interval, limit: 1 }, now)[0];
  if (!row) return undefined;
  const [openTime, open, high, low, close, volume, closeTime, quoteVolume] = row;
  return {
    channel: klineChannel(rt.spec.symbol, interval),
    symbol: rt.spec.symbol,
    sendTime: now,
    publicSpotKline: {
      interval: streamInterval(interval),
      // MEXC sends the window in seconds.
      windowStart: Math.floor(openTime / 1000),
      windowEnd: Math.floor(closeTime / 1000),
      openingPrice: open,
      highestPrice: high,
      lowestPrice: low,
      closingPrice: close,
      volume,
      amount: quoteVolume,
    },
  };
}

/** A fill of the account. */
export function dealPush(trade: SimTrade, now: number): PbPushWrapper {
  return {
    channel: PRIVATE_CHANNELS.deals,
    symbol: trade.symbol,
    sendTime: now,
    privateDeals: {
      price: toWire(trade.price),
      quantity: toWire(trade.qty),
      amount: toWire(trade.quoteQty),
      tradeType: trade.isBuyer ? SIDE_CODE.BUY : SIDE_CODE.SELL,
      isMaker: trade.isMaker,
      isSelfTrade: false,
      tradeId: trade.id,
      clientOrderId: trade.clientOrderId ?? '',
      orderId: trade.orderId,
      feeAmount: toWire(trade.commission),
      feeCurrency: trade.commissionAsset,
      time: trade.time,
    },
  };
}

/** An order's current state. */
export function orderPush(order: SimOrder, now: number): PbPushWrapper {
  const price = order.price ?? ZERO;
  const remaining = order.origQty.minus(order.executedQty);
  const avg = order.executedQty.isZero() ? ZERO : order.cummulativeQuoteQty.div(order.executedQty);
  const amount: Decimal = order.price ? order.price.times(order.origQty) : order.origQuoteOrderQty;
  return {
    channel: PRIVATE_CHANNELS.orders,
    symbol: order.spec.symbol,
    sendTime: now,
    privateOrders: {
      id: order.orderId,
      clientId: order.clientOrderId ?? '',
      price: toWire(price),
      quantity: toWire(order.origQty),
      amount: toWire(amount),
      avgPrice: toWire(avg.toDecimalPlaces(order.spec.pricePrecision)),
      orderType: ORDER_TYPE_CODE[order.type],
      tradeType: SIDE_CODE[order.side],
      isMaker: order.type === 'LIMIT_MAKER',
      remainAmount: toWire(price.times(remaining)),
      remainQuantity: toWire(remaining),
      cumulativeQuantity: toWire(order.executedQty),
      cumulativeAmount: toWire(order.cummulativeQuoteQty),
      status: ORDER_STATUS_CODE[order.status],
      createTime: order.time,
    },
  };
}

/** One asset's balance after a change, with the change since the previous push of it. */
export function accountPush(change: {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
  readonly freeChange: Decimal;
  readonly lockedChange: Decimal;
  readonly time: number;
}): PbPushWrapper {
  return {
    channel: PRIVATE_CHANNELS.account,
    createTime: change.time,
    sendTime: change.time,
    privateAccount: {
      vcoinName: change.asset,
      coinId: change.asset,
      balanceAmount: toWire(change.free),
      balanceAmountChange: toWire(change.freeChange),
      frozenAmount: toWire(change.locked),
      frozenAmountChange: toWire(change.lockedChange),
      type: 'ENTRUST',
      time: change.time,
    },
  };
}
