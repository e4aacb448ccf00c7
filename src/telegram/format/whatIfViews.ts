/**
 * Formats a what-if as HTML: the progress line while the replay runs, then the two columns side
 * by side (trades, realised, unrealised, fees, end value, maximum drawdown, refusals), every
 * number through the one formatter.
 */
import type { WhatIfPlan } from '../../app/AppApi.js';
import { formatMoney, formatPercent, formatSigned, formatTime, plural } from '../../domain/format.js';
import { dec } from '../../domain/money.js';
import type { WhatIfColumn, WhatIfResult } from '../../replay/whatIf.js';
import { b, code, escapeHtml, i, pre, table, truncate } from './html.js';

/** How many refusal reasons are listed under the table (the most frequent). */
const REFUSAL_LINES = 4;

function title(key: string, current: string, proposed: string): string {
  return `🔮 What if ${b(key)} were ${code(proposed)} instead of ${code(current)}?`;
}

/** The message while the replay runs: what is replayed, over how many days, how far it got. */
export function formatWhatIfProgress(plan: WhatIfPlan, fraction: number, label: string): string {
  const pct = formatPercent(Math.min(1, Math.max(0, fraction)) * 100, { digits: 0 });
  const what = label ? ` (${label})` : '';
  return `${title(plan.request.key, plan.current, plan.request.proposed)}\n${i(
    `Replaying ${plural(plan.request.days, 'day')} of history… ${pct}${what}`,
  )}`;
}

const total = (c: WhatIfColumn) => Object.values(c.refusals).reduce((sum, n) => sum + n, 0);

/** The finished what-if: both columns side by side, the refusals by reason and the assumptions. */
export function formatWhatIfResult(r: WhatIfResult, now: number, timeZone: string): string {
  const { current: a, proposed: p } = r;
  const rows: string[][] = [
    ['', truncate(`${a.value} now`, 12), truncate(p.value, 12)],
    ['trades', String(a.trades), String(p.trades)],
    ['realised', formatSigned(dec(a.realisedUsdc)), formatSigned(dec(p.realisedUsdc))],
    ['unrealised', formatSigned(dec(a.unrealisedUsdc)), formatSigned(dec(p.unrealisedUsdc))],
    ['fees', formatMoney(dec(a.feesUsdc)), formatMoney(dec(p.feesUsdc))],
    ['end value', formatMoney(dec(a.endValueUsdc)), formatMoney(dec(p.endValueUsdc))],
    ['max drawdown', formatPercent(dec(a.maxDrawdownPct)), formatPercent(dec(p.maxDrawdownPct))],
    ['refusals', String(total(a)), String(total(p))],
  ];
  const reasons = [...new Set([...Object.keys(a.refusals), ...Object.keys(p.refusals)])]
    .map((reason) => ({ reason, a: a.refusals[reason] ?? 0, p: p.refusals[reason] ?? 0 }))
    .sort((x, y) => Math.max(y.a, y.p) - Math.max(x.a, x.p) || x.reason.localeCompare(y.reason))
    .slice(0, REFUSAL_LINES);
  const span = `${formatTime(r.fromMs, now, timeZone)} → ${formatTime(r.toMs, now, timeZone)} ${timeZone}`;
  const lines = [
    title(r.key, a.value, p.value),
    escapeHtml(`${r.strategy} · ${plural(r.days, 'day')} · ${span} · amounts in USDC`),
    pre(table(rows, [1, 2])),
  ];
  if (reasons.length > 0) {
    lines.push(escapeHtml(`Refused: ${reasons.map((x) => `${x.reason} ${x.a} → ${x.p}`).join('; ')}`));
  }
  // One assumption a line: joined by spaces they ran into one another.
  if (r.assumptions.length > 0) lines.push(i(r.assumptions.join('\n')));
  return lines.join('\n');
}
