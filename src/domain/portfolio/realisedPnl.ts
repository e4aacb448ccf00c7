/**
 * Realised PnL views for /pnl, the daily report and fill notifications. Both replay fills through
 * {@link positionsFromFills} (the one average-cost implementation) and only sort its realisations.
 */
import { ZERO, type Decimal } from '../money.js';
import {
  positionsFromFills,
  type PositionFill,
  type PositionOptions,
  type Realisation,
} from './positions.js';

const DAY_MS = 86_400_000;

/** Realised PnL over the /pnl periods, in one cost asset. */
export interface RealisedByPeriod {
  /** Since the start of today in `TZ_REPORTS`. */
  readonly today: Decimal;
  /** The last 7 × 24 h. */
  readonly d7: Decimal;
  /** The last 30 × 24 h. */
  readonly d30: Decimal;
  /** Everything the fills cover. */
  readonly all: Decimal;
}

/** Realised PnL for today, 7 days, 30 days and all time, per cost currency and per asset. */
export interface RealisedPnlReport {
  /** Summed per cost asset (USDC for the core, USDT for altcoins). */
  readonly byCostAsset: Map<string, RealisedByPeriod>;
  /** Per base asset, in that asset's cost asset. */
  readonly byAsset: Map<string, RealisedByPeriod & { readonly costAsset: string }>;
  readonly warnings: string[];
}

/** Costing options plus the instants that bound today and the rolling periods. */
export interface PeriodOptions extends Omit<PositionOptions, 'onRealised'> {
  readonly now: number;
  /** Start of today in `TZ_REPORTS`, computed by the caller (the domain knows no time zones). */
  readonly dayStartMs: number;
}

interface Totals {
  today: Decimal;
  d7: Decimal;
  d30: Decimal;
  all: Decimal;
}

function emptyTotals(): Totals {
  return { today: ZERO, d7: ZERO, d30: ZERO, all: ZERO };
}

/**
 * Realised PnL for today, 7 days, 30 days and all time, per cost asset and per base asset.
 * A realisation counts in a period when its fill's time is at or after the period's start.
 *
 * @example
 * const { byCostAsset } = realisedPnlByPeriod(fills, { costAssetOf, toCostAsset, now, dayStartMs });
 * byCostAsset.get('USDC')?.today // realised on BTC/ETH since midnight
 */
export function realisedPnlByPeriod(
  fills: readonly PositionFill[],
  options: PeriodOptions,
): RealisedPnlReport {
  const d7Start = options.now - 7 * DAY_MS;
  const d30Start = options.now - 30 * DAY_MS;
  const byCostAsset = new Map<string, Totals>();
  const byAsset = new Map<string, Totals & { costAsset: string }>();

  const add = (totals: Totals, r: Realisation): void => {
    totals.all = totals.all.plus(r.pnl);
    if (r.time >= d30Start) totals.d30 = totals.d30.plus(r.pnl);
    if (r.time >= d7Start) totals.d7 = totals.d7.plus(r.pnl);
    if (r.time >= options.dayStartMs) totals.today = totals.today.plus(r.pnl);
  };

  const { warnings } = positionsFromFills(fills, {
    costAssetOf: options.costAssetOf,
    toCostAsset: options.toCostAsset,
    onRealised: (r) => {
      let perCost = byCostAsset.get(r.costAsset);
      if (perCost === undefined) byCostAsset.set(r.costAsset, (perCost = emptyTotals()));
      let perAsset = byAsset.get(r.asset);
      if (perAsset === undefined)
        byAsset.set(r.asset, (perAsset = { ...emptyTotals(), costAsset: r.costAsset }));
      add(perCost, r);
      add(perAsset, r);
    },
  });
  return { byCostAsset, byAsset, warnings };
}

/** Which sell to report: every fill of an order, or one trade. */
export interface SellMatch {
  readonly symbol: string;
  readonly orderId?: string;
  readonly tradeId?: string;
}

/** The realised result of one sell: quantity explained by fills, PnL and its cost currency. */
export interface SellPnl {
  readonly asset: string;
  readonly costAsset: string;
  /** Units sold that the fills explain. */
  readonly qty: Decimal;
  readonly pnl: Decimal;
}

/**
 * Realised PnL of one sell (all matching fills summed), so a notification can say
 * "realised +1.23 USDC". `fills` must include the asset's history before the sell, since the
 * PnL is measured against the average cost at that moment. Undefined when no sell matches.
 */
export function realisedPnlOfSell(
  fills: readonly PositionFill[],
  match: SellMatch,
  options: Omit<PositionOptions, 'onRealised'>,
): SellPnl | undefined {
  let result: { asset: string; costAsset: string; qty: Decimal; pnl: Decimal } | undefined;
  positionsFromFills(fills, {
    costAssetOf: options.costAssetOf,
    toCostAsset: options.toCostAsset,
    onRealised: (r) => {
      if (r.kind !== 'sell' || r.symbol !== match.symbol) return;
      if (match.orderId !== undefined && r.orderId !== match.orderId) return;
      if (match.tradeId !== undefined && r.tradeId !== match.tradeId) return;
      if (result === undefined) result = { asset: r.asset, costAsset: r.costAsset, qty: ZERO, pnl: ZERO };
      result.qty = result.qty.plus(r.qty);
      result.pnl = result.pnl.plus(r.pnl);
    },
  });
  return result;
}
