/**
 * Rate limits over real HTTP: during a 429 storm the client pauses every request for the advised time.
 * Requests reaching the simulator are counted by its stats; time only moves when the test says.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../../../src/domain/errors.js';
import { settle } from '../../helpers/fakeTime.js';
import { type SimHarness, useSimHarness } from '../../helpers/simulatorHarness.js';

const startHarness = useSimHarness();

const reached = (h: SimHarness) => h.sim.stats.snapshot().requests;

/** Waits until `count` requests queue behind the limiter's pause (one sleeping pump). */
async function queuedBehindPause(h: SimHarness, count: number): Promise<void> {
  await settle(
    () => h.limiter.stats().queued === count && h.time.pendingSleeps === 1,
    `${count} requests queued behind the pause`,
  );
}

describe('MexcClient in a simulated 429 storm', () => {
  it('sends nothing, signed or not, until Retry-After has passed, then everything once', async () => {
    const h = await startHarness({ time: 'manual', limiter: { random: () => 0 } });
    h.sim.faults.rateLimitStorm({ durationMs: 90_000, retryAfterSec: 120 });

    const first = await h.client.getPrices().catch((e: unknown) => e);
    expect(first, 'the storm answers 429').toBeInstanceOf(ExchangeError);
    expect(first).toMatchObject({ kind: 'rate-limited', httpStatus: 429, retryAfterMs: 120_000 });
    expect(reached(h), 'one request reached the simulator').toBe(1);

    const pending = Promise.all([
      h.client.getPrices(),
      h.client.getKlines({ symbol: 'BTCUSDC', interval: '1m', limit: 5 }),
      h.client.getBalances(),
    ]);
    // getBalances first needs the server time: /time waits in the queue like the others.
    await queuedBehindPause(h, 3);
    h.time.advance(119_999);
    await queuedBehindPause(h, 3);
    expect(reached(h), 'nothing sent while paused, although the storm ended at 90 s').toBe(1);

    h.time.advance(1);
    const [prices, candles, balances] = await pending;
    expect(prices.get('BTCUSDC')?.isPositive(), 'prices after the pause').toBe(true);
    expect(candles, 'klines after the pause').toHaveLength(5);
    expect(balances.find((b) => b.asset === 'USDC')?.free.toFixed(), 'signed call after the pause').toBe(
      '1000',
    );
    const stats = h.sim.stats.snapshot();
    expect(stats.requests, 'prices, klines, time and account, each sent once').toBe(5);
    expect(stats.rejected429, 'only the first was refused').toBe(1);
    expect(h.limiter.stats().count429).toBe(1);
  });

  it('a storm outlasting the advice: each further 429 doubles the pause, and nothing is sent in between', async () => {
    const h = await startHarness({ time: 'manual', limiter: { random: () => 0 } });
    h.sim.faults.rateLimitStorm({ durationMs: 80_000, retryAfterSec: 30 });

    await expect(h.client.getPrices(), 'first 429').rejects.toMatchObject({ kind: 'rate-limited' });
    // Retry-After 30 s is honoured: no 60 s floor when the exchange says how long.
    const second = h.client.getPrices().catch((e: unknown) => e);
    await queuedBehindPause(h, 1);
    h.time.advance(29_999);
    await queuedBehindPause(h, 1);
    expect(reached(h), 'nothing before 30 s').toBe(1);
    h.time.advance(1);
    expect(await second, 'the storm still runs at 30 s').toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 60_000,
    });
    expect(reached(h), 'one request at 30 s').toBe(2);

    // The second 429 in a row doubles the advice: 60 s from 30 s.
    const third = h.client.getPrices();
    await queuedBehindPause(h, 1);
    h.time.advance(59_999);
    await queuedBehindPause(h, 1);
    expect(reached(h), 'nothing between 30 s and 90 s').toBe(2);
    h.time.advance(1);
    expect((await third).size, 'answered after the storm').toBeGreaterThan(0);
    const stats = h.sim.stats.snapshot();
    expect([stats.requests, stats.rejected429], 'three requests in 90 s, two refused').toEqual([3, 2]);
  });
});
