/**
 * Build step 6, what the owner reads about the bot as a whole: the `/status` warnings, the daily
 * report's builder, the data of the `/chart` picture and the what-if replays of a setting change. All portfolio figures come from the one
 * portfolio service, so the report, the chart headline and `/balance` agree.
 */
import type { Config } from '../../config/config.js';
import type { ChartRange } from '../../domain/chartRange.js';
import type { RateLimiter } from '../../exchange/rateLimiter.js';
import { renderPortfolioChartInChild, type ChartPlacement } from '../../ops/charts/chartProcess.js';
import { renderPortfolioChart, type PortfolioChartInput } from '../../ops/charts/renderPortfolioChart.js';
import { dailyReportBuilder, type DailyReport } from '../../ops/dailyReport.js';
import { equityOf } from '../../ops/EquityRecorder.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { SecretRedactor } from '../../common/redact.js';
import type { CandleRepository } from '../../persistence/CandleRepository.js';
import type { Db } from '../../persistence/db.js';
import type { WhatIfRunner } from '../../replay/whatIf.js';
import type { MonitoredExchange } from '../MonitoredExchange.js';
import { WhatIfService } from '../WhatIfService.js';
import { collectReportData } from '../reportData.js';
import type { CoreStep } from './core.js';
import { historyProgressLine, type LedgerStep } from './ledger.js';

/** The warnings, daily report and chart data shared by the chat and the ops side. */
export interface ReportsStep {
  /** What /status, /report and the daily report warn about now (exchange silent, rate limited, …). */
  readonly warnings: () => string[];
  /** Collects and composes the daily report of `now`. */
  readonly buildDailyReport: (now: number) => Promise<DailyReport>;
  /**
   * What /chart draws: the equity history ending with the value /balance shows now (so the
   * chart's headline is that same figure) and the fills of the window.
   */
  readonly chartInput: (range: ChartRange) => Promise<PortfolioChartInput>;
  /** Draws the portfolio picture (/chart, the daily report) where the runtime was told to. */
  readonly renderChart: (input: PortfolioChartInput) => Promise<Buffer>;
  /** Replays a setting change over the recent past in a child process (`🔮 What if?`, `/whatif`). */
  readonly whatIf: WhatIfRunner;
}

/** Builds the warnings, the report builder and the chart data over the ledger and the core. */
export function buildReports(o: {
  readonly config: Pick<Config, 'tzReports' | 'tradingMode' | 'exchange' | 'databasePath'>;
  readonly db: Db;
  readonly candles: CandleRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly redactor: SecretRedactor;
  readonly limiter: RateLimiter;
  readonly market: MonitoredExchange;
  readonly ledger: LedgerStep;
  readonly core: CoreStep;
  /** Where charts are drawn (default in this process; `npm start` uses a child process). */
  readonly charts?: ChartPlacement;
}): ReportsStep {
  const { config, clock, market, ledger } = o;
  const { fills, portfolio, history } = ledger;
  const { equity, settings } = o.core;
  const builtAt = clock.now();

  const warnings = (): string[] => {
    const out: string[] = [];
    const last = market.lastOkAt();
    // Before the first answer, only a failure (or a silent first minute) counts as not answering.
    const silent =
      last === undefined
        ? market.lastError() !== undefined || clock.now() - builtAt > 60_000
        : clock.now() - last > 5 * 60_000;
    if (silent) {
      const error = market.lastError();
      out.push(`exchange not answering${error ? `: ${o.redactor.redact(error)}` : ''}`);
    }
    const paused = o.limiter.stats().pausedUntil;
    if (paused !== undefined && paused > clock.now()) {
      out.push(`rate limited by MEXC until ${new Date(paused).toISOString().slice(11, 19)} UTC`);
    }
    if (!o.core.core.reconciler.isReady()) out.push('waiting for the start-up reconciliation');
    const line = historyProgressLine(history.progress());
    if (line) out.push(line);
    return out;
  };

  const renderChart = o.charts === 'child-process' ? renderPortfolioChartInChild : renderPortfolioChart;
  const buildDailyReport = dailyReportBuilder(
    (now) =>
      collectReportData({
        now,
        fills,
        settings,
        portfolio,
        equity,
        executor: o.core.core.executor,
        timeZone: config.tzReports,
        mode: `${config.tradingMode} · ${config.exchange}`,
        warnings,
        precisionOf: (symbol) => market.precisionOf(symbol),
      }),
    { logger: o.logger, renderChart },
  );

  const chartInput = async (range: ChartRange): Promise<PortfolioChartInput> => {
    const now = clock.now();
    const current = equityOf(await portfolio.snapshot());
    // The live valuation is the line's last point, and the whole picture on a fresh install.
    const points = equity.historyWith(range, now, current);
    const trades = fills.tradeMarkers({ from: points[0]?.at ?? now, to: now });
    return { points, trades, range, now, current, timeZone: config.tzReports };
  };

  const whatIf = new WhatIfService({
    clock,
    db: o.db,
    databasePath: config.databasePath,
    source: {
      settings,
      snapshot: () => portfolio.snapshot(),
      market,
      candles: o.candles,
      timeZone: config.tzReports,
    },
  });

  return { warnings, buildDailyReport, chartInput, renderChart, whatIf };
}
