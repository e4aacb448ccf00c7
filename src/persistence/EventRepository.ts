/**
 * The audit trail in `events`: order events, alerts, foreign activity and pauses, one row each.
 * Decimals are stored as plain strings inside the JSON `data` column.
 */
import type { BotEvent, Severity } from '../domain/events.js';
import type { Db } from './db.js';

/** One stored audit event. */
export interface EventRow {
  readonly id: number;
  readonly at: number;
  readonly type: string;
  readonly severity: Severity;
  readonly origin?: string;
  readonly symbol?: string;
  readonly message: string;
  readonly data?: string;
}

/** An audit event to store. */
export interface NewEventRow {
  readonly at: number;
  readonly type: string;
  readonly severity: Severity;
  readonly origin?: string;
  readonly symbol?: string;
  readonly message: string;
  readonly data?: unknown;
}

/** How a domain event reads in the audit trail. */
export function describeBotEvent(event: BotEvent): Omit<NewEventRow, 'at'> {
  switch (event.type) {
    case 'order.placed':
    case 'order.filled':
    case 'order.cancelled':
    case 'order.unknown': {
      const o = event.order;
      const what = `${o.side} ${o.quantity.toFixed()} ${o.symbol}${o.price ? ` @ ${o.price.toFixed()}` : ''}`;
      const message =
        event.type === 'order.filled'
          ? `filled ${event.qty.toFixed()} of ${what} at ${event.avgPrice.toFixed()}`
          : event.type === 'order.placed'
            ? `placed ${what}: ${o.reason}`
            : `${event.type === 'order.cancelled' ? 'cancelled' : 'outcome unknown for'} ${what}: ${event.why}`;
      return {
        type: event.type,
        severity: event.type === 'order.unknown' ? 'warning' : 'info',
        origin: o.origin,
        symbol: o.symbol,
        message,
        data: event,
      };
    }
    case 'order.refused':
      return {
        type: event.type,
        severity: event.code === 'not-tradable' ? 'critical' : 'warning',
        origin: event.origin,
        symbol: event.symbol,
        message: `${event.side} refused (${event.code}): ${event.why}`,
        data: event,
      };
    case 'intent.proposed':
      return {
        type: event.type,
        severity: 'info',
        origin: event.origin,
        message: event.summary,
        data: event,
      };
    case 'intent.notified':
      return { type: event.type, severity: 'info', origin: event.origin, message: event.summary };
    case 'scan.report':
      return { type: event.type, severity: 'info', message: event.text };
    case 'alert':
      return { type: event.type, severity: event.severity, message: event.message, data: { key: event.key } };
  }
}

/** Appends to and reads the audit trail in the `events` table. */
export class EventRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(row: NewEventRow): number {
    const result = this.#db
      .prepare(
        'INSERT INTO events (at, type, severity, origin, symbol, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        row.at,
        row.type,
        row.severity,
        row.origin ?? null,
        row.symbol ?? null,
        row.message,
        row.data === undefined ? null : JSON.stringify(row.data),
      );
    return Number(result.lastInsertRowid);
  }

  /** Rows of one type (all when omitted), newest first. */
  list(
    filter: { readonly type?: string; readonly since?: number; readonly limit?: number } = {},
  ): EventRow[] {
    const rows = this.#db
      .prepare(
        `SELECT id, at, type, severity, origin, symbol, message, data FROM events
         WHERE (@type IS NULL OR type = @type) AND at >= @since ORDER BY id DESC LIMIT @limit`,
      )
      .all({ type: filter.type ?? null, since: filter.since ?? 0, limit: filter.limit ?? 100 }) as {
      id: number;
      at: number;
      type: string;
      severity: Severity;
      origin: string | null;
      symbol: string | null;
      message: string;
      data: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      type: r.type,
      severity: r.severity,
      origin: r.origin ?? undefined,
      symbol: r.symbol ?? undefined,
      message: r.message,
      data: r.data ?? undefined,
    }));
  }
}
