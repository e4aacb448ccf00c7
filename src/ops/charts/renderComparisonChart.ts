/**
 * The what-if picture: two portfolio value lines over the same replayed span (the setting's
 * current value and the proposed one), in the `/chart` style (same theme, axes and fonts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Decimal } from '../../domain/money.js';
import { formatMoney } from '../../domain/format.js';
import { CHART_VIEW, PALETTES, chartConfig, type ChartTheme } from './chartTheme.js';
import { valueDomain } from './renderEquityChart.js';
import { svgToPng, vegaLiteToSvg } from './renderVegaLite.js';
import { timeAxis, toZoneWallClock, valueFormatFor } from './timeAxis.js';

/** One named value line. */
export interface ComparisonLine {
  /** Legend label, e.g. `minScore 60 (now)`. */
  readonly label: string;
  readonly points: readonly { readonly at: number; readonly totalUsdc: Decimal }[];
}

/** Two (or more) value lines over one span, with a title. */
export interface ComparisonChartInput {
  readonly title: string;
  readonly lines: readonly ComparisonLine[];
  readonly theme?: ChartTheme;
  /** IANA zone for the time labels; default UTC. */
  readonly timeZone?: string;
  readonly widthPx?: number;
}

/** The vega-lite spec, or undefined when no line has two points. */
export function comparisonChartSpec(input: ComparisonChartInput): TopLevelSpec | undefined {
  const zone = input.timeZone ?? 'UTC';
  const palette = PALETTES[input.theme ?? 'light'];
  // Numbers only position pixels; every figure shown as text stays decimal.
  const rows = input.lines.flatMap((line) =>
    line.points.map((p) => ({ t: toZoneWallClock(p.at, zone), v: p.totalUsdc.toNumber(), line: line.label })),
  );
  if (!input.lines.some((l) => l.points.length >= 2)) return undefined;
  const times = rows.map((r) => r.t);
  const yDomain = valueDomain(rows.map((r) => r.v));
  const subtitle = input.lines.map((l) => {
    const last = l.points.at(-1);
    return `${l.label}: ${last ? formatMoney(last.totalUsdc) : '–'} USDC at the end`;
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_VIEW.width,
    height: CHART_VIEW.height,
    autosize: { type: 'fit', contains: 'padding' },
    config: chartConfig(palette),
    title: { text: input.title, subtitle: [...subtitle, `times in ${zone}`] },
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2.5, interpolate: 'step-after' },
    encoding: {
      x: timeAxis([Math.min(...times), Math.max(...times)]),
      y: {
        field: 'v',
        type: 'quantitative',
        scale: { domain: yDomain, zero: false, nice: false },
        axis: { title: 'USDC', titleFontSize: 13, tickCount: 5, format: valueFormatFor(yDomain[1]) },
      },
      color: {
        field: 'line',
        type: 'nominal',
        scale: { domain: input.lines.map((l) => l.label), range: [palette.line, palette.alts, palette.buy] },
        legend: { title: null, orient: 'bottom' },
      },
    },
  };
}

/** Renders the comparison to PNG, or undefined when there is nothing to draw. */
export async function renderComparisonChart(input: ComparisonChartInput): Promise<Buffer | undefined> {
  const spec = comparisonChartSpec(input);
  if (!spec) return undefined;
  const { svg } = await vegaLiteToSvg(spec);
  const background = PALETTES[input.theme ?? 'light'].background;
  return (await svgToPng(svg, { background, widthPx: input.widthPx })).png;
}
