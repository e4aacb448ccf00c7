/**
 * Pre-history for a fresh market: about 600 days of candles before the start time, generated
 * coarse-to-fine so every kline interval has up to 500 rows on the first request. Internal.
 *
 * Phases (all boundaries aligned so no coarse bar straddles a finer bucket): daily steps up to
 * 99 days back, 4-hour steps to 21 days back, 30-minute steps to 5 days back, 5-minute steps
 * to about 25 hours back, then 1-minute steps (the live stepper) up to the start minute, so
 * the 24 h ticker and the recent scripted pumps come from real 1-minute bars.
 */
import type { Market } from './Market.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const PHASES = [
  { fromDays: 600, toDays: 99, stepMin: 1440 },
  { fromDays: 99, toDays: 21, stepMin: 240 },
  { fromDays: 21, toDays: 5, stepMin: 30 },
] as const;

/** Fills the market's rings up to the start minute and generates its bar; returns the start minute. */
export function generateHistory(market: Market, startMinute: number): number {
  const start = startMinute * MINUTE_MS;
  const dayStart = Math.floor(start / DAY_MS) * DAY_MS;
  for (const phase of PHASES) {
    const stepMs = phase.stepMin * MINUTE_MS;
    for (let t = dayStart - phase.fromDays * DAY_MS; t < dayStart - phase.toDays * DAY_MS; t += stepMs) {
      market.coarseStep(t, phase.stepMin);
    }
  }
  const fineStart = Math.floor((start - 25 * 60 * MINUTE_MS) / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
  for (let t = dayStart - 5 * DAY_MS; t < fineStart; t += 5 * MINUTE_MS) market.coarseStep(t, 5);
  for (let m = fineStart / MINUTE_MS; m < startMinute; m++) {
    market.generateMinute(m);
    market.completeMinute(m);
  }
  market.generateMinute(startMinute);
  return startMinute;
}
