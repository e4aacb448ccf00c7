/**
 * What the chat use cases need from the rest of the process, as narrow ports. Every port is
 * required: the runtime wires them all (`src/runtime/createRuntime.ts`), and chat tests pass
 * in-memory ones, so no use case has a "not available" branch.
 */
import type { Decimal } from '../domain/money.js';
import type { SymbolRules } from '../domain/market.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import type { ConfirmationStore } from '../execution/ConfirmationStore.js';
import type { PauseState } from '../jobs/PauseState.js';
import type { Db } from '../persistence/db.js';
import type { WhatIfRunner } from '../replay/whatIf.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { StrategyId } from '../domain/strategy.js';
import type { Actor, ChartRange, RunOutcome, StreamLineView, UnexplainedHoldingView } from './appViews.js';

/** A strategy job as the scheduler sees it. */
export interface JobStatus {
  readonly id: StrategyId;
  readonly running: boolean;
  readonly lastRunAt?: number;
  readonly nextRunAt?: number;
  readonly lastOutcome?: RunOutcome;
  readonly lastSummary?: string;
}

/**
 * The portfolio as the chat reads it: one snapshot per answer (balances, prices, positions,
 * realised PnL, all at one instant), and the owner's cost basis of unexplained holdings.
 */
export interface PortfolioReader {
  snapshot(): Promise<PortfolioSnapshot>;
  /** Holdings the fills cannot explain, with the source of their cost (`first-seen` or `owner`). */
  unexplained(): Promise<readonly UnexplainedHoldingView[]>;
  /** Sets the owner's cost basis of an asset (per unit, in its cost currency), versioned with `actor`. */
  setOwnerBasis(
    asset: string,
    price: Decimal,
    actor: Actor,
  ): Promise<{
    readonly costAsset: string;
    readonly qty: Decimal;
    readonly previous?: { readonly price: Decimal; readonly costAsset: string; readonly source: string };
  }>;
}

/** The ports the chat use cases read and act through, handed in by the runtime when it wires the process. */
export interface AppDeps {
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tradingMode: 'paper' | 'live';
  /** Exchange adapter name for /status (`mexc`, `paper`, `simulator`). */
  readonly exchangeName: string;
  /** IANA time zone of reports: "today" starts at midnight there. */
  readonly timeZone: string;
  /** The one confirmation service: the kill switch and proposed orders are answered through it. */
  readonly confirmations: ConfirmationStore;
  /** The one pause model, shared with the scheduler, the executor and the kill switch. */
  readonly pauses: PauseState;

  /**
   * The exchange's symbols with their base asset and precision: /exclude and /include validate
   * against them, and lists write prices to the symbol's tick and quantities to its step.
   */
  readonly symbols: () => Promise<
    ReadonlyMap<string, Pick<SymbolRules, 'baseAsset' | 'tickSize' | 'stepSize'>>
  >;

  /** Scheduler: per-job state (/status completes it with the last runs from `job_runs`). */
  readonly jobs: () => readonly JobStatus[];
  /** The one valuation and PnL service: every portfolio figure of every command comes from it. */
  readonly portfolio: PortfolioReader;
  /** Executor: cancel one of the bot's open orders. Returns the order's final status. */
  readonly cancelOrder: (clientOrderId: string, actor: Actor) => Promise<{ readonly status: string }>;
  /** Charts: a PNG of portfolio value and the alts/core split over the range (a picture even on a fresh install). */
  readonly renderChart: (range: ChartRange) => Promise<Buffer>;
  /** The daily report, for /report. */
  readonly dailyReport: () => Promise<{ readonly text: string; readonly chart?: Buffer }>;
  /** The replay engine: a setting change replayed over recent history, off the main thread (/whatif). */
  readonly whatIf: WhatIfRunner;
  /** Scanner: run one scan now; resolves when its verdicts are stored in `scans`. */
  readonly runScan: () => Promise<unknown>;
  /** Each live stream connection's state for /status; empty with streams off (STREAMS=off). */
  readonly streams: () => readonly StreamLineView[];
  /** Extra warnings for /status from the core (exchange unreachable, rate limited, …). */
  readonly warnings: () => readonly string[];
  /**
   * Fill history: what is still being read, e.g. "trade history of ETH, SOL still being read:
   * their average cost and PnL are provisional" (undefined when complete). Shown with /pnl.
   */
  readonly historyNote: () => string | undefined;
}
