import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KLINE_INTERVALS } from '../../../src/domain/market.js';
import { MINUTE, T0, startTestSim, type TestSim } from './simTestKit.js';

type Kline = [number, string, string, string, string, string, number, string];

describe('simulator klines', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim();
  });
  afterEach(async () => {
    await t.sim.close();
  });

  const klines = (params: Record<string, string | number>) =>
    t.get<Kline[]>('/api/v3/klines', { symbol: 'BTCUSDC', ...params });

  it('serves rows of [openTime, open, high, low, close, volume, closeTime, quoteVolume]', async () => {
    const res = await klines({ interval: '5m', limit: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    for (const row of res.body) {
      expect(row, 'eight columns').toHaveLength(8);
      expect(typeof row[0], 'openTime is a number').toBe('number');
      for (const i of [1, 2, 3, 4, 5, 7]) expect(typeof row[i], `column ${i} is a string`).toBe('string');
      expect(row[6], 'closeTime is the next openTime').toBe(row[0] + 5 * MINUTE);
      expect(Number(row[2]) >= Math.max(Number(row[1]), Number(row[4])), 'high on top').toBe(true);
      expect(Number(row[3]) <= Math.min(Number(row[1]), Number(row[4])), 'low at the bottom').toBe(true);
    }
    expect(res.body[2]?.[0], 'the last row is the candle in progress').toBe(
      Math.floor(T0 / (5 * MINUTE)) * 5 * MINUTE,
    );
  });

  it('accepts exactly the MEXC interval names', async () => {
    for (const interval of KLINE_INTERVALS) {
      const res = await klines({ interval, limit: 2 });
      expect(res.status, `${interval} is valid`).toBe(200);
      expect(res.body.length, `${interval} has history`).toBeGreaterThan(0);
    }
    for (const interval of ['1h', '3m', '1w', '2h', '']) {
      const res = await klines({ interval });
      expect(res.status, `${interval} is not a MEXC interval`).toBe(400);
      expect(res.body).toEqual({ code: -1121, msg: 'Invalid interval.' });
    }
  });

  it('defaults to and caps at 500 rows', async () => {
    expect((await klines({ interval: '1m' })).body, 'default limit 500').toHaveLength(500);
    expect((await klines({ interval: '15m', limit: 1000 })).body, 'limit 1000 is capped at 500').toHaveLength(
      500,
    );
    expect((await klines({ interval: '60m', limit: 500 })).body).toHaveLength(500);
  });

  it('ignores a startTime sent without endTime', async () => {
    const latest = await klines({ interval: '1m', limit: 10 });
    const withStart = await klines({ interval: '1m', limit: 10, startTime: T0 - 300 * MINUTE });
    expect(withStart.body, 'a lone startTime returns the latest candles, as on MEXC').toEqual(latest.body);
    expect(withStart.body[0]?.[0]).not.toBe(T0 - 300 * MINUTE);
  });

  it('excludes the candle opening exactly at endTime and pages forward from startTime', async () => {
    const startTime = Math.floor(T0 / MINUTE) * MINUTE - 100 * MINUTE;
    const endTime = startTime + 10 * MINUTE;
    const page = await klines({ interval: '1m', startTime, endTime, limit: 500 });
    expect(
      page.body.map((r) => r[0]),
      'ten candles, the one at endTime excluded',
    ).toEqual(Array.from({ length: 10 }, (_, i) => startTime + i * MINUTE));
    const plusOne = await klines({ interval: '1m', startTime, endTime: endTime + 1, limit: 500 });
    expect(plusOne.body, 'endTime + 1 ms includes it').toHaveLength(11);
    const limited = await klines({ interval: '1m', startTime, endTime: startTime + 400 * MINUTE, limit: 7 });
    expect(
      limited.body.map((r) => r[0]),
      'limit applies from startTime',
    ).toEqual(Array.from({ length: 7 }, (_, i) => startTime + i * MINUTE));
    const endOnly = await klines({ interval: '1m', endTime, limit: 3 });
    expect(
      endOnly.body.map((r) => r[0]),
      'endTime alone: the last rows before it',
    ).toEqual([endTime - 3 * MINUTE, endTime - 2 * MINUTE, endTime - MINUTE]);
  });

  it('returns only closed candles plus the current one, whose close is the last price', async () => {
    const future = await klines({ interval: '1m', startTime: T0 - 2 * MINUTE, endTime: T0 + 60 * MINUTE });
    const current = Math.floor(T0 / MINUTE) * MINUTE;
    expect(future.body.at(-1)?.[0], 'nothing after the current minute').toBe(current);
    const price = await t.get<{ price: string }>('/api/v3/ticker/price', { symbol: 'BTCUSDC' });
    expect(future.body.at(-1)?.[4], 'current close = last price').toBe(price.body.price);
    t.clock.advance(MINUTE);
    const later = await klines({ interval: '1m', startTime: current, endTime: current + 2 * MINUTE });
    expect(later.body, 'the candle closed and the next one opened').toHaveLength(2);
    expect(later.body[0]?.[1], 'a candle keeps its open as it completes').toBe(future.body.at(-1)?.[1]);
  });

  it('aggregates coarser intervals from finer candles', async () => {
    const fiveStart = Math.floor(T0 / (5 * MINUTE)) * 5 * MINUTE - 10 * MINUTE;
    const ones = await klines({ interval: '1m', startTime: fiveStart, endTime: fiveStart + 5 * MINUTE });
    const five = await klines({ interval: '5m', startTime: fiveStart, endTime: fiveStart + 1 });
    const row = five.body[0] as Kline;
    expect(row[1], 'open of the first minute').toBe(ones.body[0]?.[1]);
    expect(row[4], 'close of the last minute').toBe(ones.body[4]?.[4]);
    expect(Number(row[2]), 'highest high').toBe(Math.max(...ones.body.map((r) => Number(r[2]))));
    expect(Number(row[3]), 'lowest low').toBe(Math.min(...ones.body.map((r) => Number(r[3]))));
    const weekly = await klines({ interval: '1W', limit: 3 });
    for (const r of weekly.body) expect(new Date(r[0]).getUTCDay(), 'weeks open on Monday').toBe(1);
    const monthly = await klines({ interval: '1M', limit: 3 });
    for (const r of monthly.body) expect(new Date(r[0]).getUTCDate(), 'months open on the 1st').toBe(1);
    expect(monthly.body[0]?.[6], 'a month closes when the next opens').toBe(monthly.body[1]?.[0]);
  });

  it('answers -1121 for an unknown symbol', async () => {
    const res = await t.get('/api/v3/klines', { symbol: 'NOPEUSDT', interval: '1m' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });
});
