/**
 * Announces fill progress of the bot's orders as `order.filled` events, exactly once per executed
 * quantity: the order row remembers how much was already announced (`reported_qty`), so repeated
 * tracking, a restart or an update arriving through two paths never repeats a fill; the mark
 * commits together with the announcement, so a crash never drops one either.
 */
import type { Fill, SymbolRules } from '../domain/market.js';
import { type Decimal, sumDec, ZERO } from '../domain/money.js';
import type { OrderView } from '../domain/events.js';
import type { OrderRecord, OrderRepository } from '../persistence/OrderRepository.js';
import type { Logger } from '../common/logger.js';
import type { EventPublisher } from './EventPublisher.js';

/** Fills of one order as recorded or fetched (fees live only in fills: query-order has none). */
export type OrderFillsLookup = (order: OrderRecord) => Promise<readonly Fill[]>;

/** A newly executed part of an order, for computing the realised PnL its notification shows. */
export interface RealisedPnlInput {
  readonly order: OrderRecord;
  /** Quantity of this announcement (the newly executed part). */
  readonly qty: Decimal;
  readonly avgPrice: Decimal;
  readonly quoteQty: Decimal;
  readonly fee: Decimal;
  readonly feeAsset: string;
}

/** Realised PnL of a sell and the asset it is in (the position's cost asset). */
export interface RealisedPnlOfSell {
  readonly pnl: Decimal;
  readonly asset: string;
}

/** Realised PnL of a sell, from the portfolio service (over the recorded fills). */
export type RealisedPnlFn = (input: RealisedPnlInput) => RealisedPnlOfSell | undefined;

/** Free quote above open buys and the reserve, after a fill; undefined when it cannot be read. */
export type HeadroomAfterFn = (quoteAsset: string) => Promise<Decimal | undefined>;

/** The event view of an order row. */
export function orderView(order: OrderRecord): OrderView {
  return {
    clientOrderId: order.clientOrderId,
    origin: order.origin,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    price: order.price,
    quantity: order.quantity,
    reason: order.reason,
  };
}

/**
 * Publishes each newly executed quantity of the bot's orders once, with its realised PnL and the headroom
 * left.
 */
export class FillAnnouncer {
  readonly #events: EventPublisher;
  readonly #fillsOf?: OrderFillsLookup;
  readonly #headroomAfter: HeadroomAfterFn;
  readonly #logger: Logger;
  readonly #orders: OrderRepository;
  readonly #realisedPnl?: RealisedPnlFn;

  constructor(options: {
    readonly events: EventPublisher;
    readonly fillsOf?: OrderFillsLookup;
    readonly headroomAfter: HeadroomAfterFn;
    readonly logger: Logger;
    readonly orders: OrderRepository;
    readonly realisedPnl?: RealisedPnlFn;
  }) {
    this.#events = options.events;
    this.#fillsOf = options.fillsOf;
    this.#headroomAfter = options.headroomAfter;
    this.#logger = options.logger;
    this.#orders = options.orders;
    this.#realisedPnl = options.realisedPnl;
  }

  /** Announces whatever part of `order`'s executed quantity has not been announced yet. */
  async announce(order: OrderRecord, rules: SymbolRules | undefined): Promise<boolean> {
    const qty = order.executedQty.minus(order.reportedQty);
    if (qty.lessThanOrEqualTo(ZERO)) return false;
    const quoteQty = order.cummQuoteQty.minus(order.reportedQuote);
    const avgPrice = quoteQty.greaterThan(ZERO) ? quoteQty.div(qty) : (order.price ?? ZERO);
    const { fee, feeAsset } = await this.#fee(order, qty, quoteQty, rules);
    const realised =
      order.side === 'SELL'
        ? this.#realisedPnl?.({ order, qty, avgPrice, quoteQty, fee, feeAsset })
        : undefined;
    let headroomAfter: Decimal | undefined;
    try {
      headroomAfter = await this.#headroomAfter(order.quoteAsset);
    } catch (error) {
      this.#logger.warn({ err: error, symbol: order.symbol }, 'headroom after fill unavailable');
    }
    // Re-read: another path may have announced while this one awaited.
    const fresh = this.#orders.get(order.clientOrderId);
    if (!fresh || !fresh.reportedQty.equals(order.reportedQty)) return false;
    // Mark and publish with no await between (a fill is announced once) and in one transaction
    // with the event row and the outbox row the notifier writes synchronously: a crash between
    // the two can no longer leave a fill marked announced that was never announced.
    this.#orders.transaction(() => {
      this.#orders.markReported(order.clientOrderId, order.executedQty, order.cummQuoteQty);
      this.#events.publish({
        type: 'order.filled',
        order: orderView(order),
        qty,
        avgPrice,
        quoteQty,
        fee,
        feeAsset,
        ...(realised ? { realisedPnl: realised.pnl, realisedPnlAsset: realised.asset } : {}),
        headroomAfter,
        partial: order.status !== 'FILLED',
      });
    });
    return true;
  }

  async #fee(
    order: OrderRecord,
    qty: Decimal,
    quoteQty: Decimal,
    rules: SymbolRules | undefined,
  ): Promise<{ fee: Decimal; feeAsset: string }> {
    if (this.#fillsOf) {
      try {
        const fills = (await this.#fillsOf(order)).filter(
          (f) =>
            f.symbol === order.symbol &&
            (f.clientOrderId === order.clientOrderId ||
              (order.exchangeOrderId !== undefined && f.orderId === order.exchangeOrderId)),
        );
        const first = fills[0];
        if (first) {
          const sameAsset = fills.filter((f) => f.commissionAsset === first.commissionAsset);
          const filledQty = sumDec(fills.map((f) => f.qty));
          const total = sumDec(sameAsset.map((f) => f.commission));
          // Pro rata when this announcement covers only part of the order's fills.
          const fee = filledQty.greaterThan(qty) ? total.times(qty).div(filledQty) : total;
          return { fee, feeAsset: first.commissionAsset };
        }
      } catch (error) {
        this.#logger.warn({ err: error, clientOrderId: order.clientOrderId }, 'fills of order unavailable');
      }
    }
    // No fills yet: estimate from the published rate (maker for post-only orders), in the quote asset.
    const rate = rules ? (order.type === 'LIMIT_MAKER' ? rules.makerFee : rules.takerFee) : ZERO;
    return { fee: quoteQty.times(rate), feeAsset: order.quoteAsset };
  }
}
