/**
 * What the simulator knows about one listed symbol: trading rules as exchangeInfo publishes
 * them and the parameters of its price model. Internal to the simulator.
 */
import { dec } from '../../domain/money.js';
import type { Decimal } from '../../domain/money.js';

/** How the price of a symbol moves. Prices are in quote units; see PriceModel. */
export type ModelSpec =
  | {
      /** Mean-reverting log random walk with a market factor and occasional pumps and dumps. */
      readonly kind: 'walk';
      readonly sigmaPerMin: number;
      /** Index of the symbol whose step return drives this one (-1: none). */
      readonly factorIndex: number;
      readonly beta: number;
      readonly kappaPerMin: number;
      /** Expected random pump/dump events per day (0: none). */
      readonly eventsPerDay: number;
    }
  | {
      /** Stablecoin: Ornstein–Uhlenbeck around a centre, clamped to a band. */
      readonly kind: 'peg';
      readonly centre: number;
      readonly lo: number;
      readonly hi: number;
      readonly sigmaPerMin: number;
      readonly thetaPerMin: number;
    }
  | {
      /** Product of two legs (BTCUSDT = BTCUSDC × USDCUSDT) with a small basis. */
      readonly kind: 'cross';
      readonly legA: number;
      readonly legB: number;
    };

/** A scripted move in the recent past, so a fresh market already shows pumps, dumps and spikes. */
export interface ScriptedEvent {
  /** Minutes before the start time at which the move begins. */
  readonly minutesBeforeStart: number;
  readonly durationMin: number;
  readonly totalLogReturn: number;
  readonly volumeMultiplier: number;
}

/** One simulated symbol: its exchange rules and the parameters of its price model. */
export interface SymbolSpec {
  readonly index: number;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly fullName: string;
  readonly category: 'quote-stable' | 'core' | 'stablecoin' | 'leveraged' | 'alt';
  readonly pricePrecision: number;
  readonly qtyPrecision: number;
  readonly tick: Decimal;
  readonly step: Decimal;
  /** 10^-pricePrecision as a float: converts model prices to ticks (never used for money). */
  readonly tickFloat: number;
  readonly initialPrice: number;
  readonly dailyQuoteVolume: number;
  readonly spreadFrac: number;
  readonly listedAt: number;
  readonly model: ModelSpec;
  readonly events: readonly ScriptedEvent[];
  readonly status: '1' | '2' | '3';
  readonly tradeSideType: 1 | 2 | 3 | 4;
  readonly isSpotTradingAllowed: boolean;
  /** Initial membership of /api/v3/defaultSymbols. */
  readonly inDefaultSymbols: boolean;
  readonly orderTypes: readonly string[];
  readonly minNotional: Decimal;
  readonly minNotionalMarket: Decimal;
  readonly maxNotional: Decimal;
  readonly maxNotionalMarket: Decimal;
  /** `baseSizePrecision`: the minimum quantity (0 = none). */
  readonly minQty: Decimal;
  readonly bandUp: Decimal;
  readonly bandDown: Decimal;
  readonly makerFee: Decimal;
  readonly takerFee: Decimal;
}

const ALL_TYPES = ['LIMIT', 'MARKET', 'LIMIT_MAKER'] as const;
/** Order types of a symbol that refuses MARKET orders. */
export const NO_MARKET = ['LIMIT', 'LIMIT_MAKER'] as const;
/** Scales a daily volatility to one minute. */
export const PER_MIN_FROM_DAILY = 1 / Math.sqrt(1440);

/** Limits a number to a range. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Price decimals giving 5–7 significant digits, as MEXC lists most pairs. */
export function pricePrecisionFor(price: number): number {
  return clamp(6 - Math.ceil(Math.log10(price)), 0, 12);
}

/** Quantity decimals for a symbol at this price, so a lot is worth a sensible amount. */
export function qtyPrecisionFor(price: number): number {
  return clamp(Math.round(Math.log10(price)) + 2, 0, 8);
}

/** A symbol before its index and derived steps are assigned. */
export type Draft = Omit<SymbolSpec, 'index' | 'tick' | 'step' | 'tickFloat'>;

/** The naming fields of a symbol draft. */
export function base(
  symbol: string,
  baseAsset: string,
  quoteAsset: string,
  category: SymbolSpec['category'],
): Pick<Draft, 'symbol' | 'baseAsset' | 'quoteAsset' | 'fullName' | 'category'> {
  return { symbol, baseAsset, quoteAsset, fullName: baseAsset, category };
}

/** The exchange rules a symbol gets unless its draft says otherwise. */
export const DEFAULT_RULES = {
  status: '1',
  tradeSideType: 1,
  isSpotTradingAllowed: true,
  inDefaultSymbols: true,
  orderTypes: ALL_TYPES,
  minNotional: dec('1'),
  minNotionalMarket: dec('1'),
  maxNotional: dec('2000000'),
  maxNotionalMarket: dec('100000'),
  minQty: dec('0'),
  bandUp: dec('0.05'),
  bandDown: dec('0.05'),
  makerFee: dec('0'),
  takerFee: dec('0.0005'),
  events: [],
} as const;
