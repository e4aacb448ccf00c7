/**
 * Owner-set and first-seen cost basis rows (`cost_basis` table), one per asset.
 * The owner's value always wins; a first-seen price is written once and never moves.
 */
import { dec, toWire } from '../domain/money.js';
import type { Decimal } from '../domain/money.js';
import type { CostBasisRow } from '../domain/portfolio/costBasis.js';
import type { Clock } from '../shared/clock.js';
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

/** Reads and writes the cost basis rows for holdings the fills cannot explain. */
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

  /** Sets (or replaces) the owner's basis for an asset; replaces a first-seen row too. */
  setOwnerBasis(basis: OwnerBasis): void {
    if (!basis.price.greaterThan(0))
      throw new RangeError(`cost basis price must be above zero, got ${toWire(basis.price)}`);
    if (basis.qty.isNegative())
      throw new RangeError(`cost basis quantity must not be negative, got ${toWire(basis.qty)}`);
    this.#db
      .prepare(
        `INSERT INTO cost_basis (asset, price, cost_asset, qty, source, set_at) VALUES (?, ?, ?, ?, 'owner', ?)
         ON CONFLICT (asset) DO UPDATE SET price = excluded.price, cost_asset = excluded.cost_asset,
           qty = excluded.qty, source = 'owner', set_at = excluded.set_at`,
      )
      .run(basis.asset, toWire(basis.price), basis.costAsset, toWire(basis.qty), this.#clock.now());
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
