/**
 * The picture sent instead of a chart when there is not enough history to draw a line (a fresh
 * install, or a window with fewer than two snapshots): a title and a plain explanation, same
 * size and theme as the real charts, so `/chart` always answers with an image.
 */
import { CHART_FONT, CHART_VIEW, PALETTES, type ChartTheme } from './chartTheme.js';

/** The title and explanation shown instead of a chart, with its theme and width. */
export interface NoDataChartInput {
  readonly title: string;
  /** The large line in the middle; default "No data yet". */
  readonly headline?: string;
  /** Up to three short lines; longer text is cut to fit. */
  readonly lines: readonly string[];
  readonly theme?: ChartTheme;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The SVG of the "no data yet" picture. */
export function noDataChartSvg(input: NoDataChartInput): string {
  const palette = PALETTES[input.theme ?? 'light'];
  const { width, height } = CHART_VIEW;
  const lines = input.lines.slice(0, 3).map((l) => (l.length > 60 ? `${l.slice(0, 59)}…` : l));
  const text = (
    at: { x: number; y: number; anchor: string },
    size: number,
    weight: string,
    color: string,
    body: string,
  ) =>
    `<text x="${at.x}" y="${at.y}" font-family="${CHART_FONT}" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${at.anchor}">${escapeXml(body)}</text>`;
  const centred = (y: number) => ({ x: width / 2, y, anchor: 'middle' });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${palette.background}"/>`,
    text({ x: 12, y: 32, anchor: 'start' }, 20, 'bold', palette.text, input.title),
    text(centred(height / 2 - 8), 26, 'bold', palette.muted, input.headline ?? 'No data yet'),
    ...lines.map((l, i) => text(centred(height / 2 + 28 + i * 24), 15, 'normal', palette.muted, l)),
    '</svg>',
  ].join('');
}
