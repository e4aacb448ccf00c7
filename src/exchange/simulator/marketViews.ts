/**
 * Public market data in MEXC's wire shapes. Internal to the simulator.
 *
 * Every view of one symbol at one instant comes from the same book top and the same rolling
 * 24 h summary, so /ticker/24hr, /ticker/bookTicker, /ticker/price and /depth always agree.
 * The 24 h window is cached per market minute: an all-symbol ticker costs O(symbols).
 */
import { Decimal } from '../../domain/money.js';
import { priceText, qtyText, quoteText, stepsText } from './format.js';
import { MINUTE_MS, type Market, type SymbolRuntime } from './Market.js';

/** The most depth levels one request may ask for. */
export const MAX_DEPTH_LIMIT = 5000;

/** One symbol's 24-hour ticker in MEXC's wire shape. */
export function ticker24hWire(market: Market, rt: SymbolRuntime, now: number): Record<string, unknown> {
  const { spec } = rt;
  const book = market.bookTicks(rt, now);
  const last = market.lastTicks(rt, now);
  const summary = market.summary24h(rt, now);
  const open = summary?.open ?? last;
  // A fraction, as MEXC sends it ("0.0455" = 4.55 %): integer ticks in, one decimal division.
  const changeFraction = new Decimal(last - open).div(open).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
  return {
    symbol: spec.symbol,
    priceChange: priceText(spec, last - open),
    priceChangePercent: changeFraction.toFixed(),
    prevClosePrice: priceText(spec, open),
    lastPrice: priceText(spec, last),
    bidPrice: priceText(spec, book.bid),
    bidQty: stepsText(spec, book.bidSteps),
    askPrice: priceText(spec, book.ask),
    askQty: stepsText(spec, book.askSteps),
    openPrice: priceText(spec, open),
    highPrice: priceText(spec, Math.max(summary?.high ?? last, last)),
    lowPrice: priceText(spec, Math.min(summary?.low ?? last, last)),
    volume: qtyText(spec, summary?.volume ?? 0),
    quoteVolume: quoteText(spec, summary?.quoteVolume ?? 0),
    openTime: summary?.firstOpenTime ?? Math.floor(now / MINUTE_MS) * MINUTE_MS,
    closeTime: now,
    count: null,
  };
}

/** One symbol's best bid and ask in MEXC's wire shape. */
export function bookTickerWire(market: Market, rt: SymbolRuntime, now: number): Record<string, unknown> {
  const { spec } = rt;
  const book = market.bookTicks(rt, now);
  return {
    symbol: spec.symbol,
    bidPrice: priceText(spec, book.bid),
    bidQty: stepsText(spec, book.bidSteps),
    askPrice: priceText(spec, book.ask),
    askQty: stepsText(spec, book.askSteps),
  };
}

/** One symbol's last price in MEXC's wire shape. */
export function priceWire(market: Market, rt: SymbolRuntime, now: number): Record<string, unknown> {
  return { symbol: rt.spec.symbol, price: priceText(rt.spec, market.lastTicks(rt, now)) };
}

/** Synthetic depth: levels spread from the top, sizes growing away from it. */
export function depthWire(
  market: Market,
  rt: SymbolRuntime,
  now: number,
  limit: number,
): Record<string, unknown> {
  const { spec } = rt;
  const book = market.bookTicks(rt, now);
  const gap = Math.max(1, Math.round((book.ask - book.bid) / 2));
  const bids: [string, string][] = [[priceText(spec, book.bid), stepsText(spec, book.bidSteps)]];
  const asks: [string, string][] = [[priceText(spec, book.ask), stepsText(spec, book.askSteps)]];
  for (let level = 1; level < limit; level++) {
    const bidTicks = book.bid - level * gap;
    if (bidTicks >= 1)
      bids.push([priceText(spec, bidTicks), stepsText(spec, market.depthSteps(rt, 'bid', level, bidTicks))]);
    const askTicks = book.ask + level * gap;
    asks.push([priceText(spec, askTicks), stepsText(spec, market.depthSteps(rt, 'ask', level, askTicks))]);
  }
  return {
    lastUpdateId: market.minute * 1000 + Math.floor((now % MINUTE_MS) / 60),
    bids,
    asks,
    timestamp: now,
  };
}

/** Volume-weighted price of the last 5 completed minutes. */
export function avgPriceWire(market: Market, rt: SymbolRuntime, now: number): Record<string, unknown> {
  const to = market.minute * MINUTE_MS;
  const summary = rt.rings.m1.summarise(to - 5 * MINUTE_MS, to);
  const last = market.price(rt, market.lastTicks(rt, now));
  const vwap =
    summary && summary.volume > 0
      ? new Decimal(summary.quoteVolume / summary.volume).toDecimalPlaces(rt.spec.pricePrecision)
      : last;
  return { mins: 5, price: vwap.toFixed(rt.spec.pricePrecision) };
}
