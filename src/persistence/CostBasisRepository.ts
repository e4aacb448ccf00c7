/**
 * Owner-set and first-seen cost basis rows (`cost_basis` table), one per asset. The owner's value
 * always wins; a first-seen price is written once and never moves. Owner changes are versioned.
 */
import { dec, toWire } from '../domain/money.js';
import type { Decimal } from '../domain/money.js';
import type { CostBasisRow } from '../domain/portfolio/costBasis.js';
import type { Clock } from '../common/clock.js';
import type { Db } from './db.js';

interface Row {
  asset: string;
  price: string;
  cost_asset: string;
  qty: string;
  source: 'owner' | 'first-seen';
  set_at: number;
}

function fromRow(row: Row): CostBasisRow {
  return {
    asset: row.asset,
    price: dec(row.price),
    costAsset: row.cost_asset,
    qty: dec(row.qty),
    source: row.source,
    setAt: row.set_at,
  };
}

/** A cost price the owner set for an asset's holdings, with the quantity it was meant for. */
export interface OwnerBasis {
  readonly asset: string;
  /** Price per unit in `costAsset`; must be positive. */
  readonly price: Decimal;
  readonly costAsset: string;
  /** The quantity the owner means it for (shown back in chat). */
  readonly qty: Decimal;
}

/** What an owner change replaced. */
export interface CostBasisChange {
  readonly previous?: { readonly price: Decimal; readonly costAsset: string; readonly source: string };
}

/** One owner change of a cost basis: who set what, when, and what it replaced. */
export interface CostBasisHistoryEntry {
  readonly asset: string;
  readonly old?: { readonly price: Decimal; readonly costAsset: string; readonly source: string };
  readonly price: Decimal;
  readonly costAsset: string;
  readonly qty: Decimal;
  readonly actor: string;
  readonly at: number;
}

interface HistoryRow {
  asset: string;
  old_price: string | null;
  old_cost_asset: string | null;
  old_source: string | null;
  new_price: string;
  cost_asset: string;
  qty: string;
  actor: string;
  at: number;
}

/** Repository over `cost_basis` and its owner history `cost_basis_history`. */
export class CostBasisRepository {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(options: { readonly db: Db; readonly clock: Clock }) {
    this.#db = options.db;
    this.#clock = options.clock;
  }

  /** Every row, by asset name. */
  all(): CostBasisRow[] {
    return this.#db
      .prepare<[], Row>('SELECT asset, price, cost_asset, qty, source, set_at FROM cost_basis ORDER BY asset')
      .all()
      .map(fromRow);
  }

  get(asset: string): CostBasisRow | undefined {
    const row = this.#db
      .prepare<[string], Row>(
        'SELECT asset, price, cost_asset, qty, source, set_at FROM cost_basis WHERE asset = ?',
      )
      .get(asset);
    return row === undefined ? undefined : fromRow(row);
  }

  /**
   * Sets (or replaces) the owner's basis for an asset, replacing a first-seen row too, and records
   * the change in `cost_basis_history` (who, when, old → new) in the same transaction.
   */
  setOwnerBasis(basis: OwnerBasis, actor: string): CostBasisChange {
    if (!basis.price.greaterThan(0))
      throw new RangeError(`cost basis price must be above zero, got ${toWire(basis.price)}`);
    if (basis.qty.isNegative())
      throw new RangeError(`cost basis quantity must not be negative, got ${toWire(basis.qty)}`);
    const at = this.#clock.now();
    return this.#db.transaction((): CostBasisChange => {
      const before = this.get(basis.asset);
      this.#db
        .prepare(
          `INSERT INTO cost_basis (asset, price, cost_asset, qty, source, set_at) VALUES (?, ?, ?, ?, 'owner', ?)
           ON CONFLICT (asset) DO UPDATE SET price = excluded.price, cost_asset = excluded.cost_asset,
             qty = excluded.qty, source = 'owner', set_at = excluded.set_at`,
        )
        .run(basis.asset, toWire(basis.price), basis.costAsset, toWire(basis.qty), at);
      this.#db
        .prepare(
          `INSERT INTO cost_basis_history
             (asset, old_price, old_cost_asset, old_source, new_price, cost_asset, qty, actor, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          basis.asset,
          before ? toWire(before.price) : null,
          before?.costAsset ?? null,
          before?.source ?? null,
          toWire(basis.price),
          basis.costAsset,
          toWire(basis.qty),
          actor,
          at,
        );
      return before
        ? { previous: { price: before.price, costAsset: before.costAsset, source: before.source } }
        : {};
    })();
  }

  /** Owner changes of cost bases, newest first (of one asset when given). */
  history(asset?: string, limit = 20): CostBasisHistoryEntry[] {
    const rows = this.#db
      .prepare<[string | null, string | null, number], HistoryRow>(
        `SELECT asset, old_price, old_cost_asset, old_source, new_price, cost_asset, qty, actor, at
         FROM cost_basis_history WHERE (? IS NULL OR asset = ?) ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .all(asset ?? null, asset ?? null, limit);
    return rows.map((r) => ({
      asset: r.asset,
      ...(r.old_price !== null && r.old_cost_asset !== null
        ? { old: { price: dec(r.old_price), costAsset: r.old_cost_asset, source: r.old_source ?? 'owner' } }
        : {}),
      price: dec(r.new_price),
      costAsset: r.cost_asset,
      qty: dec(r.qty),
      actor: r.actor,
      at: r.at,
    }));
  }

  /**
   * Records a first-seen basis unless the asset already has a row (owner or first-seen).
   * Returns whether it was written.
   */
  recordFirstSeen(row: CostBasisRow): boolean {
    return (
      this.#db
        .prepare(
          `INSERT OR IGNORE INTO cost_basis (asset, price, cost_asset, qty, source, set_at)
           VALUES (?, ?, ?, ?, 'first-seen', ?)`,
        )
        .run(row.asset, toWire(row.price), row.costAsset, toWire(row.qty), row.setAt).changes === 1
    );
  }

  /** Removes an asset's basis (the owner clears it); the next reconcile records a fresh first-seen. */
  remove(asset: string): boolean {
    return this.#db.prepare('DELETE FROM cost_basis WHERE asset = ?').run(asset).changes === 1;
  }
}
