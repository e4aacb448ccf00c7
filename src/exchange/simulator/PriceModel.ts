/**
 * The stochastic price process of one symbol. Internal to the simulator.
 *
 * Floating point is fine here: this is a model, not money. Every price leaves the simulator
 * quantised to the symbol's tick (see Market), and all order arithmetic is decimal. Each symbol
 * draws from its own seeded stream, one step at a time, so a path depends only on the seed,
 * the start time and the step sequence, never on when requests arrive.
 *
 * Hot path: parameters are copied into fixed numeric fields because the spec objects come in
 * several shapes, and megamorphic property reads made stepping a simulated week several times
 * slower. Changing state lives in a Float64Array: V8 boxes every fresh double stored into an
 * object field, and at 300 symbols × 1440 minutes a day that garbage grew the heap by tens of
 * megabytes.
 */
import { Prng, hash32 } from './prng.js';
import type { ScriptedEvent, SymbolSpec } from './universe.js';

/** Shared per-step inputs: every symbol's return and price this step (factors and legs come first). */
export interface StepContext {
  readonly returns: Float64Array;
  /** Model prices in quote units after this step. */
  readonly prices: Float64Array;
  /** Volume seasonality multiplier for this step (time of day). */
  seasonal: number;
  /** Random pumps/dumps and volatility regimes only run in 1-minute steps. */
  fine: boolean;
}

/**
 * One generated bar, a Float64Array of BAR_SIZE (prices in quote units, volumes in base and
 * quote) at these offsets. Typed arrays instead of objects: see the module comment.
 */
export const BAR_OPEN = 0;
/** Index of the high in a generated bar. */
export const BAR_HIGH = 1;
/** Index of the low in a generated bar. */
export const BAR_LOW = 2;
/** Index of the close in a generated bar. */
export const BAR_CLOSE = 3;
/** Index of the base volume in a generated bar. */
export const BAR_VOLUME = 4;
/** Index of the quote volume in a generated bar. */
export const BAR_QUOTE_VOLUME = 5;
/** Number of values in a generated bar. */
export const BAR_SIZE = 6;

const S_PRICE = 0;
const S_LOG_ANCHOR = 1;
const S_BASIS = 2;
const S_VOL_REGIME = 3;
const S_EVENT_LEFT = 4;
const S_EVENT_DRIFT = 5;
const S_EVENT_VOLUME = 6;
const S_EVENT_TOTAL = 7;
const S_SIZE = 8;

const WALK = 0;
const PEG = 1;
const CROSS = 2;
const VOL_REGIMES = [0.7, 1, 1.8];
/** Uniform draws per step: price normal (2), wicks (2), volume noise, regime switch, regime, event. */
const DRAW_COUNT = 8;
const DRAWS = new Float64Array(DRAW_COUNT);
/** Share of a pump or dump that sticks; the rest fades through mean reversion. */
const EVENT_KEEP = 0.7;

/** Generates one symbol's minute bars from its own seeded random stream. */
export class PriceModel {
  readonly #rng: Prng;
  readonly #index: number;
  readonly #kind: number;
  readonly #sigmaPerMin: number;
  readonly #factorIndex: number;
  readonly #beta: number;
  readonly #kappaPerMin: number;
  readonly #eventsPerMin: number;
  readonly #centre: number;
  readonly #lo: number;
  readonly #hi: number;
  readonly #thetaPerMin: number;
  readonly #legA: number;
  readonly #legB: number;
  readonly #quotePerMin: number;
  /** Mutable state, at the S_* offsets. */
  readonly #s = new Float64Array(S_SIZE);

  constructor(spec: SymbolSpec, seed: number) {
    this.#rng = new Prng(hash32(seed, 0x9a7e, spec.index));
    this.#index = spec.index;
    const m = spec.model;
    this.#kind = m.kind === 'walk' ? WALK : m.kind === 'peg' ? PEG : CROSS;
    this.#sigmaPerMin = m.kind === 'cross' ? 0 : m.sigmaPerMin;
    this.#factorIndex = m.kind === 'walk' ? m.factorIndex : -1;
    this.#beta = m.kind === 'walk' ? m.beta : 0;
    this.#kappaPerMin = m.kind === 'walk' ? m.kappaPerMin : 0;
    this.#eventsPerMin = m.kind === 'walk' ? m.eventsPerDay / 1440 : 0;
    this.#centre = m.kind === 'peg' ? m.centre : 0;
    this.#lo = m.kind === 'peg' ? m.lo : 0;
    this.#hi = m.kind === 'peg' ? m.hi : 0;
    this.#thetaPerMin = m.kind === 'peg' ? m.thetaPerMin : 0;
    this.#legA = m.kind === 'cross' ? m.legA : 0;
    this.#legB = m.kind === 'cross' ? m.legB : 0;
    this.#quotePerMin = spec.dailyQuoteVolume / 1440;
    this.#s[S_PRICE] = spec.initialPrice;
    this.#s[S_LOG_ANCHOR] = Math.log(spec.initialPrice);
    this.#s[S_VOL_REGIME] = 1;
  }

  /** Current model price (quote units). */
  get price(): number {
    return this.#s[S_PRICE] ?? 0;
  }

  /** Forces the price (a pinned book): the walk continues from here afterwards. */
  setPrice(price: number): void {
    this.#s[S_PRICE] = price;
  }

  /** Starts a scripted move now. */
  startEvent(event: ScriptedEvent): void {
    const s = this.#s;
    s[S_EVENT_LEFT] = event.durationMin;
    s[S_EVENT_DRIFT] = event.totalLogReturn / event.durationMin;
    s[S_EVENT_VOLUME] = event.volumeMultiplier;
    s[S_EVENT_TOTAL] = event.totalLogReturn;
  }

  /** Advances `minutes` and fills `out` (BAR_* offsets). Writes this symbol's return and price into `ctx`. */
  step(minutes: number, ctx: StepContext, out: Float64Array): void {
    // A fixed number of draws per step, all at once (see Prng.fill).
    const u = DRAWS;
    this.#rng.fill(u, DRAW_COUNT);
    const z = Math.sqrt(-2 * Math.log(1 - (u[0] ?? 0))) * Math.cos(2 * Math.PI * (u[1] ?? 0));
    const s = this.#s;
    const open = s[S_PRICE] ?? 0;
    const rootMinutes = minutes === 1 ? 1 : Math.sqrt(minutes);
    let volumeMultiplier = 1;
    let sigma: number;
    let close: number;
    if (this.#kind === WALK) {
      if (ctx.fine) {
        this.#fineRegimes(u[5] ?? 1, u[6] ?? 0, u[7] ?? 1);
        if ((s[S_EVENT_LEFT] ?? 0) > 0) volumeMultiplier = s[S_EVENT_VOLUME] ?? 1;
      }
      sigma = this.#sigmaPerMin * rootMinutes * (s[S_VOL_REGIME] ?? 1);
      const logOpen = Math.log(open);
      const revert = -this.#kappaPerMin * minutes * (logOpen - (s[S_LOG_ANCHOR] ?? 0));
      const factor = this.#factorIndex >= 0 ? this.#beta * (ctx.returns[this.#factorIndex] ?? 0) : 0;
      let drift = 0;
      const eventLeft = s[S_EVENT_LEFT] ?? 0;
      if (eventLeft > 0) {
        drift = (s[S_EVENT_DRIFT] ?? 0) * minutes;
        s[S_EVENT_LEFT] = eventLeft - minutes;
        if (eventLeft <= minutes)
          s[S_LOG_ANCHOR] = (s[S_LOG_ANCHOR] ?? 0) + EVENT_KEEP * (s[S_EVENT_TOTAL] ?? 0);
      }
      close = Math.exp(logOpen + revert + factor + drift + sigma * z);
    } else if (this.#kind === PEG) {
      const sigmaAbs = this.#sigmaPerMin * rootMinutes;
      const pull = Math.min(1, this.#thetaPerMin * minutes);
      close = Math.min(this.#hi, Math.max(this.#lo, open + pull * (this.#centre - open) + sigmaAbs * z));
      sigma = sigmaAbs / open;
    } else {
      const basis = (s[S_BASIS] ?? 0) * 0.8 + 0.00004 * z;
      s[S_BASIS] = basis;
      close = (ctx.prices[this.#legA] ?? open) * (ctx.prices[this.#legB] ?? 1) * Math.exp(basis);
      sigma = 0.0003 * rootMinutes;
    }
    s[S_PRICE] = close;
    const ret = Math.log(close / open);
    ctx.returns[this.#index] = ret;
    ctx.prices[this.#index] = close;

    // Wicks: exponential tails are cheaper than half-normals and look the same on a chart.
    const wick = sigma * (ctx.fine ? 0.6 : 0.35);
    out[BAR_OPEN] = open;
    out[BAR_CLOSE] = close;
    out[BAR_HIGH] = (open > close ? open : close) * Math.exp(-Math.log(1 - (u[2] ?? 0)) * wick);
    out[BAR_LOW] = (open < close ? open : close) * Math.exp(Math.log(1 - (u[3] ?? 0)) * wick);
    const activity = 0.6 + 0.5 * Math.min(4, Math.abs(ret) / (sigma + 1e-12));
    const noise = Math.exp(1.2 * ((u[4] ?? 0.5) - 0.5)) * 0.94; // mean ≈ 1
    const quoteVolume = this.#quotePerMin * minutes * ctx.seasonal * activity * noise * volumeMultiplier;
    out[BAR_QUOTE_VOLUME] = quoteVolume;
    out[BAR_VOLUME] = quoteVolume / ((open + close) / 2);
  }

  /** Volatility regime switches and random pumps/dumps (rare: their own draws come from the stream). */
  #fineRegimes(switchDraw: number, regimeDraw: number, eventDraw: number): void {
    const s = this.#s;
    if (switchDraw < 1 / 1440)
      s[S_VOL_REGIME] = VOL_REGIMES[Math.floor(regimeDraw * VOL_REGIMES.length)] ?? 1;
    if ((s[S_EVENT_LEFT] ?? 0) <= 0 && this.#eventsPerMin > 0 && eventDraw < this.#eventsPerMin) {
      const rng = this.#rng;
      const pump = rng.next() < 0.65;
      this.startEvent({
        minutesBeforeStart: 0,
        durationMin: rng.int(20, 360),
        totalLogReturn: pump ? Math.log(rng.range(1.15, 2)) : Math.log(rng.range(0.6, 0.85)),
        volumeMultiplier: rng.range(4, 15),
      });
    }
  }
}
