import { constants, getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SimClock, startSimulatorProcess } from '../../../src/exchange/simulator/index.js';
import { withChildThatCannotStart } from '../../helpers/childCannotStart.js';
import { sign } from './simTestKit.js';

/** Resolves false once `url` refuses connections (the server is gone), polling every 100 ms. */
async function answersUntilGone(url: string, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    try {
      await fetch(`${url}/api/v3/ping`);
    } catch {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe('the simulator in a child process', () => {
  it('shows the parent clock’s simulated time, accepts the given keys, and is gone after close', async () => {
    const speed = 60;
    const clock = new SimClock({ speed, start: Date.UTC(2026, 0, 1, 12) });
    const credentials = { apiKey: 'mx0vglchildprocesskey', apiSecret: 'child-process-secret' };
    const sim = await startSimulatorProcess({ seed: 3, speed, clock, altcoins: 5, credentials });
    try {
      const before = clock.now();
      const { serverTime } = (await (await fetch(`${sim.url}/api/v3/time`)).json()) as { serverTime: number };
      const after = clock.now();
      // One real millisecond of difference between the processes is 60 simulated ones.
      expect(serverTime, 'the child clock agrees with the parent clock').toBeGreaterThanOrEqual(before - 200);
      expect(serverTime).toBeLessThanOrEqual(after + 200);

      const query = `timestamp=${clock.now()}`;
      const signed = (secret: string) =>
        fetch(`${sim.url}/api/v3/account?${query}&signature=${sign(secret, query)}`, {
          headers: { 'X-MEXC-APIKEY': credentials.apiKey },
        });
      const account = (await (await signed(credentials.apiSecret)).json()) as {
        balances: { asset: string }[];
      };
      expect(account.balances.map((b) => b.asset)).toContain('USDC');
      expect((await signed('another-secret')).status, 'a wrong secret is refused').toBe(400);
      expect(sim.wsUrl).toBe(`${sim.url.replace('http', 'ws')}/ws`);
    } finally {
      await sim.close();
    }
    expect(await answersUntilGone(sim.url, 2_000), 'closed: nothing listens any more').toBe(false);
  });

  it('runs at the scheduling priority asked for, and at the parent’s otherwise', async () => {
    const clock = new SimClock({ speed: 1, start: Date.UTC(2026, 0, 1, 12) });
    const low = await startSimulatorProcess({
      seed: 3,
      speed: 1,
      clock,
      altcoins: 5,
      priority: constants.priority.PRIORITY_LOW,
    });
    const usual = await startSimulatorProcess({ seed: 3, speed: 1, clock, altcoins: 5 });
    try {
      expect(getPriority(low.pid)).toBe(constants.priority.PRIORITY_LOW);
      expect(getPriority(usual.pid)).toBe(getPriority());
      expect((await fetch(`${low.url}/api/v3/ping`)).status, 'and serves as usual').toBe(200);
    } finally {
      await Promise.all([low.close(), usual.close()]);
    }
  });

  it('fails to start with a clear reason when the child cannot start, and the bot goes on', async () => {
    const clock = new SimClock({ speed: 60, start: Date.UTC(2026, 0, 1, 12) });
    const starting = withChildThatCannotStart(() =>
      startSimulatorProcess({ seed: 3, speed: 60, clock, altcoins: 5 }),
    );
    await expect(starting).rejects.toThrow(/^the simulator process failed: .*ENOENT/);
    // The start request's send fails too, a moment later; had it been unheard, this process would have ended.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
