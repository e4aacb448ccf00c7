/**
 * Positions and realised PnL from fills: the one place average
 * cost is computed. Like freqtrade's `recalc_trade_from_orders` it re-derives everything from the
 * recorded fills, so there is no stored running average that could drift.
 *
 * Method: weighted average cost per base asset. Buys raise quantity and re-average; sells realise
 * PnL against the current average and leave it unchanged (Ghostfolio's rule as well).
 *
 * The arithmetic runs on {@link Exact} (bigint), which gives decimal.js's results digit for digit
 * several times faster: a long history is replayed at every start. Positions come out as `Decimal`.
 */
import type { Fill, OrderSide } from '../market.js';
import { Exact, Tally } from '../exact.js';
import { Decimal } from '../money.js';
import type { Position } from './position.js';

const USDC = 'USDC';

/**
 * Prices fixed with a fill when it is recorded, so that its conversions (a BTCUSDT trade into
 * USDC, an MX fee into the cost asset, its realised PnL into USDC) never move afterwards.
 */
export interface FillPrices {
  /** `USDCUSDT` at the fill (USDT per USDC). */
  readonly usdcUsdt?: Decimal;
  /** Price of the fee asset (a third asset such as MX) at the fill, in `feeQuote`. */
  readonly feePrice?: Decimal;
  /** The stablecoin `feePrice` is quoted in: the market it came from is `<fee asset><feeQuote>`. */
  readonly feeQuote?: string;
}

/** A fill with its symbol's assets resolved, as stored in the fills table. */
export interface PositionFill extends Fill {
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Strategy id or `manual` when the bot placed the order; absent for foreign activity. */
  readonly origin?: string;
  /** Prices recorded with the fill; absent until they are known (then today's prices stand in). */
  readonly prices?: FillPrices;
}

/**
 * Prices recorded with a fill as the replay reads them: exact values (see {@link FillPrices}).
 */
export interface ReplayPrices {
  readonly usdcUsdt: Exact | undefined;
  readonly feePrice: Exact | undefined;
  readonly feeQuote: string | undefined;
}

/**
 * A fill as the replay reads it: a {@link PositionFill}'s fields with the amounts exact, or
 * undefined where the stored text is not a number (the row is then skipped with a warning).
 */
export interface ReplayFill {
  readonly symbol: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly time: number;
  readonly price: Exact | undefined;
  readonly qty: Exact | undefined;
  readonly quoteQty: Exact | undefined;
  readonly commission: Exact | undefined;
  readonly commissionAsset: string;
  /** Undefined until the fill's prices are recorded. */
  readonly prices: ReplayPrices | undefined;
}

/** A fill whose amounts could all be read. */
type UsableFill = ReplayFill & {
  readonly price: Exact;
  readonly qty: Exact;
  readonly quoteQty: Exact;
  readonly commission: Exact;
};

function exactOf(value: unknown): Exact | undefined {
  if (value instanceof Exact) return value;
  return value instanceof Decimal ? Exact.of(value) : undefined;
}

/** The replay's reading of a fill: amounts as {@link Exact} (a {@link ReplayFill} is returned as is). */
export function replayFillOf(fill: PositionFill | ReplayFill): ReplayFill {
  if (fill.qty instanceof Exact) return fill as ReplayFill;
  const prices = fill.prices;
  return {
    symbol: fill.symbol,
    tradeId: fill.tradeId,
    orderId: fill.orderId,
    baseAsset: fill.baseAsset,
    quoteAsset: fill.quoteAsset,
    side: fill.side,
    time: fill.time,
    price: exactOf(fill.price),
    qty: exactOf(fill.qty),
    quoteQty: exactOf(fill.quoteQty),
    commission: exactOf(fill.commission),
    commissionAsset: fill.commissionAsset,
    prices:
      prices === undefined
        ? undefined
        : {
            usdcUsdt: exactOf(prices.usdcUsdt),
            feePrice: exactOf(prices.feePrice),
            feeQuote: prices.feeQuote,
          },
  };
}

/** PnL realised by one disposal of a position: a sell, or units spent as a fee on another trade. */
export interface Realisation {
  readonly kind: 'sell' | 'fee';
  readonly asset: string;
  readonly costAsset: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly time: number;
  /** Units that left the position (only the part the fills explain). */
  readonly qty: Exact;
  /** Proceeds net of fees minus `qty × avgCost`, in `costAsset`. */
  readonly pnl: Exact;
  /** `pnl` in USDC at the fill's own `USDCUSDT`; undefined when it cannot be converted. */
  readonly pnlUsdc: Exact | undefined;
}

/**
 * How positions are costed: each asset's cost currency, conversions into it, and a hook for every
 * realisation.
 */
export interface PositionOptions {
  /** The currency a position's cost is kept in: `USDC` for BTC/ETH, `USDT` for altcoins. */
  costAssetOf(asset: string): string;
  /**
   * Converts an amount into a cost asset, or undefined when it cannot: the quote of a BTCUSDT fill
   * into USDC (at USDCUSDT), a fee paid in MX (valued at the fill's price or MX's). Must return
   * `amount` unchanged when `fromAsset === toAsset` (it is not called for that case).
   */
  toCostAsset(amount: Exact, fromAsset: string, toAsset: string, fill: ReplayFill): Exact | undefined;
  /** Called for every realisation in processing order (used for per-period and per-sell PnL). */
  onRealised?(realisation: Realisation): void;
}

/** One asset's running figures, exact; what a continued replay starts from. */
export interface Book {
  readonly asset: string;
  readonly costAsset: string;
  readonly qty: Tally;
  readonly avgCost: Tally;
  readonly realisedPnl: Tally;
  readonly feesPaid: Tally;
  /** Realised PnL and fees in USDC, each converted at its own fill's prices; undefined once one cannot be. */
  realisedUsdc: Tally | undefined;
  feesUsdc: Tally | undefined;
}

/** A book of its own with the same figures: what a continued replay changes instead of `book`. */
function copyBook(book: Book): Book {
  return {
    asset: book.asset,
    costAsset: book.costAsset,
    qty: new Tally(book.qty.value),
    avgCost: new Tally(book.avgCost.value),
    realisedPnl: new Tally(book.realisedPnl.value),
    feesPaid: new Tally(book.feesPaid.value),
    realisedUsdc: book.realisedUsdc && new Tally(book.realisedUsdc.value),
    feesUsdc: book.feesUsdc && new Tally(book.feesUsdc.value),
  };
}

/** The positions replayed from fills, and warnings about rows that could not be used. */
export interface PositionsResult {
  /** By base asset, including flat positions that have history. */
  readonly positions: Map<string, Position>;
  /** The same, exact, for continuing this replay (see {@link positionsFromFills}); never modified. */
  readonly books: ReadonlyMap<string, Readonly<Book>>;
  /** One line per skipped row or incomplete history, for the caller to log. */
  readonly warnings: string[];
}

/** Where a continued replay starts: an earlier result's positions and books. */
export type ReplayStart = Pick<PositionsResult, 'positions' | 'books'>;

/**
 * Deterministic processing order: time, then trade id, then symbol. MEXC trade ids are long
 * digit strings or 32-hex strings; comparing length first makes digit ids sort numerically.
 * Within one millisecond the ids do not follow execution, so {@link positionsFromFills} applies a
 * same-millisecond buy ahead of a sell that would otherwise sell more than is held (see there).
 */
export function compareFills(
  a: Pick<PositionFill, 'time' | 'tradeId' | 'symbol'>,
  b: Pick<PositionFill, 'time' | 'tradeId' | 'symbol'>,
): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.tradeId.length !== b.tradeId.length) return a.tradeId.length - b.tradeId.length;
  if (a.tradeId !== b.tradeId) return a.tradeId < b.tradeId ? -1 : 1;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

function label(fill: ReplayFill): string {
  return `${fill.symbol} #${fill.tradeId}`;
}

/** Why a row cannot be used, or undefined when it is well-formed. */
function malformed(fill: ReplayFill): string | undefined {
  if (typeof fill.symbol !== 'string' || typeof fill.tradeId !== 'string' || fill.tradeId === '') {
    return 'symbol or trade id missing';
  }
  if (!fill.baseAsset || !fill.quoteAsset) return 'base or quote asset unknown';
  if (fill.side !== 'BUY' && fill.side !== 'SELL') return `side ${String(fill.side)}`;
  if (typeof fill.time !== 'number' || !Number.isFinite(fill.time)) return 'time missing';
  if (fill.price === undefined || !fill.price.isPositive()) return 'price not positive';
  if (fill.qty === undefined || !fill.qty.isPositive()) return 'quantity not positive';
  if (fill.quoteQty === undefined || !fill.quoteQty.isPositive()) return 'quote quantity not positive';
  if (fill.commission === undefined || fill.commission.isNegative()) return 'fee negative or unreadable';
  if (!fill.commission.isZero() && !fill.commissionAsset) return 'fee without an asset';
  return undefined;
}

const ZERO = Exact.ZERO;

/**
 * Replays fills into positions by base asset.
 *
 * - Fills are processed by {@link compareFills}; a repeated (symbol, trade id) at the same time is
 *   ignored.
 * - A buy adds `qty − base fee` and re-averages: avg = (avg × held + cost) / (held + added),
 *   where cost is the quote spent converted to the cost asset plus any fee not paid in the base.
 * - A sell removes `qty + base fee` and realises `proceeds − fees − removed × avg`; the average
 *   is unchanged (it is reset to zero only when the position goes flat).
 * - A fee paid in a third asset (MX) is valued with `toCostAsset`; when the fills also hold
 *   that asset, the units spent leave its position like a sale at that value.
 * - Selling more than the fills explain (older history missing) realises only the held part,
 *   never goes negative, and warns.
 * - Malformed rows and unconvertible amounts are skipped with a warning; nothing throws.
 *
 * Runs in O(n log n) for the sort plus O(1) work per fill. With `timeOrdered`, the fills must come
 * oldest millisecond first (any order within one) and are consumed one millisecond at a time, so
 * an iterator over a long history is never held in memory at once.
 *
 * `start` continues a replay: an earlier call's result for the fills before these (left
 * untouched). The result equals one replay of both lists when every fill here is in a later
 * millisecond than every fill there (the same-millisecond rule below only looks within one call).
 *
 * @example
 * // buy 0.1 BTC at 60 000 and 0.1 at 62 000 → avgCost 61 000, qty 0.2
 * positionsFromFills(fills, { costAssetOf, toCostAsset }).positions.get('BTC')
 */
export function positionsFromFills(
  fills: Iterable<PositionFill | ReplayFill>,
  options: PositionOptions,
  start?: ReplayStart,
  timeOrdered = false,
): PositionsResult {
  // Continuing from earlier books: they are shared until a fill changes one, then copied (their
  // figures change in place), so a continuation over a few fills costs nothing for the assets
  // they do not touch.
  const books = new Map<string, Book>(start?.books as ReadonlyMap<string, Book> | undefined);
  const own = new Set<Book>();
  const warnings: string[] = [];
  const seen = new Set<string>();

  const bookOf = (asset: string): Book => {
    let book = books.get(asset);
    if (book === undefined) {
      book = {
        asset,
        costAsset: options.costAssetOf(asset),
        qty: new Tally(),
        avgCost: new Tally(),
        realisedPnl: new Tally(),
        feesPaid: new Tally(),
        realisedUsdc: new Tally(),
        feesUsdc: new Tally(),
      };
    } else if (own.has(book)) {
      return book;
    } else {
      book = copyBook(book);
    }
    books.set(asset, book);
    own.add(book);
    return book;
  };

  const convert = (amount: Exact, from: string, to: string, fill: ReplayFill): Exact | undefined =>
    from === to || amount.isZero() ? amount : options.toCostAsset(amount, from, to, fill);

  /** Removes `units` at the average cost against `proceeds` (already net of fees). */
  const dispose = (
    book: Book,
    units: Exact,
    proceeds: Exact,
    fill: UsableFill,
    kind: Realisation['kind'],
  ): void => {
    const held = book.qty.value;
    const oversold = units.greaterThan(held);
    const covered = oversold ? held : units;
    if (oversold) {
      warnings.push(
        `${label(fill)}: ${kind === 'sell' ? 'sold' : 'spent as fee'} ${units.toFixed()} ${book.asset} but fills explain only ${held.toFixed()}; realising the held part (older history missing?)`,
      );
    }
    if (covered.isZero()) return;
    const proceedsCovered =
      oversold && !covered.equals(units) ? proceeds.times(covered).div(units) : proceeds;
    const pnl = proceedsCovered.minus(covered.times(book.avgCost.value));
    book.qty.set(held.minus(covered));
    if (book.qty.isZero()) book.avgCost.set(ZERO);
    book.realisedPnl.add(pnl);
    const pnlUsdc = convert(pnl, book.costAsset, USDC, fill);
    if (pnlUsdc === undefined) book.realisedUsdc = undefined;
    else book.realisedUsdc?.add(pnlUsdc);
    options.onRealised?.({
      kind,
      asset: book.asset,
      costAsset: book.costAsset,
      symbol: fill.symbol,
      tradeId: fill.tradeId,
      orderId: fill.orderId,
      time: fill.time,
      qty: covered,
      pnl,
      pnlUsdc,
    });
  };

  const apply = (fill: UsableFill): void => {
    const costAsset = books.get(fill.baseAsset)?.costAsset ?? options.costAssetOf(fill.baseAsset);
    const gross = convert(fill.quoteQty, fill.quoteAsset, costAsset, fill);
    if (gross === undefined) {
      warnings.push(
        `${label(fill)}: skipped, cannot convert ${fill.quoteQty.toFixed()} ${fill.quoteAsset} to ${costAsset}`,
      );
      return;
    }
    const feeInBase = !fill.commission.isZero() && fill.commissionAsset === fill.baseAsset;
    const baseFeeUnits = feeInBase ? fill.commission : ZERO;
    if (fill.side === 'BUY' && !fill.qty.greaterThan(baseFeeUnits)) {
      warnings.push(
        `${label(fill)}: skipped, fee ${baseFeeUnits.toFixed()} ${fill.baseAsset} eats the whole quantity`,
      );
      return;
    }

    // A base-asset fee costs quantity, not money; its value only feeds the fees-paid total.
    const feeValue = feeInBase
      ? convert(fill.commission.times(fill.price), fill.quoteAsset, costAsset, fill)
      : convert(fill.commission, fill.commissionAsset, costAsset, fill);
    if (feeValue === undefined) {
      warnings.push(
        `${label(fill)}: fee ${fill.commission.toFixed()} ${fill.commissionAsset} cannot be valued in ${costAsset}; counted as 0`,
      );
    }
    const feeCost = feeInBase ? ZERO : (feeValue ?? ZERO);
    const book = bookOf(fill.baseAsset);
    book.feesPaid.add(feeValue ?? ZERO);
    const feeUsdc = convert(feeValue ?? ZERO, costAsset, USDC, fill);
    if (feeUsdc === undefined) book.feesUsdc = undefined;
    else book.feesUsdc?.add(feeUsdc);

    if (fill.side === 'BUY') {
      const added = fill.qty.minus(baseFeeUnits);
      const held = book.qty.value;
      const qty = held.plus(added);
      book.avgCost.set(book.avgCost.value.times(held).plus(gross).plus(feeCost).div(qty));
      book.qty.set(qty);
    } else {
      dispose(book, fill.qty.plus(baseFeeUnits), gross.minus(feeCost), fill, 'sell');
    }

    // Quote and cost assets are cash; any other fee asset the fills hold (MX) is spent from its position.
    const feeAsset = fill.commissionAsset;
    if (!feeInBase && !fill.commission.isZero() && feeAsset !== fill.quoteAsset && feeAsset !== costAsset) {
      const held = books.get(feeAsset);
      if (held !== undefined && held.qty.isPositive()) {
        const feeBook = bookOf(feeAsset);
        const value =
          feeBook.costAsset === costAsset && feeValue !== undefined
            ? feeValue
            : convert(fill.commission, feeAsset, feeBook.costAsset, fill);
        // Unvalued units leave at their average cost: no PnL is invented.
        dispose(feeBook, fill.commission, value ?? fill.commission.times(feeBook.avgCost.value), fill, 'fee');
      }
    }
  };

  // A trade has one time: a repeat is looked for within its millisecond only.
  const applyOnce = (fill: UsableFill): void => {
    const key = `${fill.symbol}\u0000${fill.tradeId}`;
    if (seen.has(key)) return;
    seen.add(key);
    apply(fill);
  };

  /** Applies the fills of one millisecond, sorted by {@link compareFills}. */
  const applyMillisecond = (ordered: readonly UsableFill[]): void => {
    if (ordered.length === 1) {
      apply(ordered[0]!);
      return;
    }
    seen.clear();
    for (const [i, fill] of ordered.entries()) {
      // The same-millisecond rule: a sell of more than is held first takes in the buys of the same
      // asset stamped in the same millisecond (their order there is unknown), so the ordering alone
      // never oversells a position. Otherwise trade-id order stands.
      if (fill.side === 'SELL' && !seen.has(`${fill.symbol}\u0000${fill.tradeId}`)) {
        const held = books.get(fill.baseAsset)?.qty.value ?? ZERO;
        if (held.lessThan(fill.qty)) {
          for (let j = i + 1; j < ordered.length; j++) {
            const later = ordered[j]!;
            if (later.side === 'BUY' && later.baseAsset === fill.baseAsset) applyOnce(later);
          }
        }
      }
      applyOnce(fill);
    }
  };

  /** The usable reading of a row, or undefined after warning about it. */
  const usable = (row: PositionFill | ReplayFill): UsableFill | undefined => {
    const fill = replayFillOf(row);
    const problem = malformed(fill);
    if (problem === undefined) return fill as UsableFill;
    warnings.push(`${label(fill)}: skipped, ${problem}`);
    return undefined;
  };

  if (timeOrdered) {
    // One array for every millisecond, emptied after each: most milliseconds hold one fill, and a
    // long history would otherwise leave an array per fill for the collector.
    const group: UsableFill[] = [];
    for (const row of fills) {
      const fill = usable(row);
      if (fill === undefined) continue;
      if (group.length > 0 && fill.time !== group[0]!.time) {
        if (fill.time < group[0]!.time) throw new RangeError('fills given as time-ordered are not');
        applyMillisecond(group.length > 1 ? group.sort(compareFills) : group);
        group.length = 0;
      }
      group.push(fill);
    }
    if (group.length > 0) applyMillisecond(group.sort(compareFills));
  } else {
    // Malformed rows go first: a row without a usable time or id cannot even be sorted.
    const ordered: UsableFill[] = [];
    for (const row of fills) {
      const fill = usable(row);
      if (fill !== undefined) ordered.push(fill);
    }
    ordered.sort(compareFills);
    for (let from = 0; from < ordered.length;) {
      let to = from + 1;
      while (to < ordered.length && ordered[to]!.time === ordered[from]!.time) to++;
      applyMillisecond(from + 1 === to ? [ordered[from]!] : ordered.slice(from, to));
      from = to;
    }
  }

  const positions = new Map<string, Position>();
  for (const book of books.values()) {
    const unchanged = own.has(book) ? undefined : start?.positions.get(book.asset);
    positions.set(book.asset, unchanged ?? positionOf(book));
  }
  return { positions, books, warnings };
}

function positionOf(book: Book): Position {
  return {
    asset: book.asset,
    qty: book.qty.value.toDecimal(),
    avgCost: book.avgCost.value.toDecimal(),
    costAsset: book.costAsset,
    realisedPnl: book.realisedPnl.value.toDecimal(),
    feesPaid: book.feesPaid.value.toDecimal(),
    ...(book.realisedUsdc !== undefined ? { realisedPnlUsdc: book.realisedUsdc.value.toDecimal() } : {}),
    ...(book.feesUsdc !== undefined ? { feesPaidUsdc: book.feesUsdc.value.toDecimal() } : {}),
    costBasisSource: 'fills',
  };
}
