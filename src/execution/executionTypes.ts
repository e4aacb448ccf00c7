/**
 * What the executor answers: expected outcomes are values, never exceptions (after
 * trading-signals' AdviceExecutor returning PLACED or SKIPPED).
 */
import type { RefusalCode } from '../domain/events.js';
import type { BookTop } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { OrderRecord } from '../persistence/OrderRepository.js';

/** Why the executor did not send an order: its own checks, the owner's words for them in `RefusalCode`. */
export type ExecutionRefusalCode = Exclude<RefusalCode, 'exchange'>;

/** Why the exchange (or the way to it) did not take the order. */
export type ExecutionFailureCode =
  | 'not-tradable'
  | 'insufficient-funds'
  | 'invalid-order'
  | 'rate-limited'
  | 'auth'
  | 'suspended'
  | 'exchange';

/**
 * The numbers of a reserve check: `asset` is what the order spends; `notional` how much of it (for a
 * buy, its notional plus the fee it may pay).
 */
export interface ReserveNumbers {
  readonly asset: string;
  readonly free: Decimal;
  readonly openBuys: Decimal;
  readonly reserve: Decimal;
  readonly headroom: Decimal;
  readonly notional: Decimal;
}

/**
 * The answer to one order intent: placed, refused with a reason, outcome unknown (resolved later by client
 * id), or failed.
 */
export type ExecutionResult =
  | { readonly status: 'placed'; readonly order: OrderRecord }
  | {
      readonly status: 'refused';
      readonly code: ExecutionRefusalCode;
      readonly reason: string;
      readonly reserve?: ReserveNumbers;
    }
  | { readonly status: 'unknown'; readonly order: OrderRecord; readonly reason: string }
  | {
      readonly status: 'failed';
      readonly code: ExecutionFailureCode;
      readonly reason: string;
      /** Absent when nothing was persisted (e.g. the exchange was unreachable before sending). */
      readonly order?: OrderRecord;
    };

/**
 * The answer to one cancel: cancelled, already final, pending on the exchange, not one of ours, or failed.
 */
export type CancelResult =
  | { readonly status: 'cancelled'; readonly order: OrderRecord }
  /** Already final (filled, cancelled, rejected); `order` shows how it ended. */
  | { readonly status: 'not-open'; readonly order: OrderRecord }
  /** The exchange accepted the cancel but its final state is not known yet; tracking settles it. */
  | { readonly status: 'pending'; readonly order: OrderRecord }
  | { readonly status: 'unknown-order'; readonly clientOrderId: string }
  | { readonly status: 'failed'; readonly order: OrderRecord; readonly reason: string };

/** Extra context for one execution: the book top when known and the order being re-priced. */
export interface ExecuteOptions {
  /** The symbol's book top when the caller has it (price band check, re-pricing peg). */
  readonly bookTop?: BookTop;
  /** Client id of the order this one re-prices. */
  readonly replaces?: string;
}
