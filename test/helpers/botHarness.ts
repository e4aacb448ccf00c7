/**
 * Starts the real grammY bot (createBot + TelegramTransport, the runner's polling) against the
 * fake Bot API server, over an AppService with in-memory core ports.
 */
import { createBot, type CreateBotOptions } from '../../src/telegram/createBot.js';
import { TelegramTransport } from '../../src/telegram/TelegramTransport.js';
import { FakeBotApi, type RecordedCall } from './fakeBotApi.js';
import { createTestApp, type TestApp } from './memoryCore.js';
import { callbackUpdate, textUpdate } from './updates.js';

export const OWNER = 111;
export const VIEWER = 222;
export const STRANGER = 333;

export interface BotHarness extends TestApp {
  readonly api: FakeBotApi;
  readonly transport: TelegramTransport;
  /** Sends a text from `userId`, waits until the bot handled it, returns the calls it caused. */
  say(userId: number, text: string): Promise<RecordedCall[]>;
  /** Taps a button, as `say`. */
  tap(userId: number, data: string, messageId?: number): Promise<RecordedCall[]>;
  /** The HTML of every sendMessage/editMessageText in `calls`, joined. */
  stop(): Promise<void>;
}

export function texts(calls: readonly RecordedCall[]): string {
  return calls
    .filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText')
    .map((c) => String(c.payload.text))
    .join('\n---\n');
}

/** The callback_data of every button of the last message with a keyboard among `calls`. */
export function buttons(
  calls: readonly RecordedCall[],
): { text: string; data: string; messageId?: number }[] {
  const withKb = [...calls]
    .reverse()
    .find((c) => (c.payload.reply_markup as { inline_keyboard?: unknown })?.inline_keyboard);
  if (!withKb) return [];
  const kb = (
    withKb.payload.reply_markup as { inline_keyboard: { text: string; callback_data?: string }[][] }
  ).inline_keyboard;
  const messageId = withKb.method === 'sendMessage' ? undefined : Number(withKb.payload.message_id);
  return kb.flat().map((b) => ({ text: b.text, data: b.callback_data ?? '', messageId }));
}

export async function startBotHarness(
  options: { testApp?: TestApp; bot?: Partial<CreateBotOptions>; api?: FakeBotApi } = {},
): Promise<BotHarness> {
  const api = options.api ?? (await new FakeBotApi().start());
  const t = options.testApp ?? createTestApp();
  const bot = createBot({
    token: api.token,
    apiRoot: api.apiRoot,
    ownerIds: [OWNER],
    viewerIds: [VIEWER],
    app: t.app,
    db: t.db,
    clock: t.clock,
    rateLimit: false,
    ...options.bot,
  });
  const transport = new TelegramTransport({ bot, pollTimeoutSec: 1 });
  await transport.start();
  const run = async (userId: number, update: Parameters<FakeBotApi['pushUpdate']>[0]) => {
    const before = api.calls.length;
    const u = api.pushUpdate(update);
    // Telegram learns an update was fetched from the next getUpdates; the runner then handles it
    // concurrently, so wait for the handlers too.
    await api.waitForHandled(u.update_id);
    await transport.idle();
    return api.calls.slice(before).filter((c) => c.method !== 'getUpdates');
  };
  return {
    ...t,
    api,
    transport,
    say: (userId, text) => run(userId, textUpdate(userId, text)),
    tap: (userId, data, messageId) => run(userId, callbackUpdate(userId, data, messageId)),
    stop: async () => {
      await transport.stop();
      await api.close();
    },
  };
}
