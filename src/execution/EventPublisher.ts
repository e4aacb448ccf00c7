/**
 * Publishes a domain event: one audit row in `events`, then the in-process {@link EventBus}
 * (notifier, metrics). The row is written first so the audit trail survives a listener failure.
 * Components of the execution core publish through this; do not also persist the same events
 * from a bus listener.
 *
 * Money-relevant events also go to the log: warnings (an order whose outcome is unknown, a
 * refused order, a warning alert) at warning level, critical ones at error level, written before
 * the audit row so that a database that refuses writes cannot silence them.
 */
import type { AuditEntry, BotEvent, EventBus, EventSink } from '../domain/events.js';
import { describeBotEvent, type EventRepository } from '../persistence/EventRepository.js';
import type { Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';

/** Records, logs (warnings and worse) and broadcasts domain events; see the module comment. */
export class EventPublisher implements EventSink {
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #repo: EventRepository;
  readonly #logger: Logger;

  constructor(options: {
    readonly bus: EventBus;
    readonly clock: Clock;
    readonly repo: EventRepository;
    readonly logger?: Logger;
  }) {
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#repo = options.repo;
    this.#logger = options.logger ?? silentLogger();
  }

  /** Logs a warning-or-worse event, writes its audit row, then tells the bus. */
  publish(event: BotEvent): void {
    const row = describeBotEvent(event);
    if (row.severity !== 'info') {
      const fields = { event: row.type, origin: row.origin, symbol: row.symbol, data: row.data };
      if (row.severity === 'critical') this.#logger.error(fields, row.message);
      else this.#logger.warn(fields, row.message);
    }
    this.#repo.insert({ at: this.#clock.now(), ...row });
    this.#bus.emit(event);
  }

  /** An audit row with no chat notification (pauses, resumes, informational facts). */
  audit(row: AuditEntry): void {
    this.#repo.insert({ at: this.#clock.now(), ...row });
  }
}
