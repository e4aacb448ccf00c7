import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/telegram/createBot.js';
import { TelegramTransport } from '../../src/telegram/TelegramTransport.js';
import { OWNER, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';
import { createTestApp } from '../helpers/memoryCore.js';
import { textUpdate } from '../helpers/updates.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let h: BotHarness | undefined;
let api: FakeBotApi | undefined;
afterEach(async () => {
  await h?.stop();
  await api?.close();
  h = undefined;
  api = undefined;
});

describe('TelegramTransport and the middleware around handlers', () => {
  it('refuses to start with a token Telegram rejects', async () => {
    api = await new FakeBotApi().start();
    const t = createTestApp();
    const bot = createBot({
      token: '999:wrong-token-wrong-token-x',
      apiRoot: api.apiRoot,
      ownerIds: [OWNER],
      app: t.app,
      db: t.db,
    });
    await expect(new TelegramTransport({ bot, pollTimeoutSec: 0 }).start()).rejects.toThrow(/Unauthorized/);
  });

  it('confirms handled updates on stop: a restarted bot does not handle them again', async () => {
    api = await new FakeBotApi().start();
    h = await startBotHarness({ api });
    await h.say(OWNER, '/status');
    await h.transport.stop();
    expect(api.pendingUpdates, 'offset confirmed').toBe(0);
  });

  it('confirms an update to Telegram only after its handler finished (a kill -9 meanwhile loses nothing)', async () => {
    api = await new FakeBotApi().start();
    const t = createTestApp();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const getStatus = t.app.getStatus.bind(t.app);
    t.app.getStatus = async () => {
      await gate;
      return getStatus();
    };
    h = await startBotHarness({ api, testApp: t });
    const update = api.pushUpdate(textUpdate(OWNER, '/status'));
    // Fetched, handler running: however often the bot polls meanwhile, Telegram keeps the update,
    // so a process killed now would get it again at its next start.
    for (let n = 0; n < 40 && !api.calls.some((c) => c.method === 'getUpdates' && c.ok); n++) await sleep(50);
    await sleep(1_000);
    const pollsWhileHeld = api.calls.filter((c) => c.method === 'getUpdates').length;
    expect(api.pendingUpdates, 'not confirmed while its handler runs').toBe(1);
    expect(pollsWhileHeld, 'polling slows down instead of spinning').toBeLessThan(12);
    release();
    await api.waitForHandled(update.update_id, 3_000);
    expect(api.pendingUpdates, 'confirmed once handled').toBe(0);
    expect(texts(api.calls.filter((c) => c.method === 'sendMessage'))).toMatch(/Autopilot/);
    expect(
      api.calls.filter((c) => c.method === 'sendMessage').length,
      'handled once, the repeats of the held update dropped',
    ).toBe(1);
  });

  it('rate-limits a hammering user but still answers every input', async () => {
    h = await startBotHarness({ bot: { rateLimit: { timeFrameMs: 60_000, limit: 3 } } });
    const answers: string[] = [];
    for (let n = 0; n < 6; n++) answers.push(texts(await h.say(OWNER, '/help')));
    expect(answers.filter((a) => /Commands/.test(a))).toHaveLength(3);
    expect(answers.filter((a) => /Too many messages/.test(a))).toHaveLength(3);
  });

  it('retries a 429 on a reply (auto-retry) so the user still gets the answer', async () => {
    h = await startBotHarness({ bot: { autoRetry: { maxDelaySeconds: 2 } } });
    h.api.failNext('sendMessage', 1, { retryAfter: 1 });
    const calls = await h.say(OWNER, '/help');
    expect(calls.filter((c) => c.method === 'sendMessage').map((c) => c.ok)).toEqual([false, true]);
  });

  it('a failing handler is answered and the bot goes on', async () => {
    const t = createTestApp();
    t.app.getStatus = async () => {
      throw new Error('database is locked');
    };
    h = await startBotHarness({ testApp: t });
    expect(texts(await h.say(OWNER, '/status'))).toMatch(/Something went wrong/);
    expect(texts(await h.say(OWNER, '/help'))).toMatch(/Commands/);
  });

  it('a settings dialogue survives a restart of the bot (state in conv_state)', async () => {
    api = await new FakeBotApi().start();
    const t = createTestApp();
    h = await startBotHarness({ api, testApp: t });
    await h.say(OWNER, '/settings');
    // Walk straight to "Enter a value" of reserve.usdc through the real menu buttons.
    const kbOf = (c: { payload: Record<string, unknown> }) =>
      (
        (c.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
          .inline_keyboard ?? []
      ).flat();
    const mid = 1000;
    const general = kbOf(api.sent('sendMessage').at(-1)!).find((b) => b.text === 'General')!;
    await h.tap(OWNER, general.callback_data, mid);
    const param = kbOf(api.sent('editMessageText').at(-1)!).find((b) => b.text.startsWith('reserve.usdc'))!;
    await h.tap(OWNER, param.callback_data, mid);
    const enter = kbOf(api.sent('editMessageText').at(-1)!).find((b) => b.text.includes('Enter a value'))!;
    await h.tap(OWNER, enter.callback_data, mid);
    await h.transport.stop();
    expect((t.db.prepare('SELECT COUNT(*) AS n FROM conv_state').get() as { n: number }).n).toBe(1);
    const restarted = await startBotHarness({ api, testApp: t });
    h = restarted;
    expect(texts(await restarted.say(OWNER, '60'))).toMatch(/<code>50<\/code> → <code>60<\/code>/);
    // The typed value ends on the confirm screen; its Save button saves it.
    const confirm = kbOf(api.sent('sendMessage').at(-1)!).find((b) => b.text.includes('Save'))!;
    await restarted.tap(OWNER, confirm.callback_data, 1000 + api.sent('sendMessage').length - 1);
    expect(t.settings.getText('reserve.usdc')).toBe('60');
    api = undefined; // closed by h.stop()
  });
});
