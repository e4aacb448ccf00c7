/**
 * Cost basis for holdings the fills cannot explain: coins bought before the bot
 * ran, or longer ago than the exchange keeps trade history (about a month on MEXC). Without a
 * basis, such coins would either be invisible to PnL or look like pure profit.
 */
import type { Balance } from '../market.js';
import { ONE, ZERO, type Decimal } from '../money.js';
import { convertStable, costAssetOf as defaultCostAssetOf, priceIn } from './conversion.js';
import type { Position } from './position.js';
import { AssetClass, assetClassOf } from './valuation.js';

/** One row of the `cost_basis` table. */
export interface CostBasisRow {
  readonly asset: string;
  /** Price per unit in `costAsset`. */
  readonly price: Decimal;
  readonly costAsset: string;
  /** The unexplained quantity when the row was written (for display; the merge uses today's). */
  readonly qty: Decimal;
  /** `owner`: set in chat, wins over everything; `first-seen`: the price when first noticed. */
  readonly source: 'owner' | 'first-seen';
  readonly setAt: number;
}

/** Positions from fills, balances and stored basis rows: what is needed to explain every holding. */
export interface ReconcileInput {
  /** Positions from {@link positionsFromFills}. */
  readonly positions: ReadonlyMap<string, Position>;
  readonly balances: readonly Balance[] | ReadonlyMap<string, Balance>;
  /** Every stored basis row. */
  readonly basis: readonly CostBasisRow[];
  /** Last or mid price by symbol, for first-seen prices and the dust check. */
  readonly prices: ReadonlyMap<string, Decimal>;
  /** `USDCUSDT`, for falling back to the other stablecoin market. */
  readonly usdcUsdt?: Decimal;
  readonly now: number;
  /** Defaults to USDC for BTC/ETH and USDT for altcoins. */
  readonly costAssetOf?: (asset: string) => string;
  /** Unexplained holdings worth less than this (in the cost asset) are dust and ignored. Default 1. */
  readonly minValue?: Decimal;
}

/** Positions completed with basis-backed holdings, first-seen rows to store and warnings to log. */
export interface ReconcileResult {
  /** All input positions, with unexplained holdings merged in and flagged. */
  readonly positions: Map<string, Position>;
  /** First-seen rows to persist (`CostBasisRepository.recordFirstSeen`): one per newly noticed asset. */
  readonly newRows: CostBasisRow[];
  readonly warnings: string[];
}

/**
 * Merges holdings that fills cannot explain (balance − fills' quantity, above dust) into the
 * positions at a basis price: the owner's when set, otherwise the price when the holding was
 * first seen, recorded now if this is the first time. Merged positions are re-averaged by
 * quantity and flagged with `costBasisSource` `owner` or `first-seen`, and carry `basisQty` and
 * `basisPrice`. Cash and stablecoins are never reconciled. Holdings smaller than the fills
 * explain (withdrawn, or spent on fees) are left alone.
 */
export function reconcileHoldings(input: ReconcileInput): ReconcileResult {
  const costAssetOf = input.costAssetOf ?? defaultCostAssetOf;
  const minValue = input.minValue ?? ONE;
  const rates = { prices: input.prices, usdcUsdt: input.usdcUsdt };
  const basisByAsset = new Map(input.basis.map((row) => [row.asset, row]));
  const positions = new Map(input.positions);
  const newRows: CostBasisRow[] = [];
  const warnings: string[] = [];

  const held = new Map<string, Decimal>();
  const balances = Array.isArray(input.balances) ? input.balances : [...input.balances.values()];
  for (const b of balances) held.set(b.asset, (held.get(b.asset) ?? ZERO).plus(b.free).plus(b.locked));

  for (const [asset, qty] of held) {
    const assetClass = assetClassOf(asset);
    if (assetClass !== AssetClass.Core && assetClass !== AssetClass.Alt) continue;
    const position = positions.get(asset);
    const costAsset = position?.costAsset ?? costAssetOf(asset);
    const explained = position?.qty ?? ZERO;
    const unexplained = qty.minus(explained);
    if (!unexplained.greaterThan(0)) continue;

    const marketPrice = priceIn(asset, costAsset, rates);
    let row = basisByAsset.get(asset);
    let basisPrice: Decimal;
    if (row === undefined) {
      if (marketPrice === undefined) {
        warnings.push(
          `${asset}: ${unexplained.toFixed()} held beyond the fills and no price to give it a cost basis`,
        );
        continue;
      }
      if (unexplained.times(marketPrice).lessThan(minValue)) continue;
      basisPrice = marketPrice;
      row = { asset, price: basisPrice, costAsset, qty: unexplained, source: 'first-seen', setAt: input.now };
      newRows.push(row);
    } else {
      const converted = convertStable(row.price, row.costAsset, costAsset, input.usdcUsdt);
      if (converted === undefined) {
        warnings.push(
          `${asset}: stored basis is in ${row.costAsset}, cannot convert to ${costAsset}; holding left unexplained`,
        );
        continue;
      }
      basisPrice = converted;
      if (unexplained.times(marketPrice ?? basisPrice).lessThan(minValue)) continue;
    }

    const total = explained.plus(unexplained);
    const explainedCost = position ? position.avgCost.times(explained) : ZERO;
    positions.set(asset, {
      asset,
      qty: total,
      avgCost: explainedCost.plus(basisPrice.times(unexplained)).div(total),
      costAsset,
      realisedPnl: position?.realisedPnl ?? ZERO,
      feesPaid: position?.feesPaid ?? ZERO,
      ...(position?.realisedPnlUsdc !== undefined ? { realisedPnlUsdc: position.realisedPnlUsdc } : {}),
      ...(position?.feesPaidUsdc !== undefined ? { feesPaidUsdc: position.feesPaidUsdc } : {}),
      costBasisSource: row.source,
      basisQty: unexplained,
      basisPrice,
    });
  }
  return { positions, newRows, warnings };
}
