import type { BookTop, Candle, Depth, SymbolRules, Ticker24h } from '../../src/domain/market.js';
import { type Decimal, dec } from '../../src/domain/money.js';
import type { KlineQuery } from '../../src/exchange/ExchangePort.js';
import type { MarketData } from '../../src/exchange/paper/PaperExchange.js';

export interface BookTopInput {
  readonly bid: string | Decimal;
  readonly ask: string | Decimal;
  /** Quantity at the best bid; defaults to 1000. */
  readonly bidQty?: string | Decimal;
  /** Quantity at the best ask; defaults to 1000. */
  readonly askQty?: string | Decimal;
}

/**
 * In-memory public market data with rules and book tops set by the test: a fake of the
 * market-data half of the exchange port (what the paper exchange trades against), not of the
 * MEXC client. Counts book-top requests and can be told to fail them.
 */
export class FakeMarketData implements MarketData {
  readonly #rules = new Map<string, SymbolRules>();
  readonly #tops = new Map<string, BookTop>();
  readonly #klines = new Map<string, Candle[]>();
  bookTopRequests = 0;
  refreshes = 0;
  /** When set, getBookTops rejects with it. */
  bookTopsError: Error | undefined;

  constructor(rules: readonly SymbolRules[] = []) {
    this.setRules(...rules);
  }

  setRules(...rules: readonly SymbolRules[]): void {
    for (const r of rules) this.#rules.set(r.symbol, r);
  }

  setBookTop(symbol: string, top: BookTopInput): void {
    this.#tops.set(symbol, {
      symbol,
      bid: dec(top.bid),
      ask: dec(top.ask),
      bidQty: dec(top.bidQty ?? '1000'),
      askQty: dec(top.askQty ?? '1000'),
    });
  }

  setKlines(symbol: string, candles: Candle[]): void {
    this.#klines.set(symbol, candles);
  }

  async getRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return new Map(this.#rules);
  }

  async refreshRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    this.refreshes += 1;
    return this.getRules();
  }

  async getTickers24h(): Promise<readonly Ticker24h[]> {
    return [...this.#tops.values()].map((t) => {
      const mid = t.bid.plus(t.ask).div(2);
      return {
        symbol: t.symbol,
        lastPrice: mid,
        openPrice: mid,
        highPrice: t.ask,
        lowPrice: t.bid,
        bidPrice: t.bid,
        askPrice: t.ask,
        volume: dec(0),
        quoteVolume: dec(0),
        priceChangeFraction: dec(0),
        closeTime: 0,
      };
    });
  }

  async getBookTops(): Promise<ReadonlyMap<string, BookTop>> {
    this.bookTopRequests += 1;
    if (this.bookTopsError) throw this.bookTopsError;
    return new Map(this.#tops);
  }

  async getPrices(): Promise<ReadonlyMap<string, Decimal>> {
    return new Map([...this.#tops].map(([s, t]) => [s, t.bid.plus(t.ask).div(2)]));
  }

  async getKlines(query: KlineQuery): Promise<readonly Candle[]> {
    return (this.#klines.get(query.symbol) ?? []).filter(
      (c) =>
        (query.startTime === undefined || c.openTime >= query.startTime) &&
        (query.endTime === undefined || c.openTime < query.endTime),
    );
  }

  async getDepth(symbol: string): Promise<Depth> {
    const t = this.#tops.get(symbol);
    return {
      symbol,
      bids: t ? [{ price: t.bid, qty: t.bidQty }] : [],
      asks: t ? [{ price: t.ask, qty: t.askQty }] : [],
    };
  }
}
