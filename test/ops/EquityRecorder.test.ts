import { afterEach, describe, expect, it } from 'vitest';
import { dec, sumDec, toWire } from '../../src/domain/money.js';
import type { Db } from '../../src/persistence/db.js';
import { ManualClock } from '../../src/common/clock.js';
import { EquityRecorder, thinByTime } from '../../src/ops/EquityRecorder.js';
import type { EquityValuation } from '../../src/persistence/EquitySnapshotRepository.js';
import { testDb } from '../helpers/testDb.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

/** Deterministic pseudo-random valuations whose parts add up to the total. */
function seededValuations(seed: number): () => EquityValuation {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return () => {
    const coreUsdc = dec((500 + next() * 100).toFixed(6));
    const altsUsdc = dec((400 + next() * 150).toFixed(6));
    const usdc = dec((100 + next() * 10).toFixed(2));
    const usdtInUsdc = dec((50 + next() * 5).toFixed(4));
    return {
      coreUsdc,
      altsUsdc,
      usdc,
      usdtInUsdc,
      totalUsdc: sumDec([coreUsdc, altsUsdc, usdc, usdtInUsdc]),
    };
  };
}

let db: Db;
afterEach(() => db?.close());

describe('EquityRecorder', () => {
  it('stores every amount as exact decimal TEXT', async () => {
    db = testDb();
    const value: EquityValuation = {
      totalUsdc: dec('1234.567890123456789012'),
      coreUsdc: dec('600.1'),
      altsUsdc: dec('0.000000001'),
      usdc: dec('634.467890122456789012'),
      usdtInUsdc: dec('0'),
    };
    const recorder = new EquityRecorder({ db, clock: new ManualClock(START), valuate: async () => value });
    await recorder.record(START);
    const row = db
      .prepare('SELECT typeof(total_usdc) AS t, total_usdc, alts_usdc, resolution FROM equity_snapshots')
      .get() as { t: string; total_usdc: string; alts_usdc: string; resolution: string };
    expect(row.t, 'money column type').toBe('text');
    expect(row.total_usdc, 'no rounding on the way in').toBe('1234.567890123456789012');
    expect(row.alts_usdc, 'no exponent notation').toBe('0.000000001');
    expect(row.resolution).toBe('raw');
    expect(recorder.latest()?.totalUsdc.equals(value.totalUsdc), 'read back exactly').toBe(true);
  });

  it('refuses a valuation with a non-finite amount, naming the field', async () => {
    db = testDb();
    const recorder = new EquityRecorder({
      db,
      clock: new ManualClock(START),
      valuate: async () => ({ ...seededValuations(1)(), altsUsdc: dec(0).div(0) }),
    });
    await expect(recorder.record(), 'NaN must not be stored').rejects.toThrow(/altsUsdc/);
    expect(recorder.count()).toBe(0);
  });

  it('downsamples with age, keeps real snapshots (parts add up) and bounds the row count', async () => {
    db = testDb();
    const clock = new ManualClock(START);
    const make = seededValuations(42);
    const recorded = new Map<number, EquityValuation>();
    let current: EquityValuation = make();
    const recorder = new EquityRecorder({ db, clock, valuate: async () => current });

    const interval = 10 * MIN;
    const days = 75;
    for (let at = START; at < START + days * DAY; at += interval) {
      clock.set(at);
      current = make();
      recorded.set(at, current);
      await recorder.record(at);
      if ((at - START) % HOUR === 0) recorder.compact(at);
    }
    const now = clock.now();
    recorder.compact(now);

    const rows = recorder.history('all', now, { maxPoints: 1_000_000 });
    // Raw ≤ 2 days + the partial hour, hourly ≤ 58 days + a day's slack, daily for the rest.
    const bound = (2 * DAY) / interval + 6 + 59 * 24 + (days - 60 + 1);
    expect(rows.length, `row count ${rows.length} within ${bound}`).toBeLessThanOrEqual(bound);
    expect(rows.length, 'far fewer rows than recorded').toBeLessThan(recorded.size / 3);

    for (const row of rows) {
      const original = recorded.get(row.at);
      expect(original, `row at ${row.at} is a recorded snapshot`).toBeDefined();
      for (const field of ['totalUsdc', 'coreUsdc', 'altsUsdc', 'usdc', 'usdtInUsdc'] as const) {
        expect(toWire(row[field]), `${field} at ${row.at} unchanged`).toBe(toWire(original![field]));
      }
      const parts = sumDec([row.coreUsdc, row.altsUsdc, row.usdc, row.usdtInUsdc]);
      expect(parts.equals(row.totalUsdc), `parts add up to the total at ${row.at}`).toBe(true);
    }

    const hourly = rows.filter((r) => r.resolution === 'hour');
    const daily = rows.filter((r) => r.resolution === 'day');
    const raw = rows.filter((r) => r.resolution === 'raw');
    expect(hourly.length, 'hourly rows exist').toBeGreaterThan(50 * 24);
    expect(daily.length, 'daily rows exist').toBeGreaterThanOrEqual(days - 61);
    expect(raw.length).toBeLessThanOrEqual((2 * DAY) / interval + 6);
    expect(new Set(hourly.map((r) => Math.floor(r.at / HOUR))).size, 'one row per hour').toBe(hourly.length);
    expect(new Set(daily.map((r) => Math.floor(r.at / DAY))).size, 'one row per day').toBe(daily.length);
    for (const r of hourly) {
      expect(r.at % HOUR, 'an hour keeps its last snapshot').toBe(HOUR - interval);
    }
    for (const r of daily) {
      expect(r.at % DAY, 'a day keeps its last snapshot').toBe(DAY - interval);
    }
    expect(Math.max(...daily.map((r) => r.at)), 'daily rows are older than hourly').toBeLessThan(
      Math.min(...hourly.map((r) => r.at)),
    );
    expect(recorder.latest()?.at, 'the newest snapshot is kept').toBe(now);
    expect(recorder.compact(now).removed, 'compaction converges').toBe(0);
  });

  it('returns the history of a window oldest first, thinned to maxPoints with both ends kept', async () => {
    db = testDb();
    const clock = new ManualClock(START);
    const recorder = new EquityRecorder({ db, clock, valuate: async () => seededValuations(7)() });
    for (let i = 0; i < 24 * 12 * 3; i++) await recorder.record(START + i * 5 * MIN);
    const now = START + 3 * DAY;
    const day = recorder.history('1d', now, { maxPoints: 50 });
    expect(day.length).toBeLessThanOrEqual(50);
    expect(day.length).toBeGreaterThan(40);
    expect(day[0]!.at, 'window start').toBeGreaterThanOrEqual(now - DAY);
    expect(day.at(-1)!.at, 'latest point included').toBe(START + (24 * 12 * 3 - 1) * 5 * MIN);
    expect(
      day.every((p, i) => i === 0 || p.at > day[i - 1]!.at),
      'ascending',
    ).toBe(true);
    expect(recorder.history('all', now).length, 'default cap').toBeLessThanOrEqual(600);
  });
});

describe('thinByTime', () => {
  const series = (ats: number[]) => ats.map((at) => ({ at }));

  it('keeps short series whole and both ends of long ones', () => {
    expect(thinByTime(series([1, 2, 3]), 5)).toEqual(series([1, 2, 3]));
    const thinned = thinByTime(series(Array.from({ length: 1000 }, (_, i) => i * 10)), 10);
    expect(thinned.length).toBeLessThanOrEqual(10);
    expect(thinned[0]!.at).toBe(0);
    expect(thinned.at(-1)!.at).toBe(9990);
    expect(
      thinned.every((p, i) => i === 0 || p.at > thinned[i - 1]!.at),
      'ascending',
    ).toBe(true);
  });

  it('spreads the kept points over time, not over the dense recent part', () => {
    const daily = Array.from({ length: 100 }, (_, i) => i * DAY);
    const dense = Array.from({ length: 10_000 }, (_, i) => 100 * DAY + i * 8_000);
    const thinned = thinByTime(series([...daily, ...dense]), 50);
    expect(thinned.length).toBeLessThanOrEqual(50);
    const old = thinned.filter((p) => p.at < 100 * DAY).length;
    expect(old, 'the 100 sparse days keep most of the points').toBeGreaterThanOrEqual(40);
  });
});
