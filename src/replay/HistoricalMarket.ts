/**
 * The public side of the exchange during a replay: rules, book tops, prices, 24-hour tickers,
 * candles and depth derived from recorded candles as of the replay clock, never from later data
 * (see {@link CandleTape}). The paper exchange trades against it exactly as it trades against the
 * live market.
 *
 * What candles cannot say is assumed, and stated in every replay's assumptions:
 * - the book around the price has the spread the symbol shows now (`spreads`), at least one tick;
 * - the touch holds any quantity the bot sends (no partial fills for size);
 * - the 24-hour ticker sums the closed 15-minute candles of the last day;
 * - the rules (ticks, steps, minimums, fees) are today's.
 */
import { ExchangeError } from '../domain/errors.js';
import {
  type BookTop,
  type Candle,
  type Depth,
  INTERVAL_MS,
  type SymbolRules,
  type Ticker24h,
} from '../domain/market.js';
import { type Decimal, dec } from '../domain/money.js';
import type { KlineQuery } from '../exchange/ExchangePort.js';
import type { MarketData } from '../exchange/paper/PaperExchange.js';
import type { Clock } from '../common/clock.js';
import type { NumericCandle } from '../domain/candleColumns.js';
import type { CandleTape } from './CandleTape.js';

/** A 15-minute candle: the 24-hour statistics change only when one closes. */
const QUARTER_MS = INTERVAL_MS['15m'];

/** A symbol's 24-hour open, range and volumes as decimals. */
interface DayStats {
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly volume: Decimal;
  readonly quoteVolume: Decimal;
}

/** A touch quantity no replayed order reaches: the assumption is that size never limits a fill. */
const DEEP_BOOK = dec('1e15');

/** The clock, candles, rules and spreads a historical market answers from. */
export interface HistoricalMarketOptions {
  readonly clock: Clock;
  readonly tape: CandleTape;
  readonly rules: ReadonlyMap<string, SymbolRules>;
  /** Spread of each symbol as a fraction of its price (bid–ask over mid); absent: one tick. */
  readonly spreads: ReadonlyMap<string, number>;
}

/** Price in ticks from a float price: `floor` for bids, `ceil` for asks. */
function onTick(price: number, tick: Decimal, round: 'floor' | 'ceil'): Decimal {
  const t = tick.toNumber();
  const ticks = Math[round](price / t - (round === 'floor' ? -1e-9 : 1e-9));
  return tick.times(Math.max(1, ticks));
}

/**
 * A book top around `price` with `halfSpread` (a fraction) on each side, on the symbol's tick
 * grid, bid below ask by at least one tick, any size at the touch.
 */
export function bookAround(symbol: string, price: number, halfSpread: number, tick: Decimal): BookTop {
  const bid = onTick(price * (1 - halfSpread), tick, 'floor');
  let ask = onTick(price * (1 + halfSpread), tick, 'ceil');
  if (!ask.greaterThan(bid)) ask = bid.plus(tick);
  return { symbol, bid, bidQty: DEEP_BOOK, ask, askQty: DEEP_BOOK };
}

/**
 * A recorded number as candle text. A stored value that is not a number fails the request rather
 * than reaching the indicators as NaN.
 */
function textOf(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}

function toCandle(c: NumericCandle, widthMs: number): Candle {
  return {
    openTime: c.openTime,
    open: textOf(c.open),
    high: textOf(c.high),
    low: textOf(c.low),
    close: textOf(c.close),
    volume: textOf(c.volume),
    quoteVolume: textOf(c.quoteVolume),
    closeTime: c.openTime + widthMs - 1,
  };
}

/** Market data of the past, as of the replay clock. */
export class HistoricalMarket implements MarketData {
  readonly #o: HistoricalMarketOptions;
  #tops: { at: number; value: ReadonlyMap<string, BookTop> } | undefined;
  #tickers: { at: number; value: readonly Ticker24h[] } | undefined;
  /** Each symbol's day statistics as decimals, recomputed when a 15-minute candle closes. */
  readonly #days = new Map<string, { bucket: number; day: DayStats | undefined }>();

  constructor(options: HistoricalMarketOptions) {
    this.#o = options;
  }

  /** Half the symbol's spread as a fraction (zero when unknown: the book is then one tick wide). */
  halfSpread(symbol: string): number {
    return (this.#o.spreads.get(symbol) ?? 0) / 2;
  }

  /** The symbol's rules (undefined when not listed). */
  rulesOf(symbol: string): SymbolRules | undefined {
    return this.#o.rules.get(symbol);
  }

  async getRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#o.rules;
  }

  async refreshRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#o.rules;
  }

  /** Book tops of every symbol with a price at the replay clock's time. */
  async getBookTops(): Promise<ReadonlyMap<string, BookTop>> {
    return this.bookTopsNow();
  }

  /** {@link getBookTops} without the promise, for the fill model. */
  bookTopsNow(): ReadonlyMap<string, BookTop> {
    const now = this.#o.clock.now();
    if (this.#tops?.at === now) return this.#tops.value;
    const tops = new Map<string, BookTop>();
    for (const symbol of this.#o.tape.symbols()) {
      const rules = this.#o.rules.get(symbol);
      const price = this.#o.tape.priceAt(symbol, now);
      if (!rules || price === undefined) continue;
      tops.set(symbol, bookAround(symbol, price, this.halfSpread(symbol), rules.tickSize));
    }
    this.#tops = { at: now, value: tops };
    return tops;
  }

  async getPrices(): Promise<ReadonlyMap<string, Decimal>> {
    const prices = new Map<string, Decimal>();
    for (const [symbol, top] of this.bookTopsNow()) prices.set(symbol, top.bid.plus(top.ask).div(2));
    return prices;
  }

  async getTickers24h(): Promise<readonly Ticker24h[]> {
    const now = this.#o.clock.now();
    if (this.#tickers?.at === now) return this.#tickers.value;
    const tickers: Ticker24h[] = [];
    for (const [symbol, top] of this.bookTopsNow()) {
      const day = this.#dayOf(symbol, now);
      if (!day) continue;
      const last = top.bid.plus(top.ask).div(2);
      tickers.push({
        symbol,
        lastPrice: last,
        openPrice: day.open,
        highPrice: day.high,
        lowPrice: day.low,
        bidPrice: top.bid,
        askPrice: top.ask,
        volume: day.volume,
        quoteVolume: day.quoteVolume,
        priceChangeFraction: last.minus(day.open).div(day.open),
        closeTime: now,
      });
    }
    this.#tickers = { at: now, value: tickers };
    return tickers;
  }

  /** The day statistics of a symbol at `now`, cached until the next 15-minute candle closes. */
  #dayOf(symbol: string, now: number): DayStats | undefined {
    const bucket = Math.floor(now / QUARTER_MS);
    const cached = this.#days.get(symbol);
    if (cached?.bucket === bucket) return cached.day;
    const d = this.#o.tape.day(symbol, now);
    const day =
      d && d.open > 0
        ? {
            open: dec(d.open),
            high: dec(d.high),
            low: dec(d.low),
            volume: dec(d.volume),
            quoteVolume: dec(d.quoteVolume),
          }
        : undefined;
    this.#days.set(symbol, { bucket, day });
    return day;
  }

  /**
   * Closed 1- and 15-minute candles (the widths the bot reads); the candle in progress is not
   * known yet, so it is never returned.
   */
  async getKlines(query: KlineQuery): Promise<readonly Candle[]> {
    const { interval } = query;
    if (interval !== '15m' && interval !== '1m') {
      throw new ExchangeError(`a replay serves 1m and 15m candles, not ${interval}`, {
        kind: 'invalid-order',
        symbol: query.symbol,
      });
    }
    const limit = Math.min(query.limit ?? 500, 500);
    const rows = this.#o.tape.klines(query.symbol, interval, this.#o.clock.now(), {
      ...(query.startTime !== undefined && query.endTime !== undefined ? { from: query.startTime } : {}),
      ...(query.endTime !== undefined ? { to: query.endTime } : {}),
      limit,
    });
    return rows.map((c) => toCandle(c, INTERVAL_MS[interval]));
  }

  async getDepth(symbol: string): Promise<Depth> {
    const top = this.bookTopsNow().get(symbol);
    return {
      symbol,
      bids: top ? [{ price: top.bid, qty: top.bidQty }] : [],
      asks: top ? [{ price: top.ask, qty: top.askQty }] : [],
    };
  }
}
