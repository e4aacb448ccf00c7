/**
 * Turns the core's events into outbox rows for every owner chat. Handling an
 * event is synchronous and cheap (format + one insert), so it never slows a trading decision.
 *
 * - Errors are deduplicated: the same key is sent once per window; repeats are counted and
 *   reported with the next occurrence after the window, or by {@link Notifier.tick} when the
 *   window has passed (`error_dedupe`).
 * - Quiet hours (`notify.quietHours` in TZ_REPORTS) hold non-critical messages; the first tick
 *   after them releases one digest. Critical messages (critical alerts, reserve refusals, the
 *   kill switch) and confirmations always go at once.
 * - The daily report goes at `notify.dailyReportHour` once per day, with a chart when one can
 *   be drawn.
 */
import type { BotEvent, EventBus } from '../domain/events.js';
import type { Db } from '../persistence/db.js';
import { ErrorDedupeRepository } from '../persistence/ErrorDedupeRepository.js';
import { isSettingKey } from '../settings/definitions.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { b, escapeHtml, i } from '../telegram/format/html.js';
import { formatDuration, formatTime } from '../domain/format.js';
import { eventMessage, type EventMessage } from './eventMessages.js';
import type { SymbolPrecision } from '../domain/market.js';
import type { Outbox, OutboxRow } from './Outbox.js';
import { isQuietTime } from './quietHours.js';

/** Where notifications go and what the notifier reads: outbox, chats, settings and time zone. */
export interface NotifierOptions {
  readonly outbox: Outbox;
  readonly db: Db;
  readonly settings: SettingsStore;
  /** Where notifications go: the owners' private chats (the console's chat in console mode). */
  readonly chatIds: readonly (number | string)[];
  readonly clock?: Clock;
  /** TZ_REPORTS. */
  readonly timeZone?: string;
  readonly logger?: Logger;
  /** The exchange's tick and step of a symbol (latest rules), so fills read like the exchange's numbers. */
  readonly precisionOf: (symbol: string) => SymbolPrecision | undefined;
}

/** A message the core sends directly (startup notice, kill switch result…). */
export interface DirectMessage {
  readonly kind: string;
  /** HTML (escape dynamic parts with the format helpers). */
  readonly text: string;
  readonly critical?: boolean;
  readonly photo?: Buffer;
}

/**
 * Turns core events into chat messages in the outbox, deduplicating errors and holding quiet-hours messages.
 */
export class Notifier {
  readonly #o: NotifierOptions;
  readonly #dedupes: ErrorDedupeRepository;
  readonly #clock: Clock;
  readonly #tz: string;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;

  constructor(options: NotifierOptions) {
    this.#o = options;
    this.#dedupes = new ErrorDedupeRepository(options.db);
    this.#clock = options.clock ?? systemClock;
    this.#tz = options.timeZone ?? 'UTC';
    this.#logger = options.logger ?? silentLogger();
  }

  /** Subscribes to the bus; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    return bus.on((event) => this.handle(event));
  }

  /** Formats one event and queues it (or counts it as a repeat). Synchronous. */
  handle(event: BotEvent): void {
    const s = this.#o.settings;
    const message = eventMessage(event, {
      now: this.#clock.now(),
      notifyFills: s.get('notify.fills'),
      notifyScanReports: s.get('notify.scanReports'),
      precisionOf: this.#o.precisionOf,
      isConfirmMode: (origin) => {
        const key = `${origin}.mode`;
        return origin === 'manual' || (isSettingKey(key) && s.get(key) === 'confirm');
      },
    });
    if (message) this.#queue(message);
  }

  /** Queues a message that does not come from an event. */
  notify(message: DirectMessage): void {
    this.#queue(
      { kind: message.kind, text: message.text, critical: message.critical ?? false },
      message.photo,
    );
  }

  #queue(message: EventMessage, photo?: Buffer): void {
    let text = message.text;
    if (message.dedupe) {
      const verdict = this.#dedupe(message.dedupe.key, message.dedupe.windowMs, message);
      if (verdict.suppress) return;
      if (verdict.repeats > 0)
        text += `\n${i(`(+${verdict.repeats} more like this in the last ${formatDuration(verdict.sinceMs)})`)}`;
    }
    const quiet = !message.critical && !message.urgent && this.#isQuiet();
    this.#o.outbox.enqueue({
      chatIds: this.#o.chatIds,
      kind: message.kind,
      text,
      critical: message.critical,
      held: quiet,
      photo,
      replyMarkup: message.replyMarkup,
    });
  }

  #isQuiet(): boolean {
    return isQuietTime(this.#o.settings.get('notify.quietHours'), this.#clock.now(), this.#tz);
  }

  #dedupe(
    key: string,
    windowMs: number,
    message: EventMessage,
  ): { suppress: boolean; repeats: number; sinceMs: number } {
    const now = this.#clock.now();
    const row = this.#dedupes.get(key);
    if (!row) {
      this.#dedupes.insertSent(key, now, message.text, message.critical);
      return { suppress: false, repeats: 0, sinceMs: 0 };
    }
    if (now - row.lastSentAt < windowMs) {
      this.#dedupes.addSuppressed(key, message.text);
      return { suppress: true, repeats: 0, sinceMs: 0 };
    }
    this.#dedupes.markSent(key, now, message.text);
    return { suppress: false, repeats: row.suppressed, sinceMs: now - row.lastSentAt };
  }

  /**
   * Periodic work: report suppressed repeats whose window has passed and release the quiet-hours
   * digest. Called by {@link start}'s timer; tests call it. (The daily report has its own
   * scheduler, src/ops/DailyReportScheduler.ts, and arrives through {@link notify}.)
   */
  async tick(windowMs = 30 * 60_000): Promise<void> {
    this.#flushRepeats(windowMs);
    if (!this.#isQuiet() && this.#o.outbox.held().length > 0) {
      this.#o.outbox.releaseHeld((rows) => this.#digest(rows));
    }
  }

  #flushRepeats(windowMs: number): void {
    const now = this.#clock.now();
    for (const r of this.#dedupes.withRepeats(now - windowMs)) {
      this.#dedupes.markSent(r.key, now);
      const text = `🔁 ${b(`Repeated ${r.suppressed}× in the last ${formatDuration(now - r.lastSentAt)}`)}:\n${r.lastMessage ?? escapeHtml(r.key)}`;
      this.#o.outbox.enqueue({
        chatIds: this.#o.chatIds,
        kind: 'repeat',
        text,
        critical: r.critical,
        held: !r.critical && this.#isQuiet(),
      });
    }
  }

  #digest(rows: readonly OutboxRow[]): string {
    const now = this.#clock.now();
    const items = rows.map((r) => `• ${escapeHtml(formatTime(r.createdAt, now, this.#tz))} ${r.text}`);
    return [`🌙 ${b(`While quiet: ${rows.length} message(s)`)}`, ...items].join('\n\n');
  }

  /** Runs {@link tick} every `intervalMs` until {@link stop}. */
  start(intervalMs = 30_000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#ticking) return;
      this.#ticking = this.tick()
        .catch((error: unknown) => this.#logger.error({ err: error }, 'notifier tick failed'))
        .finally(() => (this.#ticking = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }
}
