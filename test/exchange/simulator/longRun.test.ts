import { afterEach, describe, expect, it } from 'vitest';
import { Market, RING_LAYOUT } from '../../../src/exchange/simulator/Market.js';
import { DAY, MINUTE, T0, startTestSim, type TestSim } from './simTestKit.js';

type Row = Record<string, unknown>;

describe('simulator over long jumps of a manual clock', () => {
  let t: TestSim | undefined;
  afterEach(async () => {
    await t?.sim.close();
  });

  it('jumps seven days and keeps serving a coherent market', async () => {
    t = await startTestSim();
    const { bid } = t.sim.market.bookTop('BTCUSDC');
    const placed = await t.signed<Row>('POST', '/api/v3/order', {
      symbol: 'BTCUSDC',
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.001',
      price: bid,
    });
    expect(placed.body, 'no BTC yet').toMatchObject({ code: 30004 });
    t.sim.account.setBalance('BTC', '0.01');
    const far = (Number(bid) * 1.03).toFixed(2);
    await t.signed('POST', '/api/v3/order', {
      symbol: 'BTCUSDC',
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.001',
      price: far,
      newClientOrderId: 'far-sell',
    });

    t.clock.advance(7 * DAY);
    const now = t.clock.now();
    const ticker = await t.get<Row>('/api/v3/ticker/24hr', { symbol: 'BTCUSDC' });
    expect(ticker.status).toBe(200);
    expect(ticker.body.closeTime).toBe(now);
    expect(Number(ticker.body.openTime), 'the 24 h window moved with the clock').toBeGreaterThan(
      now - DAY - MINUTE,
    );
    const klines = await t.get<unknown[][]>('/api/v3/klines', {
      symbol: 'BTCUSDC',
      interval: '1m',
      limit: 500,
    });
    expect(klines.body).toHaveLength(500);
    expect(klines.body.at(-1)?.[0], 'the latest candle is the current minute').toBe(
      Math.floor(now / MINUTE) * MINUTE,
    );
    const hourly = await t.get<unknown[][]>('/api/v3/klines', {
      symbol: 'BTCUSDC',
      interval: '60m',
      limit: 500,
    });
    expect(hourly.body, 'hourly history spans the jump without gaps').toHaveLength(500);
    const opens = hourly.body.map((r) => Number(r[0]));
    expect(
      opens.every((o, i) => i === 0 || o - (opens[i - 1] ?? 0) === 3600_000),
      'contiguous hours',
    ).toBe(true);

    const sell = await t.signed<Row>('GET', '/api/v3/order', {
      symbol: 'BTCUSDC',
      origClientOrderId: 'far-sell',
    });
    const high = Math.max(
      ...hourly.body.filter((r) => Number(r[0]) >= T0 - 3600_000).map((r) => Number(r[2])),
    );
    expect(sell.body.status, 'filled exactly when the week traded through +3 %').toBe(
      high >= Number(far) ? 'FILLED' : 'NEW',
    );
  });

  it('generates the same week whether stepped in six-hour hops or jumped at once', () => {
    const hopped = new Market({ seed: 3, altcoins: 10, startTime: T0 });
    const jumped = new Market({ seed: 3, altcoins: 10, startTime: T0 });
    for (let i = 1; i <= 28; i++) hopped.advanceTo(T0 + i * 6 * 3600_000);
    jumped.advanceTo(T0 + 7 * DAY);
    for (const symbol of ['BTCUSDC', 'USDCUSDT', 'SOLUSDT', 'BTC3LUSDT']) {
      const a = hopped.runtime(symbol);
      const b = jumped.runtime(symbol);
      if (!a || !b) throw new Error(`${symbol} missing`);
      expect(hopped.bookTicks(a, T0 + 7 * DAY), `${symbol}: same book`).toEqual(
        jumped.bookTicks(b, T0 + 7 * DAY),
      );
      expect(hopped.summary24h(a, T0 + 7 * DAY), `${symbol}: same 24 h`).toEqual(
        jumped.summary24h(b, T0 + 7 * DAY),
      );
    }
  });

  it('keeps memory bounded: candle storage never exceeds the ring capacities', () => {
    const market = new Market({ seed: 1, altcoins: 10, startTime: T0 });
    const perSymbol = RING_LAYOUT.reduce((sum, r) => sum + r.capacity + 1, 0);
    const bound = perSymbol * market.runtimes.length;
    const stored = (rt: (typeof market.runtimes)[number]) =>
      rt.ringList.reduce((sum, ring) => sum + ring.size, 0);
    const veterans = market.runtimes.filter((rt) => rt.spec.listedAt <= T0 - 700 * DAY);
    expect(veterans.length, 'most symbols were listed long ago').toBeGreaterThan(5);
    for (const days of [7, 14]) {
      market.advanceTo(T0 + days * DAY);
      expect(market.storedBars(), `after ${days} days: within the capacities`).toBeLessThanOrEqual(bound);
      for (const rt of veterans)
        expect(stored(rt), `${rt.spec.symbol}: rings full, not growing`).toBe(perSymbol);
    }
  });
});
