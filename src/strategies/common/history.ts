/**
 * The one rule for an asset whose trade history is still being read: its average cost is
 * provisional (fills not yet in the ledger, the rest costed at first sight), so a strategy makes
 * no decision on it — neither a sell nor a "not in profit" — until the history is complete.
 */
import type { StrategySnapshot } from '../contract.js';

/** Why nothing is decided on `asset` yet, or undefined when its history is complete. */
export function historyPendingNote(snapshot: StrategySnapshot, asset: string): string | undefined {
  return snapshot.historyPending.has(asset)
    ? `${asset}: trade history still being read; no decision on a provisional average cost`
    : undefined;
}
