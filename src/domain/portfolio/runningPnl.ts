/**
 * The running PnL snapshot's rules: which fills it may hold and how a stored copy is checked
 * against a full replay. The snapshot holds the ledger's priced prefix (every fill whose prices
 * are recorded, up to the first one that is not), replayed with recorded prices only, so its
 * figures never depend on the market of the moment and new fills are applied on top of it
 * instead of replaying the whole history.
 */
import type { Position } from './position.js';
import { costAssetOf, makeToCostAsset } from './conversion.js';
import type { PositionFill, PositionOptions } from './positions.js';

/**
 * How the priced prefix is replayed: each fill at the prices recorded with it, no market at all
 * (a fill in the prefix always has its prices).
 */
export const RECORDED_PRICES_ONLY: Omit<PositionOptions, 'onRealised'> = {
  costAssetOf,
  toCostAsset: makeToCostAsset({ prices: new Map(), usdcUsdt: undefined }),
};

/**
 * How many of `fills` (sorted oldest first) form the priced prefix: they all have recorded
 * prices, and it ends on a millisecond boundary (a fill sharing the first unpriced fill's
 * millisecond stays out, since the same-millisecond rule may reorder it with that fill).
 */
export function pricedPrefixLength(fills: readonly PositionFill[]): number {
  const first = fills.findIndex((f) => f.prices === undefined);
  if (first < 0) return fills.length;
  let end = first;
  while (end > 0 && fills[end - 1]!.time === fills[first]!.time) end--;
  return end;
}

/** What a snapshot covers: the newest fill time and the number of fills. */
export interface SnapshotCover {
  readonly lastTime: number;
  readonly fillCount: number;
  readonly positions: ReadonlyMap<string, Position>;
}

const FIELDS = ['qty', 'avgCost', 'realisedPnl', 'feesPaid', 'realisedPnlUsdc', 'feesPaidUsdc'] as const;

/**
 * Where a stored snapshot differs from a rebuilt one, one line per difference (empty when equal):
 * what they cover, and per asset its cost asset and every amount, compared exactly.
 */
export function snapshotDifferences(stored: SnapshotCover, rebuilt: SnapshotCover): string[] {
  const out: string[] = [];
  if (stored.lastTime !== rebuilt.lastTime || stored.fillCount !== rebuilt.fillCount) {
    out.push(
      `covers ${stored.fillCount} fills to ${stored.lastTime}, the ledger ${rebuilt.fillCount} fills to ${rebuilt.lastTime}`,
    );
  }
  const assets = new Set([...stored.positions.keys(), ...rebuilt.positions.keys()]);
  for (const asset of [...assets].sort()) {
    const a = stored.positions.get(asset);
    const b = rebuilt.positions.get(asset);
    if (a === undefined || b === undefined) {
      out.push(`${asset}: ${a === undefined ? 'missing from the stored snapshot' : 'not in the fills'}`);
      continue;
    }
    if (a.costAsset !== b.costAsset) out.push(`${asset}: cost asset ${a.costAsset} ≠ ${b.costAsset}`);
    for (const field of FIELDS) {
      const x = a[field];
      const y = b[field];
      const same = x === undefined || y === undefined ? x === y : x.equals(y);
      if (!same) out.push(`${asset}: ${field} ${x?.toFixed() ?? 'none'} ≠ ${y?.toFixed() ?? 'none'}`);
    }
  }
  return out;
}
