/**
 * The shortest time in which the rate budget lets a list of requests go out: the production
 * {@link RateLimiter}, with its caps, driven by a virtual clock with zero network latency. The
 * requests are granted in list order (the limiter is FIFO), each at the earliest moment both the
 * weight window and the per-second caps allow, so the result is the time of the last grant.
 */
import {
  type RateLimitedRequest,
  RateLimiter,
  type RateLimiterOptions,
} from '../../src/exchange/rateLimiter.js';
import { ManualClock } from '../../src/common/clock.js';

export type BudgetOptions = Pick<
  RateLimiterOptions,
  'weightPer10s' | 'maxRequestsPerSecond' | 'maxOrdersPerSecond' | 'maxAccountPerSecond'
>;

/** Milliseconds from the first request to the last grant (0 when everything fits at once). */
export async function budgetFloorMs(
  requests: readonly RateLimitedRequest[],
  budget: BudgetOptions = {},
): Promise<number> {
  const clock = new ManualClock(0);
  const limiter = new RateLimiter({
    ...budget,
    clock,
    sleep: async (ms) => {
      clock.advance(ms);
    },
  });
  // All requests queued at once: the limiter grants them in order at the earliest allowed time.
  await Promise.all(requests.map((r) => limiter.acquire(r)));
  return clock.now();
}
