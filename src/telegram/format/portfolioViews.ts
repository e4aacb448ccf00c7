/**
 * Formats /status, /balance, /pnl and /report views as compact HTML for a phone: short header
 * lines plus narrow monospace tables (about 34 characters wide).
 */
import type {
  BalanceLineView,
  BalancesView,
  DataAgeView,
  PnlView,
  ReportView,
  StatusView,
} from '../../app/appViews.js';
import type { Decimal } from '../../domain/money.js';
import { b, escapeHtml, i, pre, table } from './html.js';
import {
  formatAgo,
  formatAmount,
  formatMoney,
  formatPercent,
  formatPrice,
  formatQty,
  formatSigned,
  formatTime,
} from '../../domain/format.js';

const OUTCOME: Record<string, string> = { ok: 'ok', error: 'ERR', skipped: 'skip', abandoned: 'abrt' };

function warningsBlock(warnings: readonly string[]): string[] {
  return warnings.map((w) => `⚠️ ${escapeHtml(w)}`);
}

/**
 * When the balances and prices shown were read, in plain words: `Balances and prices as of
 * 14:05 (read 3s ago)`; a warning when the exchange did not answer in time.
 */
function dataAgeLine(age: DataAgeView): string {
  const ago = formatAgo(age.readAt, age.now);
  const text = `Balances and prices as of ${formatTime(age.readAt, age.now, age.timeZone)} (${ago === 'now' ? 'read just now' : `read ${ago}`})`;
  return age.stale ? `⚠️ ${escapeHtml(`${text}: the exchange is slow or not answering`)}` : i(text);
}

const NEXT_AS_CLOCK_MS = 20 * 3_600_000;

/** When a strategy runs next: a clock time within the day, else how long until then. */
function nextRun(s: StatusView['strategies'][number], view: StatusView): string {
  if (s.state === 'running') return 'now';
  if (s.nextRunAt === undefined) return s.state === 'idle' ? '-' : 'off';
  return s.nextRunAt - view.now < NEXT_AS_CLOCK_MS
    ? formatTime(s.nextRunAt, s.nextRunAt, view.timeZone) // HH:MM: within 20 h it cannot be ambiguous
    : formatAgo(s.nextRunAt, view.now);
}

/**
 * /status: one short row per strategy (last run, next run as a clock time in the schedule's
 * zone), then what differs from the usual (paused, off, asking first), reserves and warnings.
 */
export function formatStatus(view: StatusView): string {
  const mode = view.tradingMode === 'live' ? '🔴 LIVE' : '🧪 paper';
  const state = view.paused ? '⏸ paused' : '▶️ running';
  const rows = [['strategy', 'last', 'next']];
  for (const s of view.strategies) {
    const last = s.lastRunAt
      ? `${OUTCOME[s.lastOutcome ?? ''] ?? '…'} ${formatAgo(s.lastRunAt, view.now).replace(' ago', '')}`
      : '-';
    rows.push([s.id, last, nextRun(s, view)]);
  }
  const notes: string[] = [];
  const off = view.strategies.filter((s) => s.state === 'disabled').map((s) => s.id);
  const paused = view.strategies.filter((s) => s.state === 'paused').map((s) => s.id);
  const asking = view.strategies.filter((s) => s.mode !== 'auto').map((s) => `${s.id} (${s.mode})`);
  if (paused.length > 0 && !view.paused) notes.push(`Paused: ${paused.join(', ')}`);
  if (off.length > 0) notes.push(`Off: ${off.join(', ')}`);
  if (asking.length > 0) notes.push(`Not automatic: ${asking.join(', ')}`);
  const reserveLines = view.reserves.map((r) => {
    const free =
      r.free === undefined ? '' : `, free ${formatMoney(r.free)}, headroom ${formatSigned(r.headroom!)}`;
    return `${r.asset} reserve ${formatMoney(r.reserve)}${free}`;
  });
  return [
    `${b('Autopilot')} · ${mode} on ${escapeHtml(view.exchange)} · ${state}`,
    pre(table(rows)),
    // Cron schedules always run in UTC (shared/cron.ts); say so when the times shown are not UTC.
    i(
      view.timeZone === 'UTC'
        ? 'Next runs and cron schedules in UTC.'
        : `Next runs in ${view.timeZone} time. Cron schedules (scanner.cron) run in UTC.`,
    ),
    ...notes.map((n) => escapeHtml(n)),
    ...reserveLines.map((l) => escapeHtml(l)),
    `Open orders: ${b(String(view.openOrders))}`,
    ...(view.market && view.market.length > 0
      ? [`Market: ${view.market.map((m) => `${m.symbol} ${formatPrice(m.price)}`).join(' · ')}`]
      : []),
    ...(view.dataAge ? [dataAgeLine(view.dataAge)] : []),
    escapeHtml(streamsLine(view)),
    ...warningsBlock(view.warnings),
  ].join('\n');
}

/**
 * "Streams: bookTicker#1 live · user down 45s ago (polling)"; "Streams: off (polling)" when
 * switched off. A stream that is not live says since when its data is polled.
 */
function streamsLine(view: StatusView): string {
  if (view.streams.length === 0) return 'Streams: off (polling)';
  const parts = view.streams.map((s) =>
    s.state === 'live'
      ? `${s.name} live`
      : `${s.name} ${s.state} ${formatAgo(s.sinceMs, view.now)} (polling)`,
  );
  return `Streams: ${parts.join(' · ')}`;
}

/** A balance: money for stablecoins, a quantity with the pair's step (else its magnitude) for coins. */
function amount(value: Decimal, line: BalanceLineView): string {
  return line.group === 'stable' ? formatAmount(value, line.asset) : formatQty(value, line.stepSize);
}

/** The /balance message. */
export function formatBalances(view: BalancesView): string {
  if (!view.available) return `${b('Balances')}\n${i(view.reason)}`;
  if (view.lines.length === 0) return `${b('Balances')}\nNothing held.`;
  const rows = [['asset', 'total', 'locked', 'USDC']];
  for (const l of view.lines) {
    rows.push([
      l.asset,
      amount(l.total, l),
      l.locked.isZero() ? '' : amount(l.locked, l),
      l.valueUsdc ? formatMoney(l.valueUsdc) : '?',
    ]);
  }
  const s = view.split;
  const share = s.altSharePct
    ? ` (alts ${formatPercent(s.altSharePct, { signed: true }).replace('+', '')} of alts+core)`
    : '';
  const lines = [
    b('Balances'),
    pre(table(rows, [1, 2, 3])),
    `Total ${b(formatMoney(s.totalUsdc))} USDC`,
    escapeHtml(
      `core ${formatMoney(s.coreUsdc)} · alts ${formatMoney(s.altsUsdc)} · stable ${formatMoney(s.stableUsdc)}${share}`,
    ),
  ];
  if (view.unpriced.length > 0) lines.push(`⚠️ no price for ${escapeHtml(view.unpriced.join(', '))}`);
  lines.push(dataAgeLine(view.dataAge));
  return lines.join('\n');
}

const optSigned = (d: Decimal | undefined) => (d === undefined ? 'n/a' : formatSigned(d));

/** The /pnl message. */
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
      ['qty', formatQty(a.qty, a.precision?.stepSize)],
      ['avg cost', `${formatPrice(a.avgCost, a.precision?.tickSize)} ${a.costAsset}`],
      ['price', a.price ? `${formatPrice(a.price, a.precision?.tickSize)} ${a.costAsset}` : 'n/a'],
      ['value', a.value ? `${formatMoney(a.value)} ${a.costAsset}` : 'n/a'],
      [
        'unrealised',
        a.unrealised
          ? `${formatSigned(a.unrealised)} (${a.unrealisedPct ? formatPercent(a.unrealisedPct, { signed: true }) : 'n/a'})`
          : 'n/a',
      ],
      ['realised', `${formatSigned(a.realised)} ${a.costAsset}`],
      ['fees', `${formatMoney(a.fees)} ${a.costAsset}`],
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
          ['fees paid', formatMoney(view.feesUsdc)],
        ],
        [1],
      ),
    )}`,
  );
  const t = view.totals;
  blocks.push(
    `Positions ${b(formatMoney(t.valueUsdc))} USDC · cost ${escapeHtml(formatMoney(t.costUsdc))} · unrealised ${b(formatSigned(t.unrealisedUsdc))}`,
    `Portfolio ${b(formatMoney(t.portfolioUsdc))} USDC (cash included)`,
    dataAgeLine(view.dataAge),
  );
  blocks.push(...warningsBlock(view.warnings));
  return blocks.join('\n');
}

/** The /report message. */
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
        `Portfolio ${formatMoney(view.pnl.totals.portfolioUsdc)} USDC · unrealised ${formatSigned(view.pnl.totals.unrealisedUsdc)}`,
      ),
    );
  } else lines.push(i(view.pnl.reason));
  lines.push(escapeHtml(`Trades 24h: ${t.count} (${t.buys} buys, ${t.sells} sells)${by ? ` — ${by}` : ''}`));
  if (view.balances.available) {
    const s = view.balances.split;
    lines.push(
      escapeHtml(
        `Split: core ${formatMoney(s.coreUsdc)} · alts ${formatMoney(s.altsUsdc)} · stable ${formatMoney(s.stableUsdc)} USDC`,
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
