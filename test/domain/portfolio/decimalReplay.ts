/**
 * The fills replay as it was written on decimal.js, before its arithmetic moved to exact bigint
 * decimals: the reference the replay must equal digit for digit (see replayExactness.property.test.ts).
 * Kept as it was, only renamed; not used by the bot.
 */
import { Decimal, ZERO } from '../../../src/domain/money.js';
import { convertStable, priceIn, type ConversionRates } from '../../../src/domain/portfolio/conversion.js';
import type { Position } from '../../../src/domain/portfolio/position.js';
import type { PositionFill } from '../../../src/domain/portfolio/positions.js';

const USDC = 'USDC';

/** PnL realised by one disposal of a position: a sell, or units spent as a fee on another trade. */
export interface DecimalRealisation {
  readonly kind: 'sell' | 'fee';
  readonly asset: string;
  readonly costAsset: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly time: number;
  /** Units that left the position (only the part the fills explain). */
  readonly qty: Decimal;
  /** Proceeds net of fees minus `qty × avgCost`, in `costAsset`. */
  readonly pnl: Decimal;
  /** `pnl` in USDC at the fill's own `USDCUSDT`; undefined when it cannot be converted. */
  readonly pnlUsdc: Decimal | undefined;
}

/**
 * How positions are costed: each asset's cost currency, conversions into it, and a hook for every
 * realisation.
 */
export interface DecimalOptions {
  /** The currency a position's cost is kept in: `USDC` for BTC/ETH, `USDT` for altcoins. */
  costAssetOf(asset: string): string;
  /**
   * Converts an amount into a cost asset, or undefined when it cannot: the quote of a BTCUSDT fill
   * into USDC (at USDCUSDT), a fee paid in MX (valued at the fill's price or MX's). Must return
   * `amount` unchanged when `fromAsset === toAsset` (it is not called for that case).
   */
  toCostAsset(amount: Decimal, fromAsset: string, toAsset: string, fill: PositionFill): Decimal | undefined;
  /** Called for every realisation in processing order (used for per-period and per-sell PnL). */
  onRealised?(realisation: DecimalRealisation): void;
}

/** The positions replayed from fills, and warnings about rows that could not be used. */
interface PositionsResult {
  /** By base asset, including flat positions that have history. */
  readonly positions: Map<string, Position>;
  /** One line per skipped row or incomplete history, for the caller to log. */
  readonly warnings: string[];
}

interface Book {
  readonly asset: string;
  readonly costAsset: string;
  qty: Decimal;
  avgCost: Decimal;
  realisedPnl: Decimal;
  feesPaid: Decimal;
  /** Realised PnL and fees in USDC, each converted at its own fill's prices; undefined once one cannot be. */
  realisedUsdc: Decimal | undefined;
  feesUsdc: Decimal | undefined;
}

/**
 * Deterministic processing order: time, then trade id, then symbol. MEXC trade ids are long
 * digit strings or 32-hex strings; comparing length first makes digit ids sort numerically.
 * Within one millisecond the ids do not follow execution, so {@link positionsFromFills} applies a
 * same-millisecond buy ahead of a sell that would otherwise sell more than is held (see there).
 */
function compareFills(a: PositionFill, b: PositionFill): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.tradeId.length !== b.tradeId.length) return a.tradeId.length - b.tradeId.length;
  if (a.tradeId !== b.tradeId) return a.tradeId < b.tradeId ? -1 : 1;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

function label(fill: PositionFill): string {
  return `${fill.symbol} #${fill.tradeId}`;
}

function isUsable(d: unknown): d is Decimal {
  return d instanceof Decimal && d.isFinite();
}

/** Why a row cannot be used, or undefined when it is well-formed. */
function malformed(fill: PositionFill): string | undefined {
  if (typeof fill.symbol !== 'string' || typeof fill.tradeId !== 'string' || fill.tradeId === '') {
    return 'symbol or trade id missing';
  }
  if (!fill.baseAsset || !fill.quoteAsset) return 'base or quote asset unknown';
  if (fill.side !== 'BUY' && fill.side !== 'SELL') return `side ${String(fill.side)}`;
  if (typeof fill.time !== 'number' || !Number.isFinite(fill.time)) return 'time missing';
  if (!isUsable(fill.price) || !fill.price.greaterThan(0)) return 'price not positive';
  if (!isUsable(fill.qty) || !fill.qty.greaterThan(0)) return 'quantity not positive';
  if (!isUsable(fill.quoteQty) || !fill.quoteQty.greaterThan(0)) return 'quote quantity not positive';
  if (!isUsable(fill.commission) || fill.commission.isNegative()) return 'fee negative or unreadable';
  if (!fill.commission.isZero() && !fill.commissionAsset) return 'fee without an asset';
  return undefined;
}

/**
 * Replays fills into positions by base asset.
 *
 * - Fills are processed by {@link compareFills}; a repeated (symbol, trade id) is ignored.
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
 * Runs in O(n log n) for the sort plus O(1) work per fill.
 *
 * `start` continues a replay: the positions an earlier call returned for the fills before these.
 * The result equals one replay of both lists when every fill here is in a later millisecond than
 * every fill there (the same-millisecond rule below only looks within one call).
 *
 * @example
 * // buy 0.1 BTC at 60 000 and 0.1 at 62 000 → avgCost 61 000, qty 0.2
 * positionsFromFills(fills, { costAssetOf, toCostAsset }).positions.get('BTC')
 */
export function decimalPositionsFromFills(
  fills: readonly PositionFill[],
  options: DecimalOptions,
  start?: ReadonlyMap<string, Position>,
): PositionsResult {
  // Continuing from earlier positions: each book starts where that replay left it (copied, the
  // positions given stay untouched).
  const books = new Map<string, Book>();
  for (const p of start?.values() ?? []) {
    books.set(p.asset, {
      asset: p.asset,
      costAsset: p.costAsset,
      qty: p.qty,
      avgCost: p.avgCost,
      realisedPnl: p.realisedPnl,
      feesPaid: p.feesPaid,
      realisedUsdc: p.realisedPnlUsdc,
      feesUsdc: p.feesPaidUsdc,
    });
  }
  const warnings: string[] = [];
  const seen = new Set<string>();

  const bookOf = (asset: string): Book => {
    let book = books.get(asset);
    if (book === undefined) {
      book = {
        asset,
        costAsset: options.costAssetOf(asset),
        qty: ZERO,
        avgCost: ZERO,
        realisedPnl: ZERO,
        feesPaid: ZERO,
        realisedUsdc: ZERO,
        feesUsdc: ZERO,
      };
      books.set(asset, book);
    }
    return book;
  };

  const convert = (amount: Decimal, from: string, to: string, fill: PositionFill): Decimal | undefined =>
    from === to || amount.isZero() ? amount : options.toCostAsset(amount, from, to, fill);

  /** Removes `units` at the average cost against `proceeds` (already net of fees). */
  const dispose = (
    book: Book,
    units: Decimal,
    proceeds: Decimal,
    fill: PositionFill,
    kind: DecimalRealisation['kind'],
  ): void => {
    const held = book.qty;
    const covered = units.greaterThan(held) ? held : units;
    if (units.greaterThan(held)) {
      warnings.push(
        `${label(fill)}: ${kind === 'sell' ? 'sold' : 'spent as fee'} ${units.toFixed()} ${book.asset} but fills explain only ${held.toFixed()}; realising the held part (older history missing?)`,
      );
    }
    if (covered.isZero()) return;
    const proceedsCovered = covered.equals(units) ? proceeds : proceeds.times(covered).div(units);
    const pnl = proceedsCovered.minus(covered.times(book.avgCost));
    book.qty = held.minus(covered);
    if (book.qty.isZero()) book.avgCost = ZERO;
    book.realisedPnl = book.realisedPnl.plus(pnl);
    const pnlUsdc = convert(pnl, book.costAsset, USDC, fill);
    book.realisedUsdc = pnlUsdc === undefined ? undefined : book.realisedUsdc?.plus(pnlUsdc);
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

  const apply = (fill: PositionFill): void => {
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
    book.feesPaid = book.feesPaid.plus(feeValue ?? ZERO);
    const feeUsdc = convert(feeValue ?? ZERO, costAsset, USDC, fill);
    book.feesUsdc = feeUsdc === undefined ? undefined : book.feesUsdc?.plus(feeUsdc);

    if (fill.side === 'BUY') {
      const added = fill.qty.minus(baseFeeUnits);
      const qty = book.qty.plus(added);
      book.avgCost = book.avgCost.times(book.qty).plus(gross).plus(feeCost).div(qty);
      book.qty = qty;
    } else {
      dispose(book, fill.qty.plus(baseFeeUnits), gross.minus(feeCost), fill, 'sell');
    }

    // Quote and cost assets are cash; any other fee asset the fills hold (MX) is spent from its position.
    const feeAsset = fill.commissionAsset;
    if (!feeInBase && !fill.commission.isZero() && feeAsset !== fill.quoteAsset && feeAsset !== costAsset) {
      const feeBook = books.get(feeAsset);
      if (feeBook !== undefined && feeBook.qty.greaterThan(0)) {
        const value =
          feeBook.costAsset === costAsset && feeValue !== undefined
            ? feeValue
            : convert(fill.commission, feeAsset, feeBook.costAsset, fill);
        // Unvalued units leave at their average cost: no PnL is invented.
        dispose(feeBook, fill.commission, value ?? fill.commission.times(feeBook.avgCost), fill, 'fee');
      }
    }
  };

  // Malformed rows go first: a row without a usable time or id cannot even be sorted.
  const ordered: PositionFill[] = [];
  for (const fill of fills) {
    const problem = malformed(fill);
    if (problem === undefined) ordered.push(fill);
    else warnings.push(`${label(fill)}: skipped, ${problem}`);
  }
  ordered.sort(compareFills);
  const applyOnce = (fill: PositionFill) => {
    const key = `${fill.symbol}\u0000${fill.tradeId}`;
    if (seen.has(key)) return;
    seen.add(key);
    apply(fill);
  };
  for (const [i, fill] of ordered.entries()) {
    // The same-millisecond rule: a sell of more than is held first takes in the buys of the same
    // asset stamped in the same millisecond (their order there is unknown), so the ordering alone
    // never oversells a position. Otherwise trade-id order stands.
    if (fill.side === 'SELL' && !seen.has(`${fill.symbol}\u0000${fill.tradeId}`)) {
      const held = books.get(fill.baseAsset)?.qty ?? ZERO;
      if (held.lessThan(fill.qty)) {
        for (let j = i + 1; j < ordered.length && ordered[j]!.time === fill.time; j++) {
          const later = ordered[j]!;
          if (later.side === 'BUY' && later.baseAsset === fill.baseAsset) applyOnce(later);
        }
      }
    }
    applyOnce(fill);
  }

  const positions = new Map<string, Position>();
  for (const book of books.values()) {
    positions.set(book.asset, {
      asset: book.asset,
      qty: book.qty,
      avgCost: book.avgCost,
      costAsset: book.costAsset,
      realisedPnl: book.realisedPnl,
      feesPaid: book.feesPaid,
      ...(book.realisedUsdc !== undefined ? { realisedPnlUsdc: book.realisedUsdc } : {}),
      ...(book.feesUsdc !== undefined ? { feesPaidUsdc: book.feesUsdc } : {}),
      costBasisSource: 'fills',
    });
  }
  return { positions, warnings };
}

/** The conversion the bot used with it: each fill at its recorded prices, else at `fallback`. */
export function decimalToCostAsset(
  fallback: ConversionRates,
): (amount: Decimal, fromAsset: string, toAsset: string, fill: PositionFill) => Decimal | undefined {
  return (amount, fromAsset, toAsset, fill) => {
    if (fromAsset === toAsset) return amount;
    const recorded = fill.prices;
    const feeSymbol =
      recorded?.feePrice !== undefined && recorded.feeQuote !== undefined
        ? fill.commissionAsset + recorded.feeQuote
        : undefined;
    const rates: ConversionRates =
      recorded === undefined
        ? fallback
        : {
            prices: { get: (symbol) => (symbol === feeSymbol ? recorded.feePrice : undefined) },
            usdcUsdt: recorded.usdcUsdt,
          };
    const stable = convertStable(amount, fromAsset, toAsset, rates.usdcUsdt);
    if (stable !== undefined) return stable;
    if (fromAsset === fill.baseAsset) {
      return convertStable(amount.times(fill.price), fill.quoteAsset, toAsset, rates.usdcUsdt);
    }
    const price = priceIn(fromAsset, toAsset, rates);
    return price === undefined ? undefined : amount.times(price);
  };
}
