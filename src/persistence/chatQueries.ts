/**
 * Read-only queries of the chat use cases over the core's tables (fills, orders, symbol_blocks);
 * scans and job runs are read through their repositories. Rows are validated with zod at this edge: a malformed row is skipped
 * (and logged by the caller), never allowed to break a /status.
 */
import { z } from 'zod';
import { parseDecimal } from '../domain/money.js';
import type { Db } from './db.js';
import { readPage, type Page, type PageCursor } from './listPages.js';
import { OPEN_ORDER_STATUSES } from './OrderRepository.js';
import type { OrderSide } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';

/** One fill as /trades lists it. */
export interface TradeView {
  readonly time: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: Decimal;
  readonly price: Decimal;
  readonly quoteQty: Decimal;
  readonly fee: Decimal;
  readonly feeAsset: string;
  /** Strategy id, `manual`, or undefined for fills not placed by the bot. */
  readonly origin?: string;
}

/** One of the bot's orders as /orders lists it. */
export interface OpenOrderView {
  readonly clientOrderId: string;
  readonly origin: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: string;
  readonly price?: Decimal;
  readonly quantity: Decimal;
  readonly executedQty: Decimal;
  readonly status: string;
  readonly createdAt: number;
}

const decimalText = z.string().transform((s, ctx) => {
  const d = parseDecimal(s);
  if (d === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a decimal: ${s}` });
    return z.NEVER;
  }
  return d;
});

const side = z.enum(['BUY', 'SELL']);

const fillRow = z.object({
  time: z.number(),
  symbol: z.string(),
  side,
  qty: decimalText,
  price: decimalText,
  quote_qty: decimalText,
  commission: decimalText,
  commission_asset: z.string(),
  origin: z.string().nullable(),
});

const orderRow = z.object({
  client_order_id: z.string(),
  origin: z.string(),
  symbol: z.string(),
  side,
  type: z.string(),
  price: z.string().nullable(),
  quantity: decimalText,
  executed_qty: decimalText,
  status: z.string(),
  created_at: z.number(),
});

/** One page of the fills, newest first (`/trades`), addressed by fill time and row id. */
export function queryTradesPage(db: Db, cursor: PageCursor, size: number): Page<TradeView> {
  return readPage(
    db,
    {
      from: 'fills',
      where: '1',
      params: [],
      // rowid breaks ties between fills of the same millisecond (served by the fills_time index).
      at: 'time',
      id: 'rowid',
      descending: true,
      columns: 'time, symbol, side, qty, price, quote_qty, commission, commission_asset, origin',
    },
    cursor,
    size,
    toTradeView,
  );
}

function toTradeView(row: unknown): TradeView | undefined {
  const r = fillRow.safeParse(row);
  if (!r.success) return undefined;
  return {
    time: r.data.time,
    symbol: r.data.symbol,
    side: r.data.side,
    qty: r.data.qty,
    price: r.data.price,
    quoteQty: r.data.quote_qty,
    fee: r.data.commission,
    feeAsset: r.data.commission_asset,
    origin: r.data.origin ?? undefined,
  };
}

/** Fill counts since `sinceMs`, by side and by origin. */
export function queryTradeCounts(
  db: Db,
  sinceMs: number,
): { count: number; buys: number; sells: number; byStrategy: { origin: string; count: number }[] } {
  const rows = db
    .prepare(
      `SELECT COALESCE(origin, 'other') AS origin, side, COUNT(*) AS n FROM fills WHERE time >= ?
       GROUP BY COALESCE(origin, 'other'), side`,
    )
    .all(sinceMs) as { origin: string; side: string; n: number }[];
  const byOrigin = new Map<string, number>();
  let buys = 0;
  let sells = 0;
  for (const r of rows) {
    if (r.side === 'BUY') buys += r.n;
    else sells += r.n;
    byOrigin.set(r.origin, (byOrigin.get(r.origin) ?? 0) + r.n);
  }
  return {
    count: buys + sells,
    buys,
    sells,
    byStrategy: [...byOrigin].map(([origin, count]) => ({ origin, count })).sort((a, b) => b.count - a.count),
  };
}

function toOrderView(row: unknown): OpenOrderView | undefined {
  const r = orderRow.safeParse(row);
  if (!r.success) return undefined;
  const price = r.data.price === null ? undefined : parseDecimal(r.data.price);
  return {
    clientOrderId: r.data.client_order_id,
    origin: r.data.origin,
    symbol: r.data.symbol,
    side: r.data.side,
    type: r.data.type,
    price,
    quantity: r.data.quantity,
    executedQty: r.data.executed_qty,
    status: r.data.status,
    createdAt: r.data.created_at,
  };
}

const ORDER_COLUMNS =
  'client_order_id, origin, symbol, side, type, price, quantity, executed_qty, status, created_at';

/** The bot's non-final orders, oldest first. */
export function queryOpenOrders(db: Db): OpenOrderView[] {
  const rows = db
    .prepare(
      `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE final_at IS NULL AND status IN (${OPEN_ORDER_STATUSES.map(() => '?').join(',')})
       ORDER BY created_at, id`,
    )
    .all(...OPEN_ORDER_STATUSES);
  return rows.map(toOrderView).filter((o): o is OpenOrderView => o !== undefined);
}

/** One page of the bot's non-final orders, oldest first (`/orders`), addressed by creation time and id. */
export function queryOpenOrdersPage(db: Db, cursor: PageCursor, size: number): Page<OpenOrderView> {
  return readPage(
    db,
    {
      from: 'orders',
      where: `final_at IS NULL AND status IN (${OPEN_ORDER_STATUSES.map(() => '?').join(',')})`,
      params: OPEN_ORDER_STATUSES,
      at: 'created_at',
      id: 'id',
      descending: false,
      columns: ORDER_COLUMNS,
    },
    cursor,
    size,
    toOrderView,
  );
}

/** One of the bot's orders by client order id, for /cancel and confirmations; undefined when unknown. */
export function queryOrder(db: Db, clientOrderId: string): OpenOrderView | undefined {
  const row = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE client_order_id = ?`).get(clientOrderId);
  return row === undefined ? undefined : toOrderView(row);
}

/** Orders whose outcome the bot does not know (UNKNOWN, LOST): a /status warning. */
export function countUnresolvedOrders(db: Db): number {
  return (
    db
      .prepare("SELECT COUNT(*) AS n FROM orders WHERE status IN ('UNKNOWN', 'LOST') AND final_at IS NULL")
      .get() as {
      n: number;
    }
  ).n;
}

/** Symbols blocked right now (e.g. after a 10007 answer). */
export function queryActiveBlocks(db: Db, now: number): { symbol: string; until: number; reason: string }[] {
  return db
    .prepare('SELECT symbol, until, reason FROM symbol_blocks WHERE until > ? ORDER BY symbol')
    .all(now) as { symbol: string; until: number; reason: string }[];
}
