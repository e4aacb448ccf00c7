/**
 * Moves the simulator's pinned book tops in a bounded random walk (two-tick spread, ±3 ticks per
 * step, at most 12 ticks from the start), so the bot's resting orders fill now and then, during
 * and between its lives. Pinning keeps the market otherwise still: once the walk stops, nothing
 * fills behind the final reconciliation's back.
 */
import type { SimulatorHandle } from '../../src/exchange/simulator/index.js';
import type { Rng } from './seeded.js';

export function startPriceWalk(o: {
  readonly sim: SimulatorHandle;
  readonly symbols: readonly string[];
  readonly rng: Rng;
  readonly everyMs: number;
}): () => void {
  const { sim, rng } = o;
  const state = o.symbols.map((symbol) => {
    const top = sim.market.bookTop(symbol);
    const decimals = top.bid.split('.')[1]?.length ?? 0;
    const unit = 10 ** decimals;
    // Integer ticks: the pinned prices must sit on the tick grid.
    const center = Math.round(Number(top.bid) * unit);
    return { symbol, decimals, unit, center, bid: center };
  });
  const pin = () => {
    for (const s of state) {
      sim.market.setBookTop(s.symbol, {
        bid: (s.bid / s.unit).toFixed(s.decimals),
        ask: ((s.bid + 2) / s.unit).toFixed(s.decimals),
      });
    }
  };
  pin();
  const timer = setInterval(() => {
    for (const s of state) s.bid = Math.min(s.center + 12, Math.max(s.center - 12, s.bid + rng.int(-3, 3)));
    pin();
  }, o.everyMs);
  return () => clearInterval(timer);
}
