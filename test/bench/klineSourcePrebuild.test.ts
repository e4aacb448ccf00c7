import { describe, expect, it } from 'vitest';
import { I15, randomWalkSeries, RecordingKlineSource, type KlineQuery } from '../helpers/klineSource.js';

describe("scan-block's kline source with its candles made ahead", () => {
  it('answers every request exactly as one that makes the candles on request', async () => {
    const firstOpen = 1_700_000_000_000 - (1_700_000_000_000 % I15) - 300 * I15;
    const now = firstOpen + 260 * I15 + 123_456;
    const series = { AXUSDT: randomWalkSeries({ seed: 11, firstOpen, span: 310 }) };
    const plain = new RecordingKlineSource({ now, series });
    const ahead = new RecordingKlineSource({ now, series });
    // Made ahead for part of the range only: requests reach before and beyond it.
    ahead.prebuild(firstOpen + 20 * I15, firstOpen + 255 * I15);
    const openNow = Math.floor(now / I15) * I15;
    const queries: KlineQuery[] = [
      { symbol: 'AXUSDT', interval: '15m', limit: 250 },
      { symbol: 'AXUSDT', interval: '15m', limit: 500 },
      { symbol: 'AXUSDT', interval: '15m', startTime: openNow - 3 * I15, endTime: openNow + I15 },
      { symbol: 'AXUSDT', interval: '15m', startTime: firstOpen, endTime: firstOpen + 40 * I15 },
      { symbol: 'NONEUSDT', interval: '15m', limit: 10 },
    ];
    for (const q of queries) {
      const made = await ahead.getKlines(q);
      expect(made, JSON.stringify(q)).toEqual(await plain.getKlines(q));
      if (q.symbol === 'AXUSDT') expect(made.at(-1)?.openTime).toBeLessThanOrEqual(openNow);
    }
    // The open candle is the open one even where a closed candle of its time was made ahead.
    ahead.now = plain.now = firstOpen + 255 * I15 + 1;
    const last = { symbol: 'AXUSDT', interval: '15m', limit: 2 } as const;
    expect(await ahead.getKlines(last)).toEqual(await plain.getKlines(last));
  });
});
