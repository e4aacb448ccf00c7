/**
 * Zero-configuration smoke test of the market side: the simulator as `npm start` runs it (seed 1,
 * SIM_SPEED 60, default listing and credentials, its own SimClock shared with the client), read
 * through the real MEXC client in real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MexcClient } from '../../../src/exchange/mexc/MexcClient.js';
import { RateLimiter } from '../../../src/exchange/rateLimiter.js';
import { type SimulatorHandle, startSimulator } from '../../../src/exchange/simulator/index.js';
import { silentLogger } from '../../../src/common/logger.js';

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('simulator smoke test at SIM_SPEED 60', () => {
  it('book tops move between two reads a few hundred ms apart, and a signed getBalances succeeds', async () => {
    sim = await startSimulator({ seed: 1, speed: 60 });
    const client = new MexcClient({
      baseUrl: sim.url,
      apiKey: sim.credentials.apiKey,
      apiSecret: sim.credentials.apiSecret,
      clock: sim.clock,
      logger: silentLogger(),
      limiter: new RateLimiter({ clock: sim.clock }),
    });

    const first = await client.getBookTops();
    // 400 ms of wall time is 24 simulated seconds at speed 60.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await client.getBookTops();

    expect(first.size, 'core pairs plus a few hundred altcoins').toBeGreaterThan(300);
    for (const symbol of ['BTCUSDC', 'ETHUSDC', 'BTCUSDT', 'ETHUSDT', 'USDCUSDT']) {
      const top = second.get(symbol);
      expect(top?.bid.isPositive() && top.ask.greaterThan(top.bid), `${symbol} has a sane book`).toBe(true);
    }
    const moved = [...second].filter(([symbol, top]) => {
      const before = first.get(symbol);
      return before !== undefined && (!before.bid.equals(top.bid) || !before.ask.equals(top.ask));
    });
    expect(moved.length, 'most prices move as simulated time passes').toBeGreaterThan(first.size / 2);

    const balances = await client.getBalances();
    const free = Object.fromEntries(balances.map((b) => [b.asset, b.free.toFixed()]));
    expect(free, 'the default simulator account').toMatchObject({ USDC: '1000', USDT: '500' });
  });
});
