/**
 * `/chart` and the daily report's picture: portfolio value in USDC over time, with every
 * buy (green ▲) and sell (red ▼) of the window marked on the line.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { OrderSide } from '../../domain/market.js';
import type { Decimal } from '../../domain/money.js';
import { CHART_RANGE_LABEL, rangeStartMs, type ChartRange } from '../../domain/chartRange.js';
import { formatMoney, formatPercent, formatSigned, percentOf, plural } from '../../domain/format.js';
import { CHART_VIEW, PALETTES, chartConfig, type ChartTheme } from './chartTheme.js';
import { vegaLiteToSvg, type SvgResult } from './renderVegaLite.js';
import { timeAxis, toZoneWallClock, valueFormatFor } from './timeAxis.js';

/** A point of the value line; {@link EquityPoint} fits. */
export interface EquityChartPoint {
  readonly at: number;
  readonly totalUsdc: Decimal;
}

/** A fill to mark on the line. */
export interface ChartTrade {
  readonly time: number;
  readonly side: OrderSide;
  readonly symbol: string;
  /** Quote value of the fill. */
  readonly value: Decimal;
}

/** The snapshots, trades, window and theme of one portfolio value chart. */
export interface EquityChartInput {
  readonly points: readonly EquityChartPoint[];
  readonly trades?: readonly ChartTrade[];
  readonly range: ChartRange;
  readonly now: number;
  readonly theme?: ChartTheme;
  /** IANA zone for the time labels (TZ_REPORTS); default UTC. */
  readonly timeZone?: string;
  readonly widthPx?: number;
}

const TITLE = 'Portfolio value';

/** Points of `input` inside its window, oldest first. */
function windowPoints(input: EquityChartInput): EquityChartPoint[] {
  const from = rangeStartMs(input.range, input.now);
  return input.points.filter((p) => p.at >= from && p.at <= input.now).sort((a, b) => a.at - b.at);
}

/** The vega-lite spec, or undefined when fewer than two points leave nothing to draw. */
export function equityChartSpec(input: EquityChartInput): TopLevelSpec | undefined {
  const points = windowPoints(input);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || points.length < 2) return undefined;
  const palette = PALETTES[input.theme ?? 'light'];
  const zone = input.timeZone ?? 'UTC';
  const wall = (at: number) => toZoneWallClock(at, zone);

  // Numbers from here on only position pixels; every figure shown as text stays decimal.
  const line = points.map((p) => ({ t: wall(p.at), v: p.totalUsdc.toNumber() }));
  const trades = (input.trades ?? [])
    .filter((t) => t.time >= first.at && t.time <= input.now)
    .sort((a, b) => a.time - b.time);
  const markers = trades.map((t) => ({
    t: wall(t.time),
    v: valueAt(points, t.time).toNumber(),
    side: t.side === 'BUY' ? 'Buy' : 'Sell',
  }));

  const yDomain = valueDomain(line.map((p) => p.v));

  const change = last.totalUsdc.minus(first.totalUsdc);
  const changePct = formatPercent(percentOf(change, first.totalUsdc), { signed: true });
  const buys = trades.filter((t) => t.side === 'BUY').length;
  const sells = trades.length - buys;
  const subtitle = [
    `${formatMoney(last.totalUsdc)} USDC now · ${formatSigned(change)} USDC ${CHART_RANGE_LABEL[input.range]}`,
    `${plural(buys, 'buy')}, ${plural(sells, 'sell')} · times in ${zone}`,
  ];

  const x = timeAxis([wall(first.at), wall(input.now)]);
  const y = {
    field: 'v',
    type: 'quantitative' as const,
    scale: { domain: yDomain, zero: false, nice: false },
    // Vega's default tick format picks the precision from the tick step: "1,050", "0.25".
    axis: { title: 'USDC', titleFontSize: 13, tickCount: 5, format: valueFormatFor(yDomain[1]) },
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_VIEW.width,
    height: CHART_VIEW.height,
    autosize: { type: 'fit', contains: 'padding' },
    config: chartConfig(palette),
    title: { text: `${TITLE} ${changePct}`, subtitle },
    layer: [
      {
        data: { values: line },
        // Step lines: the value holds until the next snapshot, so a fill's marker (placed at the
        // value of the last snapshot before it) sits exactly on the line and the area under it.
        mark: { type: 'area', color: palette.area, opacity: 0.12, interpolate: 'step-after' },
        encoding: { x, y, y2: { datum: yDomain[0] } },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: palette.line, strokeWidth: 2.5, interpolate: 'step-after' },
        encoding: { x, y },
      },
      ...(markers.length > 0
        ? [
            {
              data: { values: markers },
              mark: {
                type: 'point' as const,
                filled: true,
                size: 170,
                opacity: 1,
                stroke: palette.background,
                strokeWidth: 1.2,
              },
              encoding: {
                x,
                y,
                shape: {
                  field: 'side',
                  type: 'nominal' as const,
                  scale: { domain: ['Buy', 'Sell'], range: ['triangle-up', 'triangle-down'] },
                  legend: { title: null },
                },
                color: {
                  field: 'side',
                  type: 'nominal' as const,
                  scale: { domain: ['Buy', 'Sell'], range: [palette.buy, palette.sell] },
                  legend: { title: null },
                },
              },
            },
          ]
        : []),
    ],
  };
}

/** Smallest half-span of the y axis, as a fraction of the value: a 0.03% wobble stays flat. */
const MIN_HALF_SPAN = 0.01;

/**
 * The y range of a value line: the data with a little room, but never narrower than ±1% of the
 * value, so a tiny move does not fill the chart's height and look like a crash.
 */
export function valueDomain(values: readonly number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const mid = (lo + hi) / 2;
  const half = Math.max(((hi - lo) / 2) * 1.08, Math.abs(mid) * MIN_HALF_SPAN, 1e-9);
  return [mid - half, mid + half];
}

/** The value line at `time`: the last point at or before it (the first point for earlier times). */
function valueAt(points: readonly EquityChartPoint[], time: number): Decimal {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (points[mid]!.at <= time) lo = mid;
    else hi = mid - 1;
  }
  return points[lo]!.totalUsdc;
}

/** The chart as SVG (for tests and debugging), or undefined when there is nothing to draw. */
export async function equityChartSvg(input: EquityChartInput): Promise<SvgResult | undefined> {
  const spec = equityChartSpec(input);
  return spec ? vegaLiteToSvg(spec) : undefined;
}
