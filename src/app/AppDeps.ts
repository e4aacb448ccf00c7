/**
 * What the chat use cases need from the rest of the process, as narrow ports. Only the database,
 * the settings store and the clock are required: every other port is optional, and a use case
 * whose port is missing answers "not available yet" instead of failing, so the chat works while
 * the core is wired piece by piece (src/main.ts passes the real implementations).
 */
import type { Decimal } from '../domain/money.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import type { Db } from '../persistence/db.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StrategyId } from '../strategies/contract.js';
import type { Actor, ChartRange, RunOutcome, UnexplainedHoldingView } from './appViews.js';
import type { ConfirmationRecord } from './ConfirmationStore.js';

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

/** What the kill switch did. */
export interface PanicReport {
  readonly cancelled: number;
  readonly failed: readonly string[];
  /** Open orders whose cancelling goes on in the background (the owner is told of progress). */
  readonly cancelling?: number;
}

/** The ports the chat use cases read and act through, handed in by the runtime when it wires the process. */
export interface AppDeps {
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly tradingMode: 'paper' | 'live';
  /** Exchange adapter name for /status (`mexc`, `paper`, `simulator`). */
  readonly exchangeName: string;
  /** IANA time zone of reports: "today" starts at midnight there. */
  readonly timeZone?: string;

  /** The exchange's symbols with their base asset, to validate /exclude and /include. */
  readonly symbols: () => Promise<ReadonlyMap<string, { readonly baseAsset: string }>>;

  /** Scheduler: per-job state. Without it, /status reads the last runs from `job_runs`. */
  readonly jobs?: () => readonly JobStatus[];
  /** The one valuation and PnL service: every portfolio figure of every command comes from it. */
  readonly portfolio: PortfolioReader;
  /** Executor: cancel one of the bot's open orders. Returns the order's final status. */
  readonly cancelOrder?: (clientOrderId: string, actor: Actor) => Promise<{ readonly status: string }>;
  /** Executor: cancel every open order the bot placed (strategies are paused by the app first). */
  readonly panic?: (actor: Actor) => Promise<PanicReport>;
  /**
   * Executor: carry out a confirmation the owner confirmed (a proposed order, a manual trade).
   * Called at most once per confirmation, before it expires. Returns a one-line result.
   */
  readonly executeConfirmed?: (confirmation: ConfirmationRecord, actor: Actor) => Promise<string>;
  /** Executor: told when the owner skipped a proposal (e.g. to start a cooldown). */
  readonly confirmationSkipped?: (confirmation: ConfirmationRecord, actor: Actor) => void;
  /** Charts: a PNG of portfolio value and the alts/core split over the range (a picture even on a fresh install). */
  readonly renderChart: (range: ChartRange) => Promise<Buffer>;
  /** The daily report, for /report; without it /report shows a status summary. */
  readonly dailyReport?: () => Promise<{ readonly text: string; readonly chart?: Buffer }>;
  /** Scanner: run one scan now; resolves when its verdicts are stored in `scans`. */
  readonly runScan?: () => Promise<unknown>;
  /** Extra warnings for /status from the core (exchange unreachable, rate limited, …). */
  readonly warnings?: () => readonly string[];
  /**
   * Fill history: what is still being read, e.g. "trade history of ETH, SOL still being read:
   * their average cost and PnL are provisional" (undefined when complete). Shown with /pnl.
   */
  readonly historyNote?: () => string | undefined;
}
