/**
 * Sends the outbox in its own loop, never on the trading path: per chat in order, at
 * most one message per `perChatIntervalMs` (Telegram allows about one per second per chat),
 * honouring `429 retry_after`, backing off on network and server errors, and surviving
 * restarts because every state change is a row update.
 *
 * Delivery is at-least-once with a window of one message per chat: a row is claimed
 * (`sending`) before the request and marked `sent` synchronously when the answer arrives. If
 * the process dies between Telegram accepting a message and that update (microseconds, or a
 * request cut off in flight), the row is still `sending` and is sent again after the restart.
 * A row marked `sent` is never sent again.
 */
import { GrammyError, HttpError } from 'grammy';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { htmlToText } from '../telegram/format/html.js';
import type { SendFn } from '../telegram/telegramSend.js';
import type { Outbox, OutboxRow } from './Outbox.js';

/** Why a send failed, classified by what the sender does next. */
export type SendFailure =
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  | { readonly kind: 'markup' }
  | { readonly kind: 'temporary' }
  /** Telegram refused the bot token: nothing can be sent until it is fixed (and the bot restarted). */
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'permanent' };

/** What to do about a failed send, from grammY's error types. */
export function classifySendError(error: unknown): SendFailure {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      return { kind: 'rate-limited', retryAfterMs: Math.max(1, error.parameters.retry_after ?? 1) * 1000 };
    }
    if (error.error_code >= 500) return { kind: 'temporary' };
    if (error.error_code === 401) return { kind: 'unauthorized' };
    if (
      error.error_code === 400 &&
      /can't parse entities|BUTTON_DATA_INVALID|too long/i.test(error.description)
    ) {
      return { kind: 'markup' };
    }
    return { kind: 'permanent' };
  }
  if (error instanceof HttpError) return { kind: 'temporary' };
  return { kind: 'temporary' };
}

/** The outbox, the send function and the pacing and backoff of delivery. */
export interface OutboxSenderOptions {
  readonly outbox: Outbox;
  readonly send: SendFn;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Minimum gap between two messages to one chat. Default 1 000 ms. */
  readonly perChatIntervalMs?: number;
  /** First backoff after a network/server error, doubled per attempt up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Attempts before a permanently refused message (403, 400) is given up as `failed`. */
  readonly maxAttempts?: number;
  /** How long an idle loop sleeps before looking again (enqueue wakes it earlier). */
  readonly idleMs?: number;
  /** Replaces waiting (tests move a manual clock instead of sleeping). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Delivers the outbox to Telegram in its own loop, paced per chat and retried after failures. */
export class OutboxSender {
  readonly #outbox: Outbox;
  readonly #send: SendFn;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #interval: number;
  readonly #backoff: number;
  readonly #maxBackoff: number;
  readonly #maxAttempts: number;
  readonly #idleMs: number;
  readonly #sleep: ((ms: number) => Promise<void>) | undefined;
  readonly #lastSentAt = new Map<string, number>();
  #running: Promise<void> | undefined;
  #stopped = true;
  #wake: (() => void) | undefined;
  /** A wake-up that came while the loop was busy: the next pause returns at once. */
  #wakeRequested = false;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  /** The token was refused: said once in the log, not once per message. */
  #unauthorizedReported = false;

  constructor(options: OutboxSenderOptions) {
    this.#outbox = options.outbox;
    this.#send = options.send;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger();
    this.#interval = options.perChatIntervalMs ?? 1000;
    this.#backoff = options.backoffMs ?? 2000;
    this.#maxBackoff = options.maxBackoffMs ?? 60_000;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#idleMs = options.idleMs ?? 5000;
    this.#sleep = options.sleep;
  }

  /** Starts the background loop. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe = this.#outbox.onEnqueue(() => this.wake());
    this.#running = this.#loop();
  }

  /**
   * Stops the loop. A send in flight may finish for up to `graceMs`; if it does not, its row
   * stays `sending` and is sent again by the next process.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe?.();
    this.wake();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.#running, new Promise<void>((r) => (grace = setTimeout(r, graceMs)))]);
    clearTimeout(grace);
  }

  /** Looks at the queue now instead of after the current wait. */
  wake(): void {
    if (!this.#wake) this.#wakeRequested = true;
    const w = this.#wake;
    this.#wake = undefined;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    w?.();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let wait: number | undefined;
      try {
        wait = await this.pump();
      } catch (error) {
        this.#logger.error({ err: error }, 'outbox pump failed');
        wait = this.#backoff;
      }
      if (this.#stopped) break;
      await this.#pause(wait ?? this.#idleMs);
    }
  }

  #pause(ms: number): Promise<void> {
    if (ms <= 0 || this.#wakeRequested) {
      this.#wakeRequested = false;
      return Promise.resolve();
    }
    if (this.#sleep) return this.#sleep(ms);
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => this.wake(), ms);
    });
  }

  /**
   * Sends every message that is due now (at most one per chat) and returns the milliseconds
   * until the next one is due, or undefined when nothing is queued.
   */
  async pump(): Promise<number | undefined> {
    let sentSomething = false;
    for (const row of this.#outbox.heads()) {
      if (this.#stopped && this.#running) break;
      const readyAt = this.#readyAt(row);
      if (readyAt > this.#clock.now()) continue;
      await this.#sendOne(row);
      sentSomething = true;
    }
    const heads = this.#outbox.heads();
    if (heads.length === 0) return undefined;
    if (sentSomething) return 0;
    const next = Math.min(...heads.map((r) => this.#readyAt(r)));
    return Math.max(0, next - this.#clock.now());
  }

  #readyAt(row: OutboxRow): number {
    const last = this.#lastSentAt.get(row.chatId);
    return Math.max(row.notBefore, last === undefined ? 0 : last + this.#interval);
  }

  /** Sends until the queue is empty or `maxSteps` waits passed (shutdown flush, tests). */
  async drain(maxSteps = 1000): Promise<void> {
    for (let step = 0; step < maxSteps; step++) {
      const wait = await this.pump();
      if (wait === undefined) return;
      if (wait > 0)
        await (this.#sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(wait);
    }
    throw new Error(`outbox not drained after ${maxSteps} steps (${this.#outbox.pendingCount()} left)`);
  }

  async #sendOne(row: OutboxRow): Promise<void> {
    if (!this.#outbox.claim(row.id)) return;
    const now = this.#clock.now();
    try {
      const result = await this.#send({
        chatId: row.chatId,
        text: row.text,
        parseMode: row.parseMode,
        photo: row.photo,
        replyMarkup: row.replyMarkup,
      });
      this.#outbox.markSent(row.id, result.messageId);
      this.#lastSentAt.set(row.chatId, this.#clock.now());
    } catch (error) {
      const failure = classifySendError(error);
      const text = error instanceof Error ? error.message : String(error);
      const attempts = row.attempts + 1;
      this.#lastSentAt.set(row.chatId, now);
      switch (failure.kind) {
        case 'rate-limited':
          this.#logger.warn(
            { chatId: row.chatId, retryAfterMs: failure.retryAfterMs },
            'telegram rate limit',
          );
          this.#outbox.retryLater(row.id, now + failure.retryAfterMs, text);
          break;
        case 'markup':
          if (row.parseMode === 'HTML') {
            this.#logger.error(
              { err: error, id: row.id },
              'telegram refused the markup; resending as plain text',
            );
            this.#outbox.downgradeToPlain(row.id, htmlToText(row.text).slice(0, 4000));
            this.#outbox.retryLater(row.id, now, text);
          } else this.#outbox.markFailed(row.id, text);
          break;
        case 'temporary':
          this.#outbox.retryLater(row.id, now + this.#backoffFor(attempts), text);
          break;
        case 'unauthorized':
          // Kept, not given up: no message can go out with this token, and each is delivered
          // once the bot runs with a token Telegram accepts.
          if (!this.#unauthorizedReported) {
            this.#unauthorizedReported = true;
            this.#logger.error(
              { err: error },
              'telegram refused the bot token (check TELEGRAM_BOT_TOKEN); notifications are kept in the outbox',
            );
          }
          this.#outbox.retryLater(row.id, now + this.#maxBackoff, text);
          break;
        case 'permanent':
          if (attempts >= this.#maxAttempts) {
            this.#logger.error({ err: error, id: row.id }, 'notification given up');
            this.#outbox.markFailed(row.id, text);
          } else this.#outbox.retryLater(row.id, now + this.#backoffFor(attempts), text);
          break;
      }
    }
  }

  #backoffFor(attempts: number): number {
    return Math.min(this.#maxBackoff, this.#backoff * 2 ** Math.min(20, Math.max(0, attempts - 1)));
  }
}
