/**
 * The request budget holds where MEXC counts it, not only at the grant: with random event-loop
 * stalls injected between a request's grant and its leaving, in transit, before its answer is
 * read, and in the limiter's own wake-ups, the moments the requests reach the server never put
 * more than the configured number in any rolling second (all requests, orders, account reads)
 * or more than the weight budget in any rolling 10 s. Simulated time on a manual clock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter, type RequestKind } from '../../src/exchange/rateLimiter.js';
import { ManualClock } from '../../src/common/clock.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const requestArb = fc.record({
  weight: fc.integer({ min: 1, max: 12 }),
  kind: fc.constantFrom<RequestKind>('general', 'general', 'general', 'order', 'account'),
  urgent: fc.boolean(),
  /** The event loop stalls after the grant, before the request leaves the process. */
  stallBeforeSend: fc.integer({ min: 0, max: 1_600 }),
  transit: fc.integer({ min: 0, max: 400 }),
  /** Server processing, the way back, and a stall before the answer is read. */
  reply: fc.integer({ min: 0, max: 1_200 }),
});

interface Arrival {
  readonly at: number;
  readonly weight: number;
  readonly kind: RequestKind;
}

/** Most arrivals (or weight) of `pick` inside any window [t, t + windowMs) starting at an arrival. */
function worst(arrivals: readonly Arrival[], windowMs: number, pick: (a: Arrival) => number): number {
  let most = 0;
  for (const first of arrivals) {
    let sum = 0;
    for (const a of arrivals) if (a.at >= first.at && a.at < first.at + windowMs) sum += pick(a);
    most = Math.max(most, sum);
  }
  return most;
}

describe('RateLimiter with event-loop stalls', () => {
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
                const grant = await limiter.reserve({ weight: r.weight, kind: r.kind, urgent: r.urgent });
                // Time passes for everyone while this sender is held up.
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
          expect(arrivals).toHaveLength(senders.flat().length);
          expect(
            worst(arrivals, 1_000, () => 1),
            'requests in any second',
          ).toBeLessThanOrEqual(15);
          expect(
            worst(arrivals, 1_000, (a) => (a.kind === 'order' ? 1 : 0)),
            'orders in any second',
          ).toBeLessThanOrEqual(10);
          expect(
            worst(arrivals, 1_000, (a) => (a.kind === 'account' ? 1 : 0)),
            'account reads in any second',
          ).toBeLessThanOrEqual(2);
          expect(
            worst(arrivals, 10_000, (a) => a.weight),
            'weight in any 10 s',
          ).toBeLessThanOrEqual(120);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives a cancelled grant back: the next request goes at once', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const limiter = new RateLimiter({ clock, maxRequestsPerSecond: 1 });
    const grant = await limiter.reserve({ weight: 1, kind: 'general' });
    expect(limiter.stats()).toMatchObject({ inFlight: 1, totalRequests: 1 });
    grant.cancel();
    grant.done();
    expect(limiter.stats()).toMatchObject({ inFlight: 0, totalRequests: 0, weightInWindow: 0 });
    await limiter.acquire({ weight: 1, kind: 'general' });
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('holds the next request while one is unanswered, then a second after the answer', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const sleeps: number[] = [];
    const limiter = new RateLimiter({
      clock,
      maxRequestsPerSecond: 1,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
        await turn();
      },
    });
    const first = await limiter.reserve({ weight: 1, kind: 'general' });
    let second = false;
    const next = limiter.acquire({ weight: 1, kind: 'general' }).then(() => (second = true));
    // However long the answer takes, no timer lets the next one go.
    for (let i = 0; i < 20; i++) await turn();
    clock.advance(5_000);
    for (let i = 0; i < 20; i++) await turn();
    expect(second, 'granted while the first was unanswered').toBe(false);
    expect(sleeps, 'no timer while only an answer can free the slot').toEqual([]);
    first.done();
    await next;
    expect(sleeps).toEqual([1_000]);
  });
});
