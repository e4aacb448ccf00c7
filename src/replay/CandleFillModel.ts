/**
 * The paper exchange's fill model applied to recorded candles (a replay):
 *
 * - an order that meets the book on arrival (MARKET, IOC, a crossing LIMIT) trades at the open
 *   of the first candle opening at or after it (the next minute's open; the price of the moment
 *   when the replay steps on whole minutes), moved against the order by half the symbol's spread
 *   plus `slippage`; the paper exchange's own rules then apply (an IOC whose limit that price
 *   does not reach is cancelled, the taker fee from the symbol's rules);
 * - a resting buy fills at its limit, as maker, once a candle that opened after it was placed has
 *   its low strictly below the limit (a sell: its high strictly above): the market traded through
 *   it, so the queue ahead of it was taken too.
 *
 * Resting orders are checked on the price series (1-minute candles where recorded), each candle
 * once per order: a running low/high is kept per order.
 *
 * `resting: 'book-touch'` instead fills a resting order the way the live paper exchange does, when
 * the book of the moment reaches it; the book a replay shows is each candle's open, so this is the
 * rule for candles whose extremes were never quoted (the built-in simulator's, whose book moves
 * from open to close between the minutes the bot looks at).
 */
import type { BookTop } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import { bookTopFillModel, type PaperFillModel, type RestingOrder } from '../exchange/paper/paperMatching.js';
import type { Clock } from '../common/clock.js';
import type { CandleTape } from './CandleTape.js';
import { bookAround, type HistoricalMarket } from './HistoricalMarket.js';

/** The candles, market, clock and slippage the candle fill model needs. */
export interface CandleFillModelOptions {
  readonly clock: Clock;
  readonly tape: CandleTape;
  readonly market: HistoricalMarket;
  /** Extra price move against a taker order, as a fraction (0.0005 = 5 bps). */
  readonly slippage: number;
  /** When a resting order fills: the candles trade through it (default), or the book touches it. */
  readonly resting?: RestingFillRule;
}

/** When a resting order fills in a replay; see the module comment. */
export type RestingFillRule = 'candle-range' | 'book-touch';

/** Fills paper orders on candles; see the module comment. */
export class CandleFillModel implements PaperFillModel {
  readonly #o: CandleFillModelOptions;
  /** Per resting order: the range of the candles seen since it was placed, and up to when. */
  readonly #seen = new Map<string, { until: number; low: number; high: number }>();

  constructor(options: CandleFillModelOptions) {
    this.#o = options;
  }

  arrivalTop(symbol: string, tops: ReadonlyMap<string, BookTop>): BookTop | undefined {
    const rules = this.#o.market.rulesOf(symbol);
    const open = this.#o.tape.nextOpen(symbol, this.#o.clock.now());
    if (!rules || open === undefined) return tops.get(symbol);
    return bookAround(symbol, open, this.#o.market.halfSpread(symbol) + this.#o.slippage, rules.tickSize);
  }

  restingFill(order: RestingOrder, tops: ReadonlyMap<string, BookTop>): Decimal | undefined {
    if (this.#o.resting === 'book-touch') return bookTopFillModel.restingFill(order, tops);
    const now = this.#o.clock.now();
    const key = `${order.symbol}\u0000${order.side}\u0000${order.time}\u0000${order.price.toFixed()}`;
    const seen = this.#seen.get(key) ?? { until: order.time, low: Infinity, high: -Infinity };
    if (now > seen.until) {
      const range = this.#o.tape.range(order.symbol, seen.until, now);
      if (range) {
        seen.low = Math.min(seen.low, range.low);
        seen.high = Math.max(seen.high, range.high);
      }
      // Candles closed by now were looked at; the next look starts at the first one not closed.
      seen.until = this.#closedUntil(order.symbol, seen.until, now);
      this.#seen.set(key, seen);
    }
    const limit = order.price.toNumber();
    const through = order.side === 'BUY' ? seen.low < limit : seen.high > limit;
    if (!through) return undefined;
    this.#seen.delete(key);
    return order.price;
  }

  /** The open time of the first candle after `from` not closed at `now` (where the next look starts). */
  #closedUntil(symbol: string, from: number, now: number): number {
    const width = this.#o.tape.widthOf(symbol);
    if (width === undefined) return from;
    // Candles open on multiples of their width: the first one not closed at `now` opens at the
    // last boundary at or before it.
    return Math.max(from, Math.floor(now / width) * width);
  }
}
