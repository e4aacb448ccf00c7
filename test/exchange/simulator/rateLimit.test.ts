import { afterEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from './simTestKit.js';

describe('simulator rate limiting', () => {
  let t: TestSim | undefined;
  afterEach(async () => {
    await t?.sim.close();
  });

  it('weighs endpoints like MEXC (the higher of docs and ccxt/gct weights) and counts them', async () => {
    t = await startTestSim();
    await t.get('/api/v3/ticker/24hr');
    await t.get('/api/v3/ticker/bookTicker');
    await t.get('/api/v3/depth', { symbol: 'BTCUSDC' });
    await t.get('/api/v3/klines', { symbol: 'BTCUSDC', interval: '1m' });
    await t.get('/api/v3/exchangeInfo');
    await t.signed('GET', '/api/v3/account');
    await t.signed('GET', '/api/v3/tradeFee', { symbol: 'BTCUSDC' });
    const stats = t.sim.stats.snapshot();
    expect(stats.byEndpoint['GET /api/v3/ticker/24hr'], 'all symbols: docs 40').toEqual({
      requests: 1,
      weight: 40,
    });
    expect(stats.byEndpoint['GET /api/v3/ticker/bookTicker']?.weight).toBe(10);
    expect(stats.byEndpoint['GET /api/v3/depth']?.weight).toBe(3);
    expect(stats.byEndpoint['GET /api/v3/klines']?.weight).toBe(1);
    expect(stats.byEndpoint['GET /api/v3/exchangeInfo']?.weight).toBe(25);
    expect(stats.byEndpoint['GET /api/v3/account']?.weight).toBe(10);
    expect(stats.byEndpoint['GET /api/v3/tradeFee']?.weight).toBe(20);
    expect(stats.requests).toBe(7);
    expect(stats.weight, 'total weight').toBe(40 + 10 + 3 + 1 + 25 + 10 + 20);
    t.sim.stats.reset();
    expect(t.sim.stats.snapshot()).toEqual({ requests: 0, weight: 0, byEndpoint: {}, rejected429: 0 });
  });

  it('weighs the 24 h ticker of one symbol 25 and of all symbols 40, as the MEXC client budgets it', async () => {
    t = await startTestSim();
    await t.get('/api/v3/ticker/24hr', { symbol: 'BTCUSDC' });
    expect(t.sim.stats.snapshot().weight, 'one symbol: ccxt/gct 25 (docs 1)').toBe(25);
    await t.get('/api/v3/ticker/24hr');
    expect(t.sim.stats.snapshot().weight, 'all symbols: docs 40 (ccxt/gct 25)').toBe(25 + 40);
    await t.get('/api/v3/ticker/price');
    await t.get('/api/v3/ticker/bookTicker');
    expect(t.sim.stats.snapshot().weight, 'all prices and book tops: 10 each').toBe(25 + 40 + 20);
  });

  it('answers 429 with Retry-After once the rolling 10 s budget is spent', async () => {
    t = await startTestSim({ weightPer10s: 60 });
    expect((await t.get('/api/v3/exchangeInfo')).status).toBe(200);
    t.clock.advance(4000);
    expect((await t.get('/api/v3/exchangeInfo')).status, '50 of 60 used').toBe(200);
    const limited = await t.get('/api/v3/exchangeInfo');
    expect(limited.status, 'a third 25-weight call does not fit').toBe(429);
    expect(limited.headers.get('retry-after'), 'until the first call leaves the window').toBe('6');
    expect((await t.get('/api/v3/ping')).status, 'a 1-weight call still fits').toBe(200);
    expect(t.sim.stats.snapshot().rejected429).toBe(1);
    t.clock.advance(6000);
    expect((await t.get('/api/v3/exchangeInfo')).status, 'the window rolled on').toBe(200);
  });
});
