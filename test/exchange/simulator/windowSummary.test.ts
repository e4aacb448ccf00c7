import { describe, expect, it } from 'vitest';
import { Market } from '../../../src/exchange/simulator/Market.js';
import { summariseWindow } from '../../../src/exchange/simulator/windowSummary.js';
import { MINUTE, T0 } from './simTestKit.js';

describe('summariseWindow', () => {
  it('gives the same 24 h summary from 30m/5m/1m rings as from the 1-minute candles alone', () => {
    const market = new Market({ seed: 9, altcoins: 5, startTime: T0 });
    market.advanceTo(T0 + 3 * 3600_000 + 7 * MINUTE);
    const to = market.minute * MINUTE;
    for (const rt of market.runtimes) {
      const rings = [rt.rings.m1, rt.rings.m5, rt.rings.m30];
      for (const from of [to - 1439 * MINUTE, to - 600 * MINUTE, to - 7 * MINUTE]) {
        const fast = summariseWindow(rings, from, to);
        const slow = rt.rings.m1.summarise(from, to);
        const what = `${rt.spec.symbol} over ${(to - from) / MINUTE} minutes`;
        expect(fast?.bars, `${what}: fewer rows read`).toBeLessThanOrEqual(slow?.bars ?? 0);
        expect({ ...fast, bars: 0, volume: 0, quoteVolume: 0 }, what).toEqual({
          ...slow,
          bars: 0,
          volume: 0,
          quoteVolume: 0,
        });
        // Volumes are stored as Float32 per row: sums over different rows agree to ~1e-7.
        expect((fast?.volume ?? 0) / (slow?.volume ?? 1), `${what}: same volume`).toBeCloseTo(1, 5);
        expect((fast?.quoteVolume ?? 0) / (slow?.quoteVolume ?? 1), `${what}: same quote volume`).toBeCloseTo(
          1,
          5,
        );
      }
    }
  });
});
