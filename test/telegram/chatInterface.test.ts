import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/domain/events.js';
import { ManualClock } from '../../src/common/clock.js';
import { createChatInterface, type ChatInterface } from '../../src/runtime/ChatInterface.js';
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
      precisionOf: () => undefined,
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
      precisionOf: () => undefined,
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
    api.pushUpdate(textUpdate(OWNER, '/help'));
    await api.waitForCall('sendMessage', 3);
    expect(texts(api.callsTo(OWNER))).toMatch(/\/panic/);
  });

  it('paces Telegram sends in real time even when the bot runs on a faster simulated clock', async () => {
    api = await new FakeBotApi().start();
    // A simulated clock far from real time, as with SIM_SPEED 60 after a while.
    const simulated = new ManualClock(Date.UTC(2031, 5, 1));
    const t = createTestApp({ clock: simulated });
    const bus = new EventBus();
    chat = createChatInterface({
      config: {
        telegram: { token: api.token, apiRoot: api.apiRoot, ownerIds: [OWNER], viewerIds: [] },
        tzReports: 'UTC',
      },
      app: t.app,
      db: t.db,
      settings: t.settings,
      bus,
      precisionOf: () => undefined,
      clock: simulated,
    });
    api.failNext('sendMessage', 1, { retryAfter: 1 });
    await chat.start();
    const before = Date.now();
    bus.emit(alert);
    await api.waitForCall('sendMessage', 1);
    const row = () =>
      t.db.prepare('SELECT status, not_before, last_error FROM outbox').get() as {
        status: string;
        not_before: number;
        last_error: string | null;
      };
    for (let n = 0; n < 100 && row().last_error === null; n++) await new Promise((r) => setTimeout(r, 10));
    const after = Date.now();
    expect(row().status, 'the refused message waits for its retry').toBe('pending');
    expect(
      row().not_before,
      'retry_after 1 s counts from real time, not from the simulated clock',
    ).toBeGreaterThanOrEqual(before + 1000);
    expect(row().not_before, 'and is not postponed beyond the second Telegram asked for').toBeLessThanOrEqual(
      after + 1000,
    );
  });
});
