/**
 * The `confirmations` table: one-time, expiring questions to the owner. A row is decided with a
 * single conditional UPDATE, so two taps (or a tap racing the expiry) can never both win: the first
 * decides, every later tap reads the recorded outcome. What a confirmation does is not stored here
 * (see the confirmation service in execution/).
 */
import { z } from 'zod';
import type { Db } from './db.js';

/** How a confirmation ended. `failed`: confirmed, but carrying it out failed. */
export type ConfirmationOutcome = 'confirmed' | 'skipped' | 'expired' | 'failed';

/** A stored confirmation; `payload` is the creator's text (JSON for orders), read back as stored. */
export interface Confirmation {
  readonly id: string;
  readonly kind: string;
  readonly payload: string;
  readonly summary: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly resolvedAt?: number;
  readonly outcome?: ConfirmationOutcome;
}

const rowSchema = z.object({
  id: z.string(),
  kind: z.string(),
  payload: z.string(),
  summary: z.string(),
  created_at: z.number(),
  expires_at: z.number(),
  resolved_at: z.number().nullable(),
  outcome: z.enum(['confirmed', 'skipped', 'expired', 'failed']).nullable(),
});

const toConfirmation = (row: unknown): Confirmation => {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    kind: r.kind,
    payload: r.payload,
    summary: r.summary,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    resolvedAt: r.resolved_at ?? undefined,
    outcome: r.outcome ?? undefined,
  };
};

/** Reads and decides rows of `confirmations`; every decision is a conditional UPDATE. */
export class ConfirmationRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a new open confirmation. */
  insert(c: {
    readonly id: string;
    readonly kind: string;
    readonly payload: string;
    readonly summary: string;
    readonly createdAt: number;
    readonly expiresAt: number;
  }): Confirmation {
    this.#db
      .prepare(
        'INSERT INTO confirmations (id, kind, payload, summary, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(c.id, c.kind, c.payload, c.summary, c.createdAt, c.expiresAt);
    return { ...c };
  }

  /** The confirmation with this id, if any. */
  get(id: string): Confirmation | undefined {
    const row = this.#db.prepare('SELECT * FROM confirmations WHERE id = ?').get(id);
    return row === undefined ? undefined : toConfirmation(row);
  }

  /**
   * Records `outcome` if the row is still open and unexpired at `now`. True for exactly one caller;
   * false when someone else decided first or it expired meanwhile.
   */
  decide(id: string, outcome: 'confirmed' | 'skipped', now: number): boolean {
    return (
      this.#db
        .prepare(
          'UPDATE confirmations SET resolved_at = ?, outcome = ? WHERE id = ? AND resolved_at IS NULL AND expires_at > ?',
        )
        .run(now, outcome, id, now).changes === 1
    );
  }

  /** Records the expiry of one open confirmation (a tap that came too late). */
  expire(id: string, now: number): void {
    this.#db
      .prepare(
        "UPDATE confirmations SET resolved_at = ?, outcome = 'expired' WHERE id = ? AND resolved_at IS NULL",
      )
      .run(now, id);
  }

  /** Records that carrying out a confirmed confirmation failed. */
  markFailed(id: string): void {
    this.#db.prepare("UPDATE confirmations SET outcome = 'failed' WHERE id = ?").run(id);
  }

  /** Confirmations still open at `now`, oldest first. */
  pending(now: number): Confirmation[] {
    return this.#db
      .prepare('SELECT * FROM confirmations WHERE resolved_at IS NULL AND expires_at > ? ORDER BY rowid')
      .all(now)
      .map(toConfirmation);
  }
}
