/**
 * The notification outbox over the `outbox` table ({@link OutboxRepository}). Enqueueing is one synchronous insert
 * (cheap enough for an event listener on the trading path); long texts are split below
 * Telegram's limit here. Rows of a chat are sent in id order (critical rows first), one at a
 * time: a row is claimed (`sending`) before the request and marked `sent` right after the
 * answer, so only a crash inside that window can send a message twice (at-least-once).
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Db } from '../persistence/db.js';
import { OutboxRepository, type StoredOutboxRow } from '../persistence/OutboxRepository.js';
import type { Clock } from '../common/clock.js';
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

function toRow(r: StoredOutboxRow): OutboxRow {
  return {
    ...r,
    replyMarkup: r.replyMarkup ? (JSON.parse(r.replyMarkup) as InlineKeyboardMarkup) : undefined,
  };
}

/** The durable queue of chat messages over the `outbox` table. */
export class Outbox {
  readonly #repo: OutboxRepository;
  readonly #clock: Clock;
  readonly #listeners = new Set<() => void>();

  constructor(db: Db, clock: Clock) {
    this.#repo = new OutboxRepository(db);
    this.#clock = clock;
  }

  /** Queues a message for every chat; returns the row ids in send order. Synchronous. */
  enqueue(message: OutboxMessage): number[] {
    const now = this.#clock.now();
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
    const ids = this.#repo.insert(
      message.chatIds.flatMap((chat) =>
        parts.map((p) => ({
          chatId: String(chat),
          kind: message.kind,
          critical: message.critical ?? false,
          text: p.text,
          photo: p.photo,
          replyMarkup: p.markup,
          status,
          createdAt: now,
        })),
      ),
    );
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
    return this.#repo.heads().map(toRow);
  }

  /** Marks a row as being sent. False when another sender (or a finished send) got it first. */
  claim(id: number): boolean {
    return this.#repo.claim(id, this.#clock.now());
  }

  markSent(id: number, messageId?: number): void {
    this.#repo.markSent(id, this.#clock.now(), messageId);
  }

  /** Puts a row back in the queue, not before `notBefore`. */
  retryLater(id: number, notBefore: number, error: string): void {
    this.#repo.retryLater(id, notBefore, error);
  }

  /** Resends as plain text (Telegram refused the markup): the message still arrives. */
  downgradeToPlain(id: number, text: string): void {
    this.#repo.downgradeToPlain(id, text);
  }

  markFailed(id: number, error: string): void {
    this.#repo.markFailed(id, error);
  }

  /** Held rows (quiet hours) of every chat, oldest first. */
  held(): OutboxRow[] {
    return this.#repo.held().map(toRow);
  }

  /** Replaces held rows by a digest: text rows become `merged`, photo rows are released as they are. */
  releaseHeld(build: (rows: readonly OutboxRow[]) => string): number[] {
    const ids: number[] = [];
    this.#repo.transaction(() => {
      const byChat = new Map<string, OutboxRow[]>();
      for (const r of this.held()) byChat.set(r.chatId, [...(byChat.get(r.chatId) ?? []), r]);
      for (const [chat, rows] of byChat) {
        const texts = rows.filter((r) => !r.photo);
        const photos = rows.filter((r) => r.photo);
        for (const p of photos) this.#repo.setStatus(p.id, 'pending');
        if (texts.length === 0) continue;
        for (const t of texts) this.#repo.setStatus(t.id, 'merged');
        ids.push(...this.enqueue({ chatIds: [chat], kind: 'digest', text: build(texts) }));
      }
    });
    if (ids.length > 0) for (const l of this.#listeners) l();
    return ids;
  }

  /** Rows waiting to be sent (pending, sending) — the metrics' queue length. */
  pendingCount(): number {
    return this.#repo.pendingCount();
  }
}
