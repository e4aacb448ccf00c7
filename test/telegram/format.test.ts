import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToText, pre, table } from '../../src/telegram/format/html.js';
import { formatWhy } from '../../src/telegram/format/listViews.js';
import { formatBalances, formatPnl, formatStatus } from '../../src/telegram/format/portfolioViews.js';
import type { BalancesView, PnlView, StatusView } from '../../src/app/appViews.js';
import { dec } from '../../src/domain/money.js';
import { MESSAGE_LIMIT, splitHtml } from '../../src/telegram/format/split.js';
import { parseTelegramHtml } from '../helpers/telegramHtml.js';

describe('HTML escaping and tables', () => {
  it('escapes every reserved character so Telegram parses any text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseTelegramHtml(`<b>${escapeHtml(s)}</b>`);
        return parsed.ok && parsed.text === s;
      }),
    );
  });

  it('aligns table columns, right-aligning numbers', () => {
    expect(
      table(
        [
          ['a', '1'],
          ['bbb', '100'],
        ],
        [1],
      ),
    ).toEqual(['a     1', 'bbb 100']);
    expect(pre(['x < y'])).toBe('<pre>x &lt; y</pre>');
  });
});

describe('splitHtml', () => {
  it('returns short texts unchanged', () => {
    expect(splitHtml('<b>hi</b>')).toEqual(['<b>hi</b>']);
  });

  it('splits long messages into valid parts below the limit without losing text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('', 'b', 'i', 'code', 'pre'), fc.string({ maxLength: 300 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 64, max: MESSAGE_LIMIT }),
        (blocks, limit) => {
          const html = blocks
            .map(([tag, text]) => (tag ? `<${tag}>${escapeHtml(text)}</${tag}>` : escapeHtml(text)))
            .join('\n');
          const parts = splitHtml(html, limit);
          for (const part of parts) {
            if (part.length > limit) return false;
            if (!parseTelegramHtml(part).ok) return false;
          }
          const visible = (s: string) => htmlToText(s).replace(/\s+/g, '');
          return parts.map(visible).join('') === visible(html);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('splits one huge line (no newline) and a long <pre> table', () => {
    const huge = escapeHtml('word & more '.repeat(1000));
    const parts = splitHtml(huge);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.length <= MESSAGE_LIMIT && parseTelegramHtml(p).ok)).toBe(true);
    const tablePart = splitHtml(pre(Array.from({ length: 400 }, (_, n) => `row ${n} ${'-'.repeat(20)}`)));
    expect(
      tablePart.every((p) => p.startsWith('<pre>') && p.endsWith('</pre>')),
      'each part is its own block',
    ).toBe(true);
  });
});

describe('/why on a phone', () => {
  it('writes one line per gate with the full numbers, worded by whether the gate held', () => {
    const html = formatWhy(
      {
        found: true,
        symbol: 'AVAXUSDT',
        scanId: 1,
        scanAt: 0,
        score: 25,
        passed: false,
        minScore: 50,
        excluded: false,
        gates: [
          { gate: 'RSI buy zone', ok: true, value: '37.05', limit: '≤ 40', points: 25 },
          { gate: 'MACD histogram', ok: false, value: '-0.00515 → -0.00498', limit: 'not rising', points: 0 },
          { gate: 'below upper band', ok: true, value: '0.936901', limit: '≤ 0.998034' },
          { gate: 'volume ratio', ok: false, value: '1.30×', limit: '≥ 1.5×', points: 0 },
        ],
      },
      1_000,
    );
    expect(html.split('\n')).toEqual([
      '<b>AVAXUSDT</b>: ❌ rejected: not bought',
      'score 25 (buys from 50) · scan 1s ago',
      '✅ RSI buy zone: 37.05 ≤ 40 · +25 pts',
      '❌ MACD histogram: -0.00515 → -0.00498 (not rising) · 0 pts',
      '✅ below upper band: 0.936901 ≤ 0.998034',
      '❌ volume ratio: 1.30×, needs ≥ 1.5× · 0 pts',
    ]);
    expect(html, 'no table, nothing cut').not.toMatch(/<pre>|…/);
  });
});

describe('/status on a phone', () => {
  it('shows next runs as clock times with their time zone, in a table no wider than a phone', () => {
    const now = Date.UTC(2026, 0, 5, 12, 0);
    const view: Parameters<typeof formatStatus>[0] = {
      now,
      timeZone: 'Europe/Berlin',
      tradingMode: 'paper',
      exchange: 'simulator',
      paused: false,
      strategies: [
        {
          id: 'scanner',
          enabled: true,
          mode: 'auto',
          state: 'idle',
          lastRunAt: now - 60_000,
          lastOutcome: 'ok',
          nextRunAt: now + 15 * 60_000,
        },
        {
          id: 'split-balance',
          enabled: true,
          mode: 'confirm',
          state: 'idle',
          lastRunAt: now - 28 * 60_000,
          lastOutcome: 'ok',
          nextRunAt: now + 2 * 86_400_000,
        },
        { id: 'take-profit', enabled: false, mode: 'auto', state: 'disabled' },
      ],
      reserves: [],
      openOrders: 0,
      warnings: [],
      streams: [
        { name: 'bookTicker#1', state: 'live', sinceMs: now - 3_600_000 },
        { name: 'user', state: 'down', sinceMs: now - 45_000 },
      ],
    };
    const html = formatStatus(view);
    expect(html, 'each stream with its state').toContain(
      'Streams: bookTicker#1 live · user down 45s ago (polling)',
    );
    expect(html).toMatch(/scanner +ok 1m +13:15/);
    expect(html).toContain('Next runs in Europe/Berlin time. Cron schedules (scanner.cron) run in UTC.');
    expect(html).toMatch(/split-balance +ok 28m +in 2d/);
    expect(html).toContain('Off: take-profit');
    expect(html).toContain('Not automatic: split-balance (confirm)');
    const table = /<pre>([\s\S]*?)<\/pre>/.exec(html)![1]!;
    for (const line of table.split('\n')) expect([...line].length).toBeLessThanOrEqual(32);
    const utc = formatStatus({ ...view, timeZone: 'UTC' });
    expect(utc).toMatch(/scanner +ok 1m +12:15/);
    expect(utc).toContain('Next runs and cron schedules in UTC.');
  });
});

describe('the age of the balances and prices shown', () => {
  const now = Date.UTC(2026, 0, 5, 12, 0, 30);
  const split = { coreUsdc: dec(0), altsUsdc: dec(0), stableUsdc: dec(100), totalUsdc: dec(100) };
  const balances = (readAt: number, stale: boolean): BalancesView => ({
    available: true,
    at: now,
    dataAge: { readAt, now, timeZone: 'Europe/Berlin', stale },
    lines: [
      {
        asset: 'USDC',
        free: dec(100),
        locked: dec(0),
        total: dec(100),
        valueUsdc: dec(100),
        group: 'stable',
      },
    ],
    split,
    unpriced: [],
  });
  const pnl = (readAt: number, stale: boolean): PnlView => ({
    available: true,
    at: now,
    dataAge: { readAt, now, timeZone: 'UTC', stale },
    assets: [],
    realised: {},
    feesUsdc: dec(0),
    totals: { valueUsdc: dec(0), costUsdc: dec(0), unrealisedUsdc: dec(0), portfolioUsdc: dec(100) },
    warnings: [],
  });
  const status = (readAt: number, stale: boolean): StatusView => ({
    now,
    timeZone: 'UTC',
    tradingMode: 'paper',
    exchange: 'simulator',
    paused: false,
    strategies: [],
    reserves: [],
    openOrders: 0,
    warnings: [],
    streams: [],
    dataAge: { readAt, now, timeZone: 'UTC', stale },
  });

  it('/balance, /pnl and /status say when their data was read, in the owner’s time zone', () => {
    expect(htmlToText(formatBalances(balances(now - 400, false)))).toContain(
      'Balances and prices as of 13:00 (read just now)',
    );
    expect(htmlToText(formatPnl(pnl(now - 3_000, false)))).toContain(
      'Balances and prices as of 12:00 (read 3s ago)',
    );
    expect(htmlToText(formatStatus(status(now - 1_500, false)))).toContain(
      'Balances and prices as of 12:00 (read 2s ago)',
    );
  });

  it('says the exchange is slow when the data is older than a live read', () => {
    const old = now - 5 * 60_000;
    for (const html of [
      formatBalances(balances(old, true)),
      formatPnl(pnl(old, true)),
      formatStatus(status(old, true)),
    ]) {
      expect(htmlToText(html)).toMatch(
        /⚠️ Balances and prices as of (11|12):55 \(read 5m ago\): the exchange is slow or not answering/,
      );
    }
  });
});
