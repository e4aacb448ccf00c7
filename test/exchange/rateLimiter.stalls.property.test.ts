/**
 * The request budget holds at MEXC's end, not only at the grant: with random event-loop stalls
 * injected between a grant and the request leaving, in the limiter's own wake-ups and in transit,
 * the times the requests reach the server never put more than the configured number in any
 * rolling second (all requests, orders, account reads) or more than the weight budget in any
 * rolling 10 s. Simulated time (a manual clock); a request reaches the server at some instant
 * between leaving and its answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter, type RequestKind } from '../../src/exchange/rateLimiter.js';
import { ManualClock } from '../../src/shared/clock.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const requestArb = fc.record({
  weight: fc.integer({ min: 1, max: 12 }),
  kind: fc.constantFrom<RequestKind>('general', 'general', 'general', 'order', 'account'),
  stallBeforeSend: fc.integer({ min: 0, max: 1_600 }),
  transit: fc.integer({ min: 0, max: 400 }),
  reply: fc.integer({ min: 0, max: 400 }),
});

interface Arrival {
  readonly at: number;
  readonly weight: number;
  readonly kind: RequestKind;
}

/** Most arrivals (or weight) of `pick` inside any window of `windowMs` starting at an arrival. */
function worst(arrivals: readonly Arrival[], windowMs: number, pick: (a: Arrival) => number): number {
  let most = 0;
  for (const first of arrivals) {
    let sum = 0;
    for (const a of arrivals) if (a.at >= first.at && a.at < first.at + windowMs) sum += pick(a);
    most = Math.max(most, sum);
  }
  return most;
}

describe('RateLimiter with stalls', () => {
  it('never exceeds its per-second caps or its 10 s weight budget where the requests arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(requestArb, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 20 }),
        async (senders, pumpStalls) => {
          const clock = new ManualClock(Date.UTC(2026, 0, 1));
          let nextStall = 0;
          const limiter = new RateLimiter({
            clock,
            // The limiter's own wake-up comes late by a stall, as a timer does behind a long task.
            sleep: async (ms) => {
              clock.advance(ms + pumpStalls[nextStall++ % pumpStalls.length]!);
              await turn();
            },
            weightPer10s: 120,
          });
          const arrivals: Arrival[] = [];
          await Promise.all(
            senders.map(async (requests) => {
              for (const r of requests) {
                const grant = await limiter.reserve({ weight: r.weight, kind: r.kind });
                // A stall between the grant and the request leaving (time passes for everyone).
                clock.advance(r.stallBeforeSend);
                await turn();
                clock.advance(r.transit);
                arrivals.push({ at: clock.now(), weight: r.weight, kind: r.kind });
                await turn();
                clock.advance(r.reply);
                grant.done();
              }
            }),
          );
          expect(
            worst(arrivals, 1_000, () => 1),
            'requests in any second',
          ).toBeLessThanOrEqual(15);
          expect(worst(arrivals, 1_000, (a) => (a.kind === 'order' ? 1 : 0))).toBeLessThanOrEqual(10);
          expect(worst(arrivals, 1_000, (a) => (a.kind === 'account' ? 1 : 0))).toBeLessThanOrEqual(2);
          expect(
            worst(arrivals, 10_000, (a) => a.weight),
            'weight in any 10 s',
          ).toBeLessThanOrEqual(120);
        },
      ),
      { numRuns: 40 },
    );
  });
});
