import { afterEach, describe, expect, it } from 'vitest';
import { SimClock, startSimulator, type SimulatorHandle } from '../../../src/exchange/simulator/index.js';

describe('startSimulator', () => {
  let sim: SimulatorHandle | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('starts with defaults on a SimClock at the real time, on a loopback port', async () => {
    const before = Date.now();
    sim = await startSimulator({ seed: 1, speed: 60, altcoins: 5 });
    expect(sim.url, 'loopback, free port').toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.clock).toBeInstanceOf(SimClock);
    expect(sim.credentials.apiKey.length, 'a generated key').toBeGreaterThan(10);
    const time = (await (await fetch(`${sim.url}/api/v3/time`)).json()) as { serverTime: number };
    expect(time.serverTime, 'server time follows the simulated clock').toBeGreaterThanOrEqual(before);
    expect(sim.account.balances(), 'default balances').toEqual({
      USDC: { free: '1000', locked: '0' },
      USDT: { free: '500', locked: '0' },
    });
    expect(sim.market.symbols()).toEqual(expect.arrayContaining(['BTCUSDC', 'ETHUSDC', 'USDCUSDT']));
  });

  it('takes credentials and balances from the options', async () => {
    sim = await startSimulator({
      seed: 2,
      speed: 1,
      altcoins: 0,
      credentials: { apiKey: 'k', apiSecret: 's' },
      initialBalances: { USDT: '42.5' },
    });
    expect(sim.credentials).toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(sim.account.balances()).toEqual({ USDT: { free: '42.5', locked: '0' } });
  });

  it('refuses bad options, naming each field', async () => {
    await expect(
      startSimulator({ seed: 1.5, speed: 0, initialBalances: { usdt: '-1' } }),
      'seed, speed and balances are all wrong',
    ).rejects.toThrow(/seed.*speed.*initialBalances/s);
  });

  it('refuses market controls that make no sense', async () => {
    sim = await startSimulator({ seed: 3, speed: 1, altcoins: 0 });
    const s = sim;
    expect(() => s.market.setBookTop('NOPEUSDT', { bid: '1', ask: '2' }), 'unknown symbol').toThrow(
      /NOPEUSDT/,
    );
    expect(() => s.market.setBookTop('BTCUSDC', { bid: '100.001', ask: '101' }), 'off the 0.01 tick').toThrow(
      /tick/,
    );
    expect(() => s.market.setBookTop('BTCUSDC', { bid: '101', ask: '100' }), 'crossed book').toThrow(/below/);
  });
});
