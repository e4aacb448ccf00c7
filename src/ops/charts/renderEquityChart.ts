/**
 * `/chart` and the daily report's picture (§6.7): portfolio value in USDC over time, with every
 * buy (green ▲) and sell (red ▼) of the window marked on the line.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { OrderSide } from '../../domain/market.js';
import type { Decimal } from '../../domain/money.js';
import { CHART_RANGE_LABEL, rangeStartMs, type ChartRange } from '../../domain/chartRange.js';
import { formatAmount, formatPercent, formatSigned, percentOf, plural } from '../formatMoney.js';
import { CHART_VIEW, PALETTES, chartConfig, type ChartTheme } from './chartTheme.js';
import { renderNoDataChart } from './renderNoDataChart.js';
import { svgToPng, vegaLiteToSvg, type SvgResult } from './renderVegaLite.js';
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
  /** Quote value of the fill (shown in no label today; kept for future sizing). */
  readonly value: Decimal;
}

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

  const values = line.map((p) => p.v);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.01, 1);
  const yDomain = [lo - pad, hi + pad];

  const change = last.totalUsdc.minus(first.totalUsdc);
  const buys = trades.filter((t) => t.side === 'BUY').length;
  const sells = trades.length - buys;
  const subtitle = [
    `${formatAmount(last.totalUsdc)} USDC · ${formatSigned(change)} (${formatPercent(percentOf(change, first.totalUsdc))}) ${CHART_RANGE_LABEL[input.range]}`,
    `${plural(buys, 'buy')}, ${plural(sells, 'sell')} · times in ${zone}`,
  ];

  const x = timeAxis([wall(first.at), wall(input.now)]);
  const y = {
    field: 'v',
    type: 'quantitative' as const,
    scale: { domain: yDomain, zero: false, nice: false },
    // Vega's default tick format picks the precision from the tick step: "1,050", "0.25".
    axis: { title: null, tickCount: 5, format: valueFormatFor(hi) },
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_VIEW.width,
    height: CHART_VIEW.height,
    autosize: { type: 'fit', contains: 'padding' },
    config: chartConfig(palette),
    title: { text: TITLE, subtitle },
    layer: [
      {
        data: { values: line },
        mark: { type: 'area', color: palette.area, opacity: 0.12 },
        encoding: { x, y, y2: { datum: yDomain[0] } },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: palette.line, strokeWidth: 2.5, interpolate: 'monotone' },
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

/**
 * Renders the portfolio value chart to PNG. With fewer than two snapshots in the window it
 * returns a "no data yet" picture instead of failing.
 */
export async function renderEquityChart(input: EquityChartInput): Promise<Buffer> {
  const palette = PALETTES[input.theme ?? 'light'];
  const result = await equityChartSvg(input);
  if (!result) {
    const only = windowPoints(input)[0];
    return renderNoDataChart({
      title: TITLE,
      theme: input.theme,
      widthPx: input.widthPx,
      lines: only
        ? [
            `One snapshot so far: ${formatAmount(only.totalUsdc)} USDC.`,
            'The line appears after the next one.',
          ]
        : [
            'The portfolio is recorded every few minutes;',
            'the chart fills in after the first two snapshots.',
          ],
    });
  }
  return (await svgToPng(result.svg, { background: palette.background, widthPx: input.widthPx })).png;
}
