/**
 * The notification outbox over the `outbox` table. Enqueueing is one synchronous insert
 * (cheap enough for an event listener on the trading path); long texts are split below
 * Telegram's limit here. Rows of a chat are sent in id order (critical rows first), one at a
 * time: a row is claimed (`sending`) before the request and marked `sent` right after the
 * answer, so only a crash inside that window can send a message twice (at-least-once).
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Db } from '../persistence/db.js';
import type { Clock } from '../shared/clock.js';
import { CAPTION_LIMIT, splitHtml } from '../telegram/format/split.js';

/** A message to queue for one or more chats. */
export interface OutboxMessage {
  readonly chatIds: readonly (number | string)[];
  /** What it is (fill, alert, digest, report…), for logs and the digest. */
  readonly kind: string;
  /** HTML text (escaped by the formatter). */
  readonly text: string;
  /** Critical messages bypass quiet hours and overtake queued ones. */
  readonly critical?: boolean;
  /** Store as held (quiet hours): released later as part of a digest. */
  readonly held?: boolean;
  readonly photo?: Buffer;
  readonly replyMarkup?: InlineKeyboardMarkup;
}

/** One queued message for one chat, as the sender claims it. */
export interface OutboxRow {
  readonly id: number;
  readonly chatId: string;
  readonly kind: string;
  readonly critical: boolean;
  readonly text: string;
  readonly parseMode: 'HTML' | 'none';
  readonly photo?: Buffer;
  readonly replyMarkup?: InlineKeyboardMarkup;
  readonly status: 'pending' | 'held' | 'sending' | 'sent' | 'failed' | 'merged';
  readonly attempts: number;
  readonly notBefore: number;
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
  status: OutboxRow['status'];
  attempts: number;
  not_before: number;
  created_at: number;
}

function toRow(r: RawRow): OutboxRow {
  return {
    id: r.id,
    chatId: r.chat_id,
    kind: r.kind,
    critical: r.critical === 1,
    text: r.text,
    parseMode: r.parse_mode === 'none' ? 'none' : 'HTML',
    photo: r.photo ?? undefined,
    replyMarkup: r.reply_markup ? (JSON.parse(r.reply_markup) as InlineKeyboardMarkup) : undefined,
    status: r.status,
    attempts: r.attempts,
    notBefore: r.not_before,
    createdAt: r.created_at,
  };
}

/** The durable queue of chat messages over the `outbox` table. */
export class Outbox {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #listeners = new Set<() => void>();

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Queues a message for every chat; returns the row ids in send order. Synchronous. */
  enqueue(message: OutboxMessage): number[] {
    const now = this.#clock.now();
    const insert = this.#db.prepare(
      `INSERT INTO outbox (chat_id, kind, critical, text, photo, status, created_at, reply_markup, parse_mode)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'HTML')`,
    );
    const status = message.held && !message.critical ? 'held' : 'pending';
    const parts: { text: string; photo?: Buffer; markup?: string }[] = [];
    const markup = message.replyMarkup ? JSON.stringify(message.replyMarkup) : undefined;
    let texts = message.text.trim() === '' ? [] : splitHtml(message.text);
    if (message.photo) {
      // A short text rides as the caption; a longer one follows the photo as messages.
      const caption = texts.length === 1 && texts[0]!.length <= CAPTION_LIMIT ? texts[0]! : '';
      if (caption) texts = [];
      parts.push({ text: caption, photo: message.photo, markup: texts.length === 0 ? markup : undefined });
    }
    texts.forEach((text, n) => parts.push({ text, markup: n === texts.length - 1 ? markup : undefined }));
    const ids: number[] = [];
    this.#db.transaction(() => {
      for (const chat of message.chatIds) {
        for (const p of parts) {
          const r = insert.run(
            String(chat),
            message.kind,
            message.critical ? 1 : 0,
            p.text,
            p.photo ?? null,
            status,
            now,
            p.markup ?? null,
          );
          ids.push(Number(r.lastInsertRowid));
        }
      }
    })();
    if (status === 'pending') for (const l of this.#listeners) l();
    return ids;
  }

  /** Called after every enqueue of sendable rows (the sender wakes up). */
  onEnqueue(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The next row of every chat with something to send (due or not). */
  heads(): OutboxRow[] {
    const chats = this.#db
      .prepare("SELECT DISTINCT chat_id FROM outbox WHERE status IN ('pending', 'sending')")
      .all() as { chat_id: string }[];
    const head = this.#db.prepare(
      "SELECT * FROM outbox WHERE chat_id = ? AND status IN ('pending', 'sending') ORDER BY critical DESC, id LIMIT 1",
    );
    return chats.map((c) => toRow(head.get(c.chat_id) as RawRow));
  }

  /** Marks a row as being sent. False when another sender (or a finished send) got it first. */
  claim(id: number): boolean {
    return (
      this.#db
        .prepare(
          "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ? WHERE id = ? AND status IN ('pending', 'sending')",
        )
        .run(this.#clock.now(), id).changes === 1
    );
  }

  markSent(id: number, messageId?: number): void {
    this.#db
      .prepare(
        "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, last_error = NULL WHERE id = ?",
      )
      .run(this.#clock.now(), messageId ?? null, id);
  }

  /** Puts a row back in the queue, not before `notBefore`. */
  retryLater(id: number, notBefore: number, error: string): void {
    this.#db
      .prepare("UPDATE outbox SET status = 'pending', not_before = ?, last_error = ? WHERE id = ?")
      .run(notBefore, error.slice(0, 500), id);
  }

  /** Resends as plain text (Telegram refused the markup): the message still arrives. */
  downgradeToPlain(id: number, text: string): void {
    this.#db.prepare("UPDATE outbox SET parse_mode = 'none', text = ? WHERE id = ?").run(text, id);
  }

  markFailed(id: number, error: string): void {
    this.#db
      .prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?")
      .run(error.slice(0, 500), id);
  }

  /** Held rows (quiet hours) of every chat, oldest first. */
  held(): OutboxRow[] {
    return (this.#db.prepare("SELECT * FROM outbox WHERE status = 'held' ORDER BY id").all() as RawRow[]).map(
      toRow,
    );
  }

  /** Replaces held rows by a digest: text rows become `merged`, photo rows are released as they are. */
  releaseHeld(build: (rows: readonly OutboxRow[]) => string): number[] {
    const ids: number[] = [];
    this.#db.transaction(() => {
      const byChat = new Map<string, OutboxRow[]>();
      for (const r of this.held()) byChat.set(r.chatId, [...(byChat.get(r.chatId) ?? []), r]);
      for (const [chat, rows] of byChat) {
        const texts = rows.filter((r) => !r.photo);
        const photos = rows.filter((r) => r.photo);
        for (const p of photos)
          this.#db.prepare("UPDATE outbox SET status = 'pending' WHERE id = ?").run(p.id);
        if (texts.length === 0) continue;
        for (const t of texts) this.#db.prepare("UPDATE outbox SET status = 'merged' WHERE id = ?").run(t.id);
        ids.push(...this.enqueue({ chatIds: [chat], kind: 'digest', text: build(texts) }));
      }
    })();
    if (ids.length > 0) for (const l of this.#listeners) l();
    return ids;
  }

  /** Rows waiting to be sent (pending, sending) — the metrics' queue length. */
  pendingCount(): number {
    return (
      this.#db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')").get() as {
        n: number;
      }
    ).n;
  }
}
