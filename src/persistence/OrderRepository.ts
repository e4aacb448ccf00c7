/**
 * The bot's own orders, tracked by client order id (docs/safety-rules.md): written PENDING before they are
 * sent, then moved forward only by exchange updates or by the executor's outcome marks. Prices and quantities
 * are TEXT decimals.
 *
 * Lifecycle: PENDING → NEW → PARTIALLY_FILLED → FILLED | CANCELED | PARTIALLY_CANCELED; a send with
 * no clear answer is UNKNOWN; an order the exchange refused (or that provably never reached it) is
 * REJECTED; one the exchange keeps not finding is LOST (still checked). Final statuses never change,
 * except that an exchange report always wins over the bot's own REJECTED guess.
 */
import type { ExchangeOrder, OrderSide, OrderType } from '../domain/market.js';
import { dec, type Decimal, toWire, ZERO } from '../domain/money.js';
import type { OrderOrigin } from '../domain/strategy.js';
import type { Db } from './db.js';

/** Every state an order of the bot can be in, the bot's own ones included. */
export const ORDER_STATUSES = [
  'PENDING',
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'PARTIALLY_CANCELED',
  'UNKNOWN',
  'REJECTED',
  'LOST',
] as const;
/** One state of an order of the bot. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses that end an order: nothing will change on the exchange any more. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'FILLED',
  'CANCELED',
  'PARTIALLY_CANCELED',
  'REJECTED',
]);

/** Statuses whose buy orders may still lock quote funds (counted against the reserve). */
/** Statuses of an order that may still trade: /orders lists them, /panic cancels them, buys reserve quote. */
export const OPEN_ORDER_STATUSES = [
  'PENDING',
  'NEW',
  'PARTIALLY_FILLED',
  'UNKNOWN',
] as const satisfies readonly OrderStatus[];

// Progress rank for forward-only updates; the bot's own uncertain states rank lowest.
const RANK: Record<OrderStatus, number> = {
  PENDING: 0,
  UNKNOWN: 0,
  LOST: 0,
  NEW: 1,
  PARTIALLY_FILLED: 2,
  FILLED: 3,
  CANCELED: 3,
  PARTIALLY_CANCELED: 3,
  REJECTED: 3,
};

/** One of the bot's orders as stored: what was asked, what the exchange says, and how much was announced. */
export interface OrderRecord {
  readonly id: number;
  readonly clientOrderId: string;
  readonly exchangeOrderId?: string;
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price?: Decimal;
  readonly quantity: Decimal;
  readonly status: OrderStatus;
  readonly executedQty: Decimal;
  readonly cummQuoteQty: Decimal;
  readonly reason: string;
  readonly error?: string;
  readonly expiresAt?: number;
  readonly ttlMs?: number;
  readonly repriceOnExpiry: boolean;
  readonly minSellPrice?: Decimal;
  readonly allowLoss: boolean;
  readonly pegRef?: 'bid' | 'ask';
  readonly pegRatio?: Decimal;
  readonly replaces?: string;
  /** Executed quantity already announced in `order.filled` events. */
  readonly reportedQty: Decimal;
  /** Quote quantity of the announced part. */
  readonly reportedQuote: Decimal;
  readonly notFoundCount: number;
  readonly firstNotFoundAt?: number;
  readonly createdAt: number;
  readonly sentAt?: number;
  readonly updatedAt: number;
  readonly finalAt?: number;
}

/** What the executor knows before sending. */
export interface NewOrder {
  readonly clientOrderId: string;
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price?: Decimal;
  readonly quantity: Decimal;
  readonly reason: string;
  readonly ttlMs?: number;
  readonly repriceOnExpiry?: boolean;
  readonly minSellPrice?: Decimal;
  readonly allowLoss?: boolean;
  readonly pegRef?: 'bid' | 'ask';
  readonly pegRatio?: Decimal;
  readonly replaces?: string;
  readonly createdAt: number;
}

/** Whether an exchange update changed the stored order, with the row before and after. */
export interface ApplyResult {
  /** Whether the stored row changed. */
  readonly changed: boolean;
  readonly before: OrderRecord;
  readonly after: OrderRecord;
}

interface Row {
  id: number;
  client_order_id: string;
  exchange_order_id: string | null;
  origin: string;
  symbol: string;
  base_asset: string;
  quote_asset: string;
  side: string;
  type: string;
  price: string | null;
  quantity: string;
  status: string;
  executed_qty: string;
  cumm_quote_qty: string;
  reason: string;
  error: string | null;
  expires_at: number | null;
  ttl_ms: number | null;
  reprice_on_expiry: number;
  min_sell_price: string | null;
  allow_loss: number;
  peg_ref: string | null;
  peg_ratio: string | null;
  replaces: string | null;
  reported_qty: string;
  reported_quote: string;
  not_found_count: number;
  first_not_found_at: number | null;
  created_at: number;
  sent_at: number | null;
  updated_at: number;
  final_at: number | null;
}

function toRecord(r: Row): OrderRecord {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    exchangeOrderId: r.exchange_order_id ?? undefined,
    origin: r.origin as OrderOrigin,
    symbol: r.symbol,
    baseAsset: r.base_asset,
    quoteAsset: r.quote_asset,
    side: r.side as OrderSide,
    type: r.type as OrderType,
    price: r.price === null ? undefined : dec(r.price),
    quantity: dec(r.quantity),
    status: r.status as OrderStatus,
    executedQty: dec(r.executed_qty),
    cummQuoteQty: dec(r.cumm_quote_qty),
    reason: r.reason,
    error: r.error ?? undefined,
    expiresAt: r.expires_at ?? undefined,
    ttlMs: r.ttl_ms ?? undefined,
    repriceOnExpiry: r.reprice_on_expiry === 1,
    minSellPrice: r.min_sell_price === null ? undefined : dec(r.min_sell_price),
    allowLoss: r.allow_loss === 1,
    pegRef: r.peg_ref === 'bid' || r.peg_ref === 'ask' ? r.peg_ref : undefined,
    pegRatio: r.peg_ratio === null ? undefined : dec(r.peg_ratio),
    replaces: r.replaces ?? undefined,
    reportedQty: dec(r.reported_qty),
    reportedQuote: dec(r.reported_quote),
    notFoundCount: r.not_found_count,
    firstNotFoundAt: r.first_not_found_at ?? undefined,
    createdAt: r.created_at,
    sentAt: r.sent_at ?? undefined,
    updatedAt: r.updated_at,
    finalAt: r.final_at ?? undefined,
  };
}

/** Whether an order in this state can no longer change. */
export function isFinalStatus(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.has(status);
}

/** Quantity still to fill. */
export function remainingQty(order: OrderRecord): Decimal {
  const left = order.quantity.minus(order.executedQty);
  return left.isNegative() ? ZERO : left;
}

/** Repository over `orders`. Synchronous (better-sqlite3); every method is one statement or transaction. */
export class OrderRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Records an order before it is sent. Throws if the client id already exists. */
  createPending(order: NewOrder): OrderRecord {
    this.#db
      .prepare(
        `INSERT INTO orders (client_order_id, origin, symbol, base_asset, quote_asset, side, type, price,
           quantity, status, reason, expires_at, ttl_ms, reprice_on_expiry, min_sell_price, allow_loss,
           peg_ref, peg_ratio, replaces, created_at, updated_at)
         VALUES (@cid, @origin, @symbol, @base, @quote, @side, @type, @price, @quantity, 'PENDING', @reason,
           @expiresAt, @ttlMs, @reprice, @minSell, @allowLoss, @pegRef, @pegRatio, @replaces, @at, @at)`,
      )
      .run({
        cid: order.clientOrderId,
        origin: order.origin,
        symbol: order.symbol,
        base: order.baseAsset,
        quote: order.quoteAsset,
        side: order.side,
        type: order.type,
        price: order.price ? toWire(order.price) : null,
        quantity: toWire(order.quantity),
        reason: order.reason,
        // The TTL clock starts at creation; a re-price resets it with the new order.
        expiresAt: order.ttlMs !== undefined ? order.createdAt + order.ttlMs : null,
        ttlMs: order.ttlMs ?? null,
        reprice: order.repriceOnExpiry ? 1 : 0,
        minSell: order.minSellPrice ? toWire(order.minSellPrice) : null,
        allowLoss: order.allowLoss ? 1 : 0,
        pegRef: order.pegRef ?? null,
        pegRatio: order.pegRatio ? toWire(order.pegRatio) : null,
        replaces: order.replaces ?? null,
        at: order.createdAt,
      });
    return this.get(order.clientOrderId)!;
  }

  get(clientOrderId: string): OrderRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM orders WHERE client_order_id = ?').get(clientOrderId) as
      Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Whether the bot ever recorded this client order id. */
  has(clientOrderId: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM orders WHERE client_order_id = ?').get(clientOrderId) !== undefined
    );
  }

  /** The exchange acknowledged the order: NEW with its exchange id (only from PENDING or UNKNOWN). */
  markSent(clientOrderId: string, exchangeOrderId: string, at: number): OrderRecord {
    this.#db
      .prepare(
        `UPDATE orders SET exchange_order_id = @eid, sent_at = COALESCE(sent_at, @at), updated_at = @at,
           status = CASE WHEN status IN ('PENDING', 'UNKNOWN', 'LOST') THEN 'NEW' ELSE status END,
           not_found_count = 0, first_not_found_at = NULL
         WHERE client_order_id = @cid`,
      )
      .run({ cid: clientOrderId, eid: exchangeOrderId, at });
    return this.#require(clientOrderId);
  }

  /** The send may or may not have reached the exchange: resolve by client id, never re-send. */
  markUnknown(clientOrderId: string, error: string, at: number): OrderRecord {
    this.#db
      .prepare(
        `UPDATE orders SET status = 'UNKNOWN', error = @error, sent_at = COALESCE(sent_at, @at), updated_at = @at
         WHERE client_order_id = @cid AND status IN ('PENDING', 'UNKNOWN')`,
      )
      .run({ cid: clientOrderId, error, at });
    return this.#require(clientOrderId);
  }

  /** The exchange refused the order, or it provably never reached it. Final. */
  markRejected(clientOrderId: string, error: string, at: number): OrderRecord {
    this.#db
      .prepare(
        `UPDATE orders SET status = 'REJECTED', error = @error, updated_at = @at, final_at = @at
         WHERE client_order_id = @cid AND final_at IS NULL AND executed_qty = '0'`,
      )
      .run({ cid: clientOrderId, error, at });
    return this.#require(clientOrderId);
  }

  /** Not found repeatedly beyond the grace period: reported, and still checked. */
  markLost(clientOrderId: string, error: string, at: number): OrderRecord {
    this.#db
      .prepare(
        `UPDATE orders SET status = 'LOST', error = @error, updated_at = @at
         WHERE client_order_id = @cid AND final_at IS NULL`,
      )
      .run({ cid: clientOrderId, error, at });
    return this.#require(clientOrderId);
  }

  /** Counts one "order does not exist" answer. */
  recordNotFound(clientOrderId: string, at: number): OrderRecord {
    this.#db
      .prepare(
        `UPDATE orders SET not_found_count = not_found_count + 1,
           first_not_found_at = COALESCE(first_not_found_at, @at), last_checked_at = @at
         WHERE client_order_id = @cid`,
      )
      .run({ cid: clientOrderId, at });
    return this.#require(clientOrderId);
  }

  /**
   * Applies the exchange's view of the order. Only forward: the status rank never decreases and
   * executed quantities never shrink; a final row changes only from the bot's own REJECTED/LOST
   * guess (the exchange's word wins over it).
   */
  applyUpdate(clientOrderId: string, update: ExchangeOrder, at: number): ApplyResult {
    return this.#db.transaction((): ApplyResult => {
      const before = this.#require(clientOrderId);
      const status = update.status as OrderStatus;
      const rejectedUnfilled = before.status === 'REJECTED' && before.executedQty.isZero();
      if (before.finalAt !== undefined && !rejectedUnfilled) return { changed: false, before, after: before };
      const forward = RANK[status] > RANK[before.status] || rejectedUnfilled;
      const moreFilled = update.executedQty.greaterThan(before.executedQty);
      if (!forward && !moreFilled) {
        this.#touch(clientOrderId, at);
        return { changed: false, before, after: this.#require(clientOrderId) };
      }
      const executed = moreFilled ? update.executedQty : before.executedQty;
      const cumm = moreFilled ? update.cummulativeQuoteQty : before.cummQuoteQty;
      const nextStatus = forward ? status : before.status;
      this.#db
        .prepare(
          `UPDATE orders SET status = @status, exchange_order_id = COALESCE(exchange_order_id, @eid),
             executed_qty = @executed, cumm_quote_qty = @cumm, updated_at = @at, last_checked_at = @at,
             sent_at = COALESCE(sent_at, @at), not_found_count = 0, first_not_found_at = NULL,
             final_at = CASE WHEN @final = 1 THEN @at ELSE NULL END,
             error = CASE WHEN status = 'REJECTED' THEN NULL ELSE error END
           WHERE client_order_id = @cid`,
        )
        .run({
          cid: clientOrderId,
          status: nextStatus,
          eid: update.orderId,
          executed: toWire(executed),
          cumm: toWire(cumm),
          at,
          final: isFinalStatus(nextStatus) ? 1 : 0,
        });
      return { changed: true, before, after: this.#require(clientOrderId) };
    })();
  }

  /**
   * Runs `fn` in one SQLite transaction on this repository's connection (a nested call becomes a
   * savepoint), so a row change and the event that reports it commit together or not at all.
   */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  /** Marks the executed quantity (and its quote quantity) up to these totals as announced. */
  markReported(clientOrderId: string, qty: Decimal, quote: Decimal): void {
    this.#db
      .prepare('UPDATE orders SET reported_qty = ?, reported_quote = ? WHERE client_order_id = ?')
      .run(toWire(qty), toWire(quote), clientOrderId);
  }

  /** Every order, oldest first (a replay's complete order list; its database holds one run). */
  listAll(): OrderRecord[] {
    return (this.#db.prepare('SELECT * FROM orders ORDER BY id').all() as Row[]).map(toRecord);
  }

  /** Every order the exchange may still change (PENDING, NEW, PARTIALLY_FILLED, UNKNOWN, LOST), oldest first. */
  listNonFinal(): OrderRecord[] {
    // The partial index holds only the open orders; SQLite would otherwise read every order ever
    // placed to spare itself sorting the few open ones.
    return (
      this.#db
        .prepare('SELECT * FROM orders INDEXED BY orders_open WHERE final_at IS NULL ORDER BY id')
        .all() as Row[]
    ).map(toRecord);
  }

  /**
   * Final orders with executed quantity never announced: the process died between recording the
   * exchange's final state and announcing the fill (announcement and mark commit together).
   */
  listUnannounced(): OrderRecord[] {
    return (
      this.#db
        .prepare(
          `SELECT * FROM orders INDEXED BY orders_unannounced
           WHERE final_at IS NOT NULL AND reported_qty <> executed_qty ORDER BY id`,
        )
        .all() as Row[]
    )
      .map(toRecord)
      .filter((o) => o.executedQty.greaterThan(o.reportedQty));
  }

  /** Non-final orders, optionally of one origin and/or symbol. */
  listOpen(filter: { readonly origin?: OrderOrigin; readonly symbol?: string } = {}): OrderRecord[] {
    return this.listNonFinal().filter(
      (o) =>
        (filter.origin === undefined || o.origin === filter.origin) &&
        (filter.symbol === undefined || o.symbol === filter.symbol),
    );
  }

  /**
   * Remaining notional (remaining quantity × limit price) of the bot's buy orders that may still
   * lock funds, per quote asset. LOST orders are left out: the exchange has repeatedly said
   * they do not exist, and counting them forever would starve every strategy.
   */
  openBuyNotionalByQuote(): Map<string, Decimal> {
    const totals = new Map<string, Decimal>();
    const placeholders = OPEN_ORDER_STATUSES.map(() => '?').join(', ');
    const rows = this.#db
      .prepare(`SELECT * FROM orders WHERE final_at IS NULL AND side = 'BUY' AND status IN (${placeholders})`)
      .all(...OPEN_ORDER_STATUSES) as Row[];
    for (const order of rows.map(toRecord)) {
      if (!order.price) continue;
      const notional = remainingQty(order).times(order.price);
      totals.set(order.quoteAsset, (totals.get(order.quoteAsset) ?? ZERO).plus(notional));
    }
    return totals;
  }

  /** Orders that reached a final state at or after `since` (local ms), oldest first. */
  listFinalSince(since: number): OrderRecord[] {
    return (
      this.#db
        .prepare('SELECT * FROM orders WHERE final_at IS NOT NULL AND final_at >= ? ORDER BY final_at')
        .all(since) as Row[]
    ).map(toRecord);
  }

  /** Distinct symbols the bot ordered on since `since`. */
  symbolsSince(since: number): string[] {
    return (
      this.#db
        .prepare('SELECT DISTINCT symbol FROM orders WHERE created_at >= ? ORDER BY symbol')
        .all(since) as {
        symbol: string;
      }[]
    ).map((r) => r.symbol);
  }

  #touch(clientOrderId: string, at: number): void {
    this.#db
      .prepare(
        'UPDATE orders SET last_checked_at = ?, not_found_count = 0, first_not_found_at = NULL WHERE client_order_id = ?',
      )
      .run(at, clientOrderId);
  }

  #require(clientOrderId: string): OrderRecord {
    const order = this.get(clientOrderId);
    if (!order) throw new Error(`order ${clientOrderId} is not recorded`);
    return order;
  }
}
