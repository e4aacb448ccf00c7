/**
 * Formats /status, /balance, /pnl and /report views as compact HTML for a phone: short header
 * lines plus narrow monospace tables (about 34 characters wide).
 */
import type { BalancesView, PnlView, ReportView, StatusView } from '../../app/appViews.js';
import type { Decimal } from '../../domain/money.js';
import { b, escapeHtml, i, pre, table } from './html.js';
import { fmtAgo, fmtAmount, fmtMoney, fmtPct, fmtPrice, fmtQty, fmtSigned } from './numbers.js';

const OUTCOME: Record<string, string> = { ok: 'ok', error: 'ERR', skipped: 'skip', abandoned: 'abrt' };

function warningsBlock(warnings: readonly string[]): string[] {
  return warnings.map((w) => `⚠️ ${escapeHtml(w)}`);
}

export function formatStatus(view: StatusView): string {
  const mode = view.tradingMode === 'live' ? '🔴 LIVE' : '🧪 paper';
  const state = view.paused ? '⏸ paused' : '▶️ running';
  const rows = [['strategy', 'mode', 'state', 'last', 'next']];
  for (const s of view.strategies) {
    const last = s.lastRunAt
      ? `${OUTCOME[s.lastOutcome ?? ''] ?? '…'} ${fmtAgo(s.lastRunAt, view.now).replace(' ago', '')}`
      : '-';
    const next = s.nextRunAt ? fmtAgo(s.nextRunAt, view.now) : '-';
    rows.push([s.id, s.mode, s.state, last, next]);
  }
  const reserveLines = view.reserves.map((r) => {
    const free = r.free === undefined ? '' : `, free ${fmtMoney(r.free)}, headroom ${fmtSigned(r.headroom!)}`;
    return `${r.asset} reserve ${fmtMoney(r.reserve)}${free}`;
  });
  return [
    `${b('Autopilot')} · ${mode} on ${escapeHtml(view.exchange)} · ${state}`,
    pre(table(rows)),
    pre(reserveLines),
    `Open orders: ${b(String(view.openOrders))}`,
    ...(view.market && view.market.length > 0
      ? [`Market: ${view.market.map((m) => `${m.symbol} ${fmtPrice(m.price)}`).join(' · ')}`]
      : []),
    ...warningsBlock(view.warnings),
  ].join('\n');
}

export function formatBalances(view: BalancesView): string {
  if (!view.available) return `${b('Balances')}\n${i(view.reason)}`;
  if (view.lines.length === 0) return `${b('Balances')}\nNothing held.`;
  const rows = [['asset', 'total', 'locked', 'USDC']];
  for (const l of view.lines) {
    rows.push([
      l.asset,
      fmtAmount(l.total, l.asset),
      l.locked.isZero() ? '' : fmtAmount(l.locked, l.asset),
      l.valueUsdc ? fmtMoney(l.valueUsdc) : '?',
    ]);
  }
  const s = view.split;
  const share = s.altSharePct ? ` (alts ${fmtPct(s.altSharePct).replace('+', '')} of alts+core)` : '';
  const lines = [
    b('Balances'),
    pre(table(rows, [1, 2, 3])),
    `Total ${b(fmtMoney(s.totalUsdc))} USDC`,
    escapeHtml(
      `core ${fmtMoney(s.coreUsdc)} · alts ${fmtMoney(s.altsUsdc)} · stable ${fmtMoney(s.stableUsdc)}${share}`,
    ),
  ];
  if (view.unpriced.length > 0) lines.push(`⚠️ no price for ${escapeHtml(view.unpriced.join(', '))}`);
  return lines.join('\n');
}

const optSigned = (d: Decimal | undefined) => (d === undefined ? 'n/a' : fmtSigned(d));

export function formatPnl(view: PnlView): string {
  if (!view.available) return `${b('PnL')}\n${i(view.reason)}`;
  const blocks: string[] = [b('PnL')];
  if (view.assets.length === 0) blocks.push('No positions yet.');
  for (const a of view.assets) {
    const flag =
      a.costBasis === 'fills'
        ? ''
        : a.costBasis === 'owner'
          ? ' (cost set by owner)'
          : ' (cost at first sight; /cost sets it)';
    const rows = [
      ['qty', fmtQty(a.qty)],
      ['avg cost', `${fmtPrice(a.avgCost)} ${a.costAsset}`],
      ['price', a.price ? `${fmtPrice(a.price)} ${a.costAsset}` : 'n/a'],
      ['value', a.value ? `${fmtMoney(a.value)} ${a.costAsset}` : 'n/a'],
      [
        'unrealised',
        a.unrealised
          ? `${fmtSigned(a.unrealised)} (${a.unrealisedPct ? fmtPct(a.unrealisedPct) : 'n/a'})`
          : 'n/a',
      ],
      ['realised', `${fmtSigned(a.realised)} ${a.costAsset}`],
      ['fees', `${fmtMoney(a.fees)} ${a.costAsset}`],
    ];
    blocks.push(`${b(a.asset)}${escapeHtml(flag)}\n${pre(table(rows))}`);
  }
  const r = view.realised;
  blocks.push(
    `${b('Realised')} (USDC)\n${pre(
      table(
        [
          ['today', optSigned(r.today)],
          ['7 days', optSigned(r.d7)],
          ['30 days', optSigned(r.d30)],
          ['all', optSigned(r.all)],
          ['fees paid', fmtMoney(view.feesUsdc)],
        ],
        [1],
      ),
    )}`,
  );
  const t = view.totals;
  blocks.push(
    `Positions ${b(fmtMoney(t.valueUsdc))} USDC · cost ${escapeHtml(fmtMoney(t.costUsdc))} · unrealised ${b(fmtSigned(t.unrealisedUsdc))}`,
    `Portfolio ${b(fmtMoney(t.portfolioUsdc))} USDC (cash included)`,
  );
  blocks.push(...warningsBlock(view.warnings));
  return blocks.join('\n');
}

export function formatReport(view: ReportView): string {
  const t = view.trades24h;
  const by = t.byStrategy.map((s) => `${s.origin} ${s.count}`).join(', ');
  const lines = [`📊 ${b('Daily report')}`];
  if (view.pnl.available) {
    const r = view.pnl.realised;
    lines.push(
      escapeHtml(
        `Realised today ${optSigned(r.today)} · 7d ${optSigned(r.d7)} · all ${optSigned(r.all)} USDC`,
      ),
      escapeHtml(
        `Portfolio ${fmtMoney(view.pnl.totals.portfolioUsdc)} USDC · unrealised ${fmtSigned(view.pnl.totals.unrealisedUsdc)}`,
      ),
    );
  } else lines.push(i(view.pnl.reason));
  lines.push(escapeHtml(`Trades 24h: ${t.count} (${t.buys} buys, ${t.sells} sells)${by ? ` — ${by}` : ''}`));
  if (view.balances.available) {
    const s = view.balances.split;
    lines.push(
      escapeHtml(
        `Split: core ${fmtMoney(s.coreUsdc)} · alts ${fmtMoney(s.altsUsdc)} · stable ${fmtMoney(s.stableUsdc)} USDC`,
      ),
    );
  }
  const stopped = view.status.strategies.filter((s) => s.state === 'disabled' || s.state === 'paused');
  if (view.status.paused) lines.push('⏸ all strategies paused');
  else if (stopped.length > 0) lines.push(escapeHtml(`Off: ${stopped.map((s) => s.id).join(', ')}`));
  lines.push(
    ...warningsBlock(view.status.warnings.filter((w) => !w.startsWith('all strategies are paused'))),
  );
  return lines.join('\n');
}
