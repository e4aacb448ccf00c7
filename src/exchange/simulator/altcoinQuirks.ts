/**
 * Quirks of a real listing, given to a seeded choice of altcoins. Internal to the simulator.
 */
import type { Prng } from './prng.js';
import { NO_MARKET, type Draft, type ScriptedEvent } from './symbolSpec.js';

/**
 * Gives some altcoins the quirks the bot must survive: not API-tradable, paused, sell-only,
 * no MARKET orders, and recent pumps, dumps and one-hour spikes.
 */
export function assignQuirks(rng: Prng, alts: Draft[]): Draft[] {
  const n = alts.length;
  const out = [...alts];
  const share = (fraction: number) => (n === 0 ? 0 : Math.max(1, Math.round(n * fraction)));
  // Moves go to the more liquid part of the list so the scanner's volume floor still sees them.
  const liquid = rng.shuffle([...Array(Math.ceil(n * 0.6)).keys()]);
  const used = new Set<number>();
  const take = (pool: number[], count: number): number[] => {
    const picked: number[] = [];
    for (const i of pool) {
      if (picked.length >= count) break;
      if (!used.has(i)) {
        picked.push(i);
        used.add(i);
      }
    }
    return picked;
  };
  const event = (i: number, e: ScriptedEvent) => {
    const draft = out[i];
    if (draft) out[i] = { ...draft, events: [...draft.events, e] };
  };
  for (const i of take(liquid, share(0.02))) {
    const duration = rng.int(60, 240);
    event(i, {
      minutesBeforeStart: rng.int(300, 1200),
      durationMin: duration,
      totalLogReturn: Math.log(rng.range(1.4, 2.2)),
      volumeMultiplier: rng.range(5, 10),
    });
  }
  for (const i of take(liquid, share(0.01))) {
    event(i, {
      minutesBeforeStart: rng.int(300, 1100),
      durationMin: rng.int(60, 240),
      totalLogReturn: Math.log(rng.range(0.55, 0.72)),
      volumeMultiplier: rng.range(3, 6),
    });
  }
  for (const i of take(liquid, share(0.01))) {
    event(i, {
      minutesBeforeStart: rng.int(20, 35),
      durationMin: rng.int(10, 18),
      totalLogReturn: Math.log(rng.range(1.08, 1.2)),
      volumeMultiplier: rng.range(15, 25),
    });
  }
  const any = rng.shuffle([...Array(n).keys()]);
  const patch = (indices: number[], change: Partial<Draft>) => {
    for (const i of indices) {
      const draft = out[i];
      if (draft) out[i] = { ...draft, ...change };
    }
  };
  patch(take(any, share(0.02)), { inDefaultSymbols: false });
  patch(take(any, share(0.01)), { inDefaultSymbols: false, isSpotTradingAllowed: false });
  patch(take(any, share(0.04)), { orderTypes: NO_MARKET });
  if (n >= 50) {
    patch(take(any, 1), { status: '2', inDefaultSymbols: false });
    patch(take(any, 1), { tradeSideType: 3 });
  }
  return out;
}
