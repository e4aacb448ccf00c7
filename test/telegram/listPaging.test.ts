import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, VIEWER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';
import { createTestApp, MemoryCore } from '../helpers/memoryCore.js';

let h: BotHarness;

beforeEach(async () => {
  const core = new MemoryCore();
  core.fills = [];
  h = await startBotHarness({ testApp: createTestApp({ core }) });
});
afterEach(async () => {
  await h.stop();
});

/** Fill `n` on BTCUSDC at price 60 000 + n, `n` minutes after a fixed start (newer = larger n). */
function seedFill(n: number): void {
  h.db
    .prepare(
      `INSERT INTO fills (symbol, trade_id, order_id, origin, base_asset, quote_asset, side, price, qty, quote_qty, commission, commission_asset, is_maker, time, recorded_at)
       VALUES ('BTCUSDC', ?, 'o', 'accumulate', 'BTC', 'USDC', 'BUY', ?, '0.0003', '18', '0', 'USDC', 1, ?, 0)`,
    )
    .run(`t${n}`, String(60_000 + n), h.clock.now() - 86_400_000 + n * 60_000);
}

function seedOrder(n: number): void {
  h.db
    .prepare(
      `INSERT INTO orders (client_order_id, origin, symbol, side, type, price, quantity, status, created_at, updated_at)
       VALUES (?, 'accumulate', 'ETHUSDC', 'BUY', 'LIMIT_MAKER', ?, '0.01', 'NEW', ?, ?)`,
    )
    .run(`ap-${n}`, String(3000 + n), h.clock.now() - 3_600_000 + n * 1000, h.clock.now());
}

/** The fill numbers a /trades page lists (from its prices, 60 000 + n). */
function fillNumbers(html: string): number[] {
  return [...html.matchAll(/@ 60,0(\d\d)\.00/g)].map((m) => Number(m[1]));
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.abs(to - from) / Math.abs(step) + 1 }, (_, i) => from + i * step);

async function tapButton(userId: number, calls: Awaited<ReturnType<BotHarness['say']>>, label: RegExp) {
  const button = buttons(calls).find((b) => label.test(b.text));
  expect(button, `a ${String(label)} button`).toBeDefined();
  return h.tap(userId, button!.data, button!.messageId ?? 1);
}

describe('/trades and /orders paged with ◀ ▶', () => {
  it('pages /trades by the key of a row: new fills arriving in between do not shift a page', async () => {
    for (const n of range(1, 25)) seedFill(n);
    const first = await h.say(OWNER, '/trades');
    expect(texts(first)).toMatch(/Trades 1–10 of 25<\/b>, newest first/);
    expect(fillNumbers(texts(first))).toEqual(range(25, 16, -1));
    expect(buttons(first).map((b) => b.text)).toEqual(['Older ▶']);

    const second = await tapButton(OWNER, first, /Older/);
    expect(
      second.some((c) => c.method === 'editMessageText'),
      'the same message is edited',
    ).toBe(true);
    expect(fillNumbers(texts(second))).toEqual(range(15, 6, -1));
    expect(texts(second)).toMatch(/Trades 11–20 of 25/);

    // Five new fills while the owner looks at page 2.
    for (const n of range(26, 30)) seedFill(n);
    const third = await tapButton(OWNER, second, /Older/);
    expect(fillNumbers(texts(third)), 'the rows after page 2, as before the new fills').toEqual(
      range(5, 1, -1),
    );
    expect(texts(third)).toMatch(/Trades 26–30 of 30/);
    expect(
      buttons(third).map((b) => b.text),
      'the end of the list',
    ).toEqual(['◀ Newer']);

    const back = await tapButton(OWNER, third, /Newer/);
    expect(fillNumbers(texts(back)), 'the page before is page 2 again').toEqual(range(15, 6, -1));
    const top = await tapButton(OWNER, back, /Newer/);
    expect(fillNumbers(texts(top))).toEqual(range(25, 16, -1));
    const newest = await tapButton(OWNER, top, /Newer/);
    expect(fillNumbers(texts(newest)), 'the new fills are reached by going on toward the top').toEqual(
      range(30, 21, -1),
    );
    expect(buttons(newest).map((b) => b.text)).toEqual(['Older ▶']);
  });

  it('keeps the page size of /trades <count> and says when the list fits one page', async () => {
    for (const n of range(1, 7)) seedFill(n);
    const calls = await h.say(OWNER, '/trades 3');
    expect(fillNumbers(texts(calls))).toEqual([7, 6, 5]);
    const next = await tapButton(OWNER, calls, /Older/);
    expect(fillNumbers(texts(next))).toEqual([4, 3, 2]);
    expect(texts(await h.say(OWNER, '/trades 50'))).toMatch(/Trades \(7\)<\/b>/);
    expect(buttons(await h.say(OWNER, '/trades 50'))).toEqual([]);
    expect(texts(await h.say(OWNER, '/trades x'))).toMatch(/Usage/);
  });

  it('pages /orders, numbers them in the whole list, and shows the same page again after a cancel', async () => {
    for (const n of range(1, 13)) seedOrder(n);
    const first = await h.say(OWNER, '/orders');
    expect(texts(first)).toMatch(/Open orders 1–10 of 13<\/b>, oldest first/);
    const kb = buttons(first);
    expect(kb.filter((b) => b.text.startsWith('✖'))).toHaveLength(10);
    expect(kb.at(-1)?.text).toBe('Newer ▶');

    const second = await tapButton(OWNER, first, /Newer/);
    expect(texts(second)).toMatch(/Open orders 11–13 of 13/);
    expect(texts(second)).toMatch(/^11\. .*ETHUSDC/m);
    const cancels = buttons(second).filter((b) => b.text.startsWith('✖'));
    expect(cancels.map((b) => b.text)).toEqual(['✖ 11. ETHUSDC', '✖ 12. ETHUSDC', '✖ 13. ETHUSDC']);

    // The cancel of order 12 (the executor port marks it final): page 2 comes back without it.
    h.core.onCancel = (id) =>
      h.db.prepare("UPDATE orders SET status = 'CANCELED', final_at = 1 WHERE client_order_id = ?").run(id);
    const after = await h.tap(OWNER, cancels[1]!.data, 1);
    expect(h.core.cancelCalls).toEqual(['ap-12']);
    const edited = after.find((c) => c.method === 'editMessageText');
    expect(String(edited?.payload.text)).toMatch(/Open orders 11–12 of 12/);
    expect(String(edited?.payload.text)).not.toMatch(/3,012\.00/);
    expect(String(edited?.payload.text)).toMatch(/3,013\.00/);
  });

  it('lets a viewer page both lists, without Cancel buttons', async () => {
    for (const n of range(1, 12)) seedFill(n);
    for (const n of range(1, 11)) seedOrder(n);
    const trades = await h.say(VIEWER, '/trades');
    const older = await tapButton(VIEWER, trades, /Older/);
    expect(fillNumbers(texts(older))).toEqual([2, 1]);
    expect(older.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toBeUndefined();

    const orders = await h.say(VIEWER, '/orders');
    expect(buttons(orders).map((b) => b.text)).toEqual(['Newer ▶']);
    const next = await tapButton(VIEWER, orders, /Newer/);
    expect(texts(next)).toMatch(/^11\. .*ETHUSDC/m);
    expect(h.core.cancelCalls).toEqual([]);
  });
});
