/**
 * Follows every non-final order by client id (after Hummingbot's
 * client_order_tracker): applies exchange updates, announces fills and cancellations once,
 * cancels orders past their TTL and re-places the remaining quantity at the new touch, announces
 * fills a crash left unannounced on orders already final, and handles orders the exchange does
 * not know:
 * - PENDING (persisted, maybe never sent, e.g. a crash before the send) not found beyond the grace
 *   period → REJECTED: it never reached the exchange. It is never re-sent.
 * - UNKNOWN/NEW/PARTIALLY_FILLED not found beyond the grace period → LOST with an alert; still checked.
 * A not-found within the grace period proves nothing (MEXC answers −2013 right after create).
 */
import type { BookTop } from '../domain/market.js';
import { ZERO } from '../domain/money.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import { remainingQty, type OrderRecord, type OrderRepository } from '../persistence/OrderRepository.js';
import type { Clock } from '../common/clock.js';
import type { KeyedLock } from '../common/KeyedLock.js';
import type { Logger } from '../common/logger.js';
import type { OrderIntent } from '../domain/intent.js';
import type { EventPublisher } from './EventPublisher.js';
import { orderView } from './FillAnnouncer.js';
import { queryOrder } from './queryOrder.js';
import { repricedPrice } from './repricePeg.js';
import type { ExecutionResult, OrderExecutor } from './OrderExecutor.js';

/** What one tracking pass found and did, for the job log. */
export interface TrackReport {
  readonly checked: number;
  readonly filled: number;
  readonly cancelled: number;
  readonly expired: number;
  readonly repriced: number;
  readonly lost: number;
  readonly rejected: number;
  readonly errors: number;
  /** Results of the re-placements, in order. */
  readonly reprices: readonly ExecutionResult[];
}

/** The exchange, repositories, executor and lock the tracker works through. */
export interface OrderTrackerOptions {
  readonly clock: Clock;
  readonly events: EventPublisher;
  readonly exchange: ExchangePort;
  readonly executor: OrderExecutor;
  readonly locks: KeyedLock;
  readonly logger: Logger;
  readonly orders: OrderRepository;
  /** Time since sending (or creation) before "not found" may mean anything. Default 60 s. */
  readonly notFoundGraceMs?: number;
  /** Consecutive not-found answers needed as well. Default 3. */
  readonly notFoundMinCount?: number;
}

type Counters = { -readonly [K in keyof Omit<TrackReport, 'reprices'>]: number };

function newCounters(): Counters {
  return { checked: 0, filled: 0, cancelled: 0, expired: 0, repriced: 0, lost: 0, rejected: 0, errors: 0 };
}

/** Moves every open order forward from the exchange's answers until it is final. */
export class OrderTracker {
  readonly #o: OrderTrackerOptions;

  constructor(options: OrderTrackerOptions) {
    this.#o = options;
  }

  /** The full sweep: every non-final order queried by client id, then unannounced fills, then re-pricing. */
  async track(): Promise<TrackReport> {
    const counters = newCounters();
    const toReprice: OrderRecord[] = [];
    for (const listed of this.#o.orders.listNonFinal()) {
      if (await this.#follow(listed, counters, toReprice)) counters.checked += 1;
    }
    // A final order is not tracked any more: if the process died after recording its fills and
    // before announcing them, only this sweep announces them (once: the mark commits with the event).
    for (const listed of this.#o.orders.listUnannounced()) {
      await this.#o.locks.withLock([listed.baseAsset], async () => {
        const order = this.#o.orders.get(listed.clientOrderId);
        if (order) await this.#o.executor.announcePending(order);
      });
    }
    const reprices = await this.#repriceAll(toReprice, counters);
    return { ...counters, reprices };
  }

  /**
   * The quick look between two full sweeps: one openOrders request per symbol with working
   * orders (weight 3, however many orders), and every order that left that list or filled more
   * is followed at once exactly as {@link track} follows it (expired ones re-placed too). Fills
   * of resting orders are so recorded and announced within seconds, at a cost that grows with
   * symbols, not orders.
   */
  async watch(): Promise<{
    readonly checked: number;
    readonly followed: number;
    readonly filled: number;
    readonly errors: number;
  }> {
    const { exchange, orders } = this.#o;
    const counters = newCounters();
    const toReprice: OrderRecord[] = [];
    const working = orders
      .listNonFinal()
      .filter(
        (o) => (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && o.exchangeOrderId !== undefined,
      );
    let followed = 0;
    for (const symbol of [...new Set(working.map((o) => o.symbol))]) {
      let open;
      try {
        open = new Map((await exchange.getOpenOrders([symbol])).map((o) => [o.clientOrderId, o]));
      } catch (error) {
        counters.errors += 1;
        this.#o.logger.warn({ err: error, symbol }, 'open orders unavailable; the next sweep follows them');
        continue;
      }
      for (const listed of working.filter((o) => o.symbol === symbol)) {
        counters.checked += 1;
        const seen = open.get(listed.clientOrderId);
        if (seen && !seen.executedQty.greaterThan(listed.executedQty)) continue;
        followed += 1;
        await this.#follow(listed, counters, toReprice);
      }
    }
    await this.#repriceAll(toReprice, counters);
    return { checked: counters.checked, followed, filled: counters.filled, errors: counters.errors };
  }

  /**
   * Follows one order now (a hint that it changed, e.g. a fill pushed by the user stream without
   * its order update), exactly as the sweep would: an expired one is re-placed.
   */
  async follow(clientOrderId: string): Promise<void> {
    const listed = this.#o.orders.get(clientOrderId);
    if (!listed || listed.finalAt !== undefined) return;
    const counters = newCounters();
    const toReprice: OrderRecord[] = [];
    await this.#follow(listed, counters, toReprice);
    await this.#repriceAll(toReprice, counters);
  }

  /**
   * Follows one listed order under its asset's lock, re-read first (another path may have
   * finished it meanwhile); an expired order to re-place is added to `toReprice`. Returns
   * whether the order was still non-final and so followed.
   */
  async #follow(listed: OrderRecord, counters: Counters, toReprice: OrderRecord[]): Promise<boolean> {
    return this.#o.locks.withLock([listed.baseAsset], async () => {
      const order = this.#o.orders.get(listed.clientOrderId);
      if (!order || order.finalAt !== undefined) return false;
      const expired = await this.#trackOne(order, counters);
      if (expired) toReprice.push(expired);
      return true;
    });
  }

  /** Re-places expired orders at the new touch, outside the tracking lock (execute() takes its own locks in order). */
  async #repriceAll(toReprice: readonly OrderRecord[], counters: Counters): Promise<ExecutionResult[]> {
    const reprices: ExecutionResult[] = [];
    if (toReprice.length === 0) return reprices;
    let tops: ReadonlyMap<string, BookTop> | undefined;
    try {
      tops = await this.#o.exchange.getBookTops();
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'book tops unavailable; expired orders not re-placed this time');
    }
    for (const old of toReprice) {
      const top = tops?.get(old.symbol);
      if (!top) continue;
      const result = await this.#reprice(old, top);
      reprices.push(result);
      if (result.status === 'placed') counters.repriced += 1;
    }
    return reprices;
  }

  /** Returns the order when it expired and should be re-placed. */
  async #trackOne(order: OrderRecord, counters: Counters): Promise<OrderRecord | undefined> {
    const { clock, exchange, executor, orders } = this.#o;
    let state;
    try {
      state = await queryOrder(exchange, { symbol: order.symbol, clientOrderId: order.clientOrderId });
    } catch (error) {
      counters.errors += 1;
      this.#o.logger.warn({ err: error, clientOrderId: order.clientOrderId }, 'order query failed');
      return undefined;
    }
    if (!state) {
      this.#notFound(order, counters);
      return undefined;
    }
    let after = await executor.applyExchangeState(order, state, 'cancelled on the exchange');
    if (after.executedQty.greaterThan(order.executedQty)) counters.filled += 1;
    if (after.finalAt !== undefined) {
      if (after.status === 'CANCELED' || after.status === 'PARTIALLY_CANCELED') counters.cancelled += 1;
      return undefined;
    }
    const open = after.status === 'NEW' || after.status === 'PARTIALLY_FILLED';
    if (!open || after.expiresAt === undefined || after.expiresAt > clock.now()) return undefined;
    const result = await executor.cancelLocked(
      after.clientOrderId,
      `not filled within ${formatMs(after.ttlMs)}`,
    );
    if (result.status !== 'cancelled') return undefined;
    counters.expired += 1;
    counters.cancelled += 1;
    after = result.order;
    if (!after.repriceOnExpiry || remainingQty(after).lessThanOrEqualTo(ZERO)) return undefined;
    return orders.get(after.clientOrderId);
  }

  #notFound(order: OrderRecord, counters: Counters): void {
    const { clock, events, orders } = this.#o;
    const now = clock.now();
    const counted = orders.recordNotFound(order.clientOrderId, now);
    const since = counted.sentAt ?? counted.createdAt;
    const graceOver =
      now - since >= (this.#o.notFoundGraceMs ?? 60_000) &&
      counted.notFoundCount >= (this.#o.notFoundMinCount ?? 3);
    if (!graceOver) return;
    if (counted.status === 'PENDING') {
      orders.markRejected(order.clientOrderId, 'never reached the exchange (not found by client id)', now);
      counters.rejected += 1;
      events.audit({
        type: 'order.rejected',
        severity: 'warning',
        origin: order.origin,
        symbol: order.symbol,
        message: `${order.clientOrderId} was recorded but never reached the exchange; not re-sent`,
      });
      return;
    }
    if (counted.status === 'LOST') return; // already reported; keep checking quietly
    const lost = orders.markLost(order.clientOrderId, `not found ${counted.notFoundCount} times`, now);
    counters.lost += 1;
    events.publish({
      type: 'alert',
      severity: 'warning',
      key: `order-lost:${order.clientOrderId}`,
      message:
        `order ${order.clientOrderId} (${order.side} ${order.quantity.toFixed()} ${order.symbol}) is not found ` +
        `on the exchange after ${counted.notFoundCount} checks; marked lost and still checked`,
    });
    events.publish({ type: 'order.unknown', order: orderView(lost), why: 'not found on the exchange' });
  }

  async #reprice(old: OrderRecord, top: BookTop): Promise<ExecutionResult> {
    const price = repricedPrice({ ref: old.pegRef, ratio: old.pegRatio }, old.side, top);
    const intent: OrderIntent = {
      kind: 'order',
      origin: old.origin,
      symbol: old.symbol,
      side: old.side,
      type: old.type,
      price,
      quantity: remainingQty(old),
      reason: old.reason.endsWith('(re-priced)') ? old.reason : `${old.reason} (re-priced)`,
      ttlMs: old.ttlMs,
      repriceOnExpiry: true,
      minSellPrice: old.minSellPrice,
      allowLoss: old.allowLoss,
    };
    return this.#o.executor.execute(intent, { bookTop: top, replaces: old.clientOrderId });
  }
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return 'its time limit';
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
