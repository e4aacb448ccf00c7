/**
 * The stored running PnL snapshot (`pnl_snapshot`, `pnl_snapshot_state`): per asset the position
 * and realised results after the fills it covers. Written by the fill ledger's change listener
 * inside the transaction that recorded the fills or their prices, so it never disagrees with the
 * ledger it was committed with.
 */
import { dec, toWire } from '../domain/money.js';
import type { Position } from '../domain/portfolio/position.js';
import type { Clock } from '../common/clock.js';
import type { Db } from './db.js';

/** What a stored snapshot covers and the positions it holds. */
export interface StoredPnlSnapshot {
  /** Newest fill time covered: every fill at or before it is included. */
  readonly lastTime: number;
  /** How many fills it covers. */
  readonly fillCount: number;
  /** By asset, from the fills alone (`costBasisSource` = `fills`). */
  readonly positions: ReadonlyMap<string, Position>;
}

interface Row {
  asset: string;
  cost_asset: string;
  qty: string;
  avg_cost: string;
  realised_pnl: string;
  fees_paid: string;
  realised_usdc: string | null;
  fees_usdc: string | null;
}

function toRow(p: Position): Row {
  return {
    asset: p.asset,
    cost_asset: p.costAsset,
    qty: toWire(p.qty),
    avg_cost: toWire(p.avgCost),
    realised_pnl: toWire(p.realisedPnl),
    fees_paid: toWire(p.feesPaid),
    realised_usdc: p.realisedPnlUsdc === undefined ? null : toWire(p.realisedPnlUsdc),
    fees_usdc: p.feesPaidUsdc === undefined ? null : toWire(p.feesPaidUsdc),
  };
}

function fromRow(r: Row): Position {
  return {
    asset: r.asset,
    costAsset: r.cost_asset,
    qty: dec(r.qty),
    avgCost: dec(r.avg_cost),
    realisedPnl: dec(r.realised_pnl),
    feesPaid: dec(r.fees_paid),
    ...(r.realised_usdc !== null ? { realisedPnlUsdc: dec(r.realised_usdc) } : {}),
    ...(r.fees_usdc !== null ? { feesPaidUsdc: dec(r.fees_usdc) } : {}),
    costBasisSource: 'fills',
  };
}

/** Reads and writes the stored running PnL snapshot. Synchronous, like better-sqlite3. */
export class PnlSnapshotRepository {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #upsert;
  readonly #setState;
  readonly #getState;

  constructor(options: { readonly db: Db; readonly clock: Clock }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#upsert = this.#db.prepare(
      `INSERT INTO pnl_snapshot (asset, cost_asset, qty, avg_cost, realised_pnl, fees_paid, realised_usdc, fees_usdc)
       VALUES (@asset, @cost_asset, @qty, @avg_cost, @realised_pnl, @fees_paid, @realised_usdc, @fees_usdc)
       ON CONFLICT (asset) DO UPDATE SET cost_asset = excluded.cost_asset, qty = excluded.qty,
         avg_cost = excluded.avg_cost, realised_pnl = excluded.realised_pnl, fees_paid = excluded.fees_paid,
         realised_usdc = excluded.realised_usdc, fees_usdc = excluded.fees_usdc`,
    );
    this.#getState = this.#db.prepare<[], { last_time: number; fill_count: number }>(
      'SELECT last_time, fill_count FROM pnl_snapshot_state WHERE id = 1',
    );
    this.#setState = this.#db.prepare(
      `INSERT INTO pnl_snapshot_state (id, last_time, fill_count, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_time = excluded.last_time, fill_count = excluded.fill_count,
         updated_at = excluded.updated_at`,
    );
  }

  /** What the stored snapshot covers, without its positions; undefined when there is none. */
  cover(): Omit<StoredPnlSnapshot, 'positions'> | undefined {
    const state = this.#getState.get();
    return state === undefined ? undefined : { lastTime: state.last_time, fillCount: state.fill_count };
  }

  /** The stored snapshot, or undefined when there is none (never built, or cleared). */
  read(): StoredPnlSnapshot | undefined {
    const cover = this.cover();
    if (cover === undefined) return undefined;
    const rows = this.#db.prepare<[], Row>('SELECT * FROM pnl_snapshot ORDER BY asset').all();
    return { ...cover, positions: new Map(rows.map((r) => [r.asset, fromRow(r)])) };
  }

  /**
   * Stores what the snapshot now covers with the positions of `assets` (every asset when absent).
   * Joins the caller's transaction when one is open (the ledger's), else runs in its own.
   */
  write(
    snapshot: Omit<StoredPnlSnapshot, 'positions'> & { readonly positions: ReadonlyMap<string, Position> },
    assets?: Iterable<string>,
  ): void {
    this.#db.transaction(() => {
      if (assets === undefined) this.#db.prepare('DELETE FROM pnl_snapshot').run();
      for (const asset of assets ?? snapshot.positions.keys()) {
        const p = snapshot.positions.get(asset);
        if (p !== undefined) this.#upsert.run(toRow(p));
      }
      this.#setState.run(snapshot.lastTime, snapshot.fillCount, this.#clock.now());
    })();
  }

  /** Forgets the stored snapshot: the next reader rebuilds it from the fills. */
  clear(): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM pnl_snapshot_state').run();
      this.#db.prepare('DELETE FROM pnl_snapshot').run();
    })();
  }
}
