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
import type { Bar, RangeSummary } from './BarRing.js';
import { generateHistory } from './history.js';
import type { ModelBar, StepContext } from './PriceModel.js';
import { hashUnit } from './prng.js';
import { MINUTE_MS, clampTicks, createRuntimes, type SymbolRuntime } from './SymbolRuntime.js';
import { buildUniverse } from './universe.js';

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

export class Market {
  readonly seed: number;
  readonly startTime: number;
  readonly runtimes: readonly SymbolRuntime[];
  readonly #bySymbol = new Map<string, SymbolRuntime>();
  readonly #ctx: StepContext;
  readonly #scratch: ModelBar = { open: 0, high: 0, low: 0, close: 0, volume: 0, quoteVolume: 0 };
  readonly #barScratch: Bar = { openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, quoteVolume: 0 };
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
    for (const rt of this.runtimes) {
      rt.model.step(minutes, ctx, this.#scratch);
      if (openTime < rt.listedAt) continue;
      const bar = this.#toBar(rt.tickFloat, this.#scratch, openTime);
      for (const ring of rt.ringList) if (ring.intervalMs >= durationMs) ring.add(bar);
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
      p.frozen = false;
      if (rt.pin) {
        const mid = (rt.pin.bid + rt.pin.ask) / 2;
        rt.model.setPrice(mid * tick);
        ctx.prices[rt.spec.index] = mid * tick;
        p.open = p.high = p.low = p.close = mid;
        p.frozen = true;
      } else {
        p.open = bar.open / tick;
        p.high = bar.high / tick;
        p.low = bar.low / tick;
        p.close = bar.close / tick;
      }
      p.volume = bar.volume;
      p.quoteVolume = bar.quoteVolume;
    }
  }

  /** Internal (history and live): stores the pending bars of `minute` and tells the matcher. */
  completeMinute(minute: number): void {
    const openTime = minute * MINUTE_MS;
    for (const rt of this.runtimes) {
      if (openTime < rt.listedAt) continue;
      const p = rt.pending;
      const bar = this.#barScratch;
      bar.openTime = openTime;
      bar.open = clampTicks(p.open);
      bar.close = clampTicks(p.close);
      bar.high = Math.max(clampTicks(p.high), bar.open, bar.close);
      bar.low = Math.min(clampTicks(p.low), bar.open, bar.close);
      bar.volume = p.volume;
      bar.quoteVolume = p.quoteVolume;
      for (const ring of rt.ringList) ring.add(bar);
      if (rt.watched && this.onMinute) this.onMinute(rt, minute);
    }
  }

  #toBar(tick: number, m: ModelBar, openTime: number): Bar {
    const bar = this.#barScratch;
    bar.openTime = openTime;
    bar.open = clampTicks(m.open / tick);
    bar.close = clampTicks(m.close / tick);
    bar.high = Math.max(clampTicks(m.high / tick), bar.open, bar.close);
    bar.low = Math.min(clampTicks(m.low / tick), bar.open, bar.close);
    bar.volume = m.volume;
    bar.quoteVolume = m.quoteVolume;
    return bar;
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
    return p.frozen ? p.close : p.open + (p.close - p.open) * this.#fraction(now);
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
    const f = p.frozen ? 1 : this.#fraction(now);
    const open = clampTicks(p.open);
    const close = this.lastTicks(rt, now);
    const mid = this.midTicks(rt, now);
    const high = Math.max(mid, p.open) + (p.high - Math.max(p.open, p.close)) * f;
    const low = Math.min(mid, p.open) - (Math.min(p.open, p.close) - p.low) * f;
    return {
      openTime,
      open,
      close,
      high: Math.max(clampTicks(high), open, close),
      low: Math.min(clampTicks(low), open, close),
      volume: p.volume * f,
      quoteVolume: p.quoteVolume * f,
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
    let low = p.low;
    let high = p.high;
    if (p.frozen) {
      low = high = p.close;
    } else if (since > openTime) {
      const at = p.open + (p.close - p.open) * Math.min(1, (since - openTime) / MINUTE_MS);
      low = Math.min(at, p.close);
      high = Math.max(at, p.close);
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
      rt.tickerCache = { minute: this.#minute, summary: rt.rings.m1.summarise(to - 1439 * MINUTE_MS, to) };
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
    p.high = Math.max(before?.high ?? mid, mid);
    p.low = Math.min(before?.low ?? mid, mid);
    p.close = mid;
    p.frozen = true;
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
