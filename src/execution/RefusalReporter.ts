/**
 * Reports orders the executor refused without flooding the chat: every refusal is logged, and an
 * `order.refused` event (audit row plus chat) goes out at most once per window per strategy and
 * refusal code (a reserve refusal at most once per hour per strategy, with the numbers).
 * Manual orders are not throttled but also not broadcast: the chat command shows its own result.
 */
import type { OrderRefusal } from '../domain/events.js';
import type { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { EventPublisher } from './EventPublisher.js';

/** Logs every refusal and tells the chat about each kind at most once per window. */
export class RefusalReporter {
  readonly #clock: Clock;
  readonly #events: EventPublisher;
  readonly #logger: Logger;
  readonly #state: StrategyStateRepository;
  readonly #windowMs: number;

  constructor(options: {
    readonly clock: Clock;
    readonly events: EventPublisher;
    readonly logger: Logger;
    readonly state: StrategyStateRepository;
    /** Default one hour. */
    readonly windowMs?: number;
  }) {
    this.#clock = options.clock;
    this.#events = options.events;
    this.#logger = options.logger;
    this.#state = options.state;
    this.#windowMs = options.windowMs ?? 3_600_000;
  }

  /** Logs the refusal and publishes it unless one with the same key went out within the window. Returns whether it was published. */
  report(refusal: OrderRefusal): boolean {
    const now = this.#clock.now();
    this.#logger.info({ ...refusal }, 'order refused');
    if (refusal.origin === 'manual') {
      this.#events.audit({
        type: 'order.refused',
        severity: 'info',
        origin: refusal.origin,
        symbol: refusal.symbol,
        message: `${refusal.side} refused (${refusal.code}): ${refusal.why}`,
      });
      return false;
    }
    // Reserve refusals are throttled per strategy (the numbers change every run); others per symbol too.
    const key = refusal.code === 'reserve' ? 'refused:reserve' : `refused:${refusal.code}:${refusal.symbol}`;
    const last = Number(this.#state.get(refusal.origin, key) ?? Number.NEGATIVE_INFINITY);
    if (now - last < this.#windowMs) return false;
    this.#state.set(refusal.origin, key, String(now), now);
    this.#events.publish({ type: 'order.refused', ...refusal });
    return true;
  }
}
