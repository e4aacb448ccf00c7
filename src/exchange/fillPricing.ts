/**
 * Fixes, with every recorded fill, the prices needed to value it for good: `USDCUSDT` (a BTCUSDT
 * trade's cost in USDC, an altcoin's realised PnL in USDC) and the price of a fee paid in a third
 * asset such as MX. Without them, realised PnL would be re-valued at today's prices and change
 * after the fact.
 *
 * A fill the bot records right after it happened (its own orders, synced as they fill) gets the
 * book's mid prices of that moment. A fill synced later (history at start-up, fills of orders
 * that filled while the bot was down, the owner's own trades) gets the close of the one-minute
 * candle of the minute it happened in.
 */
import { midPrice, type BookTop, type Candle } from '../domain/market.js';
import { dec, type Decimal } from '../domain/money.js';
import { feeAssetToPrice, USDC, USDT } from '../domain/portfolio/conversion.js';
import type { RecordedFillPrices, UnpricedFill } from '../persistence/FillRepository.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { ExchangePort } from './ExchangePort.js';

/** Where unpriced fills are read and their prices written (FillRepository). */
export interface FillPriceStore {
  unpricedFills(limit: number): UnpricedFill[];
  recordPrices(
    entries: readonly {
      readonly symbol: string;
      readonly tradeId: string;
      readonly prices: RecordedFillPrices;
    }[],
  ): number;
}

/** The market data the pricer reads. */
export type FillPriceSource = Pick<ExchangePort, 'getBookTops' | 'getKlines' | 'getRules'>;

/** The market data, fill store, clock and batching of the pricer that records each fill's prices. */
export interface FillPricerOptions {
  readonly exchange: FillPriceSource;
  readonly store: FillPriceStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A fill at most this old when priced takes the book's prices; older ones their minute's candle. Default 2 minutes. */
  readonly recentMs?: number;
  /** Fills priced per pass. Default 500. */
  readonly batch?: number;
}

const MINUTE_MS = 60_000;
/** Candles per klines request (MEXC returns at most 500). */
const KLINES_PER_CALL = 500;

/** Records the prices of fills that lack them; one pass at a time, in call order. */
export class FillPricer {
  readonly #o: FillPricerOptions;
  #chain: Promise<unknown> = Promise.resolve();
  /** Fills no candle could price in this process: not asked for again until a restart. */
  readonly #unpriceable = new Set<string>();

  constructor(options: FillPricerOptions) {
    this.#o = options;
  }

  /**
   * Prices the fills that just happened from the book, at once and outside the queue of
   * {@link recordPending} (which may be busy with a month of history and its candles): a fresh
   * fill is priced before it is announced. Resolves with how many were priced.
   */
  async recordRecent(): Promise<number> {
    try {
      const now = this.#o.clock.now();
      const recentMs = this.#o.recentMs ?? 2 * MINUTE_MS;
      const recent = this.#o.store
        .unpricedFills(this.#o.batch ?? 500)
        .filter((f) => now - f.time <= recentMs && !this.#unpriceable.has(key(f)));
      const entries = await this.#fromBook(recent);
      return entries.length === 0 ? 0 : this.#o.store.recordPrices(entries);
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'fresh fill prices not recorded yet; retrying at the next sync');
      return 0;
    }
  }

  /**
   * Prices every recorded fill still without prices. Resolves with how many were priced; a
   * failure is logged and left for the next call (the fills keep today's prices until then).
   */
  recordPending(): Promise<number> {
    const pass = this.#chain.then(() => this.#pass());
    this.#chain = pass.catch(() => undefined);
    return pass.catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, 'fill prices not recorded yet; retrying at the next sync');
      return 0;
    });
  }

  async #pass(): Promise<number> {
    const fills = this.#o.store
      .unpricedFills(this.#o.batch ?? 500)
      .filter((f) => !this.#unpriceable.has(key(f)));
    if (fills.length === 0) return 0;
    const now = this.#o.clock.now();
    const recentMs = this.#o.recentMs ?? 2 * MINUTE_MS;
    const recent = fills.filter((f) => now - f.time <= recentMs);
    const older = fills.filter((f) => now - f.time > recentMs);
    const entries = [...(await this.#fromBook(recent)), ...(await this.#fromCandles(older))];
    return entries.length === 0 ? 0 : this.#o.store.recordPrices(entries);
  }

  async #fromBook(fills: readonly UnpricedFill[]): Promise<Entry[]> {
    if (fills.length === 0) return [];
    const tops = await this.#o.exchange.getBookTops();
    const price = (symbol: string): Decimal | undefined => midOf(tops.get(symbol));
    const entries: Entry[] = [];
    for (const fill of fills) {
      const prices = pricesFor(
        fill,
        () => price('USDCUSDT'),
        (symbol) => price(symbol),
        'book',
      );
      // Without a book price now, the fill is priced from its candle once it counts as older.
      if (prices !== undefined) entries.push({ symbol: fill.symbol, tradeId: fill.tradeId, prices });
    }
    return entries;
  }

  async #fromCandles(fills: readonly UnpricedFill[]): Promise<Entry[]> {
    if (fills.length === 0) return [];
    const rules = await this.#o.exchange.getRules();
    const listed = (symbol: string) => rules.has(symbol);
    const minutes = new Map<string, Set<number>>();
    const need = (symbol: string, time: number) => {
      let set = minutes.get(symbol);
      if (set === undefined) minutes.set(symbol, (set = new Set()));
      set.add(minuteOf(time));
    };
    for (const fill of fills) {
      need('USDCUSDT', fill.time);
      const feeAsset = feeAssetToPrice(fill);
      const market = feeAsset === undefined ? undefined : feeMarketOf(feeAsset, listed);
      if (market !== undefined) need(market.symbol, fill.time);
    }
    const closes = new Map<string, Map<number, Decimal>>();
    for (const [symbol, set] of minutes) closes.set(symbol, await this.#closes(symbol, [...set]));
    const entries: Entry[] = [];
    for (const fill of fills) {
      const minute = minuteOf(fill.time);
      const prices = pricesFor(
        fill,
        () => closes.get('USDCUSDT')?.get(minute),
        (symbol) => (listed(symbol) ? closes.get(symbol)?.get(minute) : undefined),
        'kline',
      );
      if (prices !== undefined) entries.push({ symbol: fill.symbol, tradeId: fill.tradeId, prices });
      else {
        this.#unpriceable.add(key(fill));
        this.#o.logger.warn(
          { symbol: fill.symbol, tradeId: fill.tradeId, time: fill.time },
          'no candle prices the fill; it is valued at current prices',
        );
      }
    }
    return entries;
  }

  /** Close of each wanted minute's 1m candle, read in runs of up to 500 minutes. */
  async #closes(symbol: string, wanted: number[]): Promise<Map<number, Decimal>> {
    wanted.sort((a, b) => a - b);
    const out = new Map<number, Decimal>();
    let i = 0;
    while (i < wanted.length) {
      const startTime = wanted[i]!;
      const endTime = startTime + KLINES_PER_CALL * MINUTE_MS;
      const candles: readonly Candle[] = await this.#o.exchange.getKlines({
        background: true,
        symbol,
        interval: '1m',
        startTime,
        endTime,
        limit: KLINES_PER_CALL,
      });
      const byMinute = new Map(candles.map((c) => [minuteOf(c.openTime), c.close]));
      while (i < wanted.length && wanted[i]! < endTime) {
        // Only the wanted minutes' closes become decimals: they are the prices recorded.
        const text = byMinute.get(wanted[i]!);
        const close = text === undefined ? undefined : dec(text);
        if (close !== undefined && close.greaterThan(0)) out.set(wanted[i]!, close);
        i++;
      }
    }
    return out;
  }
}

type Entry = { readonly symbol: string; readonly tradeId: string; readonly prices: RecordedFillPrices };

function key(fill: { readonly symbol: string; readonly tradeId: string }): string {
  return `${fill.symbol}\u0000${fill.tradeId}`;
}

function minuteOf(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}

function midOf(top: BookTop | undefined): Decimal | undefined {
  if (top === undefined) return undefined;
  const mid = midPrice(top);
  return mid !== undefined && mid.greaterThan(0) ? mid : undefined;
}

/** The market a fee asset is priced on: its USDT market, else its USDC one. */
function feeMarketOf(
  asset: string,
  listed: (symbol: string) => boolean,
): { symbol: string; quote: string } | undefined {
  for (const quote of [USDT, USDC]) if (listed(asset + quote)) return { symbol: asset + quote, quote };
  return undefined;
}

/**
 * The prices of one fill from a price source, or undefined when one it needs is missing
 * (`USDCUSDT` always; the fee asset's price when the fee was paid in a third asset).
 */
function pricesFor(
  fill: UnpricedFill,
  usdcUsdtOf: () => Decimal | undefined,
  priceOf: (symbol: string) => Decimal | undefined,
  source: RecordedFillPrices['source'],
): RecordedFillPrices | undefined {
  const usdcUsdt = usdcUsdtOf();
  if (usdcUsdt === undefined) return undefined;
  const feeAsset = feeAssetToPrice(fill);
  if (feeAsset === undefined) return { usdcUsdt, source };
  for (const quote of [USDT, USDC]) {
    const feePrice = priceOf(feeAsset + quote);
    if (feePrice !== undefined) return { usdcUsdt, feePrice, feeQuote: quote, source };
  }
  return undefined;
}
