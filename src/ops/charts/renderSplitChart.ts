/**
 * The alts/core split over time: altcoin holdings and BTC + ETH holdings in USDC
 * as two lines, with the current split in the caption, so drift from 50/50 is visible at a glance.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Decimal } from '../../domain/money.js';
import { rangeStartMs, type ChartRange } from '../../domain/chartRange.js';
import { formatMoney, formatPercent, percentOf } from '../../domain/format.js';
import { CHART_VIEW, PALETTES, chartConfig, type ChartTheme } from './chartTheme.js';
import { vegaLiteToSvg, type SvgResult } from './renderVegaLite.js';
import { timeAxis, toZoneWallClock, valueFormatFor } from './timeAxis.js';

/** A point of the split; {@link EquityPoint} fits. */
export interface SplitChartPoint {
  readonly at: number;
  readonly coreUsdc: Decimal;
  readonly altsUsdc: Decimal;
}

/** The split history, window, theme and time zone of one split chart. */
export interface SplitChartInput {
  readonly points: readonly SplitChartPoint[];
  readonly range: ChartRange;
  readonly now: number;
  readonly theme?: ChartTheme;
  /** IANA zone for the time labels (TZ_REPORTS); default UTC. */
  readonly timeZone?: string;
  readonly widthPx?: number;
}

const TITLE = 'Altcoins vs BTC + ETH';
const CORE = 'BTC + ETH';
const ALTS = 'Altcoins';

function windowPoints(input: SplitChartInput): SplitChartPoint[] {
  const from = rangeStartMs(input.range, input.now);
  return input.points.filter((p) => p.at >= from && p.at <= input.now).sort((a, b) => a.at - b.at);
}

/** The vega-lite spec, or undefined when fewer than two points leave nothing to draw. */
export function splitChartSpec(input: SplitChartInput): TopLevelSpec | undefined {
  const points = windowPoints(input);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || points.length < 2) return undefined;
  const palette = PALETTES[input.theme ?? 'light'];
  const zone = input.timeZone ?? 'UTC';
  const wall = (at: number) => toZoneWallClock(at, zone);

  // Numbers only position pixels; the caption's figures come from the decimals.
  const values = points.flatMap((p) => [
    { t: wall(p.at), series: CORE, v: p.coreUsdc.toNumber() },
    { t: wall(p.at), series: ALTS, v: p.altsUsdc.toNumber() },
  ]);
  const maxValue = Math.max(...values.map((v) => v.v));
  const invested = last.coreUsdc.plus(last.altsUsdc);
  const altsShare = percentOf(last.altsUsdc, invested);
  const subtitle = [
    altsShare === undefined
      ? 'Nothing invested yet'
      : `Now: altcoins ${formatPercent(altsShare)} · BTC + ETH ${formatPercent(percentOf(last.coreUsdc, invested))}`,
    `${formatMoney(last.altsUsdc)} vs ${formatMoney(last.coreUsdc)} USDC · times in ${zone}`,
  ];

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_VIEW.width,
    height: CHART_VIEW.height,
    autosize: { type: 'fit', contains: 'padding' },
    config: chartConfig(palette),
    title: { text: TITLE, subtitle },
    data: { values },
    // Steps like the value chart: a holding's value changes at snapshots, not in between.
    mark: { type: 'line', strokeWidth: 2.5, interpolate: 'step-after' },
    encoding: {
      x: timeAxis([wall(first.at), wall(input.now)]),
      y: {
        field: 'v',
        type: 'quantitative',
        // Zero kept: the gap between the lines is the imbalance, and a cropped axis exaggerates it.
        scale: { zero: true },
        axis: { title: null, tickCount: 5, format: valueFormatFor(maxValue) },
      },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: [ALTS, CORE], range: [palette.alts, palette.core] },
        legend: { title: null },
      },
    },
  };
}

/** The chart as SVG (for tests and debugging), or undefined when there is nothing to draw. */
export async function splitChartSvg(input: SplitChartInput): Promise<SvgResult | undefined> {
  const spec = splitChartSpec(input);
  return spec ? vegaLiteToSvg(spec) : undefined;
}
