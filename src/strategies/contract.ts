/**
 * The strategy contract: a strategy is a pure decision function from an
 * immutable snapshot, its settings and `now` to intents, each with a human reason. It never
 * imports adapters; the runner builds the snapshot and the one executor turns intents into orders.
 */
import type {
  Balance,
  BookTop,
  Candle,
  KlineInterval,
  OrderSide,
  OrderType,
  SymbolRules,
  Ticker24h,
} from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { Position } from '../domain/portfolio/position.js';
import type { SettingKey, SettingValue } from '../settings/definitions.js';

/** The six strategies the bot runs, by id; settings keys and order origins are built from these. */
export const STRATEGY_IDS = [
  'accumulate',
  'take-profit',
  'scanner',
  'alt-profit',
  'split-balance',
  'core-balance',
] as const;
/** The id of one of the bot's strategies. */
export type StrategyId = (typeof STRATEGY_IDS)[number];

/** Whether a text names one of the bot's strategies. */
export function isStrategyId(value: string): value is StrategyId {
  return (STRATEGY_IDS as readonly string[]).includes(value);
}

/** auto: place orders; confirm: ask the owner first; notify: only report what it would do. */
export const STRATEGY_MODES = ['auto', 'confirm', 'notify'] as const;
/** How a strategy's intents are handled: placed, proposed for confirmation, or only reported. */
export type StrategyMode = (typeof STRATEGY_MODES)[number];

/** Who asked for an order: a strategy, or the owner from chat. */
export type OrderOrigin = StrategyId | 'manual';

/** An order the bot placed and has not seen finish, as the snapshot shows it. */
export interface OpenBotOrder {
  readonly clientOrderId: string;
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly executedQty: Decimal;
  readonly createdAt: number;
}

/** A recorded fill with the strategy that caused it (undefined for foreign or pre-bot fills). */
export interface AttributedFill {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly quoteQty: Decimal;
  readonly time: number;
  readonly origin?: OrderOrigin;
}

/** Everything a strategy may look at. Built fresh by the runner for every run. */
export interface StrategySnapshot {
  readonly now: number;
  /** Exchange balances by asset (free and locked). */
  readonly balances: ReadonlyMap<string, Balance>;
  /** Positions from fills, by base asset. */
  readonly positions: ReadonlyMap<string, Position>;
  readonly bookTops: ReadonlyMap<string, BookTop>;
  /** 24 h tickers by symbol (filled for strategies that declare `needs.tickers`). */
  readonly tickers: ReadonlyMap<string, Ticker24h>;
  readonly rules: ReadonlyMap<string, SymbolRules>;
  /** Symbols the bot must not trade: owner exclusions plus temporary `10007` blocks. */
  readonly blockedSymbols: ReadonlySet<string>;
  /** The bot's non-final orders, all strategies. */
  readonly openOrders: readonly OpenBotOrder[];
  /** Fills of at least the last 7 days, for cooldowns and daily caps. */
  readonly recentFills: readonly AttributedFill[];
  /** `USDCUSDT` mid price: USDT amounts convert to USDC by dividing by it (never assumed 1). */
  readonly usdcUsdt: Decimal;
  /** Free USDC and USDT after subtracting open buy orders and reserves (may be negative). */
  readonly headroom: { readonly usdc: Decimal; readonly usdt: Decimal };
  /** Leaders (passing symbols, best first) of the latest scan, for top-ups and alt-side buys. */
  readonly scanLeaders: readonly string[];
}

/** A request to place an order. Prices and quantities are unrounded; the executor rounds with the rules. */
export interface OrderIntent {
  readonly kind: 'order';
  readonly origin: OrderOrigin;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly price: Decimal;
  /** Base quantity. Exactly one of quantity and quoteAmount is set. */
  readonly quantity?: Decimal;
  /** Quote amount to spend (buys) or receive (sells) at `price`. */
  readonly quoteAmount?: Decimal;
  /** Human reason, shown in confirmations and notifications: "ETH 2.1 % under target share; 24 h avg 3 120; bid 3 101". */
  readonly reason: string;
  /** Cancel (and, with `repriceOnExpiry`, re-place at the new touch) when still open after this long. */
  readonly ttlMs?: number;
  readonly repriceOnExpiry?: boolean;
  /**
   * For sells: the lowest acceptable price (average cost plus both fees). The executor refuses a
   * sell below it unless `allowLoss` is set.
   */
  readonly minSellPrice?: Decimal;
  /** Set only for an owner-enabled stop-loss or a manual sell confirmed in chat. */
  readonly allowLoss?: boolean;
}

/** A request to cancel one of the bot's own open orders. */
export interface CancelIntent {
  readonly kind: 'cancel';
  readonly origin: OrderOrigin;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly reason: string;
}

/** Anything a strategy may ask for: an order to place or an order to cancel. */
export type Intent = OrderIntent | CancelIntent;

/** One gate of the scanner's verdict on a symbol, with its numbers, for /why. */
export interface ScanGate {
  readonly gate: string;
  readonly ok: boolean;
  /** The measured value, formatted. */
  readonly value?: string;
  /** The threshold it was compared with, formatted. */
  readonly limit?: string;
  /** Score points this gate contributed. */
  readonly points?: number;
}

/** The scanner's verdict on one symbol: its score, whether it passed, and every gate's numbers. */
export interface ScanVerdict {
  readonly symbol: string;
  readonly score: number;
  readonly passed: boolean;
  readonly gates: readonly ScanGate[];
}

/** One scanner run's counts, cost and leaders, stored with its verdicts for /scan and /why. */
export interface ScanSummary {
  /** Symbols that passed the universe filters. */
  readonly universe: number;
  /** Symbols analysed with klines. */
  readonly analysed: number;
  /** Passing symbols, best first. */
  readonly leaders: readonly string[];
  readonly verdicts: readonly ScanVerdict[];
  /** Exchange requests and weight the scan used, when measured. */
  readonly requests?: number;
  readonly weight?: number;
}

/** What a strategy run decided: intents plus notes explaining why nothing (or something) happened. */
export interface Decision {
  readonly intents: readonly Intent[];
  readonly notes: readonly string[];
  /** Set by the scanner: persisted for /why, /scan and the other strategies' `scanLeaders`. */
  readonly scan?: ScanSummary;
}

/** The decision that asks for nothing. */
export const NO_DECISION: Decision = Object.freeze({ intents: [], notes: [] });

/** Live settings as strategies read them: the latest value on every call. */
export interface SettingsReader {
  get<K extends SettingKey>(key: K): SettingValue<K>;
}

/** Candle access for strategies that need history (the scanner). */
export interface KlineSource {
  getKlines(query: {
    readonly symbol: string;
    readonly interval: KlineInterval;
    readonly startTime?: number;
    readonly endTime?: number;
    readonly limit?: number;
  }): Promise<readonly Candle[]>;
}

/** When a strategy runs: every so many milliseconds, or on a cron expression. */
export type StrategySchedule =
  | { readonly kind: 'interval'; readonly everyMs: number }
  | { readonly kind: 'cron'; readonly expression: string };

/**
 * A strategy as the runner sees it. `decide` is pure; `prepare` (optional) gathers extra data
 * asynchronously before it, such as the scanner's klines, and must not place orders.
 */
export interface StrategyDefinition<TExtra = undefined> {
  readonly id: StrategyId;
  /** Market data the runner must load into the snapshot. */
  readonly needs: { readonly tickers: boolean };
  /** When it runs, read from live settings on every re-arm. */
  schedule(settings: SettingsReader): StrategySchedule;
  prepare?(input: {
    readonly snapshot: StrategySnapshot;
    readonly settings: SettingsReader;
    readonly klines: KlineSource;
  }): Promise<TExtra>;
  decide(input: {
    readonly snapshot: StrategySnapshot;
    readonly settings: SettingsReader;
    readonly extra: TExtra;
  }): Decision;
}
