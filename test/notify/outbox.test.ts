import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/notify/Outbox.js';
import { OutboxSender } from '../../src/notify/OutboxSender.js';
import { telegramSend } from '../../src/telegram/telegramSend.js';
import { openDatabase, type Db } from '../../src/persistence/db.js';
import { migrate } from '../../src/persistence/migrate.js';
import { ManualClock } from '../../src/common/clock.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';

const CHAT = 111;
let api: FakeBotApi;
let dir: string;
let dbs: Db[] = [];

beforeEach(async () => {
  api = await new FakeBotApi().start();
  dir = mkdtempSync(join(tmpdir(), 'outbox-'));
});
afterEach(async () => {
  for (const db of dbs) if (db.open) db.close();
  dbs = [];
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): Db {
  const db = openDatabase(join(dir, 'bot.db'));
  migrate(db);
  dbs.push(db);
  return db;
}

function sender(
  db: Db,
  clock: ManualClock,
  extra: Partial<ConstructorParameters<typeof OutboxSender>[0]> = {},
) {
  const outbox = new Outbox(db, clock);
  const s = new OutboxSender({
    outbox,
    send: telegramSend(new Api(api.token, { apiRoot: api.apiRoot })),
    clock,
    perChatIntervalMs: 1000,
    sleep: async (ms) => clock.advance(ms),
    ...extra,
  });
  return { outbox, sender: s };
}

const delivered = () => api.sent('sendMessage').map((c) => String(c.payload.text));

describe('Outbox and OutboxSender', () => {
  it('sends in order, paced per chat, each message once', async () => {
    const clock = new ManualClock();
    const { outbox, sender: s } = sender(open(), clock);
    const start = clock.now();
    for (let n = 1; n <= 5; n++)
      outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: `message <b>${n}</b>` });
    await s.drain();
    expect(delivered()).toEqual([1, 2, 3, 4, 5].map((n) => `message <b>${n}</b>`));
    expect(clock.now() - start, 'four 1 s gaps between five messages').toBeGreaterThanOrEqual(4000);
    expect(outbox.pendingCount()).toBe(0);
  });

  it('survives a restart mid-queue: killed between messages, every message arrives once, in order', async () => {
    const clock = new ManualClock();
    const first = sender(open(), clock, { perChatIntervalMs: 0 });
    for (let n = 1; n <= 6; n++) first.outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: `m${n}` });
    await first.sender.pump();
    await first.sender.pump();
    // The process dies here: the third row was claimed but its request never left.
    const heads = first.outbox.heads();
    expect(first.outbox.claim(heads[0]!.id)).toBe(true);
    dbs[0]!.close();

    const second = sender(open(), clock, { perChatIntervalMs: 0 });
    await second.sender.drain();
    expect(delivered(), 'each once, in order').toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    const rows = dbs[1]!.prepare('SELECT status, attempts FROM outbox ORDER BY id').all() as {
      status: string;
      attempts: number;
    }[];
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows[2]!.attempts, 'the interrupted row was tried twice').toBe(2);
  });

  it('never resends a row marked sent, even after a restart', async () => {
    const clock = new ManualClock();
    const first = sender(open(), clock);
    first.outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: 'once' });
    await first.sender.drain();
    dbs[0]!.close();
    const second = sender(open(), clock);
    await second.sender.drain();
    expect(delivered()).toEqual(['once']);
  });

  it('a 429 storm delays but loses nothing and keeps the order', async () => {
    const clock = new ManualClock();
    const { outbox, sender: s } = sender(open(), clock, { perChatIntervalMs: 0 });
    for (let n = 1; n <= 8; n++) outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: `s${n}` });
    api.failNext('sendMessage', 5, { retryAfter: 3 });
    const start = clock.now();
    await s.drain();
    expect(delivered()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `s${n}`));
    expect(api.calls.filter((c) => c.errorCode === 429)).toHaveLength(5);
    expect(clock.now() - start, 'waited retry_after each time').toBeGreaterThanOrEqual(15_000);
  });

  it('backs off on network errors and delivers once the API is back', async () => {
    const clock = new ManualClock();
    const db = open();
    const outbox = new Outbox(db, clock);
    let failures = 3;
    const real = telegramSend(new Api(api.token, { apiRoot: api.apiRoot }));
    const s = new OutboxSender({
      outbox,
      clock,
      sleep: async (ms) => clock.advance(ms),
      backoffMs: 1000,
      send: async (m) => {
        if (failures-- > 0)
          throw new (await import('grammy')).HttpError('Network request failed', new Error('ECONNRESET'));
        return real(m);
      },
    });
    outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: 'after outage' });
    const start = clock.now();
    await s.drain();
    expect(delivered()).toEqual(['after outage']);
    expect(clock.now() - start, '1 + 2 + 4 s of backoff').toBeGreaterThanOrEqual(7000);
  });

  it('resends as plain text when Telegram refuses the markup, instead of losing the message', async () => {
    const clock = new ManualClock();
    const { outbox, sender: s } = sender(open(), clock);
    outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: 'broken <b>markup' });
    await s.drain();
    expect(delivered()).toEqual(['broken markup']);
  });

  it('splits long texts below 4096 characters; every part is accepted', async () => {
    const clock = new ManualClock();
    const { outbox, sender: s } = sender(open(), clock, { perChatIntervalMs: 0 });
    const line = (n: number) => `<b>line ${n}</b> ${'x&amp;y '.repeat(20)}`;
    const text = Array.from({ length: 120 }, (_, n) => line(n)).join('\n');
    const ids = outbox.enqueue({ chatIds: [CHAT], kind: 'long', text });
    expect(ids.length).toBeGreaterThan(1);
    await s.drain();
    const parts = api.sent('sendMessage');
    expect(parts).toHaveLength(ids.length);
    expect(
      api.calls.filter((c) => !c.ok),
      'no part refused',
    ).toEqual([]);
    expect(parts.every((p) => String(p.payload.text).length <= 4096)).toBe(true);
    expect(parts.map((p) => String(p.payload.text)).join('\n'), 'nothing lost').toBe(text);
  });

  it('paces a chat so the per-chat limit of Telegram is never hit (real clock)', async () => {
    await api.close();
    api = await new FakeBotApi({ perChatMinIntervalMs: 40 }).start();
    const db = open();
    const outbox = new Outbox(db, new ManualClock());
    const s = new OutboxSender({
      outbox,
      send: telegramSend(new Api(api.token, { apiRoot: api.apiRoot })),
      perChatIntervalMs: 50,
    });
    for (let n = 1; n <= 4; n++) outbox.enqueue({ chatIds: [CHAT, 112], kind: 'test', text: `p${n}` });
    await s.drain();
    expect(
      api.calls.filter((c) => c.errorCode === 429),
      'never rate limited',
    ).toEqual([]);
    expect(api.callsTo(CHAT).map((c) => c.payload.text)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(api.callsTo(112)).toHaveLength(4);
  });

  it('runs as a background loop that wakes on enqueue and stops cleanly', async () => {
    const db = open();
    const outbox = new Outbox(db, new ManualClock());
    const s = new OutboxSender({
      outbox,
      send: telegramSend(new Api(api.token, { apiRoot: api.apiRoot })),
      perChatIntervalMs: 0,
      idleMs: 60_000,
    });
    s.start();
    outbox.enqueue({ chatIds: [CHAT], kind: 'test', text: 'live' });
    await api.waitForCall('sendMessage');
    await s.stop();
    expect(delivered()).toEqual(['live']);
  });
});
