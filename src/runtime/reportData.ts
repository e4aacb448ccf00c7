/**
 * Gathers the daily report's figures: portfolio value and its day change, realised PnL
 * over rolling windows, the last day's trades, positions with unrealised PnL, reserve headroom,
 * the alts/core split, warnings and the chart history.
 */
import { type Decimal, ZERO } from '../domain/money.js';
import { costAssetOf, makeToCostAsset } from '../domain/portfolio/conversion.js';
import { realisedPnlByPeriod } from '../domain/portfolio/realisedPnl.js';
import type { OrderExecutor } from '../execution/OrderExecutor.js';
import { loadChartTrades } from '../ops/chartTrades.js';
import type { ReportData } from '../ops/dailyReport.js';
import type { EquityRecorder } from '../ops/EquityRecorder.js';
import { zoneOffsetMs } from '../ops/timeZone.js';
import type { Db } from '../persistence/db.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { PortfolioService } from './PortfolioService.js';

const DAY_MS = 86_400_000;

/** Start of the local day containing `now` in `timeZone`, as Unix ms. */
export function localDayStart(now: number, timeZone: string): number {
  const offset = zoneOffsetMs(now, timeZone);
  return Math.floor((now + offset) / DAY_MS) * DAY_MS - offset;
}

/**
 * Gathers the figures of the daily report from the portfolio, the database, settings, headroom and equity
 * history.
 */
export async function collectReportData(o: {
  readonly now: number;
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly portfolio: PortfolioService;
  readonly equity: EquityRecorder;
  readonly executor: Pick<OrderExecutor, 'headroomOf'>;
  readonly timeZone: string;
  readonly mode: string;
  readonly warnings: () => readonly string[];
}): Promise<ReportData> {
  const { now } = o;
  const market = await o.portfolio.market();
  const valuation = await o.portfolio.valuation(market);
  const fills = o.portfolio.allFills();
  const realised = realisedPnlByPeriod(fills, {
    costAssetOf,
    toCostAsset: makeToCostAsset({ prices: market.prices, usdcUsdt: market.usdcUsdt }),
    now,
    dayStartMs: localDayStart(now, o.timeZone),
  });
  // USDT results convert to USDC at the live USDCUSDT price, never 1:1; without a price they are left out.
  const toUsdc = (amount: Decimal, asset: string): Decimal =>
    asset === 'USDC'
      ? amount
      : market.usdcUsdt && market.usdcUsdt.greaterThan(ZERO)
        ? amount.div(market.usdcUsdt)
        : ZERO;
  const sum = (pick: (t: { today: Decimal; d7: Decimal; d30: Decimal; all: Decimal }) => Decimal) =>
    [...realised.byCostAsset].reduce((acc, [asset, t]) => acc.plus(toUsdc(pick(t), asset)), ZERO);

  const history = o.equity.history('7d', now);
  const dayAgo = history.find((p) => p.at >= now - DAY_MS);
  const trades = fills
    .filter((f) => f.time >= now - DAY_MS)
    .map((f) => ({
      time: f.time,
      symbol: f.symbol,
      side: f.side,
      qty: f.qty,
      price: f.price,
      value: f.quoteQty,
      quoteAsset: f.quoteAsset,
      origin: f.origin,
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
    realised: {
      today: sum((t) => t.today),
      last7d: sum((t) => t.d7),
      last30d: sum((t) => t.d30),
      all: sum((t) => t.all),
    },
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
    chart:
      history.length >= 2
        ? { points: history, trades: loadChartTrades(o.db, { from: history[0]!.at, to: now }), range: '7d' }
        : undefined,
  };
}
