/**
 * Formats the list-like views (/trades, /orders, /get, /scan, /why) and the one-line results of
 * actions (pause, exclusions, settings, confirmations) as HTML.
 */
import type {
  OpenOrderView,
  PauseResult,
  ResolveOutcome,
  ScanView,
  SetSettingResult,
  SettingInfo,
  SymbolListResult,
  TradeView,
  WhyView,
} from '../../app/appViews.js';
import type { SettingChange } from '../../settings/SettingsStore.js';
import { b, code, escapeHtml, i, pre, table, truncate } from './html.js';
import { fmtAgo, fmtPrice, fmtQty, fmtTime } from './numbers.js';

export function formatTrades(trades: readonly TradeView[], now: number, timeZone: string): string {
  if (trades.length === 0) return `${b('Trades')}\nNo fills recorded yet.`;
  const rows = [['time', 'side', 'symbol', 'qty', 'price']];
  for (const t of trades) {
    rows.push([
      fmtTime(t.time, now, timeZone),
      t.side === 'BUY' ? 'buy' : 'sell',
      t.symbol,
      fmtQty(t.qty),
      fmtPrice(t.price),
    ]);
  }
  return `${b(`Last ${trades.length} trades`)}\n${pre(table(rows, [3, 4]))}`;
}

/** One line per open order; the Cancel buttons are added by the command. */
export function formatOrders(orders: readonly OpenOrderView[], now: number): string {
  if (orders.length === 0) return `${b('Open orders')}\nNone.`;
  const lines = orders.map((o, n) => {
    const price = o.price ? ` @ ${fmtPrice(o.price)}` : '';
    const filled = o.executedQty.isZero() ? '' : `, filled ${fmtQty(o.executedQty)}`;
    return `${n + 1}. ${o.side === 'BUY' ? '🟢' : '🔴'} ${b(o.symbol)} ${escapeHtml(
      `${o.side.toLowerCase()} ${fmtQty(o.quantity)}${price}${filled}`,
    )}\n    ${escapeHtml(`${o.origin} · ${o.status.toLowerCase()} · ${fmtAgo(o.createdAt, now)}`)}`;
  });
  return `${b(`Open orders (${orders.length})`)}\n${lines.join('\n')}`;
}

/** /get with a prefix: `key  value` rows, a `*` marking changed values. */
export function formatSettingsList(list: readonly SettingInfo[], prefix: string): string {
  if (list.length === 0) {
    return `No setting starts with ${code(prefix)}. /get lists them all.`;
  }
  const rows = list.map((s) => [`${s.isDefault ? ' ' : '*'}${s.key}`, truncate(s.value, 24)]);
  const title = prefix ? `Settings ${prefix}…` : 'Settings';
  return `${b(title)} (* = changed)\n${pre(table(rows))}\n${i('/get <key> for details, /set <key> <value> to change')}`;
}

/** /get with an exact key: value, default, range, description and the last changes. */
export function formatSettingDetail(s: SettingInfo, history: readonly SettingChange[], now: number): string {
  const lines = [
    `${b(s.key)} = ${code(s.value)}${s.isDefault ? ' (default)' : ''}`,
    escapeHtml(s.def.description),
    `default ${code(s.defaultText)}${s.validText ? ` · valid ${escapeHtml(s.validText)}` : ''}${
      s.def.step !== undefined ? ` · step ${escapeHtml(String(s.def.step))}` : ''
    }`,
  ];
  if (history.length > 0) {
    lines.push(b('Changes'));
    for (const h of history.slice(0, 5)) {
      lines.push(escapeHtml(`${fmtAgo(h.at, now)}: ${h.oldValue ?? '-'} → ${h.newValue} by ${h.actor}`));
    }
  }
  return lines.join('\n');
}

export function formatSetResult(r: SetSettingResult): string {
  if (!r.ok) return `❌ ${escapeHtml(r.error)}`;
  if (!r.changed) return `${b(r.key)} is already ${code(r.new)}.`;
  return `✅ ${b(r.key)}: ${code(r.old)} → ${code(r.new)}`;
}

export function formatPauseResult(r: PauseResult): string {
  const what = r.target === 'all' ? 'All strategies' : r.target;
  const head = r.paused
    ? r.changed
      ? `⏸ ${b(what)} paused.`
      : `${b(what)} already paused.`
    : r.changed
      ? `▶️ ${b(what)} resumed.`
      : `${b(what)} already running.`;
  if (r.stillStopped.length === 0) return head;
  const paused = r.stillStopped.filter((s) => s.why === 'paused').map((s) => s.id);
  const disabled = r.stillStopped.filter((s) => s.why === 'disabled').map((s) => s.id);
  const notes: string[] = [];
  if (paused.length > 0) notes.push('Everything is still paused globally: /resume all.');
  if (disabled.length > 0)
    notes.push(`Still switched off: ${disabled.join(', ')} (/set <strategy>.enabled on).`);
  return `${head}\n${escapeHtml(notes.join(' '))}`;
}

export function formatSymbolResult(r: SymbolListResult, added: boolean): string {
  if (!r.ok) return `❌ ${escapeHtml(r.error)}`;
  const list = r.exclusions.length === 0 ? 'none' : r.exclusions.join(', ');
  const head = r.changed
    ? added
      ? `🚫 ${b(r.symbol)} excluded: no strategy will trade it.`
      : `✅ ${b(r.symbol)} may be traded again.`
    : added
      ? `${b(r.symbol)} was already excluded.`
      : `${b(r.symbol)} was not excluded.`;
  return `${head}\nExcluded: ${escapeHtml(list)}`;
}

export function formatScan(view: ScanView, now: number): string {
  if (!view.available) return `${b('Scanner')}\nNo scan yet.`;
  const leaders = view.leaders.length > 0 ? view.leaders.slice(0, 10).join(', ') : 'none passed';
  const rows = [['symbol', 'score', 'verdict']];
  for (const v of view.top) rows.push([v.symbol, String(v.score), v.passed ? 'pass' : 'reject']);
  const cost = view.requests > 0 ? ` · ${view.requests} requests, weight ${view.weight}` : '';
  return [
    `${b('Latest scan')} ${escapeHtml(fmtAgo(view.endedAt ?? view.startedAt, now))}`,
    escapeHtml(`universe ${view.universe} · analysed ${view.analysed}${cost}`),
    `Leaders: ${b(leaders)}`,
    view.top.length > 0 ? pre(table(rows, [1])) : '',
    i('/why <SYMBOL> shows every gate'),
  ]
    .filter(Boolean)
    .join('\n');
}

export function formatWhy(view: WhyView, now: number): string {
  if (!view.found) {
    return view.scanned
      ? `No verdict on ${b(view.symbol)} in the scans: it was outside the universe (volume, price, stablecoin, leveraged or excluded).`
      : `No scan yet, so no verdict on ${b(view.symbol)}.`;
  }
  const head = `${b(view.symbol)}: score ${b(String(view.score))} → ${view.passed ? '✅ pass' : '❌ reject'} (scan ${escapeHtml(
    fmtAgo(view.scanAt, now),
  )})`;
  if (view.gates.length === 0) return `${head}\n${view.raw ? code(view.raw) : i('no gate details stored')}`;
  const rows = [['gate', 'ok', 'value', 'limit', 'pts']];
  for (const g of view.gates) {
    rows.push([
      truncate(g.gate, 12),
      g.ok ? 'yes' : 'NO',
      truncate(g.value ?? '', 9),
      truncate(g.limit ?? '', 9),
      g.points === undefined ? '' : String(g.points),
    ]);
  }
  return `${head}\n${pre(table(rows, [4]))}`;
}

/** The text of a confirmation after a tap (the buttons are removed). */
export function formatResolved(outcome: ResolveOutcome): { answer: string; text?: string } {
  switch (outcome.status) {
    case 'done':
      return {
        answer: 'Done',
        text: `✅ ${escapeHtml(outcome.summary)}\n${b('Done:')} ${escapeHtml(outcome.detail)}`,
      };
    case 'skipped':
      return { answer: 'Skipped', text: `⏭ ${escapeHtml(outcome.summary)}\n${i('Skipped.')}` };
    case 'expired':
      return {
        answer: 'This confirmation expired',
        text: `⌛ ${escapeHtml(outcome.summary)}\n${i('Expired: nothing was done.')}`,
      };
    case 'already-resolved':
      return {
        answer: `Already ${outcome.outcome}`,
        text: `${escapeHtml(outcome.summary)}\n${i(`Already ${outcome.outcome}.`)}`,
      };
    case 'failed':
      return {
        answer: 'Failed',
        text: `⚠️ ${escapeHtml(outcome.summary)}\n${b('Failed:')} ${escapeHtml(outcome.error)}`,
      };
    case 'unknown':
      return { answer: 'This button is no longer valid' };
  }
}
