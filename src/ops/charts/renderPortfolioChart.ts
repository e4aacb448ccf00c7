/**
 * The picture of `/chart` and the daily report: the portfolio value with every buy and sell on
 * the line, and below it the alts/core split over the same window, stacked into one PNG that
 * reads top to bottom on a phone. With fewer than two snapshots it still answers with a picture:
 * the current value and split, and "history starts now".
 */
import type { Decimal } from '../../domain/money.js';
import { formatMoney, formatPercent, percentOf } from '../../domain/format.js';
import type { ChartRange } from '../../domain/chartRange.js';
import { PALETTES, type ChartTheme } from './chartTheme.js';
import { equityChartSvg, type ChartTrade } from './renderEquityChart.js';
import { noDataChartSvg } from './renderNoDataChart.js';
import { splitChartSvg } from './renderSplitChart.js';
import { svgToPng, type SvgResult } from './renderVegaLite.js';

/** A snapshot of the portfolio in USDC; an equity snapshot fits. */
export interface PortfolioChartPoint {
  readonly at: number;
  readonly totalUsdc: Decimal;
  readonly coreUsdc: Decimal;
  readonly altsUsdc: Decimal;
}

/** What the portfolio picture is drawn from. */
export interface PortfolioChartInput {
  readonly points: readonly PortfolioChartPoint[];
  readonly trades?: readonly ChartTrade[];
  readonly range: ChartRange;
  readonly now: number;
  /** The portfolio now, shown when the window holds fewer than two snapshots. */
  readonly current?: Omit<PortfolioChartPoint, 'at'>;
  readonly theme?: ChartTheme;
  /** IANA zone for the time labels (TZ_REPORTS); default UTC. */
  readonly timeZone?: string;
  readonly widthPx?: number;
}

const TITLE = 'Portfolio value';

/** Width and height of an SVG document's root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\bheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('chart SVG without a size');
  return { width, height };
}

/** Stacks SVG documents vertically into one, each keeping its own coordinates. */
function stackSvgs(parts: readonly string[], background: string): string {
  const sizes = parts.map(svgSize);
  const width = Math.max(...sizes.map((s) => s.width));
  const height = sizes.reduce((sum, s) => sum + s.height, 0);
  let y = 0;
  const nested = parts.map((svg, n) => {
    const placed = svg.replace(/<svg\b/, `<svg x="0" y="${y}"`).replace(/<\?xml[^>]*>/, '');
    y += sizes[n]!.height;
    return placed;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${background}"/>`,
    ...nested,
    '</svg>',
  ].join('');
}

/** The "history starts now" card: the value and split of now. */
function startCard(input: PortfolioChartInput): string {
  const now = input.current ?? input.points.at(-1);
  const lines = now
    ? [
        `Now ${formatMoney(now.totalUsdc)} USDC`,
        splitLine(now),
        'The line is drawn from the next snapshot on.',
      ]
    : ['History starts now: the portfolio is recorded', 'every few minutes, the line follows.'];
  return noDataChartSvg({ title: TITLE, headline: 'History starts now', lines, theme: input.theme });
}

function splitLine(p: Omit<PortfolioChartPoint, 'at'>): string {
  const invested = p.coreUsdc.plus(p.altsUsdc);
  const share = percentOf(p.altsUsdc, invested);
  return share === undefined
    ? 'Nothing in altcoins or BTC + ETH yet.'
    : `Altcoins ${formatPercent(share)} · BTC + ETH ${formatPercent(percentOf(p.coreUsdc, invested))}`;
}

/** The picture as one SVG document (tests read marker and line positions from the parts). */
export async function portfolioChartSvg(input: PortfolioChartInput): Promise<SvgResult> {
  const background = PALETTES[input.theme ?? 'light'].background;
  const value = await equityChartSvg(input);
  const split = await splitChartSvg(input);
  if (!value || !split) return { svg: startCard(input), warnings: [] };
  return {
    svg: stackSvgs([value.svg, split.svg], background),
    warnings: [...value.warnings, ...split.warnings],
  };
}

/** Renders the portfolio picture to PNG. */
export async function renderPortfolioChart(input: PortfolioChartInput): Promise<Buffer> {
  const { svg } = await portfolioChartSvg(input);
  const background = PALETTES[input.theme ?? 'light'].background;
  return (await svgToPng(svg, { background, widthPx: input.widthPx })).png;
}
