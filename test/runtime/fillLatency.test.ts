/**
 * Fills noticed in seconds: resting limit orders on a real-time account (the simulator at its
 * default limits, `EXCHANGE=mexc`, live, strategies running and a month of history being read)
 * are filled by the market at random moments; each fill must be in the ledger and announced
 * (`order.filled`) within 5 s, p95 over 20 fills. The test prints the figures.
 *
 * It runs in real time, because the rate budget and the 2 s watch cadence are what it measures:
 * about 30 s, most of it placing the 20 orders (each reads the balances first, and MEXC allows
 * two account reads a second), then about 5 s of fills a quarter of a second apart.
 */
import { describe, expect, it } from 'vitest';
import { measureFillLatency } from '../helpers/fillLatency.js';

describe('a resting order filled by the market', () => {
  it('is recorded and announced within 5 s (p95 over 20 fills, strategies running)', async () => {
    const figures = await measureFillLatency({ fills: 20, gapMs: 1_000 });
    console.log(`fill latency: ${JSON.stringify(figures)}`);

    expect(figures.announced, 'every fill announced').toBe(20);
    expect(figures.recordedWhenAnnounced, 'each fill in the ledger when announced').toBe(true);
    expect(figures.strategyRuns, 'strategies ran meanwhile').toBeGreaterThan(0);
    expect(figures.p95Ms, 'p95 within 5 s').toBeLessThanOrEqual(5_000);
  }, 90_000);
});
