/**
 * What a replay assumes and cannot know, one line each, stated with every result (the backtest's
 * output, the what-if answer): the reader must be able to tell a model from a record.
 */
import { formatNumber } from '../domain/format.js';
import type { ReplayOutcome, ReplaySpec } from './replaySpec.js';

/** The assumption lines of one replay. */
export function replayAssumptions(spec: ReplaySpec, outcome: ReplayOutcome): string[] {
  const from = new Date(outcome.dataFromMs).toISOString().slice(0, 16).replace('T', ' ');
  const to = new Date(outcome.toMs).toISOString().slice(0, 16).replace('T', ' ');
  const slippageBps = formatNumber(spec.slippage * 10_000);
  const resting =
    spec.restingFills === 'book-touch'
      ? 'resting orders fill when the book (each candle open ± half the spread) reaches them'
      : 'resting orders fill at their limit once a later candle trades through them (low below a buy, high above a sell)';
  return [
    `data: ${from} to ${to} UTC from recorded candles (1-minute where kept, else 15-minute); a symbol without candles cannot be traded`,
    `orders that take liquidity fill at the next minute's open ± half of today's spread${spec.slippage > 0 ? ` + ${slippageBps} bps slippage` : ''}, in full; ${resting}`,
    'fees, ticks, steps and minimums are today’s exchange rules; every safety check of the live executor applies',
    `starts from today's holdings and average costs, with today's settings; strategies run on their live schedules, confirm mode as if every proposal were confirmed`,
    'cannot know: order-book depth, partial fills, other traders reacting to our orders, listings or delistings during the span',
  ];
}
