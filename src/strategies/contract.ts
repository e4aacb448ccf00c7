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
  SymbolRules,
  Ticker24h,
  Volume24h,
} from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { Position } from '../domain/portfolio/position.js';
import type { AttributedFill, Intent, OpenBotOrder } from '../domain/intent.js';
import type { ScanSummary } from '../domain/scan.js';
import type { StrategyId } from '../domain/strategy.js';
import type { SettingKey, SettingValue } from '../settings/definitions.js';

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
  /**
   * Rolling 24 h volumes by symbol: at least the listed core markets (`CORE_MARKETS`) for
   * strategies that declare `needs.coreVolumes`, every symbol's with `needs.tickers`.
   */
  readonly volumes24h: ReadonlyMap<string, Volume24h>;
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
  /**
   * Assets whose trade history is still being read: their position's cost and their recent fills
   * are provisional, so no strategy decides on them until the history is in.
   */
  readonly historyPending: ReadonlySet<string>;
}

/** What a strategy run decided: intents plus notes explaining why nothing (or something) happened. */
export interface Decision {
  readonly intents: readonly Intent[];
  readonly notes: readonly string[];
  /** Set by the scanner: persisted for /why, /scan and the other strategies' `scanLeaders`. */
  readonly scan?: ScanSummary;
  /** Assets left alone because their trade history is still being read; the runner has them read next. */
  readonly waiting?: readonly string[];
}

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

/**
 * Default stuck limit of one strategy run: a snapshot, a decision and a few orders take seconds;
 * five minutes leave room for an order whose outcome is resolved by client id and for a
 * rate-limit pause of a minute or two without a false alarm.
 */
export const STRATEGY_STUCK_AFTER_MS = 5 * 60_000;

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
  readonly needs: {
    /** Every symbol's full 24 h ticker: one all-symbol REST request (weight 40) per run. */
    readonly tickers: boolean;
    /**
     * The core markets' rolling 24 h volumes only: streamed (mini tickers) while that stream is
     * live, else read from the all-symbol REST 24 h ticker.
     */
    readonly coreVolumes?: boolean;
  };
  /** When it runs, read from live settings on every re-arm. */
  schedule(settings: SettingsReader): StrategySchedule;
  /**
   * How long one run may take before it is reported stuck. Default
   * {@link STRATEGY_STUCK_AFTER_MS}; the scanner, which reads candles for a whole market, allows more.
   */
  readonly stuckAfterMs?: number;
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
