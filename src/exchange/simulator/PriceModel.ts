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
 * slower.
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

/** One generated bar in model units: prices in quote units, volumes in base and quote. */
export interface ModelBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
}

const WALK = 0;
const PEG = 1;
const CROSS = 2;
const VOL_REGIMES = [0.7, 1, 1.8];
/** Share of a pump or dump that sticks; the rest fades through mean reversion. */
const EVENT_KEEP = 0.7;

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
  /** Current model price (quote units). */
  #price: number;
  #logAnchor: number;
  #basis = 0;
  #volRegime = 1;
  #eventLeft = 0;
  #eventDriftPerMin = 0;
  #eventVolume = 1;
  #eventTotal = 0;

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
    this.#price = spec.initialPrice;
    this.#logAnchor = Math.log(spec.initialPrice);
  }

  get price(): number {
    return this.#price;
  }

  /** Forces the price (a pinned book): the walk continues from here afterwards. */
  setPrice(price: number): void {
    this.#price = price;
  }

  /** Starts a scripted move now. */
  startEvent(event: ScriptedEvent): void {
    this.#eventLeft = event.durationMin;
    this.#eventDriftPerMin = event.totalLogReturn / event.durationMin;
    this.#eventVolume = event.volumeMultiplier;
    this.#eventTotal = event.totalLogReturn;
  }

  /** Advances `minutes` and fills `out`. Writes this symbol's return and price into `ctx`. */
  step(minutes: number, ctx: StepContext, out: ModelBar): void {
    const rng = this.#rng;
    const open = this.#price;
    const rootMinutes = minutes === 1 ? 1 : Math.sqrt(minutes);
    let volumeMultiplier = 1;
    let sigma: number;
    let close: number;
    if (this.#kind === WALK) {
      if (ctx.fine) volumeMultiplier = this.#fineRegimes();
      sigma = this.#sigmaPerMin * rootMinutes * this.#volRegime;
      const logOpen = Math.log(open);
      const revert = -this.#kappaPerMin * minutes * (logOpen - this.#logAnchor);
      const factor = this.#factorIndex >= 0 ? this.#beta * (ctx.returns[this.#factorIndex] ?? 0) : 0;
      let drift = 0;
      if (this.#eventLeft > 0) {
        drift = this.#eventDriftPerMin * minutes;
        this.#eventLeft -= minutes;
        if (this.#eventLeft <= 0) this.#logAnchor += EVENT_KEEP * this.#eventTotal;
      }
      close = Math.exp(logOpen + revert + factor + drift + sigma * rng.normal());
    } else if (this.#kind === PEG) {
      const sigmaAbs = this.#sigmaPerMin * rootMinutes;
      const pull = Math.min(1, this.#thetaPerMin * minutes);
      close = Math.min(
        this.#hi,
        Math.max(this.#lo, open + pull * (this.#centre - open) + sigmaAbs * rng.normal()),
      );
      sigma = sigmaAbs / open;
    } else {
      this.#basis += -0.2 * this.#basis + 0.00004 * rng.normal();
      close = (ctx.prices[this.#legA] ?? open) * (ctx.prices[this.#legB] ?? 1) * Math.exp(this.#basis);
      sigma = 0.0003 * rootMinutes;
    }
    this.#price = close;
    const ret = Math.log(close / open);
    ctx.returns[this.#index] = ret;
    ctx.prices[this.#index] = close;

    // Wicks: exponential tails are cheaper than half-normals and look the same on a chart.
    const wick = sigma * (ctx.fine ? 0.6 : 0.35);
    out.open = open;
    out.close = close;
    out.high = (open > close ? open : close) * Math.exp(-Math.log(1 - rng.next()) * wick);
    out.low = (open < close ? open : close) * Math.exp(Math.log(1 - rng.next()) * wick);
    const activity = 0.6 + 0.5 * Math.min(4, Math.abs(ret) / (sigma + 1e-12));
    const noise = Math.exp(1.2 * (rng.next() - 0.5)) * 0.94; // mean ≈ 1
    out.quoteVolume = this.#quotePerMin * minutes * ctx.seasonal * activity * noise * volumeMultiplier;
    out.volume = out.quoteVolume / ((open + close) / 2);
  }

  /** Volatility regime switches and random pumps/dumps; returns the volume multiplier. */
  #fineRegimes(): number {
    const rng = this.#rng;
    if (rng.next() < 1 / 1440)
      this.#volRegime = VOL_REGIMES[Math.floor(rng.next() * VOL_REGIMES.length)] ?? 1;
    if (this.#eventLeft <= 0 && this.#eventsPerMin > 0 && rng.next() < this.#eventsPerMin) {
      const pump = rng.next() < 0.65;
      this.startEvent({
        minutesBeforeStart: 0,
        durationMin: rng.int(20, 360),
        totalLogReturn: pump ? Math.log(rng.range(1.15, 2)) : Math.log(rng.range(0.6, 0.85)),
        volumeMultiplier: rng.range(4, 15),
      });
    }
    return this.#eventLeft > 0 ? this.#eventVolume : 1;
  }
}
