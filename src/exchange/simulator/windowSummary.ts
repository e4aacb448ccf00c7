/**
 * A candle summary of a time window read from the coarsest rings that fit, so the rolling
 * 24 h window of all-symbol tickers costs about 60 row reads per symbol instead of 1440.
 * Internal to the simulator.
 */
import type { BarRing, RangeSummary } from './BarRing.js';

function merge(into: RangeSummary | undefined, next: RangeSummary | undefined): RangeSummary | undefined {
  if (!next) return into;
  if (!into) return { ...next };
  into.bars += next.bars;
  if (next.high > into.high) into.high = next.high;
  if (next.low < into.low) into.low = next.low;
  into.close = next.close;
  into.volume += next.volume;
  into.quoteVolume += next.quoteVolume;
  return into;
}

const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;
const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/**
 * Summary of completed rows with `from <= openTime < to` (both multiples of the finest
 * interval), reading `rings` finest first: edges from finer rings, the middle from coarser
 * ones. Every minute before `to` must be complete, so each coarse bucket inside is whole.
 */
export function summariseWindow(
  rings: readonly BarRing[],
  from: number,
  to: number,
): RangeSummary | undefined {
  const [fine, ...coarser] = rings;
  if (!fine) return undefined;
  const next = coarser[0];
  if (!next) return fine.summarise(from, to);
  const midFrom = ceilTo(from, next.intervalMs);
  const midTo = floorTo(to, next.intervalMs);
  if (midFrom >= midTo) return fine.summarise(from, to);
  let summary = fine.summarise(from, midFrom);
  summary = merge(summary, summariseWindow(coarser, midFrom, midTo));
  return merge(summary, fine.summarise(midTo, to));
}
