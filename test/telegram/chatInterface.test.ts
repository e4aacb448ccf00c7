import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/app/events.js';
import { createChatInterface, type ChatInterface } from '../../src/telegram/ChatInterface.js';
import { OWNER, texts } from '../helpers/botHarness.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';
import { createTestApp } from '../helpers/memoryCore.js';
import { textUpdate } from '../helpers/updates.js';

let chat: ChatInterface | undefined;
let api: FakeBotApi | undefined;
afterEach(async () => {
  await chat?.stop();
  await api?.close();
  chat = undefined;
  api = undefined;
});

const alert = { type: 'alert', severity: 'critical', key: 'k', message: 'trading stopped: auth' } as const;

describe('createChatInterface', () => {
  it('without a token: console chat, notifications printed', async () => {
    const t = createTestApp();
    const bus = new EventBus();
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    chat = createChatInterface({
      config: { telegram: { apiRoot: 'http://127.0.0.1:9', ownerIds: [], viewerIds: [] }, tzReports: 'UTC' },
      app: t.app,
      db: t.db,
      settings: t.settings,
      bus,
      input,
      output,
    });
    await chat.start();
    expect(chat.mode).toBe('console');
    bus.emit(alert);
    await chat.console!.type('/help');
    for (let n = 0; n < 50 && !/trading stopped/.test(out); n++) await new Promise((r) => setTimeout(r, 10));
    expect(out).toMatch(/🔔 🚨 trading stopped: auth/);
    expect(out).toMatch(/\/panic/);
  });

  it('with a token: polls Telegram and sends notifications to every owner', async () => {
    api = await new FakeBotApi().start();
    const t = createTestApp();
    const bus = new EventBus();
    chat = createChatInterface({
      config: {
        telegram: { token: api.token, apiRoot: api.apiRoot, ownerIds: [OWNER, 112], viewerIds: [] },
        tzReports: 'UTC',
      },
      app: t.app,
      db: t.db,
      settings: t.settings,
      bus,
    });
    await chat.start();
    bus.emit(alert);
    await api.waitForCall('sendMessage', 2);
    expect(
      api
        .sent('sendMessage')
        .map((c) => String(c.payload.chat_id))
        .sort(),
    ).toEqual(['111', '112']);
    const u = api.pushUpdate(textUpdate(OWNER, '/help'));
    await api.waitForHandled(u.update_id);
    expect(texts(api.callsTo(OWNER))).toMatch(/\/panic/);
  });
});
