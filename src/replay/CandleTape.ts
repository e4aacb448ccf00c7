/**
 * The recorded candles a replay runs over, with every question the replay asks of them answered
 * as of a virtual time `t` and never from later data:
 *
 * - the price at `t` is the open of the candle that contains `t` (the first trade of that candle
 *   happened at or before `t`), or the close of the last candle that closed at most
 *   {@link STALE_AFTER_MS} before `t` (a short gap in the recording);
 * - closed candles are those with `openTime + width <= t`;
 * - the one look forward is the fill model's: an order placed at `t` fills at the open of the
 *   first candle opening at or after `t` (see `CandleFillModel`), which is the price at `t` when
 *   the replay steps on whole minutes.
 *
 * Each symbol has a price series (1-minute candles where recorded, else 15-minute ones) and the
 * scanner's 15-minute series (recorded, or aggregated from the minutes).
 */
import { INTERVAL_MS } from '../domain/market.js';
import { candleAt, columnsOf, type CandleColumns, type NumericCandle } from '../domain/candleColumns.js';
import type { CandleRepository } from '../persistence/CandleRepository.js';

/** A price older than this (a gap in the recording) is not used: the symbol has no price then. */
export const STALE_AFTER_MS = 15 * 60_000;

/** One symbol's recorded candles: 1-minute and/or 15-minute, oldest first, gap-tolerant. */
export interface SymbolTape {
  readonly m1?: CandleColumns;
  readonly m15?: CandleColumns;
}

const M1 = INTERVAL_MS['1m'];
const M15 = INTERVAL_MS['15m'];

/** Index of the last candle with `openTime <= t`, or -1. */
export function lastAtOrBefore(openTimes: Float64Array, t: number): number {
  let lo = 0;
  let hi = openTimes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (openTimes[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Aggregates 1-minute candles into complete 15-minute ones (a bucket with a missing minute is dropped). */
export function aggregate15m(m1: CandleColumns): CandleColumns {
  const rows: NumericCandle[] = [];
  let i = 0;
  const n = m1.openTimes.length;
  while (i < n) {
    const bucket = Math.floor(m1.openTimes[i]! / M15) * M15;
    let j = i;
    while (j < n && m1.openTimes[j]! < bucket + M15) j += 1;
    if (j - i === M15 / M1) {
      let high = -Infinity;
      let low = Infinity;
      let volume = 0;
      let quoteVolume = 0;
      for (let k = i; k < j; k += 1) {
        high = Math.max(high, m1.highs[k]!);
        low = Math.min(low, m1.lows[k]!);
        volume += m1.volumes[k]!;
        quoteVolume += m1.quoteVolumes[k]!;
      }
      rows.push({
        openTime: bucket,
        open: m1.opens[i]!,
        high,
        low,
        close: m1.closes[j - 1]!,
        volume,
        quoteVolume,
      });
    }
    i = j;
  }
  return columnsOf(rows);
}

/**
 * The scanner's 15-minute series: the kept 15-minute candles, with the gaps filled from the
 * minutes where those are kept (a kept 15-minute candle wins over an aggregated one).
 */
export function merge15m(
  m15: CandleColumns | undefined,
  m1: CandleColumns | undefined,
): CandleColumns | undefined {
  const fromMinutes = m1 && m1.openTimes.length > 0 ? aggregate15m(m1) : undefined;
  const kept = m15 && m15.openTimes.length > 0 ? m15 : undefined;
  if (!fromMinutes || fromMinutes.openTimes.length === 0) return kept;
  if (!kept) return fromMinutes;
  const rows = new Map<number, NumericCandle>();
  for (let i = 0; i < fromMinutes.openTimes.length; i += 1)
    rows.set(fromMinutes.openTimes[i]!, candleAt(fromMinutes, i));
  for (let i = 0; i < kept.openTimes.length; i += 1) rows.set(kept.openTimes[i]!, candleAt(kept, i));
  return columnsOf([...rows.values()].sort((a, b) => a.openTime - b.openTime));
}

/** The price series of a symbol and its candle width. */
interface PriceSeries {
  readonly c: CandleColumns;
  readonly width: number;
}

/** Recorded candles of every symbol of a replay, read as of a virtual time. */
export class CandleTape {
  readonly #symbols = new Map<string, { prices: PriceSeries[]; m1?: CandleColumns; m15?: CandleColumns }>();

  constructor(tapes: ReadonlyMap<string, SymbolTape>) {
    for (const [symbol, tape] of tapes) {
      const prices: PriceSeries[] = [];
      if (tape.m1 && tape.m1.openTimes.length > 0) prices.push({ c: tape.m1, width: M1 });
      if (tape.m15 && tape.m15.openTimes.length > 0) prices.push({ c: tape.m15, width: M15 });
      if (prices.length === 0) continue;
      const m15 = merge15m(tape.m15, tape.m1);
      this.#symbols.set(symbol, {
        prices,
        ...(tape.m1 && tape.m1.openTimes.length > 0 ? { m1: tape.m1 } : {}),
        ...(m15 ? { m15 } : {}),
      });
    }
  }

  /** Every kept 1- and 15-minute candle opening in `[from, to)`, of every symbol that has some. */
  static load(store: Pick<CandleRepository, 'symbols' | 'columns'>, from: number, to: number): CandleTape {
    const tapes = new Map<string, SymbolTape>();
    const symbols = new Set([...store.symbols('1m', from, to), ...store.symbols('15m', from, to)]);
    for (const symbol of [...symbols].sort()) {
      tapes.set(symbol, {
        m1: store.columns(symbol, '1m', from, to),
        m15: store.columns(symbol, '15m', from, to),
      });
    }
    return new CandleTape(tapes);
  }

  /** Every symbol with candles. */
  symbols(): string[] {
    return [...this.#symbols.keys()];
  }

  /** First and last recorded time of a symbol's prices (open of the first, close of the last candle of any width). */
  span(symbol: string): { readonly from: number; readonly to: number } | undefined {
    const prices = this.#symbols.get(symbol)?.prices;
    if (!prices) return undefined;
    let from = Infinity;
    let to = -Infinity;
    for (const { c, width } of prices) {
      from = Math.min(from, c.openTimes[0]!);
      to = Math.max(to, c.openTimes[c.openTimes.length - 1]! + width);
    }
    return { from, to };
  }

  /** Candle width of a symbol's price series (ms), or undefined without candles. */
  widthOf(symbol: string): number | undefined {
    return this.#symbols.get(symbol)?.prices[0]?.width;
  }

  /** The price of a symbol at `t` (see the module comment), or undefined without a recent candle. */
  priceAt(symbol: string, t: number): number | undefined {
    const entry = this.#symbols.get(symbol);
    if (!entry) return undefined;
    // The most recent information wins: a containing candle's open (known since it opened) or
    // the close of a candle that closed shortly before `t`.
    let best: { at: number; price: number } | undefined;
    for (const { c, width } of entry.prices) {
      const i = lastAtOrBefore(c.openTimes, t);
      if (i < 0) continue;
      const open = c.openTimes[i]!;
      const candidate =
        open + width > t
          ? { at: open, price: c.opens[i]! }
          : t - (open + width) <= STALE_AFTER_MS
            ? { at: open + width, price: c.closes[i]! }
            : undefined;
      if (candidate && (!best || candidate.at > best.at)) best = candidate;
    }
    return best?.price;
  }

  /** The open of the first candle opening at or after `t` (the fill model's arrival price), or undefined. */
  nextOpen(symbol: string, t: number): number | undefined {
    const entry = this.#symbols.get(symbol);
    if (!entry) return undefined;
    let best: { at: number; price: number } | undefined;
    for (const { c } of entry.prices) {
      const i = lastAtOrBefore(c.openTimes, t - 1) + 1;
      if (i >= c.openTimes.length) continue;
      const at = c.openTimes[i]!;
      if (at - t > STALE_AFTER_MS) continue;
      if (!best || at < best.at) best = { at, price: c.opens[i]! };
    }
    return best?.price;
  }

  /**
   * The lowest low and highest high of the price series' candles that opened at or after `from`
   * and closed at or before `to`, or undefined when there is none.
   */
  range(
    symbol: string,
    from: number,
    to: number,
  ): { readonly low: number; readonly high: number } | undefined {
    const s = this.#symbols.get(symbol)?.prices[0];
    if (!s) return undefined;
    let i = lastAtOrBefore(s.c.openTimes, from - 1) + 1;
    let low = Infinity;
    let high = -Infinity;
    for (; i < s.c.openTimes.length && s.c.openTimes[i]! + s.width <= to; i += 1) {
      low = Math.min(low, s.c.lows[i]!);
      high = Math.max(high, s.c.highs[i]!);
    }
    return low === Infinity ? undefined : { low, high };
  }

  /**
   * 1- or 15-minute candles closed at `t`, oldest first, at most `limit`: from `from` when given
   * (and before `to`), else the latest ones before `to`.
   */
  klines(
    symbol: string,
    interval: '1m' | '15m',
    t: number,
    query: { readonly from?: number; readonly to?: number; readonly limit: number },
  ): NumericCandle[] {
    const entry = this.#symbols.get(symbol);
    const c = interval === '1m' ? entry?.m1 : entry?.m15;
    if (!c) return [];
    const end = Math.min(query.to ?? Infinity, t - INTERVAL_MS[interval] + 1);
    const out: NumericCandle[] = [];
    if (query.from !== undefined) {
      for (let i = lastAtOrBefore(c.openTimes, query.from - 1) + 1; i < c.openTimes.length; i += 1) {
        if (c.openTimes[i]! >= end || out.length >= query.limit) break;
        out.push(candleAt(c, i));
      }
      return out;
    }
    const last = lastAtOrBefore(c.openTimes, end - 1);
    for (let i = Math.max(0, last - query.limit + 1); i <= last; i += 1) out.push(candleAt(c, i));
    return out;
  }

  /** The 24-hour statistics at `t` from the closed 15-minute candles of the last day, or undefined. */
  day(
    symbol: string,
    t: number,
  ): { open: number; high: number; low: number; volume: number; quoteVolume: number } | undefined {
    const c = this.#symbols.get(symbol)?.m15;
    if (!c) return undefined;
    const last = lastAtOrBefore(c.openTimes, t - M15);
    if (last < 0) return undefined;
    let open = Number.NaN;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    let quoteVolume = 0;
    for (let i = last; i >= 0 && c.openTimes[i]! >= t - 86_400_000; i -= 1) {
      open = c.opens[i]!;
      high = Math.max(high, c.highs[i]!);
      low = Math.min(low, c.lows[i]!);
      volume += c.volumes[i]!;
      quoteVolume += c.quoteVolumes[i]!;
    }
    return Number.isNaN(open) ? undefined : { open, high, low, volume, quoteVolume };
  }
}
