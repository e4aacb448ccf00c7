import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../src/notify/Notifier.js';
import { Outbox } from '../../src/notify/Outbox.js';
import { OutboxSender } from '../../src/notify/OutboxSender.js';
import { ConsoleChat } from '../../src/telegram/console/ConsoleChat.js';
import { createTestApp, type TestApp } from '../helpers/memoryCore.js';

let t: TestApp;
let input: PassThrough;
let out: string;
let chat: ConsoleChat;
let dir: string;

beforeEach(() => {
  t = createTestApp();
  input = new PassThrough();
  out = '';
  dir = mkdtempSync(join(tmpdir(), 'console-'));
  const output = new PassThrough();
  output.on('data', (d: Buffer) => (out += d.toString('utf8')));
  chat = new ConsoleChat({ app: t.app, db: t.db, input, output, clock: t.clock, photoDir: dir });
  chat.start();
});
afterEach(async () => {
  await chat.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Types lines into the stream and waits until the bot handled them. */
async function typeLines(...lines: string[]): Promise<string> {
  const before = out.length;
  for (const line of lines) {
    input.write(`${line}\n`);
    await new Promise((r) => setImmediate(r));
    await chat.idle();
  }
  return out.slice(before);
}

describe('console chat', () => {
  it('turns typed lines into commands and prints the answers as text', async () => {
    const status = await typeLines('/status');
    expect(status).toMatch(/Autopilot · 🧪 paper on simulator · ▶️ running/);
    expect(status, 'HTML rendered as text').not.toMatch(/<b>|&lt;/);
  });

  it('shows inline keyboards as numbered buttons picked by typing the number', async () => {
    const menu = await typeLines('/settings');
    expect(menu).toMatch(/\[1\] General/);
    const group = await typeLines('5'); // scanner
    expect(group).toMatch(/→ scanner/);
    const minScore = /\[(\d+)\] minScore: 60/.exec(group)![1]!;
    const param = await typeLines(minScore);
    expect(param).toMatch(/scanner\.minScore/);
    const plus = /\[(\d+)\] \+ 5/.exec(param)![1]!;
    const tapped = await typeLines(plus);
    expect(tapped).toMatch(/» scanner\.minScore: 60 → 65\? Save below/);
    expect(t.settings.get('scanner.minScore'), 'asked, not written').toBe(60);
    const saved = await typeLines(/\[(\d+)\] ✅ Save/.exec(tapped)![1]!);
    expect(saved).toMatch(/✅ scanner\.minScore: 60 → 65/);
    expect(t.settings.get('scanner.minScore')).toBe(65);
    expect(t.settings.history('scanner.minScore')[0]?.actor).toBe('console:1');
  });

  it('runs the enter-a-value conversation in the console too', async () => {
    await typeLines('/settings', '5');
    const group = out;
    await typeLines(/\[(\d+)\] minScore: 60/.exec(group)![1]!);
    const enter = /\[(\d+)\] ✏️ Enter a value/.exec(out)![1]!;
    const ask = await typeLines(enter);
    expect(ask).toMatch(/Send a new value for scanner\.minScore/);
    expect(await typeLines('101')).toMatch(/must be within 0…100/);
    const confirm = await typeLines('70');
    expect(confirm).toMatch(/60 → 70/);
    const saved = await typeLines(/\[(\d+)\] ✅ Save/.exec(confirm)![1]!);
    expect(saved).toMatch(/✅ scanner\.minScore: 60 → 70/);
    expect(saved.match(/Send a new value/g), 'replays do not print old messages again').toBeNull();
    expect(await typeLines('/get scanner.minScore')).toMatch(/scanner\.minScore = 70/);
  });

  it('prints notifications from the outbox as they happen, with pickable buttons', async () => {
    const outbox = new Outbox(t.db, t.clock);
    const sender = new OutboxSender({
      outbox,
      send: chat.send,
      clock: t.clock,
      perChatIntervalMs: 0,
      sleep: async (ms) => t.clock.advance(ms),
    });
    const notifier = new Notifier({
      outbox,
      db: t.db,
      settings: t.settings,
      chatIds: [chat.chatId],
      clock: t.clock,
      precisionOf: () => undefined,
    });
    const c = t.confirmations.create({
      kind: 'order',
      payload: '{}',
      summary: 'BUY 0.001 ETHUSDC',
      ttlMs: 600_000,
    });
    notifier.handle({
      type: 'intent.proposed',
      confirmationId: c.id,
      origin: 'accumulate',
      summary: 'BUY 0.001 ETHUSDC @ 3,100',
      expiresAt: c.expiresAt,
    });
    await sender.drain();
    expect(out).toMatch(/🔔 🤔 accumulate proposes:\nBUY 0\.001 ETHUSDC @ 3,100/);
    const done = await typeLines(/\[(\d+)\] ✅ Confirm/.exec(out)![1]!);
    expect(done).toMatch(/» Done/);
    expect(t.core.executed).toEqual(['{}']);
  });

  it('saves chart pictures to a file', async () => {
    t.core.chart = Buffer.from('89504e47', 'hex');
    const shown = await typeLines('/chart');
    expect(shown).toMatch(/picture saved to/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.png'))).toHaveLength(1);
  });

  it('keeps running when the input ends', async () => {
    input.end();
    await new Promise((r) => setImmediate(r));
    expect(out).toMatch(/input closed: the bot keeps running/);
    await chat.type('/help');
    expect(out).toMatch(/\/panic/);
  });
});
