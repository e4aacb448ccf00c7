/**
 * Every command's reply and every notification kind, rendered from one simulated day of all six
 * strategies on the built-in simulator, checked for what a phone user trips over: one number
 * style throughout (commas for thousands, an ASCII minus, two-decimal percentages without a
 * space), no line of a `<pre>` block wider than a phone shows, no cell cut with an ellipsis, and
 * HTML that Telegram parses. The chat runs through the real grammY bot against the fake Bot API;
 * notifications are the day's real events turned into messages (kinds the day did not produce
 * are built from its real orders). The rendered texts are written to the temp directory.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotEvent } from '../../src/domain/events.js';
import { eventMessage } from '../../src/notify/eventMessages.js';
import { equityChartSpec } from '../../src/ops/charts/renderEquityChart.js';
import { portfolioChartSvg, type PortfolioChartInput } from '../../src/ops/charts/renderPortfolioChart.js';
import { splitChartSpec } from '../../src/ops/charts/renderSplitChart.js';
import { COMMANDS } from '../../src/telegram/commandList.js';
import { formatWhatIfResult } from '../../src/telegram/format/whatIfViews.js';
import { createBot } from '../../src/telegram/createBot.js';
import { TelegramTransport } from '../../src/telegram/TelegramTransport.js';
import { FakeBotApi, type RecordedCall } from '../helpers/fakeBotApi.js';
import { sampleWhatIfResult } from '../helpers/memoryCore.js';
import { markerOffsets, sceneItems, scenegraph } from '../ops/charts/scenegraph.js';
import { DAY, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';
import { parseTelegramHtml } from '../helpers/telegramHtml.js';
import { callbackUpdate, textUpdate } from '../helpers/updates.js';

/** Widest `<pre>` line, in characters, that a 360-px phone shows without scrolling. */
const PRE_WIDTH = 32;
const OWNER = 111;

let h: RuntimeHarness;
let api: FakeBotApi;
let transport: TelegramTransport;
const events: BotEvent[] = [];
const rendered: { what: string; html: string }[] = [];
let freshChart: RecordedCall[] = [];
let chartAfterDay: PortfolioChartInput;

async function say(text: string): Promise<RecordedCall[]> {
  const before = api.calls.length;
  const u = api.pushUpdate(textUpdate(OWNER, text));
  await api.waitForHandled(u.update_id);
  // The runner handles an update concurrently once fetched: wait for its handler too.
  await transport.idle();
  return api.calls.slice(before).filter((c) => c.method !== 'getUpdates');
}

async function tap(data: string): Promise<RecordedCall[]> {
  const before = api.calls.length;
  const u = api.pushUpdate(callbackUpdate(OWNER, data));
  await api.waitForHandled(u.update_id);
  // The runner handles an update concurrently once fetched: wait for its handler too.
  await transport.idle();
  return api.calls.slice(before).filter((c) => c.method !== 'getUpdates');
}

function keep(what: string, calls: readonly RecordedCall[]): void {
  for (const c of calls) {
    const html = c.payload.text ?? c.payload.caption;
    if (typeof html === 'string' && html !== '') rendered.push({ what: `${what} [${c.method}]`, html });
  }
}

function buttonData(calls: readonly RecordedCall[]): string[] {
  return calls.flatMap((c) => {
    const kb = (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    return (kb ?? []).flat().map((b) => b.callback_data ?? '');
  });
}

beforeAll(async () => {
  h = await startRuntimeHarness({
    settings: {
      'accumulate.intervalSec': '300',
      'take-profit.intervalSec': '300',
      'alt-profit.intervalSec': '600',
      'scanner.cron': '*/30 * * * *',
      'scanner.maxCandidates': '12',
      'scanner.minScore': '50',
      // Proposals and "would do" notes happen too, not only automatic orders.
      'split-balance.mode': 'confirm',
      'core-balance.mode': 'notify',
    },
  });
  h.runtime.bus.on((e) => events.push(e));
  api = await new FakeBotApi().start();
  const bot = createBot({
    token: api.token,
    apiRoot: api.apiRoot,
    ownerIds: [OWNER],
    app: h.runtime.app,
    db: h.runtime.db,
    clock: h.clock,
    timeZone: 'Europe/Berlin',
    rateLimit: false,
  });
  transport = new TelegramTransport({ bot, pollTimeoutSec: 1 });
  await transport.start();

  freshChart = await say('/chart 1d');
  await h.advance(DAY);
  await h.reconcile();

  const scan = h.runtime.app.getScan();
  const symbol = scan.available ? (scan.top[0]?.symbol ?? 'BTCUSDT') : 'BTCUSDT';
  for (const command of [
    '/start',
    '/help',
    '/status',
    '/balance',
    '/pnl',
    '/trades',
    '/trades 30',
    '/orders',
    '/pause',
    '/resume',
    '/settings',
    '/get',
    '/get scanner.',
    '/get scanner.cron',
    '/set scanner.cron */61 * * * *',
    '/set take-profit.minProfitPct 3',
    '/exclude FOOBARUSDT',
    '/scan',
    `/why ${symbol}`,
    '/why NOSUCHUSDT',
    '/report',
    '/chart 1d',
    '/panic',
    '/cancel',
    '/cost',
    '/history',
    '/whatif',
  ]) {
    const calls = await say(command);
    keep(command, calls);
    if (command === '/get')
      keep('/get group', await tap(buttonData(calls).find((d) => d.startsWith('gg:'))!));
  }
  const asked = await say('/exclude ADA');
  keep('/exclude ADA', asked);
  keep('/exclude ADA (saved)', await tap(buttonData(asked).find((d) => d.startsWith('c:y:'))!));
  const include = await say('/include ADAUSDT');
  keep('/include ADAUSDT', include);
  keep('/include ADAUSDT (saved)', await tap(buttonData(include).find((d) => d.startsWith('c:y:'))!));
  // A what-if's result through the formatter the command uses (a replay here would cost seconds).
  const whatIf = sampleWhatIfResult(
    { key: 'take-profit.minProfitPct', proposed: '4', days: 7 },
    '3',
    h.now(),
  );
  rendered.push({ what: '/whatif (result)', html: formatWhatIfResult(whatIf, h.now(), 'Europe/Berlin') });
  chartAfterDay = await h.runtime.chartInput('1d');
  // The scan the /scan command started reports in the background.
  await new Promise((resolve) => setTimeout(resolve, 200));

  const daily = await h.runtime.app.getDailyReport();
  if (daily.available) rendered.push({ what: 'daily report (plain text)', html: daily.text });

  const ctx = {
    now: h.now(),
    isConfirmMode: () => true,
    notifyFills: true,
    notifyScanReports: true,
    precisionOf: (symbol: string) => h.runtime.market.precisionOf(symbol),
  };
  const fill = events.find((e) => e.type === 'order.filled');
  const order = fill?.type === 'order.filled' ? fill.order : undefined;
  if (!order) throw new Error('the simulated day produced no fill');
  const made: BotEvent[] = [
    { type: 'order.placed', order },
    {
      type: 'order.refused',
      origin: order.origin,
      symbol: order.symbol,
      side: order.side,
      code: 'reserve',
      why: 'buying for 20 USDC would leave 45.5 USDC free, below the reserve of 50 USDC',
    },
    { type: 'order.unknown', order, why: 'timeout after 10 s' },
    { type: 'intent.notified', origin: order.origin, summary: order.reason },
    {
      type: 'alert',
      severity: 'warning',
      key: 'x',
      message: 'MEXC answered slowly: 3 timeouts in 5 minutes',
    },
  ];
  const byKind = new Map<string, BotEvent>();
  for (const e of [...events, ...made]) if (!byKind.has(e.type)) byKind.set(e.type, e);
  for (const [kind, e] of byKind) {
    const m = eventMessage(e, ctx);
    if (m) rendered.push({ what: `notification ${kind}`, html: m.text });
  }
  // Every notification the day queued, as it was stored for sending.
  const outbox = h.runtime.db.prepare('SELECT kind, text FROM outbox ORDER BY id').all() as {
    kind: string;
    text: string;
  }[];
  for (const row of outbox) rendered.push({ what: `outbox ${row.kind}`, html: row.text });
  writeFileSync(
    join(tmpdir(), 'autopilot-phone-snapshot.txt'),
    rendered.map((r) => `### ${r.what}\n${r.html}`).join('\n\n'),
  );
}, 300_000);

afterAll(async () => {
  await transport?.stop();
  await api?.close();
  await h?.stop();
});

/** Text outside `<code>` (typed setting values stay as they are typed). */
function prose(html: string): string {
  return html.replace(/<code>[\s\S]*?<\/code>/g, '');
}

describe('every reply and notification of a simulated day, read on a phone', () => {
  it('covers every command and every notification kind', () => {
    const whats = new Set(rendered.map((r) => r.what.replace(/ \[.*\]$/, '')));
    for (const kind of [
      'order.filled',
      'order.placed',
      'order.refused',
      'order.unknown',
      'intent.proposed',
      'intent.notified',
      'scan.report',
      'alert',
    ])
      expect(whats, kind).toContain(`notification ${kind}`);
    expect(rendered.length).toBeGreaterThan(40);
    const commands = new Set(rendered.map((r) => /^\/(\w+)/.exec(r.what)?.[1]));
    expect(
      COMMANDS.map((c) => c.command).filter((c) => !commands.has(c)),
      'commands whose reply was not rendered',
    ).toEqual([]);
  });

  it('refuses */61 * * * * with the reason, and /status names the time zone of its next runs', () => {
    const cron = rendered.find((r) => r.what.startsWith('/set scanner.cron */61'))!.html;
    expect(cron).toMatch(/step 61 in the minute field is larger than the field \(0–59\)/);
    expect(cron, 'nothing saved').not.toMatch(/Saved|✅/);
    const status = rendered.find((r) => r.what.startsWith('/status'))!.html;
    expect(status).toMatch(/\d\d:\d\d/);
    expect(status).toMatch(/Next runs (and cron schedules )?in (UTC|[\w/]+ time)/);
  });

  it('draws the day on the chart: the alts/core split, and every trade marker on the value line', async () => {
    expect(chartAfterDay.points.length, 'snapshots of the day').toBeGreaterThan(2);
    const spec = equityChartSpec(chartAfterDay)!;
    const root = await scenegraph(spec);
    const line = sceneItems(root, 'line');
    const markers = sceneItems(root, 'symbol');
    expect(markers.length, "the day's trades are marked").toBeGreaterThan(0);
    expect(line[0]!.interpolate).toBe('step-after');
    for (const [n, offset] of markerOffsets(line, markers).entries())
      expect(offset, `marker ${n} sits on the line`).toBeLessThan(0.01);
    const split = sceneItems(await scenegraph(splitChartSpec(chartAfterDay)!), 'line');
    expect(split.length, "two series over the day's snapshots").toBe(2 * chartAfterDay.points.length);
    const { svg } = await portfolioChartSvg(chartAfterDay);
    expect(svg).toContain('Altcoins vs BTC + ETH');
    expect(svg).toMatch(/Now: altcoins \d+\.\d\d%/);
  });

  it('/chart on a fresh database sends a PNG', () => {
    const photo = freshChart.find((c) => c.method === 'sendPhoto');
    expect(photo?.ok, 'a photo, not a "coming soon" text').toBe(true);
    const file = photo!.payload.photo as { filename: string; bytes: number };
    expect(file.filename).toMatch(/\.png$/);
    expect(file.bytes, 'a real picture, not a stub').toBeGreaterThan(10_000);
  });

  it('writes every number in one style', () => {
    const problems: string[] = [];
    for (const { what, html } of rendered) {
      const text = prose(html);
      const checks: [RegExp, string][] = [
        [/\d \d{3}(?!\d)/, 'space as a thousands separator'],
        [/−\d/, 'a Unicode minus (the style uses an ASCII one)'],
        [/\d %/, 'a space before %'],
        [/(?<![\d.,])\d+\.(?:\d|\d{3,})%/, 'a percentage without exactly two decimals'],
        [/(?<![\w.,:/#-])\d{5,}(?:\.\d+)?(?![\d:%\w-])/, 'a large number without thousands grouping'],
      ];
      for (const [pattern, problem] of checks) {
        const m = pattern.exec(text);
        if (m)
          problems.push(`${what}: ${problem} in "…${text.slice(Math.max(0, m.index - 30), m.index + 30)}…"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it(`keeps <pre> lines within ${PRE_WIDTH} characters and cuts no cell`, () => {
    const problems: string[] = [];
    for (const { what, html } of rendered) {
      for (const block of html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)) {
        for (const line of parseTelegramHtmlText(block[1]!).split('\n')) {
          if ([...line].length > PRE_WIDTH) problems.push(`${what}: ${[...line].length} chars: ${line}`);
          if (line.includes('…')) problems.push(`${what}: cut cell: ${line}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('sends HTML that Telegram parses', () => {
    for (const { what, html } of rendered) {
      if (what.startsWith('daily report')) continue; // plain text by design
      const parsed = parseTelegramHtml(html);
      expect(parsed.ok, `${what}: ${parsed.ok ? '' : parsed.error}`).toBe(true);
    }
  });
});

function parseTelegramHtmlText(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
