/**
 * The simulated market: every symbol's price path, candles and book top, advanced lazily in
 * 1-minute steps up to the clock whenever something asks. Internal to the simulator.
 *
 * Determinism: the path is a function of (seed, start time, minute index); requests only
 * decide how far it has been generated, never what it contains. The bar of the current minute
 * is generated when the minute starts and revealed progressively (linear interpolation from
 * open to close, wicks growing with the elapsed fraction), so the last price moves smoothly.
 */
import { Decimal } from '../../domain/money.js';
import {
  ROW_CLOSE,
  ROW_HIGH,
  ROW_LOW,
  ROW_OPEN,
  ROW_OPEN_TIME,
  ROW_QUOTE_VOLUME,
  ROW_SIZE,
  ROW_VOLUME,
  type Bar,
  type RangeSummary,
} from './BarRing.js';
import { generateHistory } from './history.js';
import {
  BAR_CLOSE as CLOSE,
  BAR_HIGH as HIGH,
  BAR_LOW as LOW,
  BAR_OPEN as OPEN,
  BAR_QUOTE_VOLUME as QUOTE_VOLUME,
  BAR_SIZE,
  BAR_VOLUME as VOLUME,
  type StepContext,
} from './PriceModel.js';
import { hashUnit } from './prng.js';
import { MINUTE_MS, clampTicks, createRuntimes, type SymbolRuntime } from './SymbolRuntime.js';
import { buildUniverse } from './universe.js';
import { summariseWindow } from './windowSummary.js';

export { MINUTE_MS, RING_LAYOUT, type RingKey, type SymbolRuntime } from './SymbolRuntime.js';

/** Book top in integer ticks (prices) and steps (quantities). */
export interface BookTicks {
  readonly bid: number;
  readonly ask: number;
  readonly bidSteps: number;
  readonly askSteps: number;
}

/** Book top in ticks and decimals. */
export interface BookView {
  readonly bidTicks: number;
  readonly askTicks: number;
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly bidQty: Decimal;
  readonly askQty: Decimal;
}

/** Every simulated symbol's price path, candles and book top, generated on demand up to the clock. */
export class Market {
  readonly seed: number;
  readonly startTime: number;
  readonly runtimes: readonly SymbolRuntime[];
  readonly #bySymbol = new Map<string, SymbolRuntime>();
  readonly #ctx: StepContext;
  /** Scratch rows: typed arrays, because fresh doubles stored into object fields are boxed (see PriceModel). */
  readonly #scratch = new Float64Array(BAR_SIZE);
  readonly #row = new Float64Array(ROW_SIZE);
  /** Index of the minute whose bar is pending (in progress). */
  #minute: number;
  /** Called for each completed minute of a watched symbol, before the next minute is generated. */
  onMinute: ((rt: SymbolRuntime, minute: number) => void) | undefined;

  constructor(opts: { seed: number; altcoins: number; startTime: number }) {
    this.seed = opts.seed;
    this.startTime = opts.startTime;
    const specs = buildUniverse(opts);
    const startMinute = Math.floor(opts.startTime / MINUTE_MS);
    this.runtimes = createRuntimes(specs, { seed: opts.seed, startMinute });
    for (const rt of this.runtimes) this.#bySymbol.set(rt.spec.symbol, rt);
    this.#ctx = {
      returns: new Float64Array(specs.length),
      prices: new Float64Array(specs.map((s) => s.initialPrice)),
      seasonal: 1,
      fine: false,
    };
    this.#minute = generateHistory(this, startMinute);
  }

  get minute(): number {
    return this.#minute;
  }

  runtime(symbol: string): SymbolRuntime | undefined {
    return this.#bySymbol.get(symbol);
  }

  /** Internal (history): steps every model `minutes` at once and stores the bars in the coarse rings. */
  coarseStep(openTime: number, minutes: number): void {
    const ctx = this.#ctx;
    ctx.fine = false;
    ctx.seasonal = seasonality(Math.floor(openTime / MINUTE_MS));
    const durationMs = minutes * MINUTE_MS;
    this.#row[ROW_OPEN_TIME] = openTime;
    for (const rt of this.runtimes) {
      rt.model.step(minutes, ctx, this.#scratch);
      if (openTime < rt.listedAt) continue;
      const row = this.#toRow(this.#scratch, 1 / rt.tickFloat);
      for (const ring of rt.ringList) if (ring.intervalMs >= durationMs) ring.add(row);
    }
  }

  /** Internal (history and live): generates the bar of `minute` for every symbol into `pending`. */
  generateMinute(minute: number): void {
    const ctx = this.#ctx;
    ctx.fine = true;
    ctx.seasonal = seasonality(minute);
    for (const rt of this.runtimes) {
      const next = rt.events[rt.nextEvent];
      if (next && next.minute <= minute) {
        rt.nextEvent++;
        if (next.minute === minute) rt.model.startEvent(next.event);
      }
      const bar = this.#scratch;
      rt.model.step(1, ctx, bar);
      const p = rt.pending;
      const tick = rt.tickFloat;
      rt.frozen = false;
      if (rt.pin) {
        const mid = (rt.pin.bid + rt.pin.ask) / 2;
        rt.model.setPrice(mid * tick);
        ctx.prices[rt.spec.index] = mid * tick;
        p[OPEN] = p[HIGH] = p[LOW] = p[CLOSE] = mid;
        rt.frozen = true;
      } else {
        p[OPEN] = (bar[OPEN] ?? 0) / tick;
        p[HIGH] = (bar[HIGH] ?? 0) / tick;
        p[LOW] = (bar[LOW] ?? 0) / tick;
        p[CLOSE] = (bar[CLOSE] ?? 0) / tick;
      }
      p[VOLUME] = bar[VOLUME] ?? 0;
      p[QUOTE_VOLUME] = bar[QUOTE_VOLUME] ?? 0;
    }
  }

  /** Internal (history and live): stores the pending bars of `minute` and tells the matcher. */
  completeMinute(minute: number): void {
    const openTime = minute * MINUTE_MS;
    this.#row[ROW_OPEN_TIME] = openTime;
    for (const rt of this.runtimes) {
      if (openTime < rt.listedAt) continue;
      const row = this.#toRow(rt.pending, 1);
      for (const ring of rt.ringList) ring.add(row);
      if (rt.watched && this.onMinute) this.onMinute(rt, minute);
    }
  }

  /**
   * A model bar (BAR_* offsets) scaled to ticks by `scale`, as a ring row in integer ticks. The
   * caller sets the row's open time once per step: passing a time (a double beyond the small
   * integer range) into this per-symbol call would box it on every call.
   */
  #toRow(bar: Float64Array, scale: number): Float64Array {
    const row = this.#row;
    const open = clampTicks((bar[OPEN] ?? 0) * scale);
    const close = clampTicks((bar[CLOSE] ?? 0) * scale);
    row[ROW_OPEN] = open;
    row[ROW_CLOSE] = close;
    row[ROW_HIGH] = Math.max(clampTicks((bar[HIGH] ?? 0) * scale), open, close);
    row[ROW_LOW] = Math.min(clampTicks((bar[LOW] ?? 0) * scale), open, close);
    row[ROW_VOLUME] = bar[VOLUME] ?? 0;
    row[ROW_QUOTE_VOLUME] = bar[QUOTE_VOLUME] ?? 0;
    return row;
  }

  /** Generates and completes minutes until the pending minute is the one containing `now`. */
  advanceTo(now: number): void {
    const target = Math.floor(now / MINUTE_MS);
    while (this.#minute < target) {
      this.completeMinute(this.#minute);
      this.#minute++;
      this.generateMinute(this.#minute);
    }
  }

  /** Fraction of the pending minute elapsed at `now`, in [0, 1]. */
  #fraction(now: number): number {
    return Math.min(1, Math.max(0, (now - this.#minute * MINUTE_MS) / MINUTE_MS));
  }

  /** Mid price in fractional ticks at `now` (within the pending minute). */
  midTicks(rt: SymbolRuntime, now: number): number {
    if (rt.pin) return (rt.pin.bid + rt.pin.ask) / 2;
    const p = rt.pending;
    const open = p[OPEN] ?? 0;
    const close = p[CLOSE] ?? 0;
    return rt.frozen ? close : open + (close - open) * this.#fraction(now);
  }

  /** Spread and book around a mid, for `minute` (spreads vary a little from minute to minute). */
  bookTicksFromMid(rt: SymbolRuntime, mid: number, minute: number): { bid: number; ask: number } {
    if (rt.pin) return rt.pin;
    const jitter = 0.7 + 0.6 * hashUnit(this.seed, rt.spec.index, minute, 1);
    const spread = Math.max(1, Math.round(mid * rt.spec.spreadFrac * jitter));
    const bid = Math.max(1, Math.floor(mid - spread / 2));
    return { bid, ask: bid + spread };
  }

  /** Displayed size at one level of one side, in steps (integer units of the quantity step, at least 1). */
  depthSteps(rt: SymbolRuntime, side: 'bid' | 'ask', level: number, priceTicks: number): number {
    const { spec } = rt;
    const u = hashUnit(this.seed, spec.index, this.#minute, side === 'bid' ? 2 : 3, level);
    const notional = Math.max(spec.dailyQuoteVolume / 2500, 25) * (0.3 + 1.4 * u) * (1 + 0.25 * level);
    const steps = Math.floor((notional / (priceTicks * rt.tickFloat)) * 10 ** spec.qtyPrecision);
    return Math.max(1, Math.min(Number.MAX_SAFE_INTEGER, steps));
  }

  /** Book top in ticks and steps at `now`: what every market-data view shows. */
  bookTicks(rt: SymbolRuntime, now: number): BookTicks {
    const { bid, ask } = this.bookTicksFromMid(rt, this.midTicks(rt, now), this.#minute);
    return {
      bid,
      ask,
      bidSteps: this.depthSteps(rt, 'bid', 0, bid),
      askSteps: this.depthSteps(rt, 'ask', 0, ask),
    };
  }

  /** The same book top as decimals, for order checks and fills. */
  book(rt: SymbolRuntime, now: number): BookView {
    const top = this.bookTicks(rt, now);
    const { step } = rt.spec;
    return {
      bidTicks: top.bid,
      askTicks: top.ask,
      bid: this.price(rt, top.bid),
      ask: this.price(rt, top.ask),
      bidQty: step.times(top.bidSteps),
      askQty: step.times(top.askSteps),
    };
  }

  /** Last trade price in ticks: the rounded mid, always within the book. */
  lastTicks(rt: SymbolRuntime, now: number): number {
    const last = clampTicks(this.midTicks(rt, now));
    const { bid, ask } = this.bookTicksFromMid(rt, this.midTicks(rt, now), this.#minute);
    return Math.min(ask, Math.max(bid, last));
  }

  /** Ticks to a price on the symbol's tick grid. */
  price(rt: SymbolRuntime, ticks: number): Decimal {
    return new Decimal(ticks).times(rt.spec.tick);
  }

  /** The current minute's candle as revealed at `now` (undefined before listing). */
  partialBar(rt: SymbolRuntime, now: number): Bar | undefined {
    const openTime = this.#minute * MINUTE_MS;
    if (openTime < rt.spec.listedAt) return undefined;
    const p = rt.pending;
    const pOpen = p[OPEN] ?? 0;
    const pClose = p[CLOSE] ?? 0;
    const f = rt.frozen ? 1 : this.#fraction(now);
    const open = clampTicks(pOpen);
    const close = this.lastTicks(rt, now);
    const mid = this.midTicks(rt, now);
    const high = Math.max(mid, pOpen) + ((p[HIGH] ?? 0) - Math.max(pOpen, pClose)) * f;
    const low = Math.min(mid, pOpen) - (Math.min(pOpen, pClose) - (p[LOW] ?? 0)) * f;
    return {
      openTime,
      open,
      close,
      high: Math.max(clampTicks(high), open, close),
      low: Math.min(clampTicks(low), open, close),
      volume: (p[VOLUME] ?? 0) * f,
      quoteVolume: (p[QUOTE_VOLUME] ?? 0) * f,
    };
  }

  /**
   * Best ask (lowest) and best bid (highest) the book reached during the pending minute from
   * `since` on. Used by the matcher while a minute completes.
   */
  reachedBook(rt: SymbolRuntime, since: number): { lowestAsk: number; highestBid: number } {
    if (rt.pin) return { lowestAsk: rt.pin.ask, highestBid: rt.pin.bid };
    const p = rt.pending;
    const openTime = this.#minute * MINUTE_MS;
    const pOpen = p[OPEN] ?? 0;
    const pClose = p[CLOSE] ?? 0;
    let low = p[LOW] ?? 0;
    let high = p[HIGH] ?? 0;
    if (rt.frozen) {
      low = high = pClose;
    } else if (since > openTime) {
      const at = pOpen + (pClose - pOpen) * Math.min(1, (since - openTime) / MINUTE_MS);
      low = Math.min(at, pClose);
      high = Math.max(at, pClose);
    }
    return {
      lowestAsk: this.bookTicksFromMid(rt, low, this.#minute).ask,
      highestBid: this.bookTicksFromMid(rt, high, this.#minute).bid,
    };
  }

  /** Rolling 24 h summary of completed minutes plus the current one (cached per minute). */
  summary24h(rt: SymbolRuntime, now: number): RangeSummary | undefined {
    if (rt.tickerCache.minute !== this.#minute) {
      const to = this.#minute * MINUTE_MS;
      const rings = [rt.rings.m1, rt.rings.m5, rt.rings.m30];
      rt.tickerCache = { minute: this.#minute, summary: summariseWindow(rings, to - 1439 * MINUTE_MS, to) };
    }
    const done = rt.tickerCache.summary;
    const partial = this.partialBar(rt, now);
    if (!partial) return done;
    if (!done) return { bars: 1, firstOpenTime: partial.openTime, ...partial };
    return {
      bars: done.bars + 1,
      firstOpenTime: done.firstOpenTime,
      open: done.open,
      high: Math.max(done.high, partial.high),
      low: Math.min(done.low, partial.low),
      close: partial.close,
      volume: done.volume + partial.volume,
      quoteVolume: done.quoteVolume + partial.quoteVolume,
    };
  }

  /** Pins a symbol's book: no random moves until {@link release}. */
  pin(rt: SymbolRuntime, bidTicks: number, askTicks: number, now: number): void {
    const before = this.partialBar(rt, now);
    rt.pin = { bid: bidTicks, ask: askTicks };
    const mid = (bidTicks + askTicks) / 2;
    const p = rt.pending;
    p[HIGH] = Math.max(before?.high ?? mid, mid);
    p[LOW] = Math.min(before?.low ?? mid, mid);
    p[CLOSE] = mid;
    rt.frozen = true;
    rt.model.setPrice(mid * rt.spec.tickFloat);
  }

  release(rt: SymbolRuntime): void {
    rt.pin = undefined;
  }

  /** Bars held in memory across all symbols and resolutions (bounded by the ring capacities). */
  storedBars(): number {
    let total = 0;
    for (const rt of this.runtimes) for (const ring of rt.ringList) total += ring.size;
    return total;
  }
}

/** Busier in the European/US afternoon, quieter at night (UTC). */
function seasonality(minute: number): number {
  return 1 + 0.3 * Math.sin((2 * Math.PI * (minute % 1440)) / 1440);
}
