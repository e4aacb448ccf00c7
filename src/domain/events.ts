/**
 * Domain events the core emits and the notifier, metrics and audit log consume. Emitting never
 * blocks a trading decision: listeners must be synchronous and cheap (the notifier only writes
 * an outbox row).
 */
import type { OrderSide, OrderType } from './market.js';
import type { Decimal } from './money.js';
import type { OrderOrigin } from './strategy.js';

/** How loudly a notification is delivered. */
export type Severity = 'info' | 'warning' | 'critical';

/** An order as events carry it: enough to write a chat message without reading the database. */
export interface OrderView {
  readonly clientOrderId: string;
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price?: Decimal;
  readonly quantity: Decimal;
  readonly reason: string;
}

/**
 * Why an order of the bot was not placed, as the owner is told: the executor's own checks
 * (`rules`, `not-tradable`, `blocked`, `reserve`, `in-profit`, `paused`) and `exchange` when the
 * exchange refused it for another reason.
 */
export type RefusalCode =
  'rules' | 'not-tradable' | 'blocked' | 'reserve' | 'in-profit' | 'paused' | 'exchange';

/** One order the executor refused: whose, on what, why (the `order.refused` event and its log line). */
export interface OrderRefusal {
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly code: RefusalCode;
  readonly why: string;
}

/**
 * Everything the core announces (orders, fills, refusals, warnings), consumed by the notifier, metrics and
 * logs.
 */
export type BotEvent =
  | { readonly type: 'order.placed'; readonly order: OrderView }
  | {
      readonly type: 'order.filled';
      readonly order: OrderView;
      readonly qty: Decimal;
      readonly avgPrice: Decimal;
      readonly quoteQty: Decimal;
      readonly fee: Decimal;
      readonly feeAsset: string;
      /** For sells: realised PnL in the position's cost asset, fixed at the fills' prices. */
      readonly realisedPnl?: Decimal;
      /** The asset `realisedPnl` is in (USDC for BTC/ETH, USDT for altcoins). */
      readonly realisedPnlAsset?: string;
      /** Free quote balance above the reserve after the fill. */
      readonly headroomAfter?: Decimal;
      readonly partial: boolean;
      /** When the order was sent (Unix ms), if known: lets metrics time order-to-fill across restarts. */
      readonly placedAt?: number;
    }
  | { readonly type: 'order.cancelled'; readonly order: OrderView; readonly why: string }
  | ({ readonly type: 'order.refused' } & OrderRefusal)
  | { readonly type: 'order.unknown'; readonly order: OrderView; readonly why: string }
  | {
      readonly type: 'intent.proposed';
      readonly confirmationId: string;
      readonly origin: OrderOrigin;
      readonly summary: string;
      readonly expiresAt: number;
    }
  | { readonly type: 'intent.notified'; readonly origin: OrderOrigin; readonly summary: string }
  | { readonly type: 'scan.report'; readonly text: string }
  | {
      readonly type: 'alert';
      readonly severity: Severity;
      /** Deduplication key: the same key is reported once per window with a count. */
      readonly key: string;
      readonly message: string;
    };

/** An audit-trail entry that is not a chat notification (pauses, resumes, confirmations, facts). */
export interface AuditEntry {
  readonly type: string;
  readonly severity: Severity;
  readonly message: string;
  readonly origin?: string;
  readonly symbol?: string;
  readonly data?: unknown;
}

/**
 * Where components report what happened: `publish` records a {@link BotEvent} and tells the
 * listeners (notifier, metrics); `audit` only records. Lower layers (the scheduler, pauses) depend
 * on this interface, the execution core provides it.
 */
export interface EventSink {
  publish(event: BotEvent): void;
  audit(entry: AuditEntry): void;
}

type Listener = (event: BotEvent) => void;

/** A tiny synchronous event bus. A throwing listener is isolated from the others and the emitter. */
export class EventBus {
  readonly #listeners = new Set<Listener>();
  #onListenerError: (error: unknown, event: BotEvent) => void = () => {};

  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Where listener failures go (the logger, in main.ts). */
  onListenerError(handler: (error: unknown, event: BotEvent) => void): void {
    this.#onListenerError = handler;
  }

  emit(event: BotEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}
