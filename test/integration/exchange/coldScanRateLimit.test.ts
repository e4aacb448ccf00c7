/**
 * A cold scan against a simulator that enforces MEXC's 20 requests per rolling second gets no
 * 429, even with the event loop stalling at random (time jumping on the shared clock between a
 * grant and the request reaching the server, and while the limiter waits). The scan's requests
 * are the scanner's first pass (exchange rules, all 24 h tickers, the book tops, then the kline
 * cache filling 100 candles of every USDT market, ten requests at a time) while the rest of the
 * bot reads hourly candles of the same markets all at once. Simulated time.
 */
import { describe, expect, it } from 'vitest';
import { KlineCache } from '../../../src/strategies/scanner/KlineCache.js';
import { useSimHarness } from '../../helpers/simulatorHarness.js';

/** A seeded generator in [0, 1), so a failure reproduces. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0;
    return a / 2 ** 32;
  };
}

describe('a cold scan at MEXC request limits', () => {
  const startHarness = useSimHarness();

  for (const seed of [1]) {
    it(`gets no 429 from a server enforcing 20 requests/s, with stalls injected (seed ${seed})`, async () => {
      const h = await startHarness({ sim: { altcoins: 20, requestsPerSecond: 20 } });
      const random = seeded(seed);
      let scanning = true;
      // The event loop stalling for up to 950 ms at random moments, most often while granted
      // requests are on their way (granted by the limiter, not yet seen by the server).
      const staller = (async () => {
        while (scanning) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          const onTheirWay = h.limiter.stats().totalRequests - h.sim.stats.snapshot().requests;
          if (random() < (onTheirWay >= 5 ? 0.3 : 0.02)) h.clock.advance(Math.floor(random() * 950));
        }
      })();
      const startedAt = h.clock.now();
      try {
        const rules = await h.client.getRules();
        await h.client.getTickers24h();
        await h.client.getBookTops();
        const usdt = [...rules.values()].filter((r) => r.quoteAsset === 'USDT').map((r) => r.symbol);
        expect(usdt.length).toBeGreaterThanOrEqual(20);
        const [refresh] = await Promise.all([
          new KlineCache().refresh({ source: h.client, symbols: usdt, limit: 100, now: h.clock.now() }),
          // The rest of the bot reading at the same time (other strategies, chat commands).
          ...usdt.map((symbol) => h.client.getKlines({ symbol, interval: '60m', limit: 24 })),
        ]);
        expect(refresh.failures, 'every symbol loaded').toEqual(new Map());
        expect(refresh.series.size).toBe(usdt.length);
      } finally {
        scanning = false;
        await staller;
      }
      const stats = h.sim.stats.snapshot();
      expect(stats.requests).toBeGreaterThanOrEqual(43);
      expect(stats.rejected429, '429 answers from the simulator').toBe(0);
      expect(h.limiter.stats().count429).toBe(0);
      // Not paced into uselessness either: 80 requests at 15/s and up to ~1 s stalls.
      expect(h.clock.now() - startedAt).toBeLessThan(5 * 60_000);
    });
  }
});
