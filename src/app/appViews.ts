/**
 * Typed results of the chat use cases ({@link AppApi}). They carry data, never Telegram text:
 * the Telegram layer and the console chat format them, benchmarks and health checks may read
 * them directly. Money is always {@link Decimal}.
 */
import type { Decimal } from '../domain/money.js';
import type { SymbolPrecision } from '../domain/market.js';
import type { ChartRange } from '../domain/chartRange.js';
import type { CostBasisSource } from '../domain/portfolio/position.js';
import type { SettingKey } from '../settings/definitions.js';
import type { SettingDef } from '../settings/settingTypes.js';
import type { ScanGate } from '../domain/scan.js';
import type { StrategyId, StrategyMode } from '../domain/strategy.js';
import type { OpenOrderView, TradeView } from '../persistence/chatQueries.js';
import type { ScanVerdictRow } from '../persistence/ScanRepository.js';
import type { JobOutcome } from '../persistence/JobRunRepository.js';
import type { Page, PageCursor, PageKey } from '../persistence/listPages.js';

/** Who did something: `tg:<user id>`, `console:<id>` or `system`. Recorded in settings history. */
export type Actor = string;

/** How a job run ended. */
export type RunOutcome = JobOutcome;
/** Rows of the chat's read queries, shown as they are. */
export type { OpenOrderView, TradeView };
/** Paging of the long lists by the key of a row (stable when new rows arrive). */
export type { Page, PageCursor, PageKey };

/** The exchange's precision of one symbol: prices to its tick size, quantities to its step. */
export type { SymbolPrecision };

/**
 * A page of /trades or /orders with the precision of every symbol on it (absent for a symbol
 * the exchange no longer lists, or while its rules cannot be read: numbers then follow magnitude).
 */
export interface ListPageView<T> extends Page<T> {
  readonly precision: ReadonlyMap<string, SymbolPrecision>;
}

/** One strategy as /status shows it. */
export interface StrategyStatusView {
  readonly id: StrategyId;
  readonly enabled: boolean;
  readonly mode: StrategyMode;
  /** running: a run is in progress; paused: global pause; disabled: `<id>.enabled` off. */
  readonly state: 'running' | 'idle' | 'paused' | 'disabled';
  readonly lastRunAt?: number;
  readonly nextRunAt?: number;
  readonly lastOutcome?: RunOutcome;
  readonly lastSummary?: string;
}

/** A stablecoin's reserve next to its free balance, so /status shows what strategies may still spend. */
export interface ReserveView {
  readonly asset: 'USDC' | 'USDT';
  readonly reserve: Decimal;
  /** Free exchange balance; undefined when balances are not available. */
  readonly free?: Decimal;
  /** free − reserve: what strategies may still spend (negative = below the reserve). */
  readonly headroom?: Decimal;
}

/**
 * How old the balances and prices of a view are: the chat answers from the latest known state
 * when the exchange is slow, so every view that shows them says when they were read.
 */
export interface DataAgeView {
  /** When the balances and prices were read from the exchange (Unix ms). */
  readonly readAt: number;
  /** When the view was built. */
  readonly now: number;
  /** IANA zone the read time is shown in (TZ_REPORTS). */
  readonly timeZone: string;
  /** Older than the chat's freshness limit: the exchange is slow or not answering. */
  readonly stale: boolean;
}

/** Everything /status shows: mode, pauses, strategies, reserves, open orders and warnings. */
export interface StatusView {
  readonly now: number;
  /** IANA zone of next-run times and cron schedules (TZ_REPORTS). */
  readonly timeZone: string;
  readonly tradingMode: 'paper' | 'live';
  readonly exchange: string;
  /** The global `paused` setting. */
  readonly paused: boolean;
  readonly strategies: readonly StrategyStatusView[];
  readonly reserves: readonly ReserveView[];
  readonly openOrders: number;
  readonly warnings: readonly string[];
  /** Each live stream connection's state; empty with streams off. */
  readonly streams: readonly StreamLineView[];
  /** Latest prices of the core markets (BTCUSDC, ETHUSDC, USDCUSDT), when known. */
  readonly market?: readonly { readonly symbol: string; readonly price: Decimal }[];
  /** Age of the balances and prices shown (reserves, market); absent when none could be read. */
  readonly dataAge?: DataAgeView;
}

/** One stream connection in /status: its name (e.g. `bookTicker#1`, `user`), state and since when. */
export interface StreamLineView {
  readonly name: string;
  /** off, connecting, live, quiet or down: anything but live means that data is polled. */
  readonly state: string;
  readonly sinceMs: number;
}

/** One asset's line in /balance: free, locked, total and its USDC value. */
export interface BalanceLineView {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
  readonly total: Decimal;
  /** Value in USDC at the latest price; undefined when no price is known. */
  readonly valueUsdc?: Decimal;
  readonly group: 'core' | 'alt' | 'stable';
  /**
   * The step of the coin's pair with its cost asset (`PEPE` → `PEPEUSDT`), when the exchange
   * lists it: its quantities are then written as /pnl, /trades and the fill notices write them.
   */
  readonly stepSize?: Decimal;
}

/** The portfolio in USDC split into core coins, altcoins and stablecoins, with the altcoin share. */
export interface SplitView {
  readonly coreUsdc: Decimal;
  readonly altsUsdc: Decimal;
  readonly stableUsdc: Decimal;
  readonly totalUsdc: Decimal;
  /** Alts share of alts + core, in percent; undefined when both are zero. */
  readonly altSharePct?: Decimal;
}

/** The /balance answer: the asset lines and the split, or why balances cannot be shown now. */
export type BalancesView =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      /** The instant of the portfolio snapshot these figures come from. */
      readonly at: number;
      readonly dataAge: DataAgeView;
      readonly lines: readonly BalanceLineView[];
      readonly split: SplitView;
      /** Assets held but without a price: their value is missing from the totals. */
      readonly unpriced: readonly string[];
    };

/** One held asset's line in /pnl: quantity, average cost, value and unrealised result. */
export interface PnlAssetView {
  readonly asset: string;
  readonly qty: Decimal;
  readonly avgCost: Decimal;
  /** USDC for BTC/ETH, USDT for altcoins. */
  readonly costAsset: string;
  /** The exchange's precision of the asset's pair with its cost asset, when known. */
  readonly precision?: SymbolPrecision;
  readonly price?: Decimal;
  /** qty × price in the cost asset. */
  readonly value?: Decimal;
  readonly valueUsdc?: Decimal;
  readonly unrealised?: Decimal;
  readonly unrealisedPct?: Decimal;
  /** Realised PnL of this asset over all time, in the cost asset. */
  readonly realised: Decimal;
  readonly fees: Decimal;
  /** `fills` when history explains the holding; `owner` / `first-seen` are flagged. */
  readonly costBasis: CostBasisSource;
}

/** Realised PnL in USDC over today, 7 days, 30 days and all time. */
export interface PnlPeriodsView {
  /** Realised PnL in USDC; undefined when the data source cannot tell. */
  readonly today?: Decimal;
  readonly d7?: Decimal;
  readonly d30?: Decimal;
  readonly all?: Decimal;
}

/** The /pnl answer: per-asset lines and realised periods, or why PnL cannot be shown now. */
export type PnlView =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      /** The instant of the portfolio snapshot these figures come from. */
      readonly at: number;
      readonly dataAge: DataAgeView;
      readonly assets: readonly PnlAssetView[];
      readonly realised: PnlPeriodsView;
      /** Fees paid, all time, in USDC. */
      readonly feesUsdc: Decimal;
      readonly totals: {
        /** Value of the positions listed (cash aside). */
        readonly valueUsdc: Decimal;
        readonly costUsdc: Decimal;
        readonly unrealisedUsdc: Decimal;
        /** The whole portfolio, cash included: the total /balance and the chart show. */
        readonly portfolioUsdc: Decimal;
      };
      /** The USDCUSDT price used to convert USDT amounts, when known. */
      readonly usdcUsdt?: Decimal;
      readonly warnings: readonly string[];
    };

/** What cancelling an order from chat did. */
export type CancelOrderResult =
  | {
      readonly status: 'cancelled';
      readonly order: OpenOrderView;
      /** The exchange's precision of the order's symbol, when known. */
      readonly precision?: SymbolPrecision;
    }
  | { readonly status: 'not-found' }
  | { readonly status: 'already-final'; readonly orderStatus: string }
  | { readonly status: 'failed'; readonly error: string };

/** What /pause and /resume act on: one strategy or all of them. */
export type PauseTarget = StrategyId | 'all';

/** The outcome of /pause or /resume, including strategies that still will not run and why. */
export interface PauseResult {
  readonly target: PauseTarget;
  readonly paused: boolean;
  /** False when it already was in that state. */
  readonly changed: boolean;
  /** Strategies still not running after a resume, and why (global pause, disabled). */
  readonly stillStopped: readonly { readonly id: StrategyId; readonly why: 'paused' | 'disabled' }[];
}

/** One setting with its current value, default and definition, for the settings screens. */
export interface SettingInfo {
  readonly key: SettingKey;
  readonly value: string;
  readonly isDefault: boolean;
  readonly defaultText: string;
  readonly def: SettingDef<unknown>;
  /** "0…100 %" for numbers, "auto, confirm, notify" for choices; undefined otherwise. */
  readonly validText?: string;
}

/**
 * What /exclude or /include proposed. `proposed`: the change of the `exclusions` setting waits on
 * the one confirm screen of setting changes (`proposal`: ✅ Save / 🔮 What if? / ✖ Cancel);
 * `unchanged`: there was nothing to add or remove, nothing is asked; `refused`: nothing is asked,
 * `error` says why.
 */
export type SymbolListResult =
  | {
      readonly status: 'proposed';
      /** The bare asset the owner typed (`OP`): `changed` are its pairs. */
      readonly asset?: string;
      /** The symbols the change adds to (exclude) or removes from (include) the list. */
      readonly changed: readonly string[];
      readonly proposal: Extract<ProposeSettingResult, { readonly ok: true }>;
      readonly exclusions: readonly string[];
    }
  | {
      readonly status: 'unchanged';
      /** The symbols asked for: already in the wanted state (empty: the asset has no such pair). */
      readonly symbols: readonly string[];
      readonly exclusions: readonly string[];
    }
  | { readonly status: 'refused'; readonly error: string; readonly exclusions: readonly string[] };

/** One symbol's scan result in /scan's top list. */
export interface ScanVerdictSummary extends ScanVerdictRow {
  /** Excluded by the owner since (or before) the scan: never a leader, never traded. */
  readonly excluded: boolean;
}

/** The latest scan for /scan: when it ran, how many symbols it saw and the best of them. */
export type ScanView =
  | { readonly available: false }
  | {
      readonly available: true;
      readonly scanId: number;
      readonly startedAt: number;
      readonly endedAt?: number;
      readonly universe: number;
      readonly analysed: number;
      readonly requests: number;
      readonly weight: number;
      /** Symbols that passed every gate, excluded symbols left out. */
      readonly leaders: readonly string[];
      /** Minimum score of a buy (`scanner.minScore`). */
      readonly minScore: number;
      /** Best verdicts first (at most 10). */
      readonly top: readonly ScanVerdictSummary[];
    };

/** The outcome of asking for a scan now: started (with its result to await), or already running. */
export type RunScanResult =
  { readonly status: 'started'; readonly done: Promise<ScanView> } | { readonly status: 'already-running' };

/**
 * The /why answer: a symbol's verdict in the latest scan with every gate's numbers, or that it was not seen.
 */
export type WhyView =
  | { readonly found: false; readonly symbol: string; readonly scanned: boolean }
  | {
      readonly found: true;
      readonly symbol: string;
      readonly scanId: number;
      readonly scanAt: number;
      readonly score: number;
      readonly passed: boolean;
      /** Minimum score of a buy (`scanner.minScore`). */
      readonly minScore: number;
      /** Excluded by the owner: never bought, whatever the verdict. */
      readonly excluded: boolean;
      readonly gates: readonly ScanGate[];
      /** Set when the stored verdict could not be read as gates. */
      readonly raw?: string;
    };

/** The daily report as the report scheduler composes it: plain text plus a chart. */
export type DailyReportResult =
  | { readonly available: true; readonly text: string; readonly chart?: Buffer }
  | { readonly available: false; readonly reason: string };

/** The figures of the daily report and /report: status, PnL, balances and the last day's trades. */
export interface ReportView {
  readonly at: number;
  readonly status: StatusView;
  readonly pnl: PnlView;
  readonly balances: BalancesView;
  readonly trades24h: {
    readonly count: number;
    readonly buys: number;
    readonly sells: number;
    readonly byStrategy: readonly { readonly origin: string; readonly count: number }[];
  };
}

export { CHART_RANGES, type ChartRange } from '../domain/chartRange.js';

/** The /chart answer: a PNG for the range, or why no chart can be drawn. */
export type ChartResult =
  | { readonly available: true; readonly png: Buffer; readonly range: ChartRange }
  | { readonly available: false; readonly reason: string };

/** A pending one-time confirmation, as the chat shows it. */
export interface ConfirmationView {
  readonly id: string;
  readonly kind: string;
  readonly summary: string;
  readonly expiresAt: number;
}

/**
 * A setting change waiting for the owner's confirmation (from the enter-a-value dialogue, `/whatif`
 * or an undo): the confirmation to answer, and the change it will make. `revertsId` is the version
 * an undo restores.
 */
export type ProposeSettingResult =
  | {
      readonly ok: true;
      readonly confirmation: ConfirmationView;
      readonly key: SettingKey;
      readonly old: string;
      readonly new: string;
      readonly revertsId?: number;
    }
  | { readonly ok: false; readonly error: string };

/** What the owner is told after tapping Confirm or Skip on a confirmation. */
export type ResolveOutcome =
  /** Confirmed and carried out; `detail` says what happened. */
  | { readonly status: 'done'; readonly summary: string; readonly detail: string }
  | { readonly status: 'skipped'; readonly summary: string }
  | { readonly status: 'expired'; readonly summary: string }
  | { readonly status: 'already-resolved'; readonly summary: string; readonly outcome: string }
  | { readonly status: 'failed'; readonly summary: string; readonly error: string }
  | { readonly status: 'unknown' };

/** The outcome of setting an asset's cost basis: the stored price, or why it was refused. */
export type CostBasisResult =
  | {
      readonly ok: true;
      readonly asset: string;
      readonly price: Decimal;
      readonly costAsset: string;
      /** The holding the fills cannot explain, which the basis applies to. */
      readonly qty: Decimal;
      /** The basis it replaced (owner-set or first-seen), if any. */
      readonly previous?: { readonly price: Decimal; readonly costAsset: string; readonly source: string };
    }
  | { readonly ok: false; readonly error: string };

/** A holding the fills cannot explain, valued at an owner-set or first-seen cost. */
export interface UnexplainedHoldingView {
  readonly asset: string;
  readonly qty: Decimal;
  /** `owner` or `first-seen`. */
  readonly source: string;
}
