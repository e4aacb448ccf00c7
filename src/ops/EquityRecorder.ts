/**
 * Portfolio value over time: a periodic snapshot of the portfolio's USDC value and its
 * parts, stored in `equity_snapshots` as TEXT decimals, and the history the charts draw.
 *
 * The table stays bounded by downsampling as rows age: raw snapshots for `rawMs` (2 days), then
 * one row per UTC hour until `hourlyMs` (60 days), then one row per UTC day. A bucket keeps its
 * LAST snapshot rather than an average, so every stored row is a real observation: the parts
 * still add up to the total exactly and the chart's end of each bucket is the true value then.
 */
import type { Db } from '../persistence/db.js';
import {
  EquitySnapshotRepository,
  type EquityPoint,
  type EquityValuation,
} from '../persistence/EquitySnapshotRepository.js';
import { ZERO, type Decimal } from '../domain/money.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import type { Clock } from '../common/clock.js';
import { rangeStartMs, type ChartRange } from '../domain/chartRange.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The equity figures of a portfolio snapshot: the same totals /balance and /pnl show. */
export function equityOf(snapshot: PortfolioSnapshot): EquityValuation {
  const { totals, assets } = snapshot.valuation;
  const valueOf = (asset: string) => assets.find((a) => a.asset === asset)?.valueUsdc ?? ZERO;
  return {
    totalUsdc: totals.totalUsdc,
    coreUsdc: totals.coreUsdc,
    altsUsdc: totals.altsUsdc,
    usdc: valueOf('USDC'),
    usdtInUsdc: valueOf('USDT'),
  };
}

/** How long each resolution is kept before it is thinned further. */
export interface EquityRetention {
  readonly rawMs: number;
  readonly hourlyMs: number;
}

/** Raw snapshots for two days and hourly ones for sixty, then one per day. */
export const DEFAULT_EQUITY_RETENTION: EquityRetention = { rawMs: 2 * DAY_MS, hourlyMs: 60 * DAY_MS };

/** Database, clock, valuation source, period and retention of the equity recorder. */
export interface EquityRecorderOptions {
  readonly clock: Clock;
  readonly db: Db;
  readonly retention?: Partial<EquityRetention>;
  /** Values the portfolio now (balances × live prices). */
  readonly valuate: () => Promise<EquityValuation>;
}

const FIELDS = ['totalUsdc', 'coreUsdc', 'altsUsdc', 'usdc', 'usdtInUsdc'] as const;

/** Records, compacts and reads the equity history. */
export class EquityRecorder {
  readonly #clock: Clock;
  readonly #snapshots: EquitySnapshotRepository;
  readonly #retention: EquityRetention;
  readonly #valuate: () => Promise<EquityValuation>;

  constructor(options: EquityRecorderOptions) {
    this.#clock = options.clock;
    this.#snapshots = new EquitySnapshotRepository(options.db);
    this.#retention = { ...DEFAULT_EQUITY_RETENTION, ...options.retention };
    this.#valuate = options.valuate;
    if (this.#retention.rawMs <= 0 || this.#retention.hourlyMs < this.#retention.rawMs) {
      throw new RangeError('retention: need 0 < rawMs <= hourlyMs');
    }
  }

  /** Values the portfolio and stores one raw snapshot at `now`. Rejects if the valuation fails. */
  async record(now: number = this.#clock.now()): Promise<EquityPoint> {
    const value = await this.#valuate();
    for (const field of FIELDS) {
      const v: unknown = value[field];
      if (!v || typeof (v as Decimal).isFinite !== 'function' || !(v as Decimal).isFinite()) {
        throw new TypeError(`valuation.${field} must be a finite Decimal, got ${String(v)}`);
      }
    }
    this.#snapshots.insertRaw(now, value);
    return { at: now, resolution: 'raw', ...pick(value) };
  }

  /**
   * Thins aged rows: older than `rawMs` → last snapshot per UTC hour, older than `hourlyMs` → last
   * per UTC day. Only whole buckets are touched, so repeated runs converge. Returns rows removed.
   */
  compact(now: number = this.#clock.now()): { removed: number } {
    const hourCut = Math.floor((now - this.#retention.rawMs) / HOUR_MS) * HOUR_MS;
    const dayCut = Math.floor((now - this.#retention.hourlyMs) / DAY_MS) * DAY_MS;
    const removed = this.#snapshots.thin([
      { cut: hourCut, bucket: HOUR_MS, resolution: 'hour', finer: ['raw'] },
      { cut: dayCut, bucket: DAY_MS, resolution: 'day', finer: ['raw', 'hour'] },
    ]);
    return { removed };
  }

  /**
   * Points inside `range` ending at `now`, oldest first, thinned evenly over time to at most
   * `maxPoints` (the first and last always kept) so a chart never draws thousands of segments.
   */
  history(range: ChartRange, now: number, options: { maxPoints?: number } = {}): EquityPoint[] {
    return thinByTime(this.#snapshots.between(rangeStartMs(range, now), now), options.maxPoints ?? 600);
  }

  /**
   * {@link history} ending with `current`, the value at `now`, so that a chart's last point and
   * headline are the figure /balance and /pnl show at this instant (not the last stored one).
   */
  historyWith(range: ChartRange, now: number, current: EquityValuation): EquityPoint[] {
    const points = this.history(range, now).filter((p) => p.at < now);
    return [...points, { at: now, resolution: 'raw', ...pick(current) }];
  }

  /** The newest snapshot, if any. */
  latest(): EquityPoint | undefined {
    return this.#snapshots.latest();
  }

  /** Number of stored rows (for status and tests of the size bound). */
  count(): number {
    return this.#snapshots.count();
  }
}

function pick(value: EquityValuation): EquityValuation {
  return {
    totalUsdc: value.totalUsdc,
    coreUsdc: value.coreUsdc,
    altsUsdc: value.altsUsdc,
    usdc: value.usdc,
    usdtInUsdc: value.usdtInUsdc,
  };
}

/**
 * Thins a time series (oldest first) to about `max` points spread evenly over TIME, not over
 * indices: each of `max - 1` equal time slices keeps its last point, and the first point stays.
 * Index-based thinning would starve the sparse daily part of a history next to dense raw rows.
 */
export function thinByTime<T extends { readonly at: number }>(points: readonly T[], max: number): T[] {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || points.length <= max || max < 2) return [...points];
  const slice = (last.at - first.at) / (max - 1);
  const out: T[] = [first];
  let current = -1;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const index = Math.min(max - 2, Math.floor((p.at - first.at) / slice));
    if (index === current) out[out.length - 1] = p;
    else out.push(p);
    current = index;
  }
  return out;
}
