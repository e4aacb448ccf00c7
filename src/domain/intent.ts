/**
 * What strategies ask the executor to do (intents), and the order and fill facts they decide from.
 * Shared by the strategies that produce intents, the executor that carries them out and the storage
 * that records them, so it sits below all three.
 */
import type { OrderSide, OrderType } from './market.js';
import type { Decimal } from './money.js';
import type { OrderOrigin } from './strategy.js';

/** An order the bot placed and has not seen finish, as the snapshot shows it. */
export interface OpenBotOrder {
  readonly clientOrderId: string;
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly executedQty: Decimal;
  readonly createdAt: number;
}

/** A recorded fill with the strategy that caused it (undefined for foreign or pre-bot fills). */
export interface AttributedFill {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly quoteQty: Decimal;
  readonly time: number;
  readonly origin?: OrderOrigin;
}

/** A request to place an order. Prices and quantities are unrounded; the executor rounds with the rules. */
export interface OrderIntent {
  readonly kind: 'order';
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price: Decimal;
  /** Base quantity. Exactly one of quantity and quoteAmount is set. */
  readonly quantity?: Decimal;
  /** Quote amount to spend (buys) or receive (sells) at `price`. */
  readonly quoteAmount?: Decimal;
  /** Human reason, shown in confirmations and notifications: "ETH 2.1 % under target share; 24 h avg 3 120; bid 3 101". */
  readonly reason: string;
  /** Cancel (and, with `repriceOnExpiry`, re-place at the new touch) when still open after this long. */
  readonly ttlMs?: number;
  readonly repriceOnExpiry?: boolean;
  /**
   * For sells: the lowest acceptable price (average cost plus both fees). The executor refuses a
   * sell below it unless `allowLoss` is set.
   */
  readonly minSellPrice?: Decimal;
  /** Set only for an owner-enabled stop-loss or a manual sell confirmed in chat. */
  readonly allowLoss?: boolean;
}

/** A request to cancel one of the bot's own open orders. */
export interface CancelIntent {
  readonly kind: 'cancel';
  readonly origin: OrderOrigin;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly reason: string;
}

/** Anything a strategy may ask the executor for. */
export type Intent = OrderIntent | CancelIntent;
