import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import {
  chartInputFromWire,
  chartInputToWire,
  renderPortfolioChartInChild,
} from '../../../src/ops/charts/chartProcess.js';
import { withChildThatCannotStart } from '../../helpers/childCannotStart.js';
import {
  renderPortfolioChart,
  type PortfolioChartInput,
} from '../../../src/ops/charts/renderPortfolioChart.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const HOUR = 3_600_000;

function input(): PortfolioChartInput {
  const points = Array.from({ length: 24 }, (_, i) => ({
    at: NOW - (24 - i) * HOUR,
    totalUsdc: dec('1500.12').plus(dec(i).times('3.3')),
    coreUsdc: dec('700.000001').plus(i),
    altsUsdc: dec('650.5'),
  }));
  return {
    points,
    trades: [{ time: NOW - 5 * HOUR, side: 'BUY', symbol: 'PEPEUSDT', value: dec('20.000000000000000001') }],
    range: '1d',
    now: NOW,
    current: { totalUsdc: dec('1580'), coreUsdc: dec('723'), altsUsdc: dec('650.5') },
    timeZone: 'Europe/Berlin',
  };
}

describe('the portfolio picture drawn in a child process', () => {
  it('carries every decimal to the child exactly (as strings, back to equal decimals)', () => {
    const original = input();
    const back = chartInputFromWire(structuredClone(chartInputToWire(original)));
    expect(
      back.points.map((p) => [p.at, p.totalUsdc.toString(), p.coreUsdc.toString(), p.altsUsdc.toString()]),
    ).toEqual(
      original.points.map((p) => [
        p.at,
        p.totalUsdc.toString(),
        p.coreUsdc.toString(),
        p.altsUsdc.toString(),
      ]),
    );
    expect(back.trades?.[0]?.value.eq(original.trades![0]!.value)).toBe(true);
    expect(back.current?.coreUsdc.eq('723')).toBe(true);
    expect({ range: back.range, now: back.now, timeZone: back.timeZone }).toEqual({
      range: '1d',
      now: NOW,
      timeZone: 'Europe/Berlin',
    });
  });

  it('answers with the same PNG, byte for byte, as drawing it in this process', async () => {
    const [child, here] = await Promise.all([
      renderPortfolioChartInChild(input()),
      renderPortfolioChart(input()),
    ]);
    expect(child.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(child.equals(here), 'identical picture').toBe(true);
  }, 30_000);

  it('rejects when the child cannot start, and the bot goes on', async () => {
    const drawing = withChildThatCannotStart(() => renderPortfolioChartInChild(input()));
    await expect(drawing).rejects.toThrow(/^the chart process failed: .*ENOENT/);
    // The input's send fails too, a moment later; had it been unheard, this process would have ended.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
