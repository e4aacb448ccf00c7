/**
 * The text `npm run backtest` prints: what was replayed, a table of trades and refusals per
 * strategy, the portfolio's figures against simply holding, and the assumptions. Pure: every
 * figure comes from the replay's outcome, formatted by the one formatter.
 */
import { formatMoney, formatPercent, formatSigned, percentOf } from '../domain/format.js';
import { dec } from '../domain/money.js';
import type { ReplayOutcome, ReplaySpec } from './replaySpec.js';

/** What the report names besides the outcome: the strategies and the overrides asked for. */
export interface BacktestLabels {
  readonly strategies: readonly string[];
  readonly overrides: Readonly<Record<string, string>>;
  readonly assumptions: readonly string[];
}

const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** Refusal counts as `reserve 3, in-profit 1`, or `–`. */
function refusalText(counts: Readonly<Record<string, number>> | undefined): string {
  const parts = Object.entries(counts ?? {})
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code} ${n}`);
  return parts.length > 0 ? parts.join(', ') : '–';
}

/** The printed summary of one backtest. */
export function backtestReport(spec: ReplaySpec, outcome: ReplayOutcome, labels: BacktestLabels): string {
  const days = Math.round((outcome.toMs - outcome.fromMs) / 86_400_000);
  const overrides = Object.entries(labels.overrides).map(([k, v]) => `${k}=${v}`);
  const lines = [
    `Backtest ${minute(outcome.dataFromMs)} → ${minute(outcome.toMs)} UTC (${days} days asked, from ${minute(outcome.fromMs)})`,
    `strategies: ${labels.strategies.join(', ')}${overrides.length > 0 ? `; settings: ${overrides.join(', ')}` : ''}`,
    '',
  ];
  const width = Math.max(8, ...labels.strategies.map((s) => s.length));
  lines.push(`${'strategy'.padEnd(width)}  orders  trades  refusals`);
  for (const id of labels.strategies) {
    const orders = outcome.orders.filter((o) => o.origin === id).length;
    const trades = outcome.tradesByStrategy[id] ?? 0;
    lines.push(
      `${id.padEnd(width)}  ${String(orders).padStart(6)}  ${String(trades).padStart(6)}  ${refusalText(outcome.refusalsByStrategy[id])}`,
    );
  }
  const start = dec(outcome.startValueUsdc);
  const end = dec(outcome.endValueUsdc);
  const hold = dec(outcome.holdValueUsdc);
  const change = (to: typeof end) =>
    `${formatSigned(to.minus(start))} (${formatPercent(percentOf(to.minus(start), start), { signed: true })})`;
  lines.push(
    '',
    `value: start ${formatMoney(start)} USDC, end ${formatMoney(end)} USDC ${change(end)}`,
    `holding the start instead: ${formatMoney(hold)} USDC ${change(hold)}`,
    `realised ${formatSigned(dec(outcome.realisedUsdc))} USDC, unrealised ${formatSigned(dec(outcome.unrealisedUsdc))} USDC, fees ${formatMoney(dec(outcome.feesUsdc))} USDC`,
    `maximum drawdown ${formatPercent(dec(outcome.maxDrawdownPct))}`,
    `refusals by reason: ${refusalText(outcome.refusals)}`,
    '',
    'Assumptions:',
    ...labels.assumptions.map((a) => `- ${a}`),
    `(${outcome.steps} steps replayed in ${(outcome.wallMs / 1000).toFixed(1)} s; slippage ${spec.slippage * 10_000} bps)`,
  );
  return lines.join('\n');
}
