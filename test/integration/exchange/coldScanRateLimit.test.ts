/**
 * A cold scan against a simulator that enforces MEXC's 20 requests per second (and its weight
 * limit) gets no 429, even with the event loop stalling at random: between a grant and the
 * request reaching the server, and while the limiter waits. The scan's requests are the
 * scanner's first pass: exchange rules, all 24 h tickers, the book tops, then one klines request
 * per USDT market, all at once. Simulated time (the harness's manual clock); the same scan with
 * grants counted only at the grant (the limiter before) does get 429s here.
 */
import { describe, expect, it } from 'vitest';
import { useSimHarness } from '../../helpers/simulatorHarness.js';

/** Deterministic stall lengths (ms) and gaps, so a failure reproduces. */
function stalls(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1_103_515_245 + 12_345) >>> 0;
    return a / 2 ** 32;
  };
}

describe('cold scan at MEXC request limits', () => {
  const startHarness = useSimHarness();

  for (const seed of [1, 2, 3]) {
    it(`gets no 429 from a server enforcing 20 requests/s with stalls injected (seed ${seed})`, async () => {
      const h = await startHarness({ sim: { altcoins: 80, requestsPerSecond: 20 } });
      const random = stalls(seed);
      let scanning = true;
      // The event loop stalling: time passes while nothing else runs, at random moments.
      const staller = (async () => {
        while (scanning) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (random() < 0.3) h.clock.advance(Math.floor(random() * 950));
        }
      })();
      try {
        const rules = await h.client.getRules();
        await h.client.getTickers24h();
        await h.client.getBookTops();
        const usdt = [...rules.values()].filter((r) => r.quoteAsset === 'USDT').map((r) => r.symbol);
        expect(usdt.length).toBeGreaterThanOrEqual(80);
        await Promise.all(usdt.map((symbol) => h.client.getKlines({ symbol, interval: '15m', limit: 100 })));
      } finally {
        scanning = false;
        await staller;
      }
      const stats = h.sim.stats.snapshot();
      expect(stats.requests).toBeGreaterThanOrEqual(83);
      expect(stats.rejected429, '429 answers from the simulator').toBe(0);
      expect(h.limiter.stats().count429).toBe(0);
    });
  }
});
