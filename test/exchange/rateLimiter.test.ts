import { describe, expect, it } from 'vitest';
import { RateLimiter, type PauseEvent } from '../../src/exchange/rateLimiter.js';
import { FakeTime, settle } from '../helpers/fakeTime.js';

/** Starts `n` acquisitions and returns the list that fills in as each is granted. */
function acquireMany(limiter: RateLimiter, n: number, weight: number, kind: 'general' | 'order' | 'account') {
  const granted: number[] = [];
  for (let i = 0; i < n; i++) void limiter.acquire({ weight, kind }).then(() => granted.push(i));
  return granted;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RateLimiter', () => {
  it('lets requests through at once while the weighted window has room', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, weightPer10s: 100 });
    const granted = acquireMany(limiter, 4, 25, 'general');
    await flush();
    expect(granted, 'four requests of weight 25 fit a budget of 100').toHaveLength(4);
    expect(limiter.stats()).toMatchObject({ totalRequests: 4, totalWeight: 100, weightInWindow: 100 });
  });

  it('holds a request that would exceed the weight until the oldest weight leaves the 10 s window', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, weightPer10s: 100 });
    const granted = acquireMany(limiter, 4, 25, 'general');
    await flush();
    time.advance(3_000);
    void limiter.acquire({ weight: 25, kind: 'general' }).then(() => granted.push(99));
    await flush();
    expect(granted, 'the fifth request waits: budget spent').toHaveLength(4);
    expect(limiter.stats().queued).toBe(1);
    time.advance(6_999);
    await flush();
    expect(granted, 'still inside the window 1 ms before the first entries expire').toHaveLength(4);
    time.advance(1);
    await settle(() => granted.length === 5, 'fifth request granted');
    expect(limiter.stats().weightInWindow, 'only the new request is in the window').toBe(25);
  });

  it('lets one request heavier than the whole budget go alone rather than never', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.autoSleep, weightPer10s: 10 });
    await limiter.acquire({ weight: 1, kind: 'general' });
    await limiter.acquire({ weight: 40, kind: 'general' });
    expect(limiter.stats().totalWeight).toBe(41);
    expect(time.clock.now() - Date.UTC(2026, 0, 1), 'it waited for the window to empty').toBe(10_000);
  });

  it('caps all requests at 15 per rolling second', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, weightPer10s: 10_000 });
    const granted = acquireMany(limiter, 20, 1, 'general');
    await flush();
    expect(granted).toHaveLength(15);
    time.advance(999);
    await flush();
    expect(granted, 'the second has not rolled over yet').toHaveLength(15);
    time.advance(1);
    await settle(() => granted.length === 20, 'rest granted');
  });

  it('caps order writes at 10/s and account reads at 2/s without blocking on other kinds', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, weightPer10s: 10_000 });
    const orders = acquireMany(limiter, 11, 1, 'order');
    await flush();
    expect(orders, 'ten orders in the first second').toHaveLength(10);
    time.advance(1_000);
    await settle(() => orders.length === 11, 'eleventh order');

    const accounts = acquireMany(limiter, 3, 10, 'account');
    await flush();
    expect(accounts, 'two account reads per second').toHaveLength(2);
    time.advance(1_000);
    await settle(() => accounts.length === 3, 'third account read');
  });

  it('after a 429 sends nothing until Retry-After (or 60 s without it), and grows the pause on repeats', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, random: () => 0 });
    const events: PauseEvent[] = [];
    limiter.onPause((e) => events.push(e));

    expect(
      limiter.reportRateLimit({ httpStatus: 429, retryAfterMs: 90_000 }),
      'Retry-After is honoured',
    ).toBe(90_000);
    const granted = acquireMany(limiter, 3, 1, 'general');
    await flush();
    time.advance(89_999);
    await flush();
    expect(granted, 'nothing during the pause').toHaveLength(0);
    expect(limiter.stats().pausedUntil).toBe(time.clock.now() + 1);
    time.advance(1);
    await settle(() => granted.length === 3, 'released after the pause');

    expect(
      limiter.reportRateLimit({ httpStatus: 429, retryAfterMs: 5_000 }),
      'second 429 in a row: twice the advice',
    ).toBe(10_000);
    expect(limiter.reportRateLimit({ httpStatus: 429 }), 'third, without advice: 4 × the 60 s floor').toBe(
      240_000,
    );
    expect(events.map((e) => e.streak)).toEqual([1, 2, 3]);
    expect(
      events.every((e) => !e.alert),
      '429 is not an alert',
    ).toBe(true);
    expect(limiter.stats().count429).toBe(3);

    time.advance(60 * 60_000);
    expect(
      limiter.reportRateLimit({ httpStatus: 429 }),
      'a 429 long after the last starts a new streak',
    ).toBe(60_000);
  });

  it('a 429 with Retry-After N lets the next request go within N + 2 s, jitter included', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, random: () => 0.999 });
    const pausedAt = time.clock.now();
    const pauseMs = limiter.reportRateLimit({ httpStatus: 429, retryAfterMs: 15_000 });
    expect(pauseMs, 'the advice plus under a second of jitter').toBeGreaterThan(15_000);
    expect(pauseMs).toBeLessThan(16_000);
    const granted = acquireMany(limiter, 1, 1, 'general');
    await flush();
    time.advance(15_000);
    await flush();
    expect(granted, 'not before the advice').toHaveLength(0);
    time.advance(1_000);
    await settle(() => granted.length === 1, 'released after the advice and its jitter');
    expect(time.clock.now() - pausedAt, 'within N + 2 s').toBeLessThanOrEqual(17_000);
  });

  it('an urgent request queued during a pause goes first when it ends, and listeners are told when', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, random: () => 0 });
    const told: number[] = [];
    limiter.onUrgentWait((e) => told.push(e.pausedUntil));
    limiter.reportRateLimit({ httpStatus: 429, retryAfterMs: 15_000 });
    const order: string[] = [];
    const reads = [1, 2, 3].map((i) =>
      limiter.acquire({ weight: 1, kind: 'general' }).then(() => order.push(`read${i}`)),
    );
    const cancel = limiter
      .acquire({ weight: 1, kind: 'order', urgent: true })
      .then(() => order.push('cancel'));
    await flush();
    expect(told, 'the urgent request was told when the pause ends').toEqual([time.clock.now() + 15_000]);
    time.advance(15_000);
    await Promise.all([...reads, cancel]);
    expect(order, 'the queued cancel goes first').toEqual(['cancel', 'read1', 'read2', 'read3']);
  });

  it('background requests leave a quarter of the budget free and never delay a foreground one', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, weightPer10s: 100 });
    const background: number[] = [];
    for (let i = 0; i < 10; i++) {
      void limiter.acquire({ weight: 10, kind: 'general', background: true }).then(() => background.push(i));
    }
    await flush();
    expect(background, 'history reads stop at 75 of 100').toHaveLength(7);
    const foreground = acquireMany(limiter, 2, 10, 'general');
    await flush();
    expect(foreground, 'a chat or trading request goes at once, in the free quarter').toHaveLength(2);
    expect(background).toHaveLength(7);
    time.advance(10_000);
    await settle(() => background.length === 10, 'the rest once the window has room');
  });

  it('pauses at least 10 minutes on 418 or a WAF 403 and raises an alert', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
    const alerts: PauseEvent[] = [];
    limiter.onPause((e) => {
      if (e.alert) alerts.push(e);
    });
    expect(limiter.reportRateLimit({ httpStatus: 418, retryAfterMs: 120_000 })).toBe(600_000);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ httpStatus: 418, pauseMs: 600_000 });
    const granted = acquireMany(limiter, 1, 1, 'general');
    time.advance(599_999);
    await flush();
    expect(granted, 'still banned').toHaveLength(0);
    time.advance(1);
    await settle(() => granted.length === 1, 'released after the ban');
    expect(limiter.reportRateLimit({ httpStatus: 403 }), 'WAF block').toBe(600_000);
    expect(limiter.stats().countBans).toBe(2);
  });

  it('stops notifying a listener after unsubscribe', () => {
    const limiter = new RateLimiter({ clock: new FakeTime().clock });
    const seen: number[] = [];
    const off = limiter.onPause((e) => seen.push(e.httpStatus));
    limiter.reportRateLimit({ httpStatus: 429 });
    off();
    limiter.reportRateLimit({ httpStatus: 429 });
    expect(seen).toEqual([429]);
  });

  it('grants in FIFO order so a heavy request is not starved by light ones', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.autoSleep, weightPer10s: 50 });
    const order: string[] = [];
    const all = [
      limiter.acquire({ weight: 30, kind: 'general' }).then(() => order.push('a30')),
      limiter.acquire({ weight: 40, kind: 'general' }).then(() => order.push('b40')),
      limiter.acquire({ weight: 1, kind: 'general' }).then(() => order.push('c1')),
    ];
    await Promise.all(all);
    expect(order).toEqual(['a30', 'b40', 'c1']);
  });
});
