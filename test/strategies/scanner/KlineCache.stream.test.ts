import { describe, expect, it } from 'vitest';
import type { NumericCandle } from '../../../src/domain/candleColumns.js';
import { KlineCache } from '../../../src/strategies/scanner/KlineCache.js';
import { calmSeries, I15, RecordingKlineSource } from '../../helpers/klineSource.js';
import { T0 } from '../../helpers/strategySnapshot.js';

const OPEN0 = Math.floor(T0 / I15) * I15; // the candle open at T0
const SYMBOLS = ['SOLUSDT', 'XRPUSDT'];

/** A candle as the kline stream pushes it (its whole state so far). */
function pushed(openTime: number, close: number, volume: number): NumericCandle {
  return { openTime, open: close, high: close, low: close, close, volume, quoteVolume: volume * close };
}

async function warmCache() {
  const source = new RecordingKlineSource({
    now: T0,
    series: Object.fromEntries(SYMBOLS.map((s) => [s, calmSeries(T0)])),
  });
  const cache = new KlineCache();
  await cache.refresh({ source, symbols: SYMBOLS, limit: 250, now: T0 });
  source.calls.length = 0;
  return { source, cache };
}

describe('KlineCache fed by the kline stream', () => {
  it('a steady scan sends no kline request while the stream is live and unbroken', async () => {
    const { source, cache } = await warmCache();
    cache.setLiveEpoch(1);
    for (const symbol of SYMBOLS) {
      // The candle open at T0 gets its last trades, then the next candle starts.
      cache.applyStreamed(symbol, pushed(OPEN0, 1.5, 640), 1);
      cache.applyStreamed(symbol, pushed(OPEN0 + I15, 1.6, 3), 1);
    }
    const T1 = T0 + I15;
    source.now = T1;
    const r = await cache.refresh({ source, symbols: SYMBOLS, limit: 250, now: T1 });
    expect(source.calls, 'no REST request').toEqual([]);
    expect(r.requests).toBe(0);
    const sol = r.series.get('SOLUSDT')!;
    expect(sol.candles.openTimes, 'still klineLimit candles').toHaveLength(250);
    expect(sol.candles.openTimes.at(-1), 'the pushed candle appended').toBe(OPEN0 + I15);
    expect(sol.candles.closes.at(-2), 'the streamed final state of the closed candle').toBe(1.5);
    expect(sol.candles.volumes.at(-2)).toBe(640);
    expect(sol.indicators, 'indicators took the streamed closed candle').toMatchObject({ openTime: OPEN0 });

    // Fifteen minutes later nothing was pushed for the new candle yet: the one before has ended
    // on an unbroken stream, so it is final as pushed.
    const T2 = T1 + I15;
    source.now = T2;
    const r2 = await cache.refresh({ source, symbols: SYMBOLS, limit: 250, now: T2 });
    expect(source.calls, 'still no REST request').toEqual([]);
    expect(r2.series.get('SOLUSDT')!.indicators).toMatchObject({ openTime: OPEN0 + I15 });
  });

  it('after a break the candle the stream was following is read over REST once', async () => {
    const { source, cache } = await warmCache();
    cache.setLiveEpoch(1);
    for (const symbol of SYMBOLS) cache.applyStreamed(symbol, pushed(OPEN0, 1.5, 640), 1);
    // The connection drops before the candle ends and comes back as a new stretch.
    cache.setLiveEpoch(undefined);
    cache.setLiveEpoch(2);
    const T1 = T0 + I15;
    source.now = T1;
    const r = await cache.refresh({ source, symbols: SYMBOLS, limit: 250, now: T1 });
    expect(r.requests, 'one small request per symbol').toBe(2);
    expect(source.calls[0], 'from the candle the stream could not vouch for').toMatchObject({
      startTime: OPEN0,
      endTime: OPEN0 + 2 * I15,
    });
    expect(r.series.get('SOLUSDT')!.candles.volumes.at(-2), 'REST final state replaced the pushed one').toBe(
      1000,
    );
  });

  it('ignores pushes for symbols it does not hold, of an old stretch, or past a gap', async () => {
    const { source, cache } = await warmCache();
    cache.setLiveEpoch(3);
    cache.applyStreamed('NEWUSDT', pushed(OPEN0, 1, 1), 3);
    expect(cache.candles('NEWUSDT'), 'not cached: the next scan reads it cold').toBeUndefined();
    cache.applyStreamed('SOLUSDT', pushed(OPEN0 + 2 * I15, 9, 9), 3);
    expect(cache.candles('SOLUSDT')!.openTimes.at(-1), 'a gap is left to REST').toBe(OPEN0);
    cache.applyStreamed('SOLUSDT', pushed(OPEN0, 9, 9), 2);
    expect(cache.candles('SOLUSDT')!.closes.at(-1), 'a push of an earlier stretch').not.toBe(9);
    // Without pushes on this stretch, a later scan reads the candle over REST as before.
    source.now = T0 + I15;
    const r = await cache.refresh({ source, symbols: ['SOLUSDT'], limit: 250, now: source.now });
    expect(r.requests).toBe(1);
  });

  it('tells listeners which symbols it holds after every refresh', async () => {
    const { source, cache } = await warmCache();
    const seen: string[][] = [];
    cache.onRefresh((symbols) => seen.push([...symbols]));
    await cache.refresh({ source, symbols: ['SOLUSDT'], limit: 250, now: T0 });
    expect(seen).toEqual([SYMBOLS]);
  });
});
