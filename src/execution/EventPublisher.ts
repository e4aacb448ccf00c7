/**
 * Publishes a domain event: one audit row in `events`, then the in-process {@link EventBus}
 * (notifier, metrics). The row is written first so the audit trail survives a listener failure.
 * Components of the execution core publish through this; do not also persist the same events
 * from a bus listener.
 */
import type { AuditEntry, BotEvent, EventBus, EventSink } from '../domain/events.js';
import { describeBotEvent, type EventRepository } from '../persistence/EventRepository.js';
import type { Clock } from '../shared/clock.js';

export class EventPublisher implements EventSink {
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #repo: EventRepository;

  constructor(options: { readonly bus: EventBus; readonly clock: Clock; readonly repo: EventRepository }) {
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#repo = options.repo;
  }

  publish(event: BotEvent): void {
    this.#repo.insert({ at: this.#clock.now(), ...describeBotEvent(event) });
    this.#bus.emit(event);
  }

  /** An audit row with no chat notification (pauses, resumes, informational facts). */
  audit(row: AuditEntry): void {
    this.#repo.insert({ at: this.#clock.now(), ...row });
  }
}
