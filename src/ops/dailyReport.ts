/**
 * The daily report: PnL of the day and running totals, the day's trades, best and
 * worst positions, reserve headroom, the alts/core split, warnings and a portfolio chart.
 *
 * The data comes from an injected `collect(now)` (PnL, positions and balances live elsewhere);
 * this module only lays it out. The text is PLAIN text (no parse mode, nothing escaped): send it
 * without `parse_mode`, or escape it for the parse mode used.
 */
import type { OrderSide, SymbolPrecision } from '../domain/market.js';
import { HUNDRED, type Decimal } from '../domain/money.js';
import type { Logger } from '../common/logger.js';
import type { ChartRange } from '../domain/chartRange.js';
import type { ChartTheme } from './charts/chartTheme.js';
import type { ChartTrade } from './charts/renderEquityChart.js';
import {
  renderPortfolioChart,
  type PortfolioChartInput,
  type PortfolioChartPoint,
} from './charts/renderPortfolioChart.js';
import {
  formatMoney,
  formatPercent,
  formatPrice,
  formatQty,
  formatSigned,
  percentOf,
  plural,
} from '../domain/format.js';
import { localTime } from '../common/timeZone.js';

/** One fill of the report's day. */
export interface ReportTrade {
  readonly time: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: Decimal;
  readonly price: Decimal;
  /** qty × price in `quoteAsset`. */
  readonly value: Decimal;
  readonly quoteAsset: string;
  /** Sells only: realised PnL in `quoteAsset`. */
  readonly realisedPnl?: Decimal;
  /** Strategy id or `manual`; absent for fills the bot did not place. */
  readonly origin?: string;
  /** The exchange's tick and step of the symbol, when known. */
  readonly precision?: SymbolPrecision;
}

/** One open position, valued in USDC. */
export interface ReportPosition {
  readonly asset: string;
  readonly valueUsdc: Decimal;
  readonly unrealisedUsdc: Decimal;
  /** Unrealised PnL in percent of cost; undefined when the cost is unknown. */
  readonly unrealisedPct?: Decimal;
}

/** Everything the daily report shows. Amounts are USDC unless named otherwise. */
export interface ReportData {
  /** IANA zone the report's day and times are in (TZ_REPORTS). */
  readonly timeZone: string;
  /** E.g. "paper · simulator"; shown under the title when present. */
  readonly mode?: string;
  readonly equity: {
    readonly totalUsdc: Decimal;
    /** Change of portfolio value since the same time yesterday, when known. */
    readonly changeDayUsdc?: Decimal;
  };
  /** Realised PnL (net of fees) over rolling windows ending now. */
  readonly realised: {
    readonly today: Decimal;
    readonly last7d: Decimal;
    readonly last30d: Decimal;
    readonly all: Decimal;
  };
  readonly feesToday?: Decimal;
  /** Fills since the previous report (normally the last 24 hours), the bot's or not. */
  readonly trades: readonly ReportTrade[];
  readonly positions: readonly ReportPosition[];
  /** Free balance above the reserve (negative: below it). */
  readonly headroom: {
    readonly usdc: Decimal;
    readonly usdt: Decimal;
    readonly reserveUsdc: Decimal;
    readonly reserveUsdt: Decimal;
  };
  readonly split: {
    readonly coreUsdc: Decimal;
    readonly altsUsdc: Decimal;
    /** The split-balance target share of altcoins, in percent. */
    readonly targetAltsPct?: Decimal;
  };
  /** Human sentences (reserve refusals, paused strategies, stale data…). */
  readonly warnings: readonly string[];
  /** History for the picture (value with trades, and the split); no picture when absent. */
  readonly chart?: {
    readonly points: readonly PortfolioChartPoint[];
    readonly trades: readonly ChartTrade[];
    readonly range: ChartRange;
  };
}

/** What the scheduler hands to delivery (the Telegram outbox). */
export interface DailyReport {
  readonly text: string;
  /** Always `plain`: send without a parse mode. */
  readonly format: 'plain';
  /** PNG of portfolio value with buys and sells marked, and the alts/core split below it. */
  readonly chart?: Buffer;
}

const MAX_TRADES = 15;
const MAX_RANKED = 3;
const BAR_WIDTH = 20;

/** Lays the report out as plain text. Pure: same data and `now`, same text. */
export function formatDailyReportText(data: ReportData, now: number): string {
  const zone = data.timeZone;
  const day = localTime(now, zone).date;
  const lines: string[] = [`Daily report ${day} (${zone})`];
  if (data.mode) lines.push(data.mode);
  lines.push('');

  const change = data.equity.changeDayUsdc;
  const before = change === undefined ? undefined : data.equity.totalUsdc.minus(change);
  lines.push(
    `Portfolio: ${formatMoney(data.equity.totalUsdc)} USDC` +
      (change === undefined
        ? ''
        : ` (${formatSigned(change)} in 24 h, ${formatPercent(before && percentOf(change, before), { signed: true })})`),
  );
  const r = data.realised;
  lines.push(`Realised PnL today: ${formatSigned(r.today)} USDC`);
  lines.push(
    `  7 d ${formatSigned(r.last7d)} · 30 d ${formatSigned(r.last30d)} · all ${formatSigned(r.all)}`,
  );
  if (data.feesToday) lines.push(`Fees today: ${formatMoney(data.feesToday)} USDC`);

  lines.push('', ...tradeLines(data.trades, zone, day));
  lines.push('', ...positionLines(data.positions));

  const h = data.headroom;
  lines.push('', 'Reserves headroom:');
  lines.push(`  USDC ${headroomText(h.usdc, h.reserveUsdc)}`);
  lines.push(`  USDT ${headroomText(h.usdt, h.reserveUsdt)}`);

  lines.push('', ...splitLines(data.split));

  if (data.warnings.length > 0) {
    lines.push('', `Warnings (${data.warnings.length}):`, ...data.warnings.map((w) => `  ! ${w}`));
  }
  return lines.join('\n');
}

function tradeLines(trades: readonly ReportTrade[], zone: string, today: string): string[] {
  if (trades.length === 0) return ['No trades in the last 24 h.'];
  const buys = trades.filter((t) => t.side === 'BUY').length;
  const out = [
    `Trades in the last 24 h: ${trades.length} (${plural(buys, 'buy')}, ${plural(trades.length - buys, 'sell')})`,
  ];
  const sorted = [...trades].sort((a, b) => a.time - b.time);
  for (const t of sorted.slice(0, MAX_TRADES)) {
    const { date, hour, minute } = localTime(t.time, zone);
    // Times of an earlier local day carry their date (MM-DD), so "13:00" is never ambiguous.
    const day = date === today ? '' : `${date.slice(5)} `;
    const at = `${day}${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const pnl = t.realisedPnl ? `, PnL ${formatSigned(t.realisedPnl)}` : '';
    const who = t.origin ? ` [${t.origin}]` : '';
    out.push(
      `  ${at} ${t.side === 'BUY' ? 'BUY ' : 'SELL'} ${t.symbol} ${formatQty(t.qty, t.precision?.stepSize)} @ ${formatPrice(t.price, t.precision?.tickSize)}` +
        ` = ${formatMoney(t.value)} ${t.quoteAsset}${pnl}${who}`,
    );
  }
  if (sorted.length > MAX_TRADES) out.push(`  … and ${sorted.length - MAX_TRADES} more (/trades)`);
  return out;
}

function positionLines(positions: readonly ReportPosition[]): string[] {
  const ranked = positions
    .filter((p): p is ReportPosition & { unrealisedPct: Decimal } => p.unrealisedPct !== undefined)
    .sort((a, b) => b.unrealisedPct.comparedTo(a.unrealisedPct));
  if (ranked.length === 0) return ['No open positions with a known cost.'];
  const show = (p: ReportPosition & { unrealisedPct: Decimal }) =>
    `  ${p.asset} ${formatPercent(p.unrealisedPct, { signed: true })} (${formatSigned(p.unrealisedUsdc)} USDC, value ${formatMoney(p.valueUsdc)})`;
  const best = ranked.slice(0, MAX_RANKED);
  // Worst from the other end, never repeating a position already listed as best.
  const worst = ranked.slice(Math.max(best.length, ranked.length - MAX_RANKED)).reverse();
  const out = ['Best positions:', ...best.map(show)];
  if (worst.length > 0) out.push('Worst positions:', ...worst.map(show));
  return out;
}

function headroomText(headroom: Decimal, reserve: Decimal): string {
  return headroom.isNegative()
    ? `${formatMoney(headroom.neg())} BELOW the reserve of ${formatMoney(reserve)}`
    : `${formatMoney(headroom)} above the reserve of ${formatMoney(reserve)}`;
}

function splitLines(split: ReportData['split']): string[] {
  const invested = split.coreUsdc.plus(split.altsUsdc);
  const alts = percentOf(split.altsUsdc, invested);
  if (alts === undefined) return ['Split: nothing invested yet.'];
  const core = HUNDRED.minus(alts);
  const filled = Math.round(alts.div(HUNDRED).times(BAR_WIDTH).toNumber());
  const target = split.targetAltsPct ? ` (target ${formatPercent(split.targetAltsPct)})` : '';
  return [
    `Split: altcoins ${formatPercent(alts)} · BTC + ETH ${formatPercent(core)}${target}`,
    `  alts [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] core`,
    `  ${formatMoney(split.altsUsdc)} vs ${formatMoney(split.coreUsdc)} USDC`,
  ];
}

/** The chart renderer, theme and logger used to lay out the daily report. */
export interface ComposeDailyReportOptions {
  readonly logger?: Logger;
  /** Chart renderer; defaults to {@link renderPortfolioChart} (injected in tests). */
  readonly renderChart?: (input: PortfolioChartInput) => Promise<Buffer>;
  readonly theme?: ChartTheme;
}

/**
 * Turns collected data into the report. A chart that fails to render does not stop the
 * report: the failure is logged and named in the text.
 */
export async function composeDailyReport(
  data: ReportData,
  now: number,
  options: ComposeDailyReportOptions = {},
): Promise<DailyReport> {
  let text = formatDailyReportText(data, now);
  if (!data.chart) return { text, format: 'plain' };
  const render = options.renderChart ?? renderPortfolioChart;
  try {
    const current = {
      totalUsdc: data.equity.totalUsdc,
      coreUsdc: data.split.coreUsdc,
      altsUsdc: data.split.altsUsdc,
    };
    const chart = await render({
      ...data.chart,
      current,
      now,
      timeZone: data.timeZone,
      theme: options.theme,
    });
    return { text, format: 'plain', chart };
  } catch (error) {
    options.logger?.error({ err: error }, 'daily report chart failed');
    text += `\n\nChart unavailable: ${error instanceof Error ? error.message : String(error)}`;
    return { text, format: 'plain' };
  }
}

/** A `build(now)` for {@link DailyReportScheduler}: collect, then compose. */
export function dailyReportBuilder(
  collect: (now: number) => Promise<ReportData>,
  options: ComposeDailyReportOptions = {},
): (now: number) => Promise<DailyReport> {
  return async (now) => composeDailyReport(await collect(now), now, options);
}
