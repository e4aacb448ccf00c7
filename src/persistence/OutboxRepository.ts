/**
 * The `outbox` table: notifications waiting to be sent, being sent, held for quiet hours, sent,
 * failed or merged into a digest. Rows of a chat are handed out in id order, critical rows first;
 * a row is claimed (`sending`) before the request so two senders never both send it.
 */
import type { Db } from './db.js';

/** Where a notification is in its life. */
export type OutboxStatus = 'pending' | 'held' | 'sending' | 'sent' | 'failed' | 'merged';

/** One stored message part; `replyMarkup` is the Telegram keyboard as JSON text. */
export interface StoredOutboxRow {
  readonly id: number;
  readonly chatId: string;
  readonly kind: string;
  readonly critical: boolean;
  readonly text: string;
  readonly parseMode: 'HTML' | 'none';
  readonly photo?: Buffer;
  readonly replyMarkup?: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly notBefore: number;
  readonly createdAt: number;
}

/** A message part to store. */
export interface NewOutboxRow {
  readonly chatId: string;
  readonly kind: string;
  readonly critical: boolean;
  readonly text: string;
  readonly photo?: Buffer;
  readonly replyMarkup?: string;
  readonly status: 'pending' | 'held';
  readonly createdAt: number;
}

interface RawRow {
  id: number;
  chat_id: string;
  kind: string;
  critical: number;
  text: string;
  parse_mode: string | null;
  photo: Buffer | null;
  reply_markup: string | null;
  status: OutboxStatus;
  attempts: number;
  not_before: number;
  created_at: number;
}

const toRow = (r: RawRow): StoredOutboxRow => ({
  id: r.id,
  chatId: r.chat_id,
  kind: r.kind,
  critical: r.critical === 1,
  text: r.text,
  parseMode: r.parse_mode === 'none' ? 'none' : 'HTML',
  photo: r.photo ?? undefined,
  replyMarkup: r.reply_markup ?? undefined,
  status: r.status,
  attempts: r.attempts,
  notBefore: r.not_before,
  createdAt: r.created_at,
});

/** Reads and updates `outbox` rows. */
export class OutboxRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores the parts in one transaction; returns their ids in order. */
  insert(rows: readonly NewOutboxRow[]): number[] {
    const insert = this.#db.prepare(
      `INSERT INTO outbox (chat_id, kind, critical, text, photo, status, created_at, reply_markup, parse_mode)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'HTML')`,
    );
    return this.#db.transaction(() =>
      rows.map((r) =>
        Number(
          insert.run(
            r.chatId,
            r.kind,
            r.critical ? 1 : 0,
            r.text,
            r.photo ?? null,
            r.status,
            r.createdAt,
            r.replyMarkup ?? null,
          ).lastInsertRowid,
        ),
      ),
    )();
  }

  /** Runs `work` in one transaction (a digest replacing held rows). */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  /** The next row of every chat with something to send (due or not). */
  heads(): StoredOutboxRow[] {
    const chats = this.#db
      .prepare("SELECT DISTINCT chat_id FROM outbox WHERE status IN ('pending', 'sending')")
      .all() as { chat_id: string }[];
    const head = this.#db.prepare(
      "SELECT * FROM outbox WHERE chat_id = ? AND status IN ('pending', 'sending') ORDER BY critical DESC, id LIMIT 1",
    );
    return chats.map((c) => toRow(head.get(c.chat_id) as RawRow));
  }

  /** Marks a row as being sent. False when another sender (or a finished send) got it first. */
  claim(id: number, now: number): boolean {
    return (
      this.#db
        .prepare(
          "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ? WHERE id = ? AND status IN ('pending', 'sending')",
        )
        .run(now, id).changes === 1
    );
  }

  /** Records that Telegram accepted the row. */
  markSent(id: number, now: number, messageId?: number): void {
    this.#db
      .prepare(
        "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, last_error = NULL WHERE id = ?",
      )
      .run(now, messageId ?? null, id);
  }

  /** Puts a row back in the queue, not before `notBefore`. */
  retryLater(id: number, notBefore: number, error: string): void {
    this.#db
      .prepare("UPDATE outbox SET status = 'pending', not_before = ?, last_error = ? WHERE id = ?")
      .run(notBefore, error.slice(0, 500), id);
  }

  /** Replaces the text and sends it without markup. */
  downgradeToPlain(id: number, text: string): void {
    this.#db.prepare("UPDATE outbox SET parse_mode = 'none', text = ? WHERE id = ?").run(text, id);
  }

  /** Gives a row up for good. */
  markFailed(id: number, error: string): void {
    this.#db
      .prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?")
      .run(error.slice(0, 500), id);
  }

  /** Held rows (quiet hours) of every chat, oldest first. */
  held(): StoredOutboxRow[] {
    return (this.#db.prepare("SELECT * FROM outbox WHERE status = 'held' ORDER BY id").all() as RawRow[]).map(
      toRow,
    );
  }

  /** Moves a held row on: `pending` (released as it is) or `merged` (into a digest). */
  setStatus(id: number, status: 'pending' | 'merged'): void {
    this.#db.prepare('UPDATE outbox SET status = ? WHERE id = ?').run(status, id);
  }

  /** Rows waiting to be sent (pending, sending). */
  pendingCount(): number {
    return (
      this.#db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')").get() as {
        n: number;
      }
    ).n;
  }

  /** Deletes sent and merged rows created before `before`; returns how many. */
  deleteDeliveredBefore(before: number): number {
    return this.#db
      .prepare("DELETE FROM outbox WHERE status IN ('sent', 'merged') AND created_at < ?")
      .run(before).changes;
  }
}
