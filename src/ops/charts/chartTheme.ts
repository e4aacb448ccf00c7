/**
 * Colours, sizes and the shared vega-lite config of the chat charts. Charts are drawn on an
 * opaque background (never transparent) so they read the same in Telegram's light and dark
 * themes, with large type and few ticks because they are looked at on a phone.
 */
import type { Config } from 'vega-lite';

/** The colour themes charts can be drawn in. */
export const CHART_THEMES = ['light', 'dark'] as const;
/** One colour theme of the charts. */
export type ChartTheme = (typeof CHART_THEMES)[number];

/** The colours one chart theme uses for background, text, grid and lines. */
export interface ChartPalette {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly line: string;
  readonly area: string;
  readonly buy: string;
  readonly sell: string;
  readonly core: string;
  readonly alts: string;
}

/** The colours of each chart theme. */
export const PALETTES: Readonly<Record<ChartTheme, ChartPalette>> = {
  light: {
    background: '#ffffff',
    text: '#1f2430',
    muted: '#5f6675',
    grid: '#e3e6eb',
    line: '#2563eb',
    area: '#2563eb',
    buy: '#15803d',
    sell: '#dc2626',
    core: '#2563eb',
    alts: '#ea7a0c',
  },
  dark: {
    background: '#161b26',
    text: '#eef1f6',
    muted: '#a3abba',
    grid: '#2c3444',
    line: '#60a5fa',
    area: '#60a5fa',
    buy: '#4ade80',
    sell: '#f87171',
    core: '#60a5fa',
    alts: '#fbbf24',
  },
};

/** The font every chart names; the same family is loaded into resvg from dejavu-fonts-ttf. */
export const CHART_FONT = 'DejaVu Sans';

/**
 * Chart size in view units. The PNG is rendered at {@link CHART_PIXEL_WIDTH} (about 2×), which
 * keeps lines crisp and makes 14-unit labels ~30 px tall: readable at phone width.
 */
export const CHART_VIEW = { width: 540, height: 320 } as const;
/** Width of the rendered PNG in pixels, about twice the view width so lines stay crisp on a phone. */
export const CHART_PIXEL_WIDTH = 1120;

/** vega-lite config shared by every chart. */
export function chartConfig(palette: ChartPalette): Config {
  return {
    font: CHART_FONT,
    background: palette.background,
    padding: 12,
    view: { stroke: null },
    title: {
      font: CHART_FONT,
      fontSize: 20,
      fontWeight: 'bold',
      color: palette.text,
      subtitleFont: CHART_FONT,
      subtitleFontSize: 14,
      subtitleColor: palette.muted,
      subtitlePadding: 6,
      anchor: 'start',
      offset: 10,
      // Long captions are cut with an ellipsis; otherwise "fit" autosizing shrinks the plot.
      limit: CHART_VIEW.width - 10,
    },
    axis: {
      labelFont: CHART_FONT,
      labelFontSize: 14,
      labelColor: palette.muted,
      titleFont: CHART_FONT,
      titleColor: palette.muted,
      gridColor: palette.grid,
      domainColor: palette.grid,
      tickColor: palette.grid,
      labelPadding: 6,
      labelOverlap: true,
      labelFlush: true,
    },
    legend: {
      labelFont: CHART_FONT,
      labelFontSize: 14,
      labelColor: palette.text,
      titleFont: CHART_FONT,
      symbolSize: 160,
      // Above the plot, never over the line.
      orient: 'top',
      direction: 'horizontal',
      columnPadding: 20,
      offset: 6,
    },
    text: { font: CHART_FONT, color: palette.text },
  };
}
