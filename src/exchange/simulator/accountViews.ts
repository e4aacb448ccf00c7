/**
 * Orders, fills and balances in MEXC's wire shapes. Internal.
 */
import { toWire } from '../../domain/money.js';
import type { Account, SimOrder, SimTrade } from './Account.js';

/** Query-order shape (GET/DELETE /api/v3/order, openOrders, allOrders). */
export function orderWire(order: SimOrder): Record<string, unknown> {
  const { spec } = order;
  return {
    symbol: spec.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: order.price ? order.price.toFixed(spec.pricePrecision) : '0',
    origQty: order.origQty.toFixed(spec.qtyPrecision),
    executedQty: order.executedQty.toFixed(spec.qtyPrecision),
    cummulativeQuoteQty: toWire(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: null,
    type: order.type,
    side: order.side,
    stopPrice: null,
    icebergQty: null,
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    origQuoteOrderQty: toWire(order.origQuoteOrderQty),
  };
}

/** myTrades shape. */
export function tradeWire(trade: SimTrade): Record<string, unknown> {
  const { spec } = trade;
  return {
    symbol: trade.symbol,
    id: trade.id,
    orderId: trade.orderId,
    orderListId: -1,
    price: trade.price.toFixed(spec.pricePrecision),
    qty: trade.qty.toFixed(spec.qtyPrecision),
    quoteQty: toWire(trade.quoteQty),
    commission: toWire(trade.commission),
    commissionAsset: trade.commissionAsset,
    time: trade.time,
    isBuyer: trade.isBuyer,
    isMaker: trade.isMaker,
    isBestMatch: true,
    isSelfTrade: false,
    clientOrderId: trade.clientOrderId,
  };
}

/** GET /api/v3/account. Zero balances are left out (UNCONFIRMED whether MEXC lists them). */
export function accountWire(account: Account, updateTime: number | null): Record<string, unknown> {
  return {
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    updateTime,
    accountType: 'SPOT',
    balances: account
      .balances()
      .map((b) => ({ asset: b.asset, free: toWire(b.free), locked: toWire(b.locked) })),
    permissions: ['SPOT'],
  };
}
