/**
 * Time windows the owner can ask a chart for (`/chart 7d`), shared by the equity history query
 * and the chart renderers (which pick axis labels per window).
 */

export const CHART_RANGES = ['1d', '7d', '30d', '90d', '1y', 'all'] as const;
/** One time window a chart can be drawn for. */
export type ChartRange = (typeof CHART_RANGES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Length of each bounded window in ms. */
export const CHART_RANGE_MS: Readonly<Record<Exclude<ChartRange, 'all'>, number>> = {
  '1d': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
  '1y': 365 * DAY_MS,
};

/** How captions name the window's change: "+14.55 (+1.0 %) in 7 days". */
export const CHART_RANGE_LABEL: Readonly<Record<ChartRange, string>> = {
  '1d': 'in 24 hours',
  '7d': 'in 7 days',
  '30d': 'in 30 days',
  '90d': 'in 90 days',
  '1y': 'in a year',
  all: 'since start',
};

/** Whether the owner's text names a chart window. */
export function isChartRange(value: string): value is ChartRange {
  return (CHART_RANGES as readonly string[]).includes(value);
}

/** First instant (Unix ms) inside `range` ending at `now`; 0 for `all`. */
export function rangeStartMs(range: ChartRange, now: number): number {
  return range === 'all' ? 0 : now - CHART_RANGE_MS[range];
}
