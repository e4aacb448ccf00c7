/**
 * Pages of the chat's long lists (/trades, /orders), addressed by the sort key of a row instead
 * of an offset: a page shows the same rows when new ones arrive while someone pages, and a
 * page's buttons stay short enough for Telegram's 64-byte callback data.
 */
import type { Db } from './db.js';

/** The sort key of one row of a paged list: its time (fill time, order creation) and row id. */
export interface PageKey {
  readonly at: number;
  readonly id: number;
}

/**
 * Where a page starts: the list's first page, the rows after `key` (the next page), the rows
 * before it (the previous page), or the rows from `key` on (the same page again, after a change).
 */
export type PageCursor =
  { readonly kind: 'first' } | { readonly kind: 'after' | 'before' | 'from'; readonly key: PageKey };

/** One page of a list: its rows, the keys of its first and last row, and where it sits. */
export interface Page<T> {
  readonly rows: readonly T[];
  /** Key of the first row (for the previous page and for showing this page again). */
  readonly first?: PageKey;
  /** Key of the last row (for the next page). */
  readonly last?: PageKey;
  /** Rows of the list before this page: its first row is number `before + 1`. */
  readonly before: number;
  /** Rows in the whole list. */
  readonly total: number;
  /** Malformed rows left out of this page (the caller logs them). */
  readonly skipped: number;
}

/** What a paged list reads: constant SQL fragments only, never user input. */
export interface ListSpec {
  /** `FROM` clause. */
  readonly from: string;
  /** `WHERE` condition of the list's rows, with `?` placeholders bound to `params`. */
  readonly where: string;
  readonly params: readonly unknown[];
  /** Columns of the sort key: time first, then a unique row id. */
  readonly at: string;
  readonly id: string;
  /** Newest first (trades) or oldest first (orders). */
  readonly descending: boolean;
  readonly columns: string;
}

/**
 * One page of `spec`'s list at `cursor`, `size` rows at most. A previous page near the top is
 * filled up from the list's start, and a next page past the end (its rows went away) shows the
 * last page, so a page is never needlessly short or empty.
 */
export function readPage<T>(
  db: Db,
  spec: ListSpec,
  cursor: PageCursor,
  size: number,
  parse: (row: Record<string, unknown>) => T | undefined,
): Page<T> {
  const key = `(${spec.at}, ${spec.id})`;
  // "Comes earlier in the list" and "comes later", for the list's own direction.
  const earlier = spec.descending ? '>' : '<';
  const later = spec.descending ? '<' : '>';
  const forward = spec.descending ? 'DESC' : 'ASC';
  const backward = spec.descending ? 'ASC' : 'DESC';
  const select = (condition: string, order: string, params: readonly unknown[]) =>
    db
      .prepare(
        `SELECT ${spec.at} AS page_at, ${spec.id} AS page_id, ${spec.columns} FROM ${spec.from}
         WHERE (${spec.where}) AND ${condition}
         ORDER BY ${spec.at} ${order}, ${spec.id} ${order} LIMIT ?`,
      )
      .all(...spec.params, ...params, size) as Record<string, unknown>[];
  const count = (condition: string, params: readonly unknown[]) =>
    (
      db
        .prepare(`SELECT COUNT(*) AS n FROM ${spec.from} WHERE (${spec.where}) AND ${condition}`)
        .get(...spec.params, ...params) as { n: number }
    ).n;

  const first = () => select('1', forward, []);
  const last = () => select('1', backward, []).reverse();
  let rows: Record<string, unknown>[];
  if (cursor.kind === 'first') rows = first();
  else {
    const k = [cursor.key.at, cursor.key.id];
    if (cursor.kind === 'before') {
      rows = select(`${key} ${earlier} (?, ?)`, backward, k).reverse();
      if (rows.length < size) rows = first();
    } else {
      rows = select(`${key} ${cursor.kind === 'after' ? later : `${later}=`} (?, ?)`, forward, k);
      if (rows.length === 0) rows = last();
    }
  }
  const keyOf = (row: Record<string, unknown> | undefined): PageKey | undefined =>
    row === undefined ? undefined : { at: Number(row.page_at), id: Number(row.page_id) };
  const firstKey = keyOf(rows[0]);
  const parsed = rows.map(parse);
  const kept = parsed.filter((r): r is T => r !== undefined);
  return {
    rows: kept,
    first: firstKey,
    last: keyOf(rows.at(-1)),
    before: firstKey ? count(`${key} ${earlier} (?, ?)`, [firstKey.at, firstKey.id]) : 0,
    total: count('1', []),
    skipped: parsed.length - kept.length,
  };
}
