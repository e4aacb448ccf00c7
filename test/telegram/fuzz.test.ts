/**
 * Fuzz: a few thousand seeded random inputs (texts, commands with random arguments, forged
 * button data) from the owner, a viewer and a stranger through the real bot against the fake
 * Bot API. The bot stays up, every owner and viewer input gets an answer, Telegram never
 * refuses a call (escaping, lengths, callback data), strangers get nothing, and settings change
 * only for valid owner inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from 'grammy';
import { SETTING_KEYS } from '../../src/settings/definitions.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { COMMANDS } from '../../src/telegram/commandList.js';
import type { BotContext } from '../../src/telegram/context.js';
import { createBot } from '../../src/telegram/createBot.js';
import { FAKE_BOT_INFO, FakeBotApi, type RecordedCall } from '../helpers/fakeBotApi.js';
import { createTestApp, type TestApp } from '../helpers/memoryCore.js';
import { callbackUpdate, textUpdate, withId } from '../helpers/updates.js';

const OWNER = 111;
const VIEWER = 222;
const STRANGER = 333;
const INPUTS = 2500;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = mulberry32(20260115);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const int = (max: number) => Math.floor(rnd() * max);
const ALPHABET = 'abcXYZ019 ._-/<>&"\'#@:;,*+=!?\n\t€😀йё';
function randomString(max: number): string {
  let s = '';
  for (let n = int(max + 1); n > 0; n--) s += pick([...ALPHABET]);
  return s;
}
function randomValue(): string {
  return pick([
    () => String(int(200) - 50),
    () => (rnd() * 1000).toFixed(int(6)),
    () => pick(['on', 'off', 'yes', 'auto', 'confirm', 'notify', 'none', '23-07', 'off']),
    () => '*/5 * * * *',
    () => 'PEPEUSDT,DOGEUSDT',
    () => randomString(12),
    () => '1e9',
    () => '',
  ])();
}
function randomCallback(): string {
  const forged = pick([
    () => randomString(20),
    () => `st/${int(3)}/${int(3)}/g${int(12)}/${randomString(4)}`,
    () => `st-k/${int(5)}/${int(3)}/k${int(80)}/h${randomString(4)}`,
    () => `st-g/${int(20)}/0/${randomString(5)}/f${randomString(3)}`,
    () => `st/-1/zz//h`,
    () => `pz:${pick([...STRATEGY_IDS, 'all', randomString(6)])}`,
    () => `rs:${pick([...STRATEGY_IDS, 'all', randomString(6)])}`,
    () => `c:${pick(['y', 'n', 'x'])}:${randomString(10)}`,
    () => `o:x:${randomString(12)}`,
    () => `ch:${pick(['1d', '7d', '30d', 'all', randomString(3)])}`,
    () => pick(['cv:y', 'cv:n']),
  ])();
  // Telegram never delivers more than 64 bytes of callback data.
  let data = forged;
  while (Buffer.byteLength(data) > 64) data = data.slice(0, -1);
  return data || 'x';
}

interface Input {
  readonly userId: number;
  readonly kind: 'text' | 'tap';
  readonly text: string;
  /** The input may legitimately change settings. */
  readonly mayChange: boolean;
  /** For a valid /set: the key and the canonical value it must write once saved on its confirm screen. */
  readonly expect?: { readonly key: string; readonly value: string };
}

let t: TestApp;
let api: FakeBotApi;
let bot: Bot<BotContext>;

beforeAll(async () => {
  api = await new FakeBotApi().start();
  t = createTestApp();
  bot = createBot({
    token: api.token,
    apiRoot: api.apiRoot,
    ownerIds: [OWNER],
    viewerIds: [VIEWER],
    app: t.app,
    db: t.db,
    clock: t.clock,
    botInfo: FAKE_BOT_INFO,
    rateLimit: false,
  });
});
afterAll(async () => {
  await api.close();
});

function makeInput(): Input {
  const userId = pick([OWNER, OWNER, OWNER, OWNER, VIEWER, STRANGER]);
  const owner = userId === OWNER;
  const roll = rnd();
  if (roll < 0.25) {
    const key = rnd() < 0.8 ? pick(SETTING_KEYS) : randomString(10).replace(/\s/g, '');
    const value = randomValue();
    const text = `/set ${key} ${value}`;
    const parsed = /^\/set (\S+)\s+([\s\S]+)$/.exec(text.trim());
    const check = parsed ? t.app.settings.validate(parsed[1]!, parsed[2]!) : { ok: false as const };
    return {
      userId,
      kind: 'text',
      text,
      mayChange: owner && check.ok,
      expect: owner && check.ok && parsed ? { key: parsed[1]!, value: check.value } : undefined,
    };
  }
  if (roll < 0.55) {
    const cmd = pick(COMMANDS).command;
    const arg = pick([
      '',
      randomString(30),
      pick([...STRATEGY_IDS, 'all']),
      pick(['PEPEUSDT', 'btcusdt', 'x', 'TOOLONGSYMBOLNAME1234567']),
      String(int(100)),
      randomString(300),
    ]);
    const text = `/${cmd}${arg ? ` ${arg}` : ''}`;
    const validTarget =
      /^(pause|resume)$/.test(cmd) && (arg === 'all' || (STRATEGY_IDS as readonly string[]).includes(arg));
    const validSymbol = /^(exclude|include)$/.test(cmd) && /^[A-Za-z0-9]{2,20}$/.test(arg.trim());
    return { userId, kind: 'text', text, mayChange: owner && (validTarget || validSymbol) };
  }
  if (roll < 0.7) return { userId, kind: 'text', text: randomString(60) || '?', mayChange: false };
  const data = randomCallback();
  const validButton =
    /^(pz|rs):(all|accumulate|take-profit|scanner|alt-profit|split-balance|core-balance)$/.test(data);
  return { userId, kind: 'tap', text: data, mayChange: owner && validButton };
}

/** The ✅ Save button of the confirm screen among `calls`, if one was sent. */
function saveButton(calls: readonly RecordedCall[]): string | undefined {
  for (const c of calls) {
    const kb = (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] })
      ?.inline_keyboard;
    const data = kb?.flat().find((b) => b.callback_data?.startsWith('c:y:'))?.callback_data;
    if (data) return data;
  }
  return undefined;
}

/** Settings changes plus pause/resume changes (per-strategy pauses are audit rows, not settings). */
const historyCount = () =>
  (t.db.prepare('SELECT COUNT(*) AS n FROM settings_history').get() as { n: number }).n +
  (
    t.db
      .prepare("SELECT COUNT(*) AS n FROM events WHERE type IN ('strategy.pause', 'strategy.resume')")
      .get() as { n: number }
  ).n;

describe('fuzz', () => {
  it(`survives ${INPUTS} random inputs: answers everyone allowed, changes settings only for valid inputs`, async () => {
    const failures: string[] = [];
    for (let n = 0; n < INPUTS; n++) {
      const input = makeInput();
      const before = api.calls.length;
      const historyBefore = historyCount();
      const update =
        input.kind === 'text'
          ? textUpdate(input.userId, input.text)
          : callbackUpdate(input.userId, input.text, 1000 + int(50));
      try {
        await bot.handleUpdate(withId(update, n + 1));
      } catch (error) {
        failures.push(`#${n} ${input.text.slice(0, 40)}: threw ${String(error)}`);
      }
      // Let background replies (a /scan result) land before judging the next input.
      await new Promise((r) => setImmediate(r));
      // A valid /set only asks: save it on its confirm screen, so the write can be judged.
      const save = input.expect ? saveButton(api.calls.slice(before)) : undefined;
      if (save) await bot.handleUpdate(withId(callbackUpdate(input.userId, save), INPUTS + n + 1));
      const calls = api.calls.slice(before);
      const queryId = update.callback_query?.id;
      const mine = calls.filter(
        (c) =>
          String(c.payload.chat_id) === String(input.userId) ||
          (queryId !== undefined && c.payload.callback_query_id === queryId),
      );
      const answered = mine.length > 0;
      if (input.userId === STRANGER && answered)
        failures.push(`#${n} answered a stranger: ${input.text.slice(0, 40)}`);
      if (input.userId !== STRANGER && !answered)
        failures.push(`#${n} no answer to ${input.userId}: ${JSON.stringify(input.text.slice(0, 60))}`);
      const refused = calls.filter((c) => !c.ok && !/not modified/.test(c.description ?? ''));
      for (const c of refused)
        failures.push(
          `#${n} ${c.method} refused: ${c.description} for ${JSON.stringify(input.text.slice(0, 60))}`,
        );
      const changed = historyCount() - historyBefore;
      if (changed > 0 && !input.mayChange)
        failures.push(
          `#${n} settings changed by an invalid input: ${JSON.stringify(input.text.slice(0, 60))}`,
        );
      if (input.expect && changed > 0) {
        const last = t.app.settings.history(undefined, 1)[0]!;
        if (last.key !== input.expect.key || last.newValue !== input.expect.value) {
          failures.push(
            `#${n} wrote ${last.key}=${last.newValue}, expected ${input.expect.key}=${input.expect.value}`,
          );
        }
      }
      if (failures.length > 20) break;
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(historyCount(), 'some valid inputs did change settings').toBeGreaterThan(10);
    expect(t.core.panicCalls, 'a forged confirmation never triggers the kill switch').toEqual([]);
  });
});
