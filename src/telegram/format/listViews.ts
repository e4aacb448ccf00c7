/**
 * Formats the list-like views (/trades, /orders, /get, /scan, /why) and the one-line results of
 * actions (pause, exclusions, settings, confirmations) as HTML.
 */
import type {
  ListPageView,
  OpenOrderView,
  Page,
  PauseResult,
  ResolveOutcome,
  ScanView,
  SettingInfo,
  SymbolListResult,
  TradeView,
  WhyView,
} from '../../app/appViews.js';
import type { SettingChange } from '../../persistence/SettingsRepository.js';
import type { ScanGate } from '../../domain/scan.js';
import { b, code, escapeHtml, i, pre, table } from './html.js';
import { formatSettingProposal } from './settingViews.js';
import { formatAgo, formatPrice, formatQty, formatTime, plural } from '../../domain/format.js';

/** "3–4 of 12" when a list spans pages, nothing when one page holds it all. */
function pageSpan(page: Page<unknown>): string {
  const shown = page.rows.length + page.skipped;
  if (page.before === 0 && shown >= page.total) return '';
  return ` ${page.before + 1}–${page.before + shown} of ${page.total}`;
}

/**
 * /trades: one page of fills, one line per fill with its numbers in full (a table of five
 * columns does not fit a phone), prices to the symbol's tick and quantities to its step.
 */
export function formatTrades(page: ListPageView<TradeView>, now: number, timeZone: string): string {
  if (page.total === 0) return `${b('Trades')}\nNo fills recorded yet.`;
  const lines = page.rows.map((t) => {
    const p = page.precision.get(t.symbol);
    return `${t.side === 'BUY' ? '🟢' : '🔴'} ${escapeHtml(
      `${formatTime(t.time, now, timeZone)} ${t.side === 'BUY' ? 'buy' : 'sell'} ${formatQty(t.qty, p?.stepSize)} ${t.symbol} @ ${formatPrice(t.price, p?.tickSize)}`,
    )}`;
  });
  const span = pageSpan(page);
  return `${b(span ? `Trades${span}` : `Trades (${page.total})`)}, newest first (times in ${escapeHtml(timeZone)})\n${lines.join('\n')}`;
}

/**
 * /orders: one page of the bot's open orders, numbered in the whole list; the Cancel and page
 * buttons are added by the command.
 */
export function formatOrders(page: ListPageView<OpenOrderView>, now: number): string {
  if (page.total === 0) return `${b('Open orders')}\nNone.`;
  const lines = page.rows.map((o, n) => {
    const p = page.precision.get(o.symbol);
    const price = o.price ? ` @ ${formatPrice(o.price, p?.tickSize)}` : '';
    const filled = o.executedQty.isZero() ? '' : `, filled ${formatQty(o.executedQty, p?.stepSize)}`;
    return `${page.before + n + 1}. ${o.side === 'BUY' ? '🟢' : '🔴'} ${b(o.symbol)} ${escapeHtml(
      `${o.side.toLowerCase()} ${formatQty(o.quantity, p?.stepSize)}${price}${filled}`,
    )}\n    ${escapeHtml(`${o.origin} · ${o.status.toLowerCase()} · ${formatAgo(o.createdAt, now)}`)}`;
  });
  const span = pageSpan(page);
  return `${b(span ? `Open orders${span}` : `Open orders (${page.total})`)}, oldest first\n${lines.join('\n')}`;
}

/**
 * /get with a prefix: one line per setting, `name = value`, the group's prefix left out and a ✏️
 * on values that differ from their default. Lines, not a table: values such as the exclusion
 * list are shown whole and wrap on a phone.
 */
export function formatSettingsList(list: readonly SettingInfo[], prefix: string): string {
  if (list.length === 0) {
    return `No setting starts with ${code(prefix)}. /get lists the groups.`;
  }
  const cut = prefix.includes('.') ? prefix.slice(0, prefix.lastIndexOf('.') + 1) : '';
  const lines = list.map(
    (s) => `${s.isDefault ? '' : '✏️ '}${escapeHtml(s.key.slice(cut.length))} = ${code(s.value)}`,
  );
  const title = prefix ? `Settings ${prefix}…` : 'Settings';
  return `${b(title)} (✏️ = changed)\n${lines.join('\n')}\n${i('/get <key> for details, /set <key> <value> to change')}`;
}

/** /get without a prefix: the groups with their size and changes; buttons open each group. */
export function formatSettingGroups(
  groups: readonly {
    readonly prefix: string;
    readonly title: string;
    readonly settings: readonly SettingInfo[];
  }[],
): string {
  const lines = groups.map((g) => {
    const changed = g.settings.filter((s) => !s.isDefault).length;
    return `${b(g.title)}: ${plural(g.settings.length, 'setting')}${changed > 0 ? `, ${changed} changed` : ''}${g.prefix ? ` · /get ${escapeHtml(g.prefix)}` : ''}`;
  });
  return `${b('Settings')} by group\n${lines.join('\n')}\n${i('Tap a group, or /set <key> <value> to change one.')}`;
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
      lines.push(escapeHtml(`${formatAgo(h.at, now)}: ${h.oldValue ?? '-'} → ${h.newValue} by ${h.actor}`));
    }
  }
  return lines.join('\n');
}

/** The reply to /pause or /resume. */
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

/**
 * The reply to /exclude or /include: the symbols the change adds or removes (every pair of a bare
 * asset) above the confirm screen of the `exclusions` setting (the command adds its buttons); a
 * refusal or a change that changes nothing says so and what is excluded now.
 */
export function formatSymbolResult(r: SymbolListResult, add: boolean, now: number): string {
  const excludedNow = (list: readonly string[]) =>
    escapeHtml(`Excluded now: ${list.length === 0 ? 'none' : list.join(', ')}`);
  switch (r.status) {
    case 'refused':
      return `❌ ${escapeHtml(r.error)}\n${excludedNow(r.exclusions)}`;
    case 'proposed': {
      const list = r.changed.join(', ');
      const them = r.changed.length === 1 ? 'it' : 'them';
      const what =
        r.asset === undefined
          ? add
            ? `🚫 Exclude ${b(list)}: no strategy will buy or sell ${them}.`
            : `✅ Allow ${b(list)} to be traded again.`
          : add
            ? `🚫 ${escapeHtml(r.asset)} is an asset, and exclusions work per symbol: exclude all ${plural(r.changed.length, 'pair')} of ${escapeHtml(r.asset)}: ${b(list)}.`
            : `✅ Allow the excluded ${plural(r.changed.length, 'pair')} of ${escapeHtml(r.asset)} again: ${b(list)}.`;
      return `${what}\n${formatSettingProposal(r.proposal, now)}`;
    }
    case 'unchanged': {
      const asked = r.symbols.join(', ');
      const head =
        r.symbols.length === 0
          ? 'No pair of that asset is excluded; nothing changed.'
          : add
            ? `${asked} ${r.symbols.length === 1 ? 'was' : 'were'} already excluded; nothing changed.`
            : `${asked} was not excluded; nothing changed.`;
      return `${escapeHtml(head)}\n${excludedNow(r.exclusions)}`;
    }
  }
}

/** The /scan message: the latest scan's leaders and scores. */
export function formatScan(view: ScanView, now: number): string {
  if (!view.available) return `${b('Scanner')}\nNo scan yet: /scan starts one.`;
  const leaders = view.leaders.length > 0 ? view.leaders.slice(0, 10).join(', ') : 'none passed';
  const rows = [['symbol', 'score', 'verdict']];
  for (const v of view.top) {
    rows.push([v.symbol, String(v.score), v.excluded ? 'excluded' : v.passed ? 'pass' : 'reject']);
  }
  const cost = view.requests > 0 ? ` · ${view.requests} requests, weight ${view.weight}` : '';
  return [
    `${b('Latest scan')} ${escapeHtml(formatAgo(view.endedAt ?? view.startedAt, now))}`,
    escapeHtml(
      `universe ${view.universe} · analysed ${view.analysed}${cost} · buys from score ${view.minScore}`,
    ),
    `Leaders: ${b(leaders)}`,
    view.top.length > 0 ? pre(table(rows, [1])) : '',
    i('/why <SYMBOL> shows every gate'),
  ]
    .filter(Boolean)
    .join('\n');
}

/** The measurement of a gate against its limit, worded by whether it held. */
function gateMeasure(g: ScanGate): string {
  const value = g.value ?? '';
  const limit = g.limit ?? '';
  if (!limit) return value;
  if (!value) return limit;
  if (/^[≤≥<>=]/.test(limit)) return g.ok ? `${value} ${limit}` : `${value}, needs ${limit}`;
  if (limit.includes('…')) return g.ok ? `${value} within ${limit}` : `${value}, needs ${limit}`;
  return `${value} (${limit})`;
}

/** One line per gate with its numbers in full: `✅ RSI buy zone: 37.05 ≤ 40 · +25 pts`. */
function gateLine(g: ScanGate): string {
  const measure = gateMeasure(g);
  const points = g.points === undefined ? '' : ` · ${g.points > 0 ? '+' : ''}${g.points} pts`;
  return `${g.ok ? '✅' : '❌'} ${escapeHtml(g.gate)}${measure ? `: ${escapeHtml(measure)}` : ''}${points}`;
}

/** /why: the verdict, then one line per gate, readable on a phone without a table. */
export function formatWhy(view: WhyView, now: number): string {
  if (!view.found) {
    return view.scanned
      ? `No verdict on ${b(view.symbol)} in the scans: it was outside the universe (volume, price, stablecoin, leveraged or excluded).`
      : `No scan yet, so no verdict on ${b(view.symbol)}. /scan starts one.`;
  }
  const verdict = view.excluded
    ? '🚫 excluded by you: never bought'
    : view.passed
      ? '✅ passed: a buy candidate'
      : '❌ rejected: not bought';
  const head = [
    `${b(view.symbol)}: ${verdict}`,
    escapeHtml(`score ${view.score} (buys from ${view.minScore}) · scan ${formatAgo(view.scanAt, now)}`),
  ];
  if (view.gates.length === 0)
    return [...head, view.raw ? code(view.raw) : i('no gate details stored')].join('\n');
  return [...head, ...view.gates.map(gateLine)].join('\n');
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
