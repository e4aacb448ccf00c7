/**
 * Realised PnL views for /pnl, the daily report and fill notifications. Both replay fills through
 * {@link positionsFromFills} (the one average-cost implementation) and only sort its realisations.
 * Every amount is converted at the prices recorded with its own fill, so a realised figure never
 * moves once its fills carry their prices.
 */
import { Exact } from '../exact.js';
import type { Decimal } from '../money.js';
import type { Position } from './position.js';
import {
  positionsFromFills,
  type Book,
  type PositionFill,
  type PositionOptions,
  type Realisation,
  type ReplayFill,
} from './positions.js';

const ZERO = Exact.ZERO;

const DAY_MS = 86_400_000;

/**
 * What a replay kept for the life of the process holds of its realisations (see
 * {@link ReplayHow.keep}); older ones are only summed, so a history's length costs neither memory
 * nor collector time.
 */
export interface Kept {
  /** The USDC ledger's running totals start here: what was realised before is one sum. */
  readonly windowsFrom: number;
  /** Realisations are listed (for a sell's own figure) from here on. */
  readonly listFrom: number;
}

/**
 * What the running snapshot keeps at `now`: the USDC ledger for the longest /pnl window (30 days)
 * and a day more for a clock that steps back; the realisations of the last 3 days, for the
 * notification of a sell (announced within minutes of its fills being recorded, or after a
 * restart; one announced later shows no realised figure).
 */
export function keptAt(now: number): Kept {
  return { windowsFrom: now - 31 * DAY_MS, listFrom: now - 3 * DAY_MS };
}

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
  /** Everything in USDC, each realisation converted at its own fill's `USDCUSDT`. */
  readonly usdc: RealisedByPeriod;
  /** Per base asset, in that asset's cost asset. */
  readonly byAsset: Map<string, RealisedByPeriod & { readonly costAsset: string }>;
  readonly warnings: string[];
}

/** Conversion options plus the window starts. */
export interface PeriodOptions extends Omit<PositionOptions, 'onRealised'>, PeriodStarts {}

interface Totals {
  today: Exact;
  d7: Exact;
  d30: Exact;
  all: Exact;
}

function emptyTotals(): Totals {
  return { today: ZERO, d7: ZERO, d30: ZERO, all: ZERO };
}

function decimalTotals(t: Totals): RealisedByPeriod {
  return { today: t.today.toDecimal(), d7: t.d7.toDecimal(), d30: t.d30.toDecimal(), all: t.all.toDecimal() };
}

/**
 * Realised PnL in USDC as running totals in time order, so that the sum over any window ending
 * now is one subtraction found by binary search, however long the history.
 */
export interface RealisedUsdcLedger {
  /**
   * When set, the running totals start at this time: `cumulative[0]` (of the first ledger in the
   * chain) is the sum of everything realised before it. Windows must start at or after it.
   */
  readonly keptFrom?: number;
  /**
   * The realisations before these, when this ledger continues another (a replay continued from
   * an earlier one): shared, not copied. Its times all come before `times[0]`.
   */
  readonly earlier?: RealisedUsdcLedger;
  /** Realisation times, ascending. */
  readonly times: readonly number[];
  /**
   * `cumulative[i]` = USDC PnL of realisations `0 … i − 1` (counting `earlier`'s too); one longer
   * than `times`.
   */
  readonly cumulative: readonly Exact[];
}

/** Positions and every realisation from one pass over the fills. */
export interface FillReplay {
  /** By base asset, from the fills alone (see {@link reconcileHoldings} for unexplained holdings). */
  readonly positions: Map<string, Position>;
  /**
   * The same, exact: where a continuation starts. Never changed afterwards: a continuation copies a
   * book before it changes the book's tallies.
   */
  readonly books: ReadonlyMap<string, Readonly<Book>>;
  /**
   * The realisations in processing order (time order): every one (from `kept.listFrom` on, when
   * set), or, for a continued replay, those after `earlier`'s (read them all with
   * {@link allRealisations}).
   */
  readonly realisations: readonly Realisation[];
  /** When set, what of the realisations is kept beyond their sums (see {@link ReplayHow.keep}). */
  readonly kept?: Kept;
  /** The replay this one continues, whose realisations come first (shared, not copied). */
  readonly earlier?: FillReplay;
  /** The realisations' USDC PnL as running totals (unconvertible ones left out, with a warning). */
  readonly usdc: RealisedUsdcLedger;
  readonly warnings: string[];
}

/** How {@link replayFills} reads the fills and what it keeps. */
export interface ReplayHow {
  /**
   * The fills come oldest millisecond first and are read one millisecond at a time (see
   * {@link positionsFromFills}).
   */
  readonly timeOrdered?: boolean;
  /**
   * Realisations before `keep.listFrom` are not listed, and those before `keep.windowsFrom` are
   * one sum in the USDC ledger: a replay kept for the life of the process then holds only the
   * recent ones (see {@link keptAt}). Ignored when continuing a replay.
   */
  readonly keep?: Kept;
}

/**
 * Replays fills once into positions and the list of realisations (for windows and single sells).
 * With `start`, continues that replay of the earlier fills (see {@link positionsFromFills} for
 * when the two give the same as one replay of everything); `start` is left untouched. See
 * {@link ReplayHow} for reading time-ordered fills and keeping only recent realisations.
 */
export function replayFills(
  fills: Iterable<PositionFill | ReplayFill>,
  options: Omit<PositionOptions, 'onRealised'>,
  start?: FillReplay,
  how: ReplayHow = {},
): FillReplay {
  // A continuation keeps only its own realisations and points at `start` for the earlier ones:
  // copying a long history's lists on every new fill would cost more than the replay itself.
  const kept = start === undefined ? how.keep : undefined;
  const realisations: Realisation[] = [];
  const times: number[] = [];
  const cumulative: Exact[] = [start ? start.usdc.cumulative[start.usdc.cumulative.length - 1]! : ZERO];
  const unconvertible: string[] = [];
  const { positions, books, warnings } = positionsFromFills(
    fills,
    {
      costAssetOf: options.costAssetOf,
      toCostAsset: options.toCostAsset,
      onRealised: (r) => {
        if (kept === undefined || r.time >= kept.listFrom) realisations.push(r);
        if (r.pnlUsdc === undefined) {
          unconvertible.push(
            `${r.symbol} #${r.tradeId}: realised PnL not convertible to USDC; left out of the USDC totals`,
          );
          return;
        }
        // Realisations come in time order, so every one before `windowsFrom` precedes every
        // one kept: until the first kept, the running total is the ledger's starting sum.
        if (kept !== undefined && r.time < kept.windowsFrom) {
          cumulative[0] = cumulative[0]!.plus(r.pnlUsdc);
          return;
        }
        times.push(r.time);
        cumulative.push(cumulative[cumulative.length - 1]!.plus(r.pnlUsdc));
      },
    },
    start,
    how.timeOrdered,
  );
  return {
    positions,
    books,
    realisations,
    usdc: {
      ...(start ? { earlier: start.usdc } : {}),
      ...(kept !== undefined ? { keptFrom: kept.windowsFrom } : {}),
      times,
      cumulative,
    },
    warnings: start ? start.warnings.concat(warnings, unconvertible) : warnings.concat(unconvertible),
    ...(start ? { earlier: start } : {}),
    ...(kept !== undefined ? { kept } : {}),
  };
}

/**
 * The same replay with its own lists holding everything (no `earlier`): for one kept long. With
 * `keep`, it then holds only what {@link ReplayHow.keep} keeps (never more than it already did).
 */
export function flattenReplay(replay: FillReplay, keep?: Kept): FillReplay {
  if (replay.earlier === undefined && keep === undefined) return replay;
  const times: number[] = [];
  const cumulative: Exact[] = [];
  let first: FillReplay = replay;
  while (first.earlier !== undefined) first = first.earlier;
  const collect = (ledger: RealisedUsdcLedger, last: boolean): void => {
    if (ledger.earlier) collect(ledger.earlier, false);
    times.push(...ledger.times);
    // Each segment's last running total is the next one's first: keep it once.
    cumulative.push(...(last ? ledger.cumulative : ledger.cumulative.slice(0, -1)));
  };
  collect(replay.usdc, true);
  const kept: Kept | undefined =
    keep === undefined
      ? first.kept
      : {
          windowsFrom: Math.max(keep.windowsFrom, first.kept?.windowsFrom ?? -Infinity),
          listFrom: Math.max(keep.listFrom, first.kept?.listFrom ?? -Infinity),
        };
  let realisations = [...allRealisations(replay)];
  if (kept !== undefined) {
    const dropped = firstAtOrAfter(times, kept.windowsFrom);
    times.splice(0, dropped);
    cumulative.splice(0, dropped);
    realisations = realisations.filter((r) => r.time >= kept.listFrom);
  }
  return {
    positions: replay.positions,
    books: replay.books,
    realisations,
    usdc: { ...(kept !== undefined ? { keptFrom: kept.windowsFrom } : {}), times, cumulative },
    warnings: replay.warnings,
    ...(kept !== undefined ? { kept } : {}),
  };
}

/** Index of the first of ascending `times` at or after `start` (`times.length` when none is). */
function firstAtOrAfter(times: readonly number[], start: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every realisation of a replay, the earlier replays' it continues first. */
export function* allRealisations(replay: FillReplay): Generator<Realisation> {
  if (replay.earlier) yield* allRealisations(replay.earlier);
  yield* replay.realisations;
}

/**
 * USDC realised PnL over today, 7 days, 30 days and all time, from a {@link RealisedUsdcLedger}.
 * A window starting before the ledger's `keptFrom` counts from there: what came before is only
 * known as a sum (the running snapshot keeps a day more than the longest window).
 */
export function realisedUsdcByPeriod(ledger: RealisedUsdcLedger, starts: PeriodStarts): RealisedByPeriod {
  const all = ledger.cumulative[ledger.cumulative.length - 1]!;
  /** Sum of realisations at or after `start`: everything minus what came before it. */
  const since = (start: number): Decimal => all.minus(before(ledger, start)).toDecimal();
  return {
    today: since(starts.dayStartMs),
    d7: since(starts.now - 7 * DAY_MS),
    d30: since(starts.now - 30 * DAY_MS),
    all: all.toDecimal(),
  };
}

/** USDC PnL of the realisations before `start`, by binary search (in `earlier` when they all are there). */
function before(ledger: RealisedUsdcLedger, start: number): Exact {
  const { times, cumulative } = ledger;
  if (ledger.earlier !== undefined && (times.length === 0 || times[0]! >= start))
    return before(ledger.earlier, start);
  return cumulative[firstAtOrAfter(times, start)]!;
}

/** Window starts of /pnl and the report. */
export interface PeriodStarts {
  readonly now: number;
  /** Start of today in `TZ_REPORTS`, computed by the caller (the domain knows no time zones). */
  readonly dayStartMs: number;
}

/**
 * Sums realisations into today, 7 days, 30 days and all time. A realisation counts in a period
 * when its fill's time is at or after the period's start.
 */
export function realisedByPeriod(
  realisations: readonly Realisation[],
  starts: PeriodStarts,
): Omit<RealisedPnlReport, 'warnings'> & { readonly warnings: string[] } {
  const d7Start = starts.now - 7 * DAY_MS;
  const d30Start = starts.now - 30 * DAY_MS;
  const byCostAsset = new Map<string, Totals>();
  const byAsset = new Map<string, Totals & { costAsset: string }>();
  const usdc = emptyTotals();
  const warnings: string[] = [];
  const add = (totals: Totals, r: Realisation, pnl: Exact = r.pnl): void => {
    totals.all = totals.all.plus(pnl);
    if (r.time >= d30Start) totals.d30 = totals.d30.plus(pnl);
    if (r.time >= d7Start) totals.d7 = totals.d7.plus(pnl);
    if (r.time >= starts.dayStartMs) totals.today = totals.today.plus(pnl);
  };
  for (const r of realisations) {
    let perCost = byCostAsset.get(r.costAsset);
    if (perCost === undefined) byCostAsset.set(r.costAsset, (perCost = emptyTotals()));
    let perAsset = byAsset.get(r.asset);
    if (perAsset === undefined)
      byAsset.set(r.asset, (perAsset = { ...emptyTotals(), costAsset: r.costAsset }));
    add(perCost, r);
    add(perAsset, r);
    if (r.pnlUsdc !== undefined) add(usdc, r, r.pnlUsdc);
    else
      warnings.push(
        `${r.symbol} #${r.tradeId}: realised PnL not convertible to USDC; left out of the USDC totals`,
      );
  }
  return {
    byCostAsset: new Map([...byCostAsset].map(([asset, t]) => [asset, decimalTotals(t)])),
    usdc: decimalTotals(usdc),
    byAsset: new Map(
      [...byAsset].map(([asset, t]) => [asset, { ...decimalTotals(t), costAsset: t.costAsset }]),
    ),
    warnings,
  };
}

/**
 * Realised PnL for today, 7 days, 30 days and all time, per cost asset, per base asset and in
 * USDC: {@link replayFills} then {@link realisedByPeriod}.
 *
 * @example
 * const { usdc } = realisedPnlByPeriod(fills, { costAssetOf, toCostAsset, now, dayStartMs });
 * usdc.today // realised since midnight, in USDC
 */
export function realisedPnlByPeriod(
  fills: readonly PositionFill[],
  options: PeriodOptions,
): RealisedPnlReport {
  const replay = replayFills(fills, options);
  const report = realisedByPeriod(replay.realisations, options);
  return { ...report, warnings: [...replay.warnings, ...report.warnings] };
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
 * PnL is measured against the average cost at that moment. Accepts the fills or a replay of them
 * already made. Undefined when no sell matches.
 */
export function realisedPnlOfSell(
  source: readonly PositionFill[] | FillReplay,
  match: SellMatch,
  options: Omit<PositionOptions, 'onRealised'>,
): SellPnl | undefined {
  const realisations = Array.isArray(source)
    ? replayFills(source as readonly PositionFill[], options).realisations
    : allRealisations(source as FillReplay);
  let result: { asset: string; costAsset: string; qty: Exact; pnl: Exact } | undefined;
  for (const r of realisations) {
    if (r.kind !== 'sell' || r.symbol !== match.symbol) continue;
    if (match.orderId !== undefined && r.orderId !== match.orderId) continue;
    if (match.tradeId !== undefined && r.tradeId !== match.tradeId) continue;
    if (result === undefined) result = { asset: r.asset, costAsset: r.costAsset, qty: ZERO, pnl: ZERO };
    result.qty = result.qty.plus(r.qty);
    result.pnl = result.pnl.plus(r.pnl);
  }
  return result && { ...result, qty: result.qty.toDecimal(), pnl: result.pnl.toDecimal() };
}
