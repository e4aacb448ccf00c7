/**
 * The portfolio picture drawn in a short-lived child process. vega, vega-lite and resvg take
 * 50–70 MiB of resident memory once a chart has been drawn, and a worker thread does not give it
 * back (the native allocations stay with the process); a process that exits does. `npm start`
 * draws `/chart` and the daily report's picture so, a few times a day, at the cost of the child's
 * start (well under a second compiled); tests draw in their own process.
 */
import { runChildJob } from '../../common/childJob.js';
import { dec } from '../../domain/money.js';
import type { PortfolioChartInput } from './renderPortfolioChart.js';

/** How a chart is drawn: in this process, or in a child process that exits afterwards. */
export type ChartPlacement = 'in-process' | 'child-process';

/** {@link PortfolioChartInput} with its decimals as strings, as it crosses to the child. */
export interface WireChartInput extends Omit<PortfolioChartInput, 'points' | 'trades' | 'current'> {
  readonly points: readonly { at: number; totalUsdc: string; coreUsdc: string; altsUsdc: string }[];
  readonly trades?: readonly { time: number; side: 'BUY' | 'SELL'; symbol: string; value: string }[];
  readonly current?: { totalUsdc: string; coreUsdc: string; altsUsdc: string };
}

/** What the child answers: the PNG, or why it could not draw. */
export type ChartAnswer =
  { readonly type: 'png'; readonly png: Uint8Array } | { readonly type: 'failed'; readonly message: string };

const RENDER_TIMEOUT_MS = 60_000;

/** The chart input with decimals as strings (structured clone drops Decimal's prototype). */
export function chartInputToWire(input: PortfolioChartInput): WireChartInput {
  const { points, trades, current, ...rest } = input;
  return {
    ...rest,
    points: points.map((p) => ({
      at: p.at,
      totalUsdc: p.totalUsdc.toString(),
      coreUsdc: p.coreUsdc.toString(),
      altsUsdc: p.altsUsdc.toString(),
    })),
    ...(trades ? { trades: trades.map((t) => ({ ...t, value: t.value.toString() })) } : {}),
    ...(current
      ? {
          current: {
            totalUsdc: current.totalUsdc.toString(),
            coreUsdc: current.coreUsdc.toString(),
            altsUsdc: current.altsUsdc.toString(),
          },
        }
      : {}),
  };
}

/** The inverse of {@link chartInputToWire}. */
export function chartInputFromWire(wire: WireChartInput): PortfolioChartInput {
  const { points, trades, current, ...rest } = wire;
  return {
    ...rest,
    points: points.map((p) => ({
      at: p.at,
      totalUsdc: dec(p.totalUsdc),
      coreUsdc: dec(p.coreUsdc),
      altsUsdc: dec(p.altsUsdc),
    })),
    ...(trades ? { trades: trades.map((t) => ({ ...t, value: dec(t.value) })) } : {}),
    ...(current
      ? {
          current: {
            totalUsdc: dec(current.totalUsdc),
            coreUsdc: dec(current.coreUsdc),
            altsUsdc: dec(current.altsUsdc),
          },
        }
      : {}),
  };
}

/** Draws the portfolio picture in a child process that exits afterwards; resolves with the PNG. */
export function renderPortfolioChartInChild(input: PortfolioChartInput): Promise<Buffer> {
  return runChildJob<Buffer, ChartAnswer>({
    here: import.meta.url,
    name: 'chartChild',
    // The child holds one chart's worth of data: a small young generation keeps it lean.
    flags: ['--max-semi-space-size=2'],
    process: 'the chart process',
    job: chartInputToWire(input),
    timeoutMs: RENDER_TIMEOUT_MS,
    onMessage: (answer, settle) => {
      if (answer.type === 'png') settle.resolve(Buffer.from(answer.png));
      else settle.reject(new Error(answer.message));
    },
  });
}
