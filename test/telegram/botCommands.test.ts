import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botCommands, COMMANDS } from '../../src/telegram/commandList.js';
import {
  OWNER,
  STRANGER,
  VIEWER,
  buttons,
  startBotHarness,
  texts,
  type BotHarness,
} from '../helpers/botHarness.js';

let h: BotHarness;

beforeEach(async () => {
  h = await startBotHarness();
});
afterEach(async () => {
  await h.stop();
});

function seedOrder(id: string, status = 'NEW'): void {
  h.db
    .prepare(
      `INSERT INTO orders (client_order_id, origin, symbol, side, type, price, quantity, status, created_at, updated_at)
       VALUES (?, 'accumulate', 'BTCUSDC', 'BUY', 'LIMIT_MAKER', '64000', '0.0003', ?, ?, ?)`,
    )
    .run(id, status, h.clock.now() - 60_000, h.clock.now());
}

describe('the bot against the fake Bot API', () => {
  it('registers every chat command with a description at start', async () => {
    const call = await h.api.waitForCall('setMyCommands');
    const sent = call.payload.commands as { command: string }[];
    expect(
      sent.map((c) => c.command),
      'all contract commands',
    ).toEqual(COMMANDS.map((c) => c.command));
    expect(botCommands().every((c) => c.description.length > 0)).toBe(true);
  });

  it('answers every command of the owner with something sensible', async () => {
    seedOrder('ap-1');
    const expectations: [string, RegExp][] = [
      ['/start', /Paper trading/],
      ['/help', /\/panic/],
      ['/status', /accumulate/],
      ['/balance', /Total/],
      ['/pnl', /avg cost/],
      ['/trades', /No fills|trades/i],
      ['/orders', /BTCUSDC/],
      ['/pause', /Pause what/],
      ['/resume', /Resume what/],
      ['/settings', /Settings/],
      ['/set scanner.minScore 65', /Change <b>scanner\.minScore<\/b>\?\n<code>60<\/code> → <code>65<\/code>/],
      ['/get scanner.', /minScore = <code>65<\/code>/],
      ['/get', /scanner<\/b>: 18 settings, 1 changed · \/get scanner\./],
      [
        '/exclude pepeusdt',
        /Exclude <b>PEPEUSDT<\/b>.*\nChange <b>exclusions<\/b>\?\n<code>none<\/code> → <code>PEPEUSDT<\/code>/,
      ],
      [
        '/include PEPEUSDT',
        /Allow <b>PEPEUSDT<\/b>.*\nChange <b>exclusions<\/b>\?\n<code>PEPEUSDT<\/code> → <code>none<\/code>/,
      ],
      ['/scan', /No scan yet/],
      ['/why PEPEUSDT', /No scan yet/],
      ['/report', /Daily report/],
      ['/chart', /.*/],
      ['/panic', /Kill switch/],
      ['/cancel', /Nothing to cancel/],
      ['/nonsense', /Unknown command/],
      ['hello there', /I answer commands/],
    ];
    for (const [input, pattern] of expectations) {
      const calls = await h.say(OWNER, input);
      expect(
        calls.every((c) => c.ok),
        `${input}: every API call accepted (${calls.map((c) => c.description).join('; ')})`,
      ).toBe(true);
      expect(texts(calls), `${input} answer`).toMatch(pattern);
      // /set, /exclude and /include ask on the confirm screen; Save writes it.
      if (/^\/(set|exclude|include) /.test(input)) await h.tap(OWNER, buttons(calls)[0]!.data);
    }
    expect(h.settings.get('scanner.minScore'), '/set wrote the value once saved').toBe(65);
    expect(h.settings.get('exclusions'), 'exclude then include').toEqual([]);
  });

  it('/exclude OP lists the pairs of OP on the confirm screen; only Save excludes them; /exclude FOOBARUSDT is refused', async () => {
    const ask = await h.say(OWNER, '/exclude OP');
    expect(texts(ask)).toMatch(
      /OP is an asset, and exclusions work per symbol: exclude all 2 pairs of OP: <b>OPUSDC, OPUSDT<\/b>\.\nChange <b>exclusions<\/b>\?\n<code>none<\/code> → <code>OPUSDC,OPUSDT<\/code>/,
    );
    const choices = buttons(ask);
    expect(choices.map((b) => b.text)).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel']);
    expect(h.settings.get('exclusions'), 'asking changes nothing').toEqual([]);

    const cancelled = await h.tap(OWNER, choices[2]!.data);
    expect(cancelled.every((c) => c.ok)).toBe(true);
    expect(h.settings.get('exclusions')).toEqual([]);

    const again = buttons(await h.say(OWNER, '/exclude OP'));
    const saved = await h.tap(OWNER, again[0]!.data);
    expect(texts(saved)).toMatch(/exclusions: none → OPUSDC,OPUSDT/);
    expect(h.settings.get('exclusions')).toEqual(['OPUSDC', 'OPUSDT']);

    const same = await h.say(OWNER, '/exclude OP');
    expect(texts(same)).toMatch(/OPUSDC, OPUSDT were already excluded; nothing changed/);
    expect(buttons(same), 'nothing to change, nothing proposed').toEqual([]);

    const refused = await h.say(OWNER, '/exclude FOOBARUSDT');
    expect(texts(refused)).toMatch(
      /❌ FOOBARUSDT is neither a symbol nor an asset on the exchange, so nothing changed/,
    );
    expect(buttons(refused)).toEqual([]);
    expect(h.settings.get('exclusions'), 'the refusal changed nothing').toEqual(['OPUSDC', 'OPUSDT']);
  });

  it('stays silent to strangers: no API call at all to their chat', async () => {
    for (const text of ['/start', '/status', '/panic', 'hi', '/set paused on']) await h.say(STRANGER, text);
    await h.tap(STRANGER, 'pz:all');
    await h.say(OWNER, '/status');
    expect(h.api.callsTo(STRANGER), 'nothing sent to the stranger').toEqual([]);
    expect(
      h.api.calls.filter((c) => c.method === 'answerCallbackQuery'),
      'no tap answered for a stranger',
    ).toEqual([]);
    expect(h.settings.get('paused')).toBe(false);
  });

  it('gives viewers read-only commands and refuses the rest', async () => {
    seedOrder('ap-2');
    for (const cmd of [
      '/status',
      '/balance',
      '/pnl',
      '/trades',
      '/get',
      '/why BTCUSDT',
      '/report',
      '/scan',
    ]) {
      const calls = await h.say(VIEWER, cmd);
      expect(texts(calls), `${cmd} for a viewer`).not.toMatch(/for the owner/);
    }
    const orders = await h.say(VIEWER, '/orders');
    expect(texts(orders)).toMatch(/BTCUSDC/);
    expect(buttons(orders), 'no cancel buttons for a viewer').toEqual([]);
    for (const cmd of [
      '/set paused on',
      '/pause all',
      '/panic',
      '/settings',
      '/exclude BTCUSDT',
      '/resume',
    ]) {
      const calls = await h.say(VIEWER, cmd);
      expect(texts(calls), `${cmd} refused`).toMatch(/for the owner/);
    }
    const tap = await h.tap(VIEWER, 'pz:all');
    expect(tap.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toMatch(/Read-only/);
    const menuTap = await h.tap(VIEWER, 'st/0/0/g0/h1234');
    expect(menuTap.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toMatch(/Read-only/);
    expect(h.settings.history(), 'a viewer changed nothing').toEqual([]);
    expect(h.core.panicCalls).toEqual([]);
  });

  it('pauses and resumes with an argument or with buttons, recording the actor', async () => {
    const kb = buttons(await h.say(OWNER, '/pause'));
    expect(kb.map((b) => b.data)).toContain('pz:scanner');
    await h.tap(OWNER, 'pz:scanner');
    expect(h.pauses.isPaused('scanner'), 'paused on its own').toBe(true);
    expect(h.settings.get('scanner.enabled'), 'pausing is not switching off').toBe(true);
    expect(texts(await h.say(OWNER, '/status'))).toMatch(/Paused: scanner/);
    expect(texts(await h.say(OWNER, '/pause all'))).toMatch(/paused/);
    expect(h.settings.get('paused')).toBe(true);
    const resumed = texts(await h.say(OWNER, '/resume all'));
    expect(resumed).toMatch(/All strategies<\/b> resumed\.$/);
    expect(h.pauses.isPaused('scanner'), '/resume all resumes the one paused on its own too').toBe(false);
    expect(h.pauses.pausedStrategies()).toEqual([]);
    h.settings.set('take-profit.enabled', 'off', 'test');
    expect(texts(await h.say(OWNER, '/resume all')), 'a switched-off strategy stays off').toMatch(
      /Still switched off: take-profit/,
    );
    expect(texts(await h.say(OWNER, '/pause nosuch'))).toMatch(/not a strategy/);
    expect(h.settings.history('paused')[0]?.actor).toBe(`tg:${OWNER}`);
  });

  it('lists open orders with a Cancel button each and cancels through the executor port', async () => {
    seedOrder('ap-3');
    seedOrder('ap-4');
    const calls = await h.say(OWNER, '/orders');
    const kb = buttons(calls);
    const anchor = `:${h.clock.now() - 60_000}:1`; // the page's first row: shown again after a cancel
    expect(kb.map((b) => b.data)).toEqual([`o:x:ap-3${anchor}`, `o:x:ap-4${anchor}`]);
    const messageId = Number(
      (calls.find((c) => c.method === 'sendMessage')!.payload as { message_id?: number }).message_id ?? 1000,
    );
    const tap = await h.tap(OWNER, `o:x:ap-3${anchor}`, messageId);
    expect(h.core.cancelCalls).toEqual(['ap-3']);
    expect(tap.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toBe('Cancelled');
    h.db.prepare("UPDATE orders SET status = 'CANCELED', final_at = 1 WHERE client_order_id = 'ap-3'").run();
    const again = await h.tap(OWNER, 'o:x:ap-3', messageId);
    expect(again.find((c) => c.method === 'answerCallbackQuery')?.payload.text, 'a second tap').toMatch(
      /Nothing to cancel: the order is already canceled/,
    );
    expect(h.core.cancelCalls, 'not cancelled twice').toEqual(['ap-3']);
  });

  it('sends a chart photo when the chart port has one, with range buttons', async () => {
    h.core.chart = Buffer.from('89504e470d0a1a0a', 'hex');
    await h.say(OWNER, '/chart 30d');
    const photo = await h.api.waitForCall('sendPhoto');
    expect(photo.ok, photo.description).toBe(true);
    expect((photo.payload.photo as { bytes: number }).bytes).toBe(8);
    expect(texts(await h.say(OWNER, '/chart 2y'))).toMatch(/Usage/);
  });
});
