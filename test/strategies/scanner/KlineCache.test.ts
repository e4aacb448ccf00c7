import { describe, expect, it } from 'vitest';
import { KlineCache } from '../../../src/strategies/scanner/KlineCache.js';
import { calmSeries, I15, prng, RecordingKlineSource } from '../../helpers/klineSource.js';
import { T0 } from '../../helpers/strategySnapshot.js';

const OPEN0 = Math.floor(T0 / I15) * I15; // the candle open at T0

function setup(symbols: string[] = ['SOLUSDT', 'XRPUSDT']) {
  const series = Object.fromEntries(symbols.map((s) => [s, calmSeries(T0)]));
  const source = new RecordingKlineSource({ now: T0, series });
  return { source, cache: new KlineCache(), symbols };
}

describe('KlineCache', () => {
  it('cold: one request of klineLimit candles per symbol, latest candles', async () => {
    const { source, cache, symbols } = setup();
    const r = await cache.refresh({ source, symbols, limit: 250, now: T0 });
    expect(source.calls).toEqual([
      { symbol: 'SOLUSDT', interval: '15m', limit: 250 },
      { symbol: 'XRPUSDT', interval: '15m', limit: 250 },
    ]);
    expect(r.requests).toBe(2);
    const sol = r.series.get('SOLUSDT')!;
    expect(sol.candles.openTimes).toHaveLength(250);
    expect(sol.candles.openTimes.at(-1), 'includes the still-open candle').toBe(OPEN0);
    expect(sol.indicators, 'indicators at the last closed candle, from 249 candles').toMatchObject({
      openTime: OPEN0 - I15,
      fed: 249,
    });
  });

  it('warm: a later scan requests only candles newer than the last closed one, with startTime AND endTime', async () => {
    const { source, cache, symbols } = setup();
    await cache.refresh({ source, symbols, limit: 250, now: T0 });
    source.calls.length = 0;
    const T1 = T0 + 15 * 60_000;
    source.now = T1;
    const r = await cache.refresh({ source, symbols, limit: 250, now: T1 });
    expect(r.requests, 'one small request per symbol').toBe(2);
    expect(source.calls).toEqual([
      // The candle open at T0 (now closed) and the one open at T1; end is exclusive.
      { symbol: 'SOLUSDT', interval: '15m', startTime: OPEN0, endTime: OPEN0 + 2 * I15, limit: 2 },
      { symbol: 'XRPUSDT', interval: '15m', startTime: OPEN0, endTime: OPEN0 + 2 * I15, limit: 2 },
    ]);
    const sol = r.series.get('SOLUSDT')!;
    const times = [...sol.candles.openTimes];
    expect(times, 'still klineLimit candles: the oldest dropped').toHaveLength(250);
    expect(times.at(-1)).toBe(OPEN0 + I15);
    expect(
      sol.candles.volumes[times.indexOf(OPEN0)],
      'the previously open candle was replaced by its final version',
    ).toBe(1000);
    expect(
      times.every((t, i) => i === 0 || t - times[i - 1]! === I15),
      'gap-free',
    ).toBe(true);
    expect(sol.indicators, 'the stream took the one newly closed candle').toMatchObject({
      openTime: OPEN0,
      fed: 250,
    });
  });

  it('the indicator stream continues across scans and starts again after a gap longer than the cache', async () => {
    const { source, cache } = setup(['SOLUSDT']);
    const symbols = ['SOLUSDT'];
    await cache.refresh({ source, symbols, limit: 100, now: T0 });
    for (let k = 1; k <= 3; k += 1) {
      source.now = T0 + k * I15;
      await cache.refresh({ source, symbols, limit: 100, now: source.now });
    }
    expect(cache.candles('SOLUSDT')!.openTimes).toHaveLength(100);
    let r = await cache.refresh({ source, symbols, limit: 100, now: source.now });
    expect(
      r.series.get('SOLUSDT')!.indicators,
      'every closed candle seen once, more than the cache holds',
    ).toMatchObject({
      openTime: OPEN0 + 2 * I15,
      fed: 102,
    });
    source.now = T0 + 200 * I15;
    r = await cache.refresh({ source, symbols, limit: 100, now: source.now });
    expect(r.series.get('SOLUSDT')!.indicators, 'restarted from the 99 closed candles cached').toMatchObject({
      openTime: OPEN0 + 199 * I15,
      fed: 99,
    });
  });

  it('makes no request when no candle has closed since the last one', async () => {
    const { source, cache, symbols } = setup();
    await cache.refresh({ source, symbols, limit: 250, now: T0 });
    const r = await cache.refresh({ source, symbols, limit: 250, now: T0 + 10 * 60_000 });
    expect(r.requests).toBe(0);
    expect(source.calls).toHaveLength(2);
    expect(r.series.get('SOLUSDT')!.candles.openTimes).toHaveLength(250);
    expect(cache.requestCount, 'lifetime count').toBe(2);
  });

  it('falls back to a cold request after a gap longer than klineLimit', async () => {
    const { source, cache, symbols } = setup(['SOLUSDT']);
    await cache.refresh({ source, symbols, limit: 100, now: T0 });
    const later = T0 + 101 * I15;
    source.now = later;
    await cache.refresh({ source, symbols, limit: 100, now: later });
    expect(source.calls.at(-1)).toEqual({ symbol: 'SOLUSDT', interval: '15m', limit: 100 });
  });

  it('a young listing with fewer candles than klineLimit is fetched whole once, then only its new candles', async () => {
    const { source, cache } = setup(['NEWUSDT']);
    const listedAt = OPEN0 - 40 * I15;
    // The exchange has nothing before the listing: a cold request gets 41 candles, not 250.
    const young = {
      getKlines: async (q: Parameters<RecordingKlineSource['getKlines']>[0]) =>
        (await source.getKlines(q)).filter((c) => c.openTime >= listedAt),
    };
    const symbols = ['NEWUSDT'];
    await cache.refresh({ source: young, symbols, limit: 250, now: T0 });
    expect(cache.candles('NEWUSDT')!.openTimes).toHaveLength(41);
    source.calls.length = 0;
    source.now = T0 + I15;
    const r = await cache.refresh({ source: young, symbols, limit: 250, now: source.now });
    expect(source.calls, 'only the new candles, not the whole history again').toEqual([
      { symbol: 'NEWUSDT', interval: '15m', startTime: OPEN0, endTime: OPEN0 + 2 * I15, limit: 2 },
    ]);
    expect(r.series.get('NEWUSDT')!.candles.openTimes).toHaveLength(42);
    expect(r.series.get('NEWUSDT')!.indicators).toMatchObject({ openTime: OPEN0, fed: 41 });
    // Asking for more candles than that short answer did is a cold request again.
    source.calls.length = 0;
    await cache.refresh({ source: young, symbols, limit: 300, now: source.now });
    expect(source.calls).toEqual([{ symbol: 'NEWUSDT', interval: '15m', limit: 300 }]);
  });

  it('after any sequence of refreshes holds exactly the newest klineLimit candles the exchange has', async () => {
    const rnd = prng(16);
    for (let round = 0; round < 20; round += 1) {
      const { source, cache } = setup(['SOLUSDT']);
      const limit = 20 + Math.floor(rnd() * 30);
      // Half the rounds a young listing: fewer candles than klineLimit at first.
      const listedAt = rnd() < 0.5 ? OPEN0 - Math.floor(rnd() * limit) * I15 : -Infinity;
      const young = {
        getKlines: async (q: Parameters<RecordingKlineSource['getKlines']>[0]) =>
          (await source.getKlines(q)).filter((c) => c.openTime >= listedAt),
      };
      let now = T0;
      for (let step = 0; step < 12; step += 1) {
        // Mostly a candle or two later, sometimes within the same candle, sometimes a long gap.
        const r = rnd();
        now += r < 0.2 ? 60_000 : r < 0.9 ? Math.ceil(rnd() * 2) * I15 : (limit + 5) * I15;
        source.now = now;
        const refreshed = await cache.refresh({ source: young, symbols: ['SOLUSDT'], limit, now });
        const expected = await young.getKlines({ symbol: 'SOLUSDT', interval: '15m', limit });
        const got = refreshed.series.get('SOLUSDT')!.candles;
        expect([...got.openTimes], `round ${round} step ${step}`).toEqual(expected.map((c) => c.openTime));
        expect([...got.closes]).toEqual(expected.map((c) => Number(c.close)));
      }
    }
  });

  it('keeps at most 10 requests in flight', async () => {
    const symbols = Array.from({ length: 30 }, (_, i) => `S${i}USDT`);
    const { source, cache } = setup(symbols);
    const r = await cache.refresh({ source, symbols, limit: 250, now: T0 });
    expect(r.requests).toBe(30);
    expect(source.maxInFlight, 'p-limit ceiling').toBe(10);
  });

  it('reports a failed symbol and keeps its previous candles for the next scan', async () => {
    const { source, cache, symbols } = setup();
    await cache.refresh({ source, symbols, limit: 250, now: T0 });
    source.fail('XRPUSDT');
    const T1 = T0 + I15;
    source.now = T1;
    const r = await cache.refresh({ source, symbols, limit: 250, now: T1 });
    expect(r.failures.get('XRPUSDT')).toBe('HTTP 503 for XRPUSDT');
    expect(r.series.has('XRPUSDT')).toBe(false);
    expect(r.series.get('SOLUSDT')!.candles.openTimes.at(-1)).toBe(OPEN0 + I15);
    expect(cache.candles('XRPUSDT')!.openTimes.at(-1), 'old data kept').toBe(OPEN0);
  });

  it('shares one request between overlapping refreshes of the same symbol', async () => {
    const { source, cache, symbols } = setup();
    await Promise.all([
      cache.refresh({ source, symbols, limit: 250, now: T0 }),
      cache.refresh({ source, symbols, limit: 250, now: T0 }),
    ]);
    expect(source.calls).toHaveLength(2);
  });

  it('evicts symbols not refreshed for a day', async () => {
    const { source, cache } = setup();
    await cache.refresh({ source, symbols: ['SOLUSDT'], limit: 250, now: T0 });
    const later = T0 + 25 * 3_600_000;
    source.now = later;
    await cache.refresh({ source, symbols: ['XRPUSDT'], limit: 250, now: later });
    expect(cache.candles('SOLUSDT')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
