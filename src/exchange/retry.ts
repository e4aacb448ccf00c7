/**
 * Retry policy for exchange requests: exponential backoff with jitter. Only idempotent requests
 * (reads) on temporary failures are retried; the caller decides that, this module only says how
 * long to wait.
 */

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  /** Delay before the first retry; doubles on each further retry. */
  readonly baseDelayMs: number;
}

/** The read retry policy the MEXC client uses unless told otherwise: three attempts, backoff from 300 ms. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300 };

/** Upper bound for one backoff delay, whatever the attempt. */
export const MAX_BACKOFF_MS = 10_000;

/**
 * Delay before retry number `retry` (1 for the first retry): base × 2^(retry−1), scaled by a
 * jitter factor in [0.5, 1.5) so that clients failing together do not retry together.
 *
 * @example backoffDelayMs({ baseDelayMs: 300, random: () => 0.5, retry: 2 }) // 600
 */
export function backoffDelayMs({
  baseDelayMs,
  random,
  retry,
}: {
  readonly baseDelayMs: number;
  readonly random: () => number;
  readonly retry: number;
}): number {
  const exponential = Math.min(baseDelayMs * 2 ** Math.max(0, retry - 1), MAX_BACKOFF_MS);
  return Math.round(exponential * (0.5 + random()));
}
