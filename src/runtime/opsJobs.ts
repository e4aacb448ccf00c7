/**
 * Jobs that join the one job table next to the strategies: equity snapshots and the
 * rate-limited scan report (to chat at most every `scanner.reportEveryHours`).
 */
import type { EventBus } from '../domain/events.js';
import type { JobSpec } from '../jobs/Scheduler.js';
import type { EquityRecorder } from '../ops/EquityRecorder.js';
import type { Db } from '../persistence/db.js';
import type { JobRunRepository } from '../persistence/JobRunRepository.js';
import type { CandleRepository } from '../persistence/CandleRepository.js';
import type { OutboxRepository } from '../persistence/OutboxRepository.js';
import { ScanRepository } from '../persistence/ScanRepository.js';
import { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';

const HOUR_MS = 3_600_000;

/** Keeps the chat's latest known balances and prices fresh (every 5 minutes; chat reads refresh them too). */
export function latestStateJob(o: { readonly latest: { refreshAll(): Promise<void> } }): JobSpec {
  return {
    id: 'latest-state',
    schedule: () => ({ kind: 'interval', everyMs: 5 * 60_000 }),
    enabled: () => true,
    // Three reads (balances, books, prices).
    stuckAfterMs: 2 * 60_000,
    async run() {
      await o.latest.refreshAll();
      return { outcome: 'ok' };
    },
  };
}

/** Records the portfolio value every five minutes and compacts old snapshots hourly. */
export function equityJob(o: { readonly equity: EquityRecorder }): JobSpec {
  let lastCompactAt = 0;
  return {
    id: 'equity',
    schedule: () => ({ kind: 'interval', everyMs: 5 * 60_000 }),
    enabled: () => true,
    // One valuation and one insert (an hourly compaction).
    stuckAfterMs: 2 * 60_000,
    async run({ now }) {
      const point = await o.equity.record(now);
      if (now - lastCompactAt >= HOUR_MS) {
        o.equity.compact(now);
        lastCompactAt = now;
      }
      return { outcome: 'ok', summary: `portfolio ${point.totalUsdc.toFixed(2)} USDC` };
    },
  };
}

/** Sends the latest scan's leaders to chat, at most every `scanner.reportEveryHours`. */
export function scanReportJob(o: {
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly bus: EventBus;
  readonly clock: Clock;
}): JobSpec {
  const scans = new ScanRepository(o.db);
  const state = new StrategyStateRepository(o.db);
  return {
    id: 'scan-report',
    schedule: () => ({ kind: 'interval', everyMs: 15 * 60_000 }),
    enabled: () => o.settings.get('notify.scanReports') && o.settings.get('scanner.enabled'),
    // Reads the database only.
    stuckAfterMs: 60_000,
    async run({ now }) {
      const latest = scans.latest();
      if (!latest) return { outcome: 'skipped', summary: 'no scan yet' };
      const lastAt = Number(state.get('scanner', 'report.lastAt') ?? 0);
      const lastId = Number(state.get('scanner', 'report.lastScanId') ?? 0);
      const every = o.settings.get('scanner.reportEveryHours') * HOUR_MS;
      if (latest.id <= lastId || now - lastAt < every)
        return { outcome: 'skipped', summary: 'reported recently' };
      const excluded = new Set(o.settings.get('exclusions'));
      const leaders = latest.leaders
        .filter((symbol) => !excluded.has(symbol))
        .slice(0, 5)
        .map((symbol) => {
          const verdict = scans.latestVerdict(symbol);
          return verdict ? `${symbol} ${verdict.score}` : symbol;
        });
      const text =
        `Scan: ${latest.universe} symbols in the universe, ${latest.analysed} analysed. ` +
        (leaders.length > 0 ? `Leaders: ${leaders.join(', ')}.` : 'No symbol passed every gate.');
      o.bus.emit({ type: 'scan.report', text });
      state.set('scanner', 'report.lastAt', String(now), now);
      state.set('scanner', 'report.lastScanId', String(latest.id), now);
      return { outcome: 'ok', summary: 'scan report sent' };
    },
  };
}

const DAY_MS = 86_400_000;

/** How long history that only explains the past is kept. */
export const RETENTION = {
  /** Per-symbol scan verdicts (about 80 KiB a scan); the scans themselves are kept. */
  scanVerdictsMs: 7 * DAY_MS,
  jobRunsMs: 30 * DAY_MS,
  /** Notifications already sent (or merged into a digest). */
  sentMessagesMs: 30 * DAY_MS,
  /** Kept candles: a month of replays (`npm run backtest -- --days 30`, what-if) plus indicator warm-up. */
  candlesMs: 35 * DAY_MS,
} as const;

/**
 * Deletes history nothing reads any more, once a day, so a bot that runs for months keeps a
 * small database: old scan verdicts, old job runs and sent notifications. Orders, fills,
 * settings history, events and equity snapshots (downsampled by the recorder) are never deleted.
 */
export function retentionJob(o: {
  readonly scans: ScanRepository;
  readonly runs: JobRunRepository;
  readonly outbox: OutboxRepository;
  readonly candles: CandleRepository;
}): JobSpec {
  return {
    id: 'retention',
    schedule: () => ({ kind: 'interval', everyMs: DAY_MS }),
    enabled: () => true,
    // Deletes a day of old rows; a month of them after a long stop.
    stuckAfterMs: 5 * 60_000,
    async run({ now }) {
      const removed = {
        verdicts: o.scans.deleteVerdictsBefore(now - RETENTION.scanVerdictsMs),
        runs: o.runs.deleteFinishedBefore(now - RETENTION.jobRunsMs),
        messages: o.outbox.deleteDeliveredBefore(now - RETENTION.sentMessagesMs),
        candles: o.candles.deleteBefore(now - RETENTION.candlesMs),
      };
      return {
        outcome: 'ok',
        summary: `removed ${removed.verdicts} scan verdicts, ${removed.runs} job runs, ${removed.messages} sent messages, ${removed.candles} candles`,
      };
    },
  };
}
