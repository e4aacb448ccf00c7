/**
 * What a `split-balance` move has freed and not yet spent, read from split-balance's own fills
 * of the last 24 h (fills are the only memory strategies have; see PENDING_WINDOW_MS).
 */
import { ZERO, type Decimal } from '../domain/money.js';
import type { StrategySnapshot } from './contract.js';
import { lastFill, PENDING_WINDOW_MS } from './common/fills.js';
import { isCoreAsset, toUsdc } from './common/markets.js';
import { nonNegative } from './common/rebalance.js';

const ID = 'split-balance';
/** The market that converts between USDT and USDC. */
export const CONVERSION_SYMBOL = 'USDCUSDT';

/** The two sides `split-balance` moves funds between: altcoins and the core. */
export type Side = 'alt' | 'core';
/** The stablecoins freed funds are held in. */
export type Stable = 'USDC' | 'USDT';

/** Funds a move freed and has not spent yet, per stablecoin, valued in USDC. */
export interface MoveLedger {
  /** The side the latest split-balance sell came from, if any in the window. */
  readonly soldSide?: Side;
  readonly pendingUsdc: Readonly<Record<Stable, Decimal>>;
}

/** Reads split-balance's fills of the last 24 h into the pending funds of the latest move. */
export function splitMoveLedger(snapshot: StrategySnapshot): MoveLedger {
  const since = snapshot.now - PENDING_WINDOW_MS;
  const fills = snapshot.recentFills.filter(
    (f) => f.origin === ID && f.time >= since && f.time <= snapshot.now,
  );
  const last = lastFill(fills, (f) => f.side === 'SELL' && f.symbol !== CONVERSION_SYMBOL);
  const zero = { USDC: ZERO, USDT: ZERO };
  if (!last) return { pendingUsdc: zero };
  const soldSide: Side = isCoreAsset(last.baseAsset) ? 'core' : 'alt';
  const sideOf = (asset: string): Side => (isCoreAsset(asset) ? 'core' : 'alt');
  const pending: Record<Stable, Decimal> = { ...zero };
  const add = (q: string, v: Decimal) => {
    if (q === 'USDC' || q === 'USDT') pending[q] = pending[q].plus(v);
  };
  for (const f of fills) {
    if (f.symbol === CONVERSION_SYMBOL) {
      // Valued at the USDC quantity: a BUY moves it from USDT to USDC, a SELL back.
      add(f.side === 'BUY' ? 'USDC' : 'USDT', f.qty);
      add(f.side === 'BUY' ? 'USDT' : 'USDC', f.qty.neg());
    } else if (f.side === 'SELL' && sideOf(f.baseAsset) === soldSide) {
      add(f.quoteAsset, toUsdc(snapshot, f.quoteQty, f.quoteAsset));
    } else if (f.side === 'BUY' && sideOf(f.baseAsset) !== soldSide) {
      add(f.quoteAsset, toUsdc(snapshot, f.quoteQty, f.quoteAsset).neg());
    }
  }
  return { soldSide, pendingUsdc: { USDC: nonNegative(pending.USDC), USDT: nonNegative(pending.USDT) } };
}
