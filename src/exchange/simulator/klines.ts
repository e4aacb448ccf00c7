/**
 * GET /api/v3/klines semantics over the candle rings. Internal to the simulator.
 *
 * Reproduces MEXC's quirks: intervals exactly `1m 5m 15m 30m 60m 4h 1d 1W
 * 1M`; limit default and maximum 500; `startTime` without `endTime` is ignored (the latest
 * candles come back); the candle opening exactly at `endTime` is excluded; only closed candles
 * plus the one in progress. History older than a ring's capacity is simply absent (fewer rows).
 */
import type { KlineInterval } from '../../domain/market.js';
import type { Bar } from './BarRing.js';
import { priceText, qtyText, quoteText } from './format.js';
import type { Market, RingKey, SymbolRuntime } from './Market.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** 1970-01-05 was a Monday: weekly candles open on Mondays 00:00 UTC. */
const WEEK_OFFSET_MS = 4 * DAY_MS;

/** The most candles one klines request returns, and the default count. */
export const MAX_KLINE_LIMIT = 500;

interface IntervalPlan {
  readonly ring: RingKey;
  readonly start: (t: number) => number;
  /** The bucket `n` buckets after (n > 0) or before (n < 0) the bucket starting at `start`. */
  readonly shift: (start: number, n: number) => number;
}

function fixed(ring: RingKey, ms: number): IntervalPlan {
  return { ring, start: (t) => Math.floor(t / ms) * ms, shift: (s, n) => s + n * ms };
}

const WEEK: IntervalPlan = {
  ring: 'd1',
  start: (t) => Math.floor((t - WEEK_OFFSET_MS) / (7 * DAY_MS)) * 7 * DAY_MS + WEEK_OFFSET_MS,
  shift: (s, n) => s + n * 7 * DAY_MS,
};

const MONTH: IntervalPlan = {
  ring: 'd1',
  start: (t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  },
  shift: (s, n) => {
    const d = new Date(s);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
  },
};

/** For each candle width: which ring serves it and how its buckets align. */
export const INTERVAL_PLANS: Readonly<Record<KlineInterval, IntervalPlan>> = {
  '1m': fixed('m1', MINUTE_MS),
  '5m': fixed('m5', 5 * MINUTE_MS),
  '15m': fixed('m5', 15 * MINUTE_MS),
  '30m': fixed('m30', 30 * MINUTE_MS),
  '60m': fixed('m30', 60 * MINUTE_MS),
  '4h': fixed('h4', 240 * MINUTE_MS),
  '1d': fixed('d1', DAY_MS),
  '1W': WEEK,
  '1M': MONTH,
};

/** Whether a request's `interval` is one MEXC serves. */
export function isKlineInterval(value: string): value is KlineInterval {
  return Object.hasOwn(INTERVAL_PLANS, value);
}

/** One candle as MEXC sends it: times as numbers, prices and volumes as strings. */
export type KlineRow = [number, string, string, string, string, string, number, string];

/** The parsed parameters of a klines request. */
export interface KlineQueryParams {
  readonly interval: KlineInterval;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

/** Candles of `plan` with source bars in [from, to), aggregated, oldest first. */
function build(
  market: Market,
  rt: SymbolRuntime,
  plan: IntervalPlan,
  from: number,
  to: number,
  now: number,
): Bar[] {
  const source: Bar[] = [];
  rt.rings[plan.ring].collect(from, to, source);
  const partial = market.partialBar(rt, now);
  if (partial && partial.openTime >= from && partial.openTime < to) source.push(partial);
  const rows: Bar[] = [];
  for (const bar of source) {
    const bucket = plan.start(bar.openTime);
    const last = rows[rows.length - 1];
    if (last && last.openTime === bucket) {
      last.high = Math.max(last.high, bar.high);
      last.low = Math.min(last.low, bar.low);
      last.close = bar.close;
      last.volume += bar.volume;
      last.quoteVolume += bar.quoteVolume;
    } else {
      rows.push({ ...bar, openTime: bucket });
    }
  }
  return rows;
}

/** The klines MEXC would return for these parameters at market time `now`. */
export function queryKlines(market: Market, rt: SymbolRuntime, q: KlineQueryParams, now: number): KlineRow[] {
  const plan = INTERVAL_PLANS[q.interval];
  const limit = Math.min(MAX_KLINE_LIMIT, Math.max(1, q.limit ?? MAX_KLINE_LIMIT));
  const current = plan.start(now);
  let rows: Bar[];
  if (q.endTime === undefined) {
    // A lone startTime is ignored, as on MEXC: the latest candles come back.
    rows = build(market, rt, plan, plan.shift(current, -(limit - 1)), plan.shift(current, 1), now).slice(
      -limit,
    );
  } else {
    const endTime = q.endTime;
    const lastBucket = Math.min(plan.start(endTime - 1), current);
    const to = plan.shift(lastBucket, 1);
    if (q.startTime !== undefined) {
      const startTime = q.startTime;
      const from = plan.start(startTime);
      rows = build(market, rt, plan, from, Math.min(to, plan.shift(from, limit + 1)), now)
        .filter((r) => r.openTime >= startTime && r.openTime < endTime)
        .slice(0, limit);
    } else {
      rows = build(market, rt, plan, plan.shift(lastBucket, -(limit - 1)), to, now)
        .filter((r) => r.openTime < endTime)
        .slice(-limit);
    }
  }
  const { spec } = rt;
  return rows.map((r) => [
    r.openTime,
    priceText(spec, r.open),
    priceText(spec, r.high),
    priceText(spec, r.low),
    priceText(spec, r.close),
    qtyText(spec, r.volume),
    plan.shift(r.openTime, 1),
    quoteText(spec, r.quoteVolume),
  ]);
}
