/**
 * Compares what the simulator (the exchange) holds with what the bot's database recorded after
 * a crash run: orders one-to-one by client id, statuses and executed quantities equal, every
 * exchange fill recorded exactly once, nothing left unresolved, no false foreign-activity alarm.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { dec, type Decimal, ZERO } from '../../src/domain/money.js';
import type { OrderPost } from './countingProxy.js';

const SimOrder = z.object({
  symbol: z.string(),
  orderId: z.string(),
  clientOrderId: z.string().nullable(),
  status: z.string(),
  executedQty: z.string(),
  cummulativeQuoteQty: z.string(),
});
const FilledEvent = z.object({ order: z.object({ clientOrderId: z.string() }), qty: z.string() });
const SimTrade = z.object({ symbol: z.string(), id: z.string(), clientOrderId: z.string().nullable() });

interface OrderRow {
  client_order_id: string;
  replaces: string | null;
  reported_qty: string;
  symbol: string;
  status: string;
  executed_qty: string;
  cumm_quote_qty: string;
}
interface FillRow {
  symbol: string;
  trade_id: string;
  client_order_id: string | null;
  origin: string | null;
  qty: string;
}

export interface CrashAudit {
  readonly simOrders: number;
  readonly botRows: number;
  /**
   * Client ids POSTed again after a POST that may have placed the order (answered 2xx or 5xx, or
   * not at all). A re-send after a definite refusal (4xx, e.g. 700003 before the re-sync) is safe.
   */
  readonly resent: readonly string[];
  /** Client ids carried by more than one exchange order. */
  readonly duplicateOnExchange: readonly string[];
  /** Orders re-placed (after a TTL expiry) more than once. */
  readonly replacedTwice: readonly string[];
  /** Exchange orders whose client id has no row: sent without being recorded first. */
  readonly withoutRow: readonly string[];
  /** Rows that disagree with the exchange (status or executed quantity), or that are not final. */
  readonly mismatches: readonly string[];
  /** Rows still PENDING, UNKNOWN or LOST. */
  readonly unresolved: readonly string[];
  /** NEW / PARTIALLY_FILLED rows: each one is open on the exchange too (else it is a mismatch). */
  readonly stillOpen: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly simFills: number;
  readonly recordedFills: number;
  readonly missingFills: readonly string[];
  readonly extraFills: readonly string[];
  /** Recorded fills without the bot's origin (or with another client id than the exchange's). */
  readonly misattributedFills: readonly string[];
  /** Orders whose executed quantity differs from the sum of their recorded fills. */
  readonly fillSumMismatches: readonly string[];
  readonly foreignAlarms: number;
  /**
   * Orders whose `order.filled` announcements (events) do not add up to their executed quantity:
   * a fill never announced, or announced twice.
   */
  readonly announcementMismatches: readonly string[];
}

/** Total number of duplicate sends or unrecorded exchange orders. */
export function duplicatesFound(a: CrashAudit): number {
  return a.resent.length + a.duplicateOnExchange.length + a.withoutRow.length + a.replacedTwice.length;
}

export function auditCrashRun(o: {
  readonly dbPath: string;
  readonly simOrders: readonly unknown[];
  readonly simTrades: readonly unknown[];
  readonly posts: ReadonlyMap<string, readonly OrderPost[]>;
}): CrashAudit {
  const simOrders = o.simOrders.map((x) => SimOrder.parse(x));
  const simTrades = o.simTrades.map((x) => SimTrade.parse(x));
  const db = new Database(o.dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(
        'SELECT client_order_id, replaces, reported_qty, symbol, status, executed_qty, cumm_quote_qty FROM orders',
      )
      .all() as OrderRow[];
    const fills = db
      .prepare('SELECT symbol, trade_id, client_order_id, origin, qty FROM fills')
      .all() as FillRow[];
    const announced = new Map<string, Decimal>();
    for (const e of db.prepare("SELECT data FROM events WHERE type = 'order.filled'").all() as {
      data: string;
    }[]) {
      const event = FilledEvent.parse(JSON.parse(e.data));
      const cid = event.order.clientOrderId;
      announced.set(cid, (announced.get(cid) ?? ZERO).plus(dec(event.qty)));
    }
    const foreignAlarms = (db.prepare('SELECT COUNT(*) AS n FROM foreign_activity').get() as { n: number }).n;

    const maybePlaced = (p: OrderPost) => p.status === undefined || p.status < 400 || p.status >= 500;
    const resent = [...o.posts]
      .filter(([, sent]) => sent.slice(0, -1).some(maybePlaced))
      .map(
        ([cid, sent]) =>
          `${cid} sent ${sent.length} times (${sent.map((p) => p.status ?? 'no answer').join(', ')})`,
      );
    const byCid = new Map<string, z.infer<typeof SimOrder>>();
    const duplicateOnExchange: string[] = [];
    const withoutRow: string[] = [];
    const rowByCid = new Map(rows.map((r) => [r.client_order_id, r]));
    for (const order of simOrders) {
      const cid = order.clientOrderId ?? `(no client id, order ${order.orderId})`;
      if (byCid.has(cid)) duplicateOnExchange.push(cid);
      byCid.set(cid, order);
      if (!rowByCid.has(cid)) withoutRow.push(cid);
    }

    const replacements = new Map<string, number>();
    for (const r of rows)
      if (r.replaces !== null) replacements.set(r.replaces, (replacements.get(r.replaces) ?? 0) + 1);
    const replacedTwice = [...replacements]
      .filter(([, n]) => n > 1)
      .map(([cid, n]) => `${cid} re-placed ${n} times`);

    const mismatches: string[] = [];
    const unresolved: string[] = [];
    const statusCounts: Record<string, number> = {};
    let stillOpen = 0;
    for (const row of rows) {
      statusCounts[row.status] = (statusCounts[row.status] ?? 0) + 1;
      const cid = row.client_order_id;
      if (['PENDING', 'UNKNOWN', 'LOST'].includes(row.status)) unresolved.push(`${cid} ${row.status}`);
      if (row.status === 'NEW' || row.status === 'PARTIALLY_FILLED') stillOpen += 1;
      const sim = byCid.get(cid);
      if (!sim) {
        if (row.status !== 'REJECTED')
          mismatches.push(`${cid}: ${row.status} in the database, absent on the exchange`);
        continue;
      }
      if (row.status !== sim.status)
        mismatches.push(`${cid}: ${row.status} in the database, ${sim.status} on the exchange`);
      if (!dec(row.executed_qty).equals(dec(sim.executedQty))) {
        mismatches.push(
          `${cid}: executed ${row.executed_qty} in the database, ${sim.executedQty} on the exchange`,
        );
      }
    }

    const key = (symbol: string, id: string) => `${symbol}:${id}`;
    const recorded = new Map(fills.map((f) => [key(f.symbol, f.trade_id), f]));
    const onExchange = new Map(simTrades.map((t) => [key(t.symbol, t.id), t]));
    const missingFills = [...onExchange.keys()].filter((k) => !recorded.has(k));
    const extraFills = [...recorded.keys()].filter((k) => !onExchange.has(k));
    const misattributedFills: string[] = [];
    const filledByCid = new Map<string, Decimal>();
    for (const [k, f] of recorded) {
      const t = onExchange.get(k);
      if (f.origin === null || (t && f.client_order_id !== t.clientOrderId)) {
        misattributedFills.push(`${k}: origin ${f.origin}, client id ${f.client_order_id}`);
      }
      if (f.client_order_id !== null) {
        filledByCid.set(f.client_order_id, (filledByCid.get(f.client_order_id) ?? ZERO).plus(dec(f.qty)));
      }
    }
    const fillSumMismatches = rows
      .filter((r) => !dec(r.executed_qty).equals(filledByCid.get(r.client_order_id) ?? ZERO))
      .map(
        (r) =>
          `${r.client_order_id}: executed ${r.executed_qty}, fills ${(filledByCid.get(r.client_order_id) ?? ZERO).toFixed()}`,
      );

    const announcementMismatches = rows
      .filter((r) => !dec(r.executed_qty).equals(announced.get(r.client_order_id) ?? ZERO))
      .map(
        (r) =>
          `${r.client_order_id} ${r.status}: executed ${r.executed_qty}, announced ${(announced.get(r.client_order_id) ?? ZERO).toFixed()} (marked ${r.reported_qty})`,
      );

    return {
      simOrders: simOrders.length,
      botRows: rows.length,
      resent,
      duplicateOnExchange,
      withoutRow,
      replacedTwice,
      mismatches,
      unresolved,
      stillOpen,
      statusCounts,
      simFills: simTrades.length,
      recordedFills: fills.length,
      missingFills,
      extraFills,
      misattributedFills,
      fillSumMismatches,
      foreignAlarms,
      announcementMismatches,
    };
  } finally {
    db.close();
  }
}
