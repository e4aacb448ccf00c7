/**
 * A position derived from fills. Average cost is per unit of the base asset, in the
 * position's cost currency (`costAsset`): USDC for BTC/ETH, USDT for altcoins.
 */
import type { Decimal } from '../money.js';

/**
 * Where a position's average cost comes from: the fills, the owner, or the price when the holding was first
 * seen.
 */
export type CostBasisSource = 'fills' | 'owner' | 'first-seen';

/** One asset's quantity and average cost with its realised result, derived from fills or a stored basis. */
export interface Position {
  readonly asset: string;
  /** Quantity the fills explain (after base-asset fees). */
  readonly qty: Decimal;
  /** Average cost per unit, fees included, in `costAsset`. Zero when flat. */
  readonly avgCost: Decimal;
  readonly costAsset: string;
  /** Realised PnL in `costAsset`, net of fees. */
  readonly realisedPnl: Decimal;
  /** All fees paid, valued in `costAsset`. */
  readonly feesPaid: Decimal;
  /** `realisedPnl` in USDC, each realisation at its own fill's `USDCUSDT`; absent when one could not be converted. */
  readonly realisedPnlUsdc?: Decimal;
  /** `feesPaid` in USDC, each fee at its own fill's prices; absent when one could not be converted. */
  readonly feesPaidUsdc?: Decimal;
  /** Where the cost basis comes from; anything but `fills` is flagged in /pnl. */
  readonly costBasisSource: CostBasisSource;
  /**
   * Part of `qty` the fills cannot explain (held from before the bot or older than the
   * exchange's history), costed at `basisPrice` from an owner-set or first-seen basis.
   */
  readonly basisQty?: Decimal;
  /** The owner-set or first-seen price used for `basisQty`, in `costAsset`. */
  readonly basisPrice?: Decimal;
}
