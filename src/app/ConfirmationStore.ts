/**
 * One-time, expiring confirmations over the `confirmations` table. A confirmation
 * is claimed with a single conditional UPDATE, so two taps (or a tap racing the expiry) can
 * never both win: the first decides, every later tap reads the recorded outcome.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../persistence/db.js';
import type { Clock } from '../shared/clock.js';

/** How a confirmation ended, as recorded in its row once it is claimed. */
export type ConfirmationOutcome = 'confirmed' | 'skipped' | 'expired' | 'failed';

/** A stored confirmation. `payload` is the creator's JSON, parsed. */
export interface ConfirmationRecord {
  readonly id: string;
  /** Internal row number: short, used in callback data. */
  readonly seq: number;
  readonly kind: string;
  readonly payload: unknown;
  readonly summary: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly resolvedAt?: number;
  readonly outcome?: ConfirmationOutcome;
}

/** The answer to a tap on Confirm or Skip: who won the claim, or why the tap changes nothing. */
export type ClaimResult =
  | { readonly status: 'claimed'; readonly record: ConfirmationRecord }
  | { readonly status: 'expired'; readonly record: ConfirmationRecord }
  | { readonly status: 'already-resolved'; readonly record: ConfirmationRecord }
  | { readonly status: 'unknown' };

const rowSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  kind: z.string(),
  payload: z.string(),
  summary: z.string(),
  created_at: z.number(),
  expires_at: z.number(),
  resolved_at: z.number().nullable(),
  outcome: z.enum(['confirmed', 'skipped', 'expired', 'failed']).nullable(),
});

/** Ids are short and callback-safe: 12 base32 characters. */
export function newConfirmationId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

/** Creates, lists and claims the chat's one-time confirmations in the `confirmations` table. */
export class ConfirmationStore {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Stores a new confirmation that expires after `ttlMs`. */
  create(input: {
    kind: string;
    payload: unknown;
    summary: string;
    ttlMs: number;
    id?: string;
  }): ConfirmationRecord {
    const now = this.#clock.now();
    const id = input.id ?? newConfirmationId();
    this.#db
      .prepare(
        'INSERT INTO confirmations (id, kind, payload, summary, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, input.kind, JSON.stringify(input.payload ?? null), input.summary, now, now + input.ttlMs);
    const record = this.get(id);
    if (!record) throw new Error(`confirmation ${id} vanished after insert`);
    return record;
  }

  /** By id, or by `#<seq>` (the short form used in callback data). */
  get(ref: string): ConfirmationRecord | undefined {
    const bySeq = /^#(\d{1,15})$/.exec(ref);
    const row = bySeq
      ? this.#db.prepare('SELECT rowid AS seq, * FROM confirmations WHERE rowid = ?').get(Number(bySeq[1]))
      : this.#db.prepare('SELECT rowid AS seq, * FROM confirmations WHERE id = ?').get(ref);
    if (row === undefined) return undefined;
    const r = rowSchema.parse(row);
    let payload: unknown = null;
    try {
      payload = JSON.parse(r.payload);
    } catch {
      payload = r.payload;
    }
    return {
      id: r.id,
      seq: r.seq,
      kind: r.kind,
      payload,
      summary: r.summary,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      resolvedAt: r.resolved_at ?? undefined,
      outcome: r.outcome ?? undefined,
    };
  }

  /**
   * Claims the confirmation for `decision` if it is still open and unexpired. Exactly one caller
   * ever gets `claimed`; a tap after the expiry records `expired`.
   */
  claim(ref: string, decision: 'confirmed' | 'skipped'): ClaimResult {
    const record = this.get(ref);
    if (!record) return { status: 'unknown' };
    const now = this.#clock.now();
    if (record.resolvedAt !== undefined) return { status: 'already-resolved', record };
    if (now >= record.expiresAt) {
      this.#db
        .prepare(
          "UPDATE confirmations SET resolved_at = ?, outcome = 'expired' WHERE id = ? AND resolved_at IS NULL",
        )
        .run(now, record.id);
      return { status: 'expired', record: this.get(record.id) ?? record };
    }
    const changed = this.#db
      .prepare(
        'UPDATE confirmations SET resolved_at = ?, outcome = ? WHERE id = ? AND resolved_at IS NULL AND expires_at > ?',
      )
      .run(now, decision, record.id, now).changes;
    const after = this.get(record.id) ?? record;
    return changed === 1
      ? { status: 'claimed', record: after }
      : { status: 'already-resolved', record: after };
  }

  /** Records that carrying out a claimed confirmation failed. */
  markFailed(id: string): void {
    this.#db.prepare("UPDATE confirmations SET outcome = 'failed' WHERE id = ?").run(id);
  }

  /** Confirmations still open now, oldest first. */
  pending(): ConfirmationRecord[] {
    const ids = this.#db
      .prepare('SELECT id FROM confirmations WHERE resolved_at IS NULL AND expires_at > ? ORDER BY rowid')
      .all(this.#clock.now()) as { id: string }[];
    return ids.map((r) => this.get(r.id)).filter((r): r is ConfirmationRecord => r !== undefined);
  }
}
