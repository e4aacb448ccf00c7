/**
 * What a replay is asked to do and what it answers, in a form that crosses to another process
 * (plain data: decimals as text, no class instances). The live process builds a
 * {@link ReplaySpec} from its settings, holdings and exchange rules; the replay's child process
 * runs it and sends back a {@link ReplayOutcome}.
 */
import type { SymbolRules } from '../domain/market.js';
import type { RestingFillRule } from './CandleFillModel.js';
import { type Decimal, dec, toWire } from '../domain/money.js';

/** One asset's starting cost basis: per unit, in its cost asset (USDC for BTC/ETH, USDT else). */
export interface StartCost {
  readonly price: string;
  readonly costAsset: string;
}

/** The portfolio a replay starts from: balances and the cost of each holding. */
export interface StartPortfolio {
  /** Quantity per asset, decimal text. */
  readonly balances: Readonly<Record<string, string>>;
  /** Cost basis per held asset (absent: the holding is costed at the first price the replay sees). */
  readonly costs: Readonly<Record<string, StartCost>>;
}

/** {@link SymbolRules} as plain data (decimals as text). */
export type WireRules = {
  readonly [K in keyof SymbolRules]: SymbolRules[K] extends Decimal
    ? string
    : SymbolRules[K] extends Decimal | undefined
      ? string | undefined
      : K extends 'priceBand'
        ? { readonly bidMultiplierUp: string; readonly askMultiplierDown: string } | undefined
        : SymbolRules[K];
};

/** Everything one replay run needs besides the candles. */
export interface ReplaySpec {
  /** First and last instant replayed (ms); the clock steps from `fromMs` to `toMs`. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Clock step (ms): every job due is run at each step. One minute, the candles' width. */
  readonly stepMs: number;
  /** Every setting the replay runs with, as the owner would type them (live values with overrides applied). */
  readonly settings: Readonly<Record<string, string>>;
  readonly start: StartPortfolio;
  readonly rules: readonly WireRules[];
  /** Spread per symbol as a fraction of the price (from the live book when the replay was asked for). */
  readonly spreads: Readonly<Record<string, number>>;
  /** Extra price move against a taker order, as a fraction. */
  readonly slippage: number;
  /** When resting orders fill (default: when the candles trade through them). */
  readonly restingFills?: RestingFillRule;
  /** IANA zone of daily caps and "today" (TZ_REPORTS). */
  readonly timeZone: string;
  /** How often the portfolio value is sampled for the value line and the drawdown (ms). */
  readonly equityEveryMs: number;
}

/** One order the replayed bot placed. */
export interface ReplayOrder {
  readonly origin: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: string;
  readonly quantity: string;
  readonly price?: string;
  readonly createdAt: number;
  readonly executedQty: string;
  readonly status: string;
}

/** One point of the replayed portfolio value. */
export interface ReplayEquityPoint {
  readonly at: number;
  readonly totalUsdc: string;
  readonly coreUsdc: string;
  readonly altsUsdc: string;
}

/** One fill, as a marker on the value line. */
export interface ReplayTrade {
  readonly time: number;
  readonly side: 'BUY' | 'SELL';
  readonly symbol: string;
  /** Quote value of the fill, decimal text. */
  readonly value: string;
}

/** What one replay run did and ended with. Amounts are decimal text in USDC. */
export interface ReplayOutcome {
  readonly fromMs: number;
  readonly toMs: number;
  /** Where the candles of the core markets actually start within the span (no earlier than `fromMs`). */
  readonly dataFromMs: number;
  readonly orders: readonly ReplayOrder[];
  /** Orders with anything filled, per strategy. */
  readonly tradesByStrategy: Readonly<Record<string, number>>;
  /** Refused intents by refusal code (reserve, rules, in-profit, …), all strategies. */
  readonly refusals: Readonly<Record<string, number>>;
  /** Refused intents per strategy and code. */
  readonly refusalsByStrategy: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly realisedUsdc: string;
  readonly unrealisedUsdc: string;
  readonly feesUsdc: string;
  readonly startValueUsdc: string;
  readonly endValueUsdc: string;
  /** The starting balances, untouched, valued at the end's prices. */
  readonly holdValueUsdc: string;
  readonly maxDrawdownPct: string;
  readonly equity: readonly ReplayEquityPoint[];
  readonly trades: readonly ReplayTrade[];
  /** Clock steps taken and wall time spent. */
  readonly steps: number;
  readonly wallMs: number;
}

/** Rules as plain data for a message to the replay's child process. */
export function rulesToWire(rules: SymbolRules): WireRules {
  return {
    ...rules,
    tickSize: toWire(rules.tickSize),
    stepSize: toWire(rules.stepSize),
    minQty: toWire(rules.minQty),
    minNotional: toWire(rules.minNotional),
    maxNotional: rules.maxNotional === undefined ? undefined : toWire(rules.maxNotional),
    makerFee: toWire(rules.makerFee),
    takerFee: toWire(rules.takerFee),
    priceBand:
      rules.priceBand === undefined
        ? undefined
        : {
            bidMultiplierUp: toWire(rules.priceBand.bidMultiplierUp),
            askMultiplierDown: toWire(rules.priceBand.askMultiplierDown),
          },
  };
}

/** Rules back from plain data. */
export function rulesFromWire(wire: WireRules): SymbolRules {
  const { maxNotional, priceBand, ...rest } = wire;
  return {
    ...rest,
    tickSize: dec(wire.tickSize),
    stepSize: dec(wire.stepSize),
    minQty: dec(wire.minQty),
    minNotional: dec(wire.minNotional),
    makerFee: dec(wire.makerFee),
    takerFee: dec(wire.takerFee),
    ...(maxNotional === undefined ? {} : { maxNotional: dec(maxNotional) }),
    ...(priceBand === undefined
      ? {}
      : {
          priceBand: {
            bidMultiplierUp: dec(priceBand.bidMultiplierUp),
            askMultiplierDown: dec(priceBand.askMultiplierDown),
          },
        }),
  };
}
