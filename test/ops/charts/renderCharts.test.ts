import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dec, type Decimal } from '../../../src/domain/money.js';
import { CHART_PIXEL_WIDTH, PALETTES } from '../../../src/ops/charts/chartTheme.js';
import {
  equityChartSpec,
  equityChartSvg,
  valueDomain,
  type ChartTrade,
  type EquityChartInput,
} from '../../../src/ops/charts/renderEquityChart.js';
import { portfolioChartSvg, renderPortfolioChart } from '../../../src/ops/charts/renderPortfolioChart.js';
import { splitChartSvg, type SplitChartInput } from '../../../src/ops/charts/renderSplitChart.js';
import { svgToPng } from '../../../src/ops/charts/renderVegaLite.js';
import { markerOffsets, sceneItems, scenegraph } from './scenegraph.js';
import { countColor, decodePng, hexColor, inkPixels, PNG_SIGNATURE, type DecodedPng } from './decodePng.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 10, 12, 0);
const OUT_DIR = join(tmpdir(), `autopilot-charts-${process.pid}`);
const written: string[] = [];
const timings: string[] = [];

interface SeedPoint {
  at: number;
  totalUsdc: Decimal;
  coreUsdc: Decimal;
  altsUsdc: Decimal;
}

/** 7 days of 15-minute snapshots from a seeded random walk, and 16 trades spread over them. */
function seededHistory(seed = 11): { points: SeedPoint[]; trades: ChartTrade[] } {
  let state = seed;
  const rand = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  let core = 700;
  let alts = 620;
  const points: SeedPoint[] = [];
  for (let at = NOW - 7 * DAY; at <= NOW; at += 15 * 60_000) {
    core *= 1 + (rand() - 0.48) * 0.01;
    alts *= 1 + (rand() - 0.5) * 0.02;
    const coreUsdc = dec(core.toFixed(2));
    const altsUsdc = dec(alts.toFixed(2));
    points.push({ at, coreUsdc, altsUsdc, totalUsdc: coreUsdc.plus(altsUsdc).plus(180) });
  }
  const trades: ChartTrade[] = Array.from({ length: 16 }, (_, i) => ({
    time: NOW - 7 * DAY + (i + 0.5) * ((7 * DAY) / 16),
    side: i % 3 === 2 ? 'SELL' : 'BUY',
    symbol: i % 2 ? 'BTCUSDC' : 'SOLUSDT',
    value: dec(20 + i),
  }));
  return { points, trades };
}

function save(name: string, png: Buffer): void {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, name);
  writeFileSync(path, png);
  written.push(path);
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  timings.push(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return result;
}

function expectSanePng(png: Buffer, what: string): DecodedPng {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE), `${what}: PNG signature`).toBe(true);
  expect(png.length, `${what}: size in bytes`).toBeGreaterThan(8_000);
  expect(png.length, `${what}: size in bytes`).toBeLessThan(400_000);
  const img = decodePng(png);
  expect(img.width, `${what}: fitted width`).toBe(CHART_PIXEL_WIDTH);
  expect(img.height, `${what}: height`).toBeGreaterThan(450);
  expect(img.height, `${what}: height`).toBeLessThan(900);
  return img;
}

/** The value panel alone as PNG. */
async function renderEquityChart(input: EquityChartInput): Promise<Buffer> {
  const palette = PALETTES[input.theme ?? 'light'];
  return (await svgToPng((await equityChartSvg(input))!.svg, { background: palette.background })).png;
}

/** The split panel alone as PNG. */
async function renderSplitChart(input: SplitChartInput): Promise<Buffer> {
  const palette = PALETTES[input.theme ?? 'light'];
  return (await svgToPng((await splitChartSvg(input))!.svg, { background: palette.background })).png;
}

afterAll(() => {
  console.log(`chart PNGs written:\n  ${written.join('\n  ')}\nrender times:\n  ${timings.join('\n  ')}`);
});

describe('renderEquityChart', () => {
  const { points, trades } = seededHistory();
  const light = PALETTES.light;

  it('draws the value line and marks buys and sells, on an opaque background', async () => {
    const png = await timed('equity 7d light', () =>
      renderEquityChart({ points, trades, range: '7d', now: NOW, timeZone: 'Asia/Tokyo' }),
    );
    save('equity-7d-light.png', png);
    const img = expectSanePng(png, 'equity chart');
    const bg = hexColor(light.background);
    expect([...img.rgba.subarray(0, 4)], 'corner pixel is the opaque background').toEqual([...bg, 255]);
    const ink = inkPixels(img, bg) / (img.width * img.height);
    expect(ink, 'not blank').toBeGreaterThan(0.03);
    expect(ink, 'not a solid fill').toBeLessThan(0.7);
    expect(countColor(img, hexColor(light.line), { tolerance: 30 }), 'value line drawn').toBeGreaterThan(
      2_000,
    );
    expect(countColor(img, hexColor(light.buy), { tolerance: 20 }), 'buy markers drawn').toBeGreaterThan(500);
    expect(countColor(img, hexColor(light.sell), { tolerance: 20 }), 'sell markers drawn').toBeGreaterThan(
      200,
    );
  });

  it('draws no markers when there were no trades', async () => {
    const img = decodePng(await renderEquityChart({ points, range: '7d', now: NOW }));
    expect(countColor(img, hexColor(light.sell), { tolerance: 20 }), 'no sell colour').toBe(0);
    expect(countColor(img, hexColor(light.buy), { tolerance: 20 }), 'no buy colour').toBe(0);
  });

  it('renders its text with the bundled fonts (and would lose it without them)', async () => {
    const result = await equityChartSvg({ points, trades, range: '7d', now: NOW });
    expect(result, 'enough points for a chart').toBeDefined();
    const { svg, warnings } = result!;
    expect(svg, 'SVG has text elements').toContain('<text');
    expect(svg, 'SVG names the loaded font').toContain('DejaVu Sans');
    expect(svg, 'title present').toContain('Portfolio value');
    expect(warnings, 'vega and vega-lite raised no warnings').toEqual([]);

    const withFonts = await svgToPng(svg, { background: light.background });
    const without = await svgToPng(svg, { background: light.background, fonts: false });
    const bg = hexColor(light.background);
    const img = (r: typeof withFonts): DecodedPng => ({ width: r.width, height: r.height, rgba: r.pixels });
    // The top band holds only the title and subtitle: all ink there is text.
    const band = { y0: 0, y1: 110 };
    expect(inkPixels(img(without), bg, band), 'no text without fonts (resvg drops it silently)').toBe(0);
    expect(inkPixels(img(withFonts), bg, band), 'title text rendered with fonts').toBeGreaterThan(3_000);
    expect(inkPixels(img(withFonts), bg), 'more ink overall with fonts').toBeGreaterThan(
      inkPixels(img(without), bg),
    );
  });

  it('labels the time axis in the report time zone', async () => {
    const day = { points, range: '1d' as const, now: NOW };
    const labels = async (timeZone: string) => {
      const { svg } = (await equityChartSvg({ ...day, timeZone }))!;
      return [...svg.matchAll(/>(\d\d:\d\d)</g)].map((m) => m[1]!);
    };
    const utc = await labels('UTC');
    const tokyo = await labels('Asia/Tokyo');
    expect(utc.length, 'hour ticks on a 1-day chart').toBeGreaterThanOrEqual(3);
    const shifted = utc.map(
      (l) => `${String((Number(l.slice(0, 2)) + 9) % 24).padStart(2, '0')}${l.slice(2)}`,
    );
    expect(tokyo, 'Tokyo ticks are the UTC ticks 9 hours later').toEqual(shifted);
  });

  it('uses the dark palette on request', async () => {
    const png = await timed('equity 7d dark', () =>
      renderEquityChart({ points, trades, range: '7d', now: NOW, theme: 'dark' }),
    );
    save('equity-7d-dark.png', png);
    const img = expectSanePng(png, 'dark equity chart');
    expect([...img.rgba.subarray(0, 3)], 'dark background').toEqual(hexColor(PALETTES.dark.background));
  });

  it('puts every buy and sell marker exactly on the drawn step line', async () => {
    const spec = equityChartSpec({ points, trades, range: '7d', now: NOW })!;
    const root = await scenegraph(spec);
    const line = sceneItems(root, 'line');
    const markers = sceneItems(root, 'symbol');
    expect(line.length, 'one scene item per snapshot').toBe(points.length);
    expect(markers, 'one marker per trade').toHaveLength(trades.length);
    expect(line[0]!.interpolate, 'a step line, not a smoothed curve').toBe('step-after');
    for (const [n, offset] of markerOffsets(line, markers).entries())
      expect(offset, `marker ${n} at x=${markers[n]!.x!.toFixed(1)} sits on the line`).toBeLessThan(0.01);
  });

  it('labels the y axis with its unit and never zooms below ±1% of the value', async () => {
    const flat = points.map((p, n) => ({
      ...p,
      totalUsdc: dec(1500).minus(n === points.length - 1 ? '0.45' : 0),
    }));
    const spec = equityChartSpec({ points: flat, range: '7d', now: NOW })!;
    const [lo, hi] = valueDomain(flat.map((p) => p.totalUsdc.toNumber()));
    expect(hi - lo, 'a -0.03% move keeps a 2% span').toBeGreaterThanOrEqual(1499.775 * 0.02 - 1e-6);
    const { svg } = (await equityChartSvg({ points: flat, range: '7d', now: NOW }))!;
    expect(svg, 'y axis title').toMatch(/>USDC</);
    expect(svg, 'the change in the title').toMatch(/Portfolio value -0\.03%/);
    expect(JSON.stringify(spec)).toContain('"domain":[');
  });

  it('answers an empty or one-point history with a "history starts now" picture of the value and split', async () => {
    for (const [name, pts] of [
      ['empty', []],
      ['one point', points.slice(-1)],
    ] as const) {
      expect(
        equityChartSpec({ points: pts, range: '7d', now: NOW }),
        `${name}: nothing to plot`,
      ).toBeUndefined();
      const current = { totalUsdc: dec('1500'), coreUsdc: dec('300'), altsUsdc: dec('100') };
      const { svg } = await portfolioChartSvg({ points: pts, trades, range: '7d', now: NOW, current });
      expect(svg).toContain('History starts now');
      expect(svg, `${name}: the value of now`).toMatch(/Now [\d,]+\.\d\d USDC/);
      expect(svg, `${name}: the split of now`).toMatch(/Altcoins \d+\.\d\d% · BTC \+ ETH \d+\.\d\d%/);
      const png = await renderPortfolioChart({ points: pts, trades, range: '7d', now: NOW, current });
      save(`portfolio-${name.replace(' ', '-')}.png`, png);
      const img = expectSanePng(png, name);
      expect(inkPixels(img, hexColor(light.background)), `${name}: explanatory text drawn`).toBeGreaterThan(
        5_000,
      );
      expect(countColor(img, hexColor(light.line), { tolerance: 10 }), `${name}: no value line`).toBe(0);
    }
  });

  it('stacks the value chart and the alts/core split into one picture', async () => {
    const png = await timed('portfolio 7d light', () =>
      renderPortfolioChart({ points, trades, range: '7d', now: NOW }),
    );
    save('portfolio-7d-light.png', png);
    const img = decodePng(png);
    expect(img.width).toBe(CHART_PIXEL_WIDTH);
    expect(img.height, 'two panels tall').toBeGreaterThan(900);
    expect(countColor(img, hexColor(light.alts), { tolerance: 30 }), 'altcoin line').toBeGreaterThan(1_500);
    expect(countColor(img, hexColor(light.buy), { tolerance: 20 }), 'buy markers').toBeGreaterThan(500);
    const { svg, warnings } = await portfolioChartSvg({ points, trades, range: '7d', now: NOW });
    expect(warnings).toEqual([]);
    expect(svg).toContain('Altcoins vs BTC + ETH');
  });

  it('abbreviates axis values from a million up so labels stay narrow', async () => {
    const huge = points.map((p) => ({ ...p, totalUsdc: p.totalUsdc.times(50_000) }));
    const { svg } = (await equityChartSvg({ points: huge, range: '7d', now: NOW }))!;
    expect(svg, 'SI-prefixed ticks').toMatch(/>\d+(\.\d+)?M</);
    expect(svg, 'no eight-digit grouped labels').not.toMatch(/>\d\d,\d{3},\d{3}</);
  });

  it('ignores points outside the window', async () => {
    const old = points.map((p) => ({ ...p, at: p.at - 30 * DAY }));
    expect(equityChartSpec({ points: old, range: '7d', now: NOW }), 'all points too old').toBeUndefined();
  });
});

describe('renderSplitChart', () => {
  const { points } = seededHistory(5);
  const light = PALETTES.light;

  it('draws altcoins and BTC + ETH as two coloured lines with the current split', async () => {
    const png = await timed('split 7d light', () => renderSplitChart({ points, range: '7d', now: NOW }));
    save('split-7d-light.png', png);
    const img = expectSanePng(png, 'split chart');
    expect(countColor(img, hexColor(light.alts), { tolerance: 30 }), 'altcoin line').toBeGreaterThan(1_500);
    expect(countColor(img, hexColor(light.core), { tolerance: 30 }), 'core line').toBeGreaterThan(1_500);
    const { svg, warnings } = (await splitChartSvg({ points, range: '7d', now: NOW }))!;
    expect(warnings).toEqual([]);
    expect(svg, 'caption with the split').toMatch(/Now: altcoins \d+\.\d\d%/);
  });

  it('renders the dark theme', async () => {
    const dark = await renderSplitChart({ points, range: '7d', now: NOW, theme: 'dark' });
    save('split-7d-dark.png', dark);
    expectSanePng(dark, 'dark split');
  });
});
