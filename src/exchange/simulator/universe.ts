/**
 * The simulated listing: which symbols exist, their trading rules and the parameters of their
 * price model. Internal to the simulator; a pure function of the seed, the altcoin count and
 * the start time.
 */
import { stepFromPrecision } from '../../domain/money.js';
import { assignQuirks } from './altcoinQuirks.js';
import { altDrafts, coreDrafts, leveragedDrafts, stableDrafts } from './listings.js';
import { Prng, hash32 } from './prng.js';
import type { SymbolSpec } from './symbolSpec.js';

export type { ModelSpec, ScriptedEvent, SymbolSpec } from './symbolSpec.js';

/** Builds the whole listing. Symbol order matters: a symbol's factor and legs come before it. */
export function buildUniverse(opts: { seed: number; altcoins: number; startTime: number }): SymbolSpec[] {
  const rng = new Prng(hash32(opts.seed, 0x0411_5eed));
  const drafts = [
    ...coreDrafts(rng, opts.startTime),
    ...stableDrafts(opts.startTime),
    ...leveragedDrafts(rng, opts.startTime),
    ...assignQuirks(rng, altDrafts(rng, opts.altcoins, opts.startTime)),
  ];
  return drafts.map((draft, index) => ({
    ...draft,
    index,
    tick: stepFromPrecision(draft.pricePrecision),
    step: stepFromPrecision(draft.qtyPrecision),
    tickFloat: 10 ** -draft.pricePrecision,
  }));
}
