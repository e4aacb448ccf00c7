/**
 * SQLite persistence of the paper exchange's private side: balances, orders and fills in the
 * `paper_*` tables. Every money value is a decimal string written with {@link toWire}, so the
 * paper account survives restarts exactly. Synchronous (better-sqlite3): callers group writes
 * in {@link PaperStore.transaction} so an order and the balance moves it causes commit together.
 *
 * Internal to the paper adapter; trading code talks to `PaperExchange` through `ExchangePort`.
 */
import type Database from 'better-sqlite3';
import type { Balance, ExchangeOrderStatus, Fill, OrderSide, OrderType } from '../../domain/market.js';
import { type Decimal, dec, toWire, ZERO } from '../../domain/money.js';
import type { Db } from '../../persistence/db.js';

/** An order as the paper exchange keeps it: the exchange view plus what settlement needs. */
export interface PaperOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Limit price; undefined for MARKET. */
  readonly price: Decimal | undefined;
  readonly origQty: Decimal;
  readonly executedQty: Decimal;
  readonly cummulativeQuoteQty: Decimal;
  readonly status: ExchangeOrderStatus;
  /** Maker fee rate the resting remainder is charged when it fills. */
  readonly makerFee: Decimal;
  /** Funds still held for the unfilled remainder (quote for a buy, base for a sell). */
  readonly locked: Decimal;
  readonly time: number;
  readonly updateTime: number;
}

interface OrderRow {
  order_id: string;
  client_order_id: string;
  symbol: string;
  base_asset: string;
  quote_asset: string;
  side: string;
  type: string;
  price: string | null;
  orig_qty: string;
  executed_qty: string;
  cumm_quote_qty: string;
  status: string;
  maker_fee: string;
  locked: string;
  time: number;
  update_time: number;
}

interface FillRow {
  trade_id: string;
  symbol: string;
  order_id: string;
  client_order_id: string | null;
  side: string;
  price: string;
  qty: string;
  quote_qty: string;
  commission: string;
  commission_asset: string;
  is_maker: number;
  time: number;
}

interface BalanceRow {
  asset: string;
  free: string;
  locked: string;
}

/** Statuses of orders that can still fill or be cancelled. */
export const OPEN_STATUSES: readonly ExchangeOrderStatus[] = ['NEW', 'PARTIALLY_FILLED'];

function orderFromRow(row: OrderRow): PaperOrder {
  return {
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    baseAsset: row.base_asset,
    quoteAsset: row.quote_asset,
    side: row.side as OrderSide,
    type: row.type as OrderType,
    price: row.price === null ? undefined : dec(row.price),
    origQty: dec(row.orig_qty),
    executedQty: dec(row.executed_qty),
    cummulativeQuoteQty: dec(row.cumm_quote_qty),
    status: row.status as ExchangeOrderStatus,
    makerFee: dec(row.maker_fee),
    locked: dec(row.locked),
    time: row.time,
    updateTime: row.update_time,
  };
}

function fillFromRow(row: FillRow): Fill {
  return {
    symbol: row.symbol,
    tradeId: row.trade_id,
    orderId: row.order_id,
    clientOrderId: row.client_order_id ?? undefined,
    side: row.side as OrderSide,
    price: dec(row.price),
    qty: dec(row.qty),
    quoteQty: dec(row.quote_qty),
    commission: dec(row.commission),
    commissionAsset: row.commission_asset,
    time: row.time,
    isMaker: row.is_maker === 1,
  };
}

/** Reads and writes the paper account's balances, orders and fills in SQLite. */
export class PaperStore {
  readonly #db: Db;
  readonly #stmt: {
    countBalances: Database.Statement<[], { n: number }>;
    getBalance: Database.Statement<[string], BalanceRow>;
    putBalance: Database.Statement<[string, string, string]>;
    allBalances: Database.Statement<[], BalanceRow>;
    orderByClientId: Database.Statement<[string], OrderRow>;
    openOrders: Database.Statement<[], OrderRow>;
    insertOrder: Database.Statement<[Record<string, unknown>]>;
    updateOrder: Database.Statement<[Record<string, unknown>]>;
    countOrders: Database.Statement<[], { n: number }>;
    countFills: Database.Statement<[], { n: number }>;
    insertFill: Database.Statement<[Record<string, unknown>]>;
    fills: Database.Statement<[string, number, number], FillRow>;
    fillsOfOrder: Database.Statement<[string], FillRow>;
  };

  /**
   * The balances and open orders as last read, decoded: the paper exchange asks for them several
   * times per strategy run and per replayed minute, while they change only when an order is
   * placed, matched or cancelled. Every write through this store drops them, and so does the end
   * of every transaction (a rollback undoes writes made since they were read). The account
   * belongs to this store alone (one paper exchange per database).
   */
  #balances: readonly Balance[] | undefined;
  #openOrders: readonly PaperOrder[] | undefined;

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      countBalances: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM paper_balances'),
      getBalance: db.prepare<[string], BalanceRow>(
        'SELECT asset, free, locked FROM paper_balances WHERE asset = ?',
      ),
      putBalance: db.prepare<[string, string, string]>(
        `INSERT INTO paper_balances (asset, free, locked) VALUES (?, ?, ?)
         ON CONFLICT (asset) DO UPDATE SET free = excluded.free, locked = excluded.locked`,
      ),
      allBalances: db.prepare<[], BalanceRow>(
        'SELECT asset, free, locked FROM paper_balances ORDER BY asset',
      ),
      orderByClientId: db.prepare<[string], OrderRow>('SELECT * FROM paper_orders WHERE client_order_id = ?'),
      openOrders: db.prepare<[], OrderRow>(
        `SELECT * FROM paper_orders WHERE status IN ('NEW', 'PARTIALLY_FILLED') ORDER BY time, rowid`,
      ),
      insertOrder: db.prepare<Record<string, unknown>>(
        `INSERT INTO paper_orders (order_id, client_order_id, symbol, base_asset, quote_asset, side, type,
           price, orig_qty, executed_qty, cumm_quote_qty, status, maker_fee, locked, time, update_time)
         VALUES (@order_id, @client_order_id, @symbol, @base_asset, @quote_asset, @side, @type,
           @price, @orig_qty, @executed_qty, @cumm_quote_qty, @status, @maker_fee, @locked, @time, @update_time)`,
      ),
      updateOrder: db.prepare<Record<string, unknown>>(
        `UPDATE paper_orders SET executed_qty = @executed_qty, cumm_quote_qty = @cumm_quote_qty,
           status = @status, locked = @locked, update_time = @update_time WHERE order_id = @order_id`,
      ),
      countOrders: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM paper_orders'),
      countFills: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM paper_fills'),
      insertFill: db.prepare<Record<string, unknown>>(
        `INSERT INTO paper_fills (trade_id, symbol, order_id, client_order_id, side, price, qty, quote_qty,
           commission, commission_asset, is_maker, time)
         VALUES (@trade_id, @symbol, @order_id, @client_order_id, @side, @price, @qty, @quote_qty,
           @commission, @commission_asset, @is_maker, @time)`,
      ),
      fills: db.prepare<[string, number, number], FillRow>(
        `SELECT * FROM paper_fills WHERE symbol = ? AND time >= ? AND time < ? ORDER BY time, rowid`,
      ),
      fillsOfOrder: db.prepare<[string], FillRow>(
        'SELECT * FROM paper_fills WHERE order_id = ? ORDER BY time, rowid',
      ),
    };
  }

  /** Runs `fn` in one SQLite transaction; a throw rolls every write back. */
  transaction<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn)();
    } finally {
      this.#changed();
    }
  }

  /** Drops the decoded balances and open orders: the next read takes them from SQLite. */
  #changed(): void {
    this.#balances = undefined;
    this.#openOrders = undefined;
  }

  /** Writes the starting balances, but only into an empty account (a restart keeps the account). */
  seedBalances(initial: ReadonlyMap<string, Decimal>): boolean {
    return this.transaction(() => {
      if (this.#stmt.countBalances.get()!.n > 0) return false;
      for (const [asset, amount] of initial) {
        if (amount.isNegative()) throw new RangeError(`initial balance of ${asset} is negative`);
        this.#stmt.putBalance.run(asset, toWire(amount), '0');
        this.#changed();
      }
      return true;
    });
  }

  balance(asset: string): Balance {
    const row = this.#stmt.getBalance.get(asset);
    return row
      ? { asset, free: dec(row.free), locked: dec(row.locked) }
      : { asset, free: ZERO, locked: ZERO };
  }

  /**
   * Moves an asset's free and locked amounts by the given deltas. A result below zero is a
   * bookkeeping bug (funds are checked before any move), so it throws and rolls back.
   */
  adjustBalance(asset: string, delta: { free?: Decimal; locked?: Decimal }): Balance {
    const current = this.balance(asset);
    const free = current.free.plus(delta.free ?? ZERO);
    const locked = current.locked.plus(delta.locked ?? ZERO);
    if (free.isNegative() || locked.isNegative()) {
      throw new Error(
        `paper balance of ${asset} would go negative (free ${toWire(free)}, locked ${toWire(locked)})`,
      );
    }
    this.#stmt.putBalance.run(asset, toWire(free), toWire(locked));
    this.#changed();
    return { asset, free, locked };
  }

  balances(): Balance[] {
    this.#balances ??= this.#stmt.allBalances
      .all()
      .map((r) => ({ asset: r.asset, free: dec(r.free), locked: dec(r.locked) }));
    return [...this.#balances];
  }

  orderByClientId(clientOrderId: string): PaperOrder | undefined {
    const row = this.#stmt.orderByClientId.get(clientOrderId);
    return row ? orderFromRow(row) : undefined;
  }

  /** Orders that can still fill, oldest first. */
  openOrders(): PaperOrder[] {
    this.#openOrders ??= this.#stmt.openOrders.all().map(orderFromRow);
    return [...this.#openOrders];
  }

  /** 1 + the number of orders ever placed: a sequence that never repeats (rows are never deleted). */
  nextOrderSequence(): number {
    return this.#stmt.countOrders.get()!.n + 1;
  }

  nextTradeSequence(): number {
    return this.#stmt.countFills.get()!.n + 1;
  }

  insertOrder(order: PaperOrder): void {
    this.#stmt.insertOrder.run({
      order_id: order.orderId,
      client_order_id: order.clientOrderId,
      symbol: order.symbol,
      base_asset: order.baseAsset,
      quote_asset: order.quoteAsset,
      side: order.side,
      type: order.type,
      price: order.price === undefined ? null : toWire(order.price),
      orig_qty: toWire(order.origQty),
      executed_qty: toWire(order.executedQty),
      cumm_quote_qty: toWire(order.cummulativeQuoteQty),
      status: order.status,
      maker_fee: toWire(order.makerFee),
      locked: toWire(order.locked),
      time: order.time,
      update_time: order.updateTime,
    });
    this.#changed();
  }

  /** Persists the mutable part of an order: execution, status, held funds, update time. */
  updateOrder(order: PaperOrder): void {
    this.#stmt.updateOrder.run({
      order_id: order.orderId,
      executed_qty: toWire(order.executedQty),
      cumm_quote_qty: toWire(order.cummulativeQuoteQty),
      status: order.status,
      locked: toWire(order.locked),
      update_time: order.updateTime,
    });
    this.#changed();
  }

  insertFill(fill: Fill): void {
    this.#stmt.insertFill.run({
      trade_id: fill.tradeId,
      symbol: fill.symbol,
      order_id: fill.orderId,
      client_order_id: fill.clientOrderId ?? null,
      side: fill.side,
      price: toWire(fill.price),
      qty: toWire(fill.qty),
      quote_qty: toWire(fill.quoteQty),
      commission: toWire(fill.commission),
      commission_asset: fill.commissionAsset,
      is_maker: fill.isMaker ? 1 : 0,
      time: fill.time,
    });
  }

  /** Fills of `symbol` with `startTime <= time < endTime`, in execution order. */
  fills(symbol: string, startTime: number, endTime: number): Fill[] {
    return this.#stmt.fills.all(symbol, startTime, endTime).map(fillFromRow);
  }

  fillsOfOrder(orderId: string): Fill[] {
    return this.#stmt.fillsOfOrder.all(orderId).map(fillFromRow);
  }
}
