/**
 * One portfolio snapshot: the single computation behind every figure the owner sees (/pnl,
 * /balance, /status, /report, the daily report, equity history, the chart headline). Taking one
 * snapshot and reading every view from it is what makes those figures agree to the cent.
 *
 * Rules, decided once here:
 * - Quantity: an asset is valued at its BALANCE (free + locked), what the account really holds.
 *   Positions from fills only give the average cost; unrealised PnL is measured on the smaller
 *   of the balance and the position (coins withdrawn or spent on fees are not counted twice), and
 *   holdings the fills cannot explain get a cost basis (owner-set or first-seen) before valuing.
 * - Prices: mid prices of the book tops. BTC/ETH are priced on their USDC market, altcoins on
 *   their USDT market; an asset without that market is priced through the other stablecoin's
 *   market converted at `USDCUSDT`, never 1:1. Without `USDCUSDT`, USDT and USDT-priced assets are
 *   listed as unpriced and left out of the totals rather than guessed.
 * - Realised PnL and fees: converted at the prices recorded with each fill, so they never move.
 */
import type { Balance } from '../market.js';
import { ZERO, type Decimal } from '../money.js';
import { reconcileHoldings, type CostBasisRow } from './costBasis.js';
import type { Position } from './position.js';
import { realisedByPeriod, type FillReplay, type RealisedByPeriod } from './realisedPnl.js';
import { valuePortfolio, type PortfolioValuation } from './valuation.js';

/** Balances and prices of one moment, wherever they come from (the exchange, a cache). */
export interface MarketView {
  readonly balances: readonly Balance[];
  /** Mid price by symbol. */
  readonly prices: ReadonlyMap<string, Decimal>;
  /** `USDCUSDT`; undefined when unknown. */
  readonly usdcUsdt: Decimal | undefined;
  /** When these balances and prices were read (ms). */
  readonly at: number;
}

/** Everything the owner is shown about the portfolio, computed at one instant. */
export interface PortfolioSnapshot {
  /** The instant the snapshot stands for. */
  readonly at: number;
  readonly market: MarketView;
  /** Every held asset valued in USDC, with totals and the alts/core split. */
  readonly valuation: PortfolioValuation;
  /** Positions by base asset, with unexplained holdings merged in at their cost basis. */
  readonly positions: ReadonlyMap<string, Position>;
  /** Realised PnL in USDC (each realisation at its own fill's prices) over the /pnl windows. */
  readonly realisedUsdc: RealisedByPeriod;
  /** Fees paid over all time in USDC, each at its own fill's prices. */
  readonly feesUsdc: Decimal;
  /** First-seen cost basis rows to persist (holdings noticed for the first time). */
  readonly newBasisRows: readonly CostBasisRow[];
  readonly warnings: readonly string[];
}

/** What {@link portfolioSnapshot} needs: a replay of the fills, the stored bases and a market view. */
export interface SnapshotInput {
  readonly replay: FillReplay;
  readonly basis: readonly CostBasisRow[];
  readonly market: MarketView;
  readonly now: number;
  /** Start of today in `TZ_REPORTS`. */
  readonly dayStartMs: number;
}

/**
 * Values the portfolio once: reconciles holdings with the fills' positions, values every balance
 * and sums the realised windows and fees.
 *
 * @example
 * const s = portfolioSnapshot({ replay, basis, market, now, dayStartMs });
 * s.valuation.totals.totalUsdc // the one portfolio total
 */
export function portfolioSnapshot(input: SnapshotInput): PortfolioSnapshot {
  const { market } = input;
  const reconciled = reconcileHoldings({
    positions: input.replay.positions,
    balances: market.balances,
    basis: input.basis,
    prices: market.prices,
    ...(market.usdcUsdt !== undefined ? { usdcUsdt: market.usdcUsdt } : {}),
    now: input.now,
  });
  const valuation = valuePortfolio({
    balances: market.balances,
    prices: market.prices,
    usdcUsdt: market.usdcUsdt,
    positions: reconciled.positions,
  });
  const realised = realisedByPeriod(input.replay.realisations, {
    now: input.now,
    dayStartMs: input.dayStartMs,
  });
  let feesUsdc = ZERO;
  for (const p of input.replay.positions.values()) feesUsdc = feesUsdc.plus(p.feesPaidUsdc ?? ZERO);
  return {
    at: input.now,
    market,
    valuation,
    positions: reconciled.positions,
    realisedUsdc: realised.usdc,
    feesUsdc,
    newBasisRows: reconciled.newRows,
    warnings: [...input.replay.warnings, ...realised.warnings, ...reconciled.warnings],
  };
}
