/**
 * The offline chart pipeline: vega-lite spec → vega → SVG → PNG with
 * resvg. No canvas, no native build, no network. Fonts are loaded explicitly from the
 * dejavu-fonts-ttf package because resvg without fonts drops every text element silently.
 *
 * vega, vega-lite and resvg are imported when the first chart is drawn, not at start-up: they
 * add about 28 MiB to a process that draws a chart a few times a day.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT, CHART_PIXEL_WIDTH } from './chartTheme.js';

let fontFilesCache: readonly string[] | undefined;

/** Absolute paths of DejaVu Sans regular and bold (bold titles need their own face). */
export function chartFontFiles(): readonly string[] {
  if (!fontFilesCache) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const files = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
    for (const f of files) {
      if (!existsSync(f)) throw new Error(`chart font missing: ${f} (reinstall dejavu-fonts-ttf)`);
    }
    fontFilesCache = files;
  }
  return fontFilesCache;
}

/** Vega's log levels (vega-util): 1 = errors only, 2 = warnings too. */
const LOG_WARN = 2;

/** Vega's logger shape (vega-util's LoggerInterface). */
interface VegaLogger {
  level(value?: number): number | VegaLogger;
  error(...args: unknown[]): VegaLogger;
  warn(...args: unknown[]): VegaLogger;
  info(...args: unknown[]): VegaLogger;
  debug(...args: unknown[]): VegaLogger;
}

/**
 * A logger that collects vega/vega-lite warnings instead of printing them. A closure, not a
 * class: vega calls these methods with `this` bound to its own objects.
 */
function collectingLogger(sink: string[]): VegaLogger {
  let level = LOG_WARN;
  const logger: VegaLogger = {
    level: (value?: number) => {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args) => {
      sink.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn: (...args) => {
      if (level >= LOG_WARN) sink.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** An SVG document plus anything vega or vega-lite warned about while building it. */
export interface SvgResult {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/** Compiles a vega-lite spec and renders it headless to an SVG string. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<SvgResult> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: LOG_WARN });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

/** How an SVG chart becomes a PNG: background, width and whether fonts are loaded. */
export interface RasterOptions {
  /** Opaque background behind the drawing. */
  readonly background: string;
  /** Output width in pixels; the height follows the SVG's aspect ratio. */
  readonly widthPx?: number;
  /** Load the chart fonts (default true). `false` exists to prove in tests that text needs them. */
  readonly fonts?: boolean;
}

/** A rendered PNG with its pixel size and raw RGBA pixels (for checks without a PNG decoder). */
export interface RasterResult {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly pixels: Buffer;
}

/**
 * Rasterises an SVG to PNG with resvg, using only the bundled DejaVu fonts (never system fonts).
 * Runs on libuv's thread pool, so the event loop (chat, strategies) is not blocked meanwhile.
 */
export async function svgToPng(svg: string, options: RasterOptions): Promise<RasterResult> {
  const useFonts = options.fonts ?? true;
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, {
    background: options.background,
    fitTo: { mode: 'width', value: options.widthPx ?? CHART_PIXEL_WIDTH },
    font: {
      loadSystemFonts: false,
      fontFiles: useFonts ? [...chartFontFiles()] : [],
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
    logLevel: 'off',
  });
  return { png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels };
}
