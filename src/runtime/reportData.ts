/**
 * Gathers the daily report's figures: portfolio value and its day change, realised PnL
 * over rolling windows, the last day's trades, positions with unrealised PnL, reserve headroom,
 * the alts/core split, warnings and the chart history.
 */
import type { SymbolPrecision } from '../domain/market.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import type { OrderExecutor } from '../execution/OrderExecutor.js';
import type { ReportData } from '../ops/dailyReport.js';
import { equityOf, type EquityRecorder } from '../ops/EquityRecorder.js';
import type { FillRepository } from '../persistence/FillRepository.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { PortfolioService } from './PortfolioService.js';

const DAY_MS = 86_400_000;

/** Collects the daily report's figures; every portfolio figure comes from one snapshot. */
export async function collectReportData(o: {
  readonly now: number;
  readonly fills: FillRepository;
  readonly settings: SettingsStore;
  readonly portfolio: PortfolioService;
  readonly equity: EquityRecorder;
  readonly executor: Pick<OrderExecutor, 'headroomOf'>;
  readonly timeZone: string;
  readonly mode: string;
  readonly warnings: () => readonly string[];
  /** The exchange's tick and step of a symbol (latest rules), for the trades' numbers. */
  readonly precisionOf: (symbol: string) => SymbolPrecision | undefined;
}): Promise<ReportData> {
  const { now } = o;
  const snapshot: PortfolioSnapshot = await o.portfolio.snapshot();
  const valuation = snapshot.valuation;
  const realised = snapshot.realisedUsdc;

  const history = o.equity.historyWith('7d', now, equityOf(snapshot));
  const dayAgo = history.find((p) => p.at >= now - DAY_MS);
  const trades = o.fills.listFills({ since: now - DAY_MS }).map((f) => ({
    time: f.time,
    symbol: f.symbol,
    side: f.side,
    qty: f.qty,
    price: f.price,
    value: f.quoteQty,
    quoteAsset: f.quoteAsset,
    origin: f.origin,
    precision: o.precisionOf(f.symbol),
  }));
  const [headroomUsdc, headroomUsdt] = await Promise.all([
    o.executor.headroomOf('USDC'),
    o.executor.headroomOf('USDT'),
  ]);
  return {
    timeZone: o.timeZone,
    mode: o.mode,
    equity: {
      totalUsdc: valuation.totals.totalUsdc,
      changeDayUsdc: dayAgo ? valuation.totals.totalUsdc.minus(dayAgo.totalUsdc) : undefined,
    },
    realised: { today: realised.today, last7d: realised.d7, last30d: realised.d30, all: realised.all },
    trades,
    positions: valuation.assets
      .filter((a) => a.unrealised !== undefined && a.valueUsdc !== undefined)
      .map((a) => ({
        asset: a.asset,
        valueUsdc: a.valueUsdc!,
        unrealisedUsdc: a.unrealised!.amountUsdc,
        unrealisedPct: a.unrealised!.pct,
      })),
    headroom: {
      usdc: headroomUsdc,
      usdt: headroomUsdt,
      reserveUsdc: o.settings.get('reserve.usdc'),
      reserveUsdt: o.settings.get('reserve.usdt'),
    },
    split: {
      coreUsdc: valuation.totals.coreUsdc,
      altsUsdc: valuation.totals.altsUsdc,
      targetAltsPct: o.settings.get('split-balance.targetAltSharePct'),
    },
    warnings: o.warnings(),
    // Always a picture: with fewer than two snapshots it shows the value and split of now.
    chart: {
      points: history,
      trades: o.fills.tradeMarkers({ from: history[0]?.at ?? now, to: now }),
      range: '7d',
    },
  };
}
