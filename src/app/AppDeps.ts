/**
 * What the chat use cases need from the rest of the process, as narrow ports. Only the database,
 * the settings store and the clock are required: every other port is optional, and a use case
 * whose port is missing answers "not available yet" instead of failing, so the chat works while
 * the core is wired piece by piece (src/main.ts passes the real implementations).
 */
import type { Balance } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import type { Position } from '../domain/portfolio/position.js';
import type { ConfirmationStore } from '../execution/ConfirmationStore.js';
import type { PauseState } from '../jobs/PauseState.js';
import type { Db } from '../persistence/db.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StrategyId } from '../domain/strategy.js';
import type { Actor, ChartRange, RunOutcome } from './appViews.js';

/** A strategy job as the scheduler sees it. */
export interface JobStatus {
  readonly id: StrategyId;
  readonly running: boolean;
  readonly lastRunAt?: number;
  readonly nextRunAt?: number;
  readonly lastOutcome?: RunOutcome;
  readonly lastSummary?: string;
}

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
  /** The one confirmation service: the kill switch and proposed orders are answered through it. */
  readonly confirmations: ConfirmationStore;
  /** The one pause model, shared with the scheduler, the executor and the kill switch. */
  readonly pauses: PauseState;

  /** Scheduler: per-job state. Without it, /status reads the last runs from `job_runs`. */
  readonly jobs?: () => readonly JobStatus[];
  /** Exchange balances (free and locked). */
  readonly balances?: () => Promise<readonly Balance[]>;
  /** Last prices by symbol (e.g. `BTCUSDC` → 65000). */
  readonly prices?: () => Promise<ReadonlyMap<string, Decimal>>;
  /** Current positions from fills (§7), flat ones may be omitted. */
  readonly positions?: () => Promise<readonly Position[]>;
  /** Realised PnL of fills at or after `sinceMs`, per cost asset (USDC, USDT). */
  readonly realisedSince?: (sinceMs: number) => Promise<ReadonlyMap<string, Decimal>>;
  /** Executor: cancel one of the bot's open orders. Returns the order's final status. */
  readonly cancelOrder?: (clientOrderId: string, actor: Actor) => Promise<{ readonly status: string }>;
  /** Charts: a PNG of portfolio value over the range, or undefined when it cannot be drawn yet. */
  readonly renderChart?: (range: ChartRange) => Promise<Buffer | undefined>;
  /** The daily report (§6.5), for /report; without it /report shows a status summary. */
  readonly dailyReport?: () => Promise<{ readonly text: string; readonly chart?: Buffer }>;
  /** Scanner: run one scan now; resolves when its verdicts are stored in `scans`. */
  readonly runScan?: () => Promise<unknown>;
  /** Extra warnings for /status from the core (exchange unreachable, rate limited, …). */
  readonly warnings?: () => readonly string[];
  /** Owner-set cost basis for a holding fills cannot explain (§7). */
  readonly setCostBasis?: (
    asset: string,
    price: Decimal,
    actor: Actor,
  ) => Promise<{ readonly costAsset: string }>;
}
