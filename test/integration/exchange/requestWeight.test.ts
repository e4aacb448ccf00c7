/**
 * Measures the request weight of one scanner-sized market pass (all 24 h tickers plus 80 kline
 * requests) as the simulator books it and as the client's rate limiter counts it. The counts are
 * deterministic and asserted to agree; wall time and clock time are only logged.
 */
import { describe, expect, it } from 'vitest';
import { useSimHarness } from '../../helpers/simulatorHarness.js';

const startHarness = useSimHarness();

const KLINE_REQUESTS = 80;

describe('request weight of one market pass', () => {
  it('all 24 h tickers + 80 klines: simulator stats and client limiter agree', async () => {
    const h = await startHarness({ sim: { altcoins: 100 } });
    const symbols = (await h.client.getTickers24h()).map((t) => t.symbol).slice(0, KLINE_REQUESTS);
    expect(symbols, 'enough symbols for 80 kline requests').toHaveLength(KLINE_REQUESTS);
    h.sim.stats.reset();
    const limiterBefore = h.limiter.stats();
    const clockBefore = h.clock.now();
    const wallBefore = performance.now();

    const tickers = await h.client.getTickers24h();
    for (const symbol of symbols) await h.client.getKlines({ symbol, interval: '15m', limit: 100 });

    const wallMs = performance.now() - wallBefore;
    const sim = h.sim.stats.snapshot();
    const limiter = h.limiter.stats();
    const clientWeight = limiter.totalWeight - limiterBefore.totalWeight;
    const clientRequests = limiter.totalRequests - limiterBefore.totalRequests;
    console.info(
      `market pass: ${sim.requests} requests, weight ${sim.weight} (simulator) / ${clientWeight} (client limiter); ` +
        `${tickers.length} tickers; ${(h.clock.now() - clockBefore) / 1000} s of clock time under the ` +
        `${limiter.weightPer10s}/10 s budget; ${wallMs.toFixed(0)} ms wall time`,
    );

    expect(sim.rejected429, 'the limiter kept the pass under the simulator limit').toBe(0);
    expect(sim.requests, 'one ticker request and 80 kline requests').toBe(1 + KLINE_REQUESTS);
    expect(clientRequests, 'the limiter saw the same requests').toBe(sim.requests);
    expect(sim.byEndpoint['GET /api/v3/ticker/24hr'], 'all-symbol 24 h ticker').toEqual({
      requests: 1,
      weight: 40,
    });
    expect(sim.byEndpoint['GET /api/v3/klines'], 'klines').toEqual({
      requests: KLINE_REQUESTS,
      weight: KLINE_REQUESTS,
    });
    expect(clientWeight, 'client and simulator count the same weight').toBe(sim.weight);
    expect(sim.weight, 'one pass').toBe(40 + KLINE_REQUESTS);
  });
});
