import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, VIEWER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';
import type { RecordedCall } from '../helpers/fakeBotApi.js';

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness();
});
afterEach(async () => {
  await h.stop();
});

const answerOf = (calls: readonly RecordedCall[]) =>
  calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text;

/** `/set` then ✅ Save on its confirm screen, through the chat. */
async function setAndSave(text: string) {
  await h.tap(OWNER, buttons(await h.say(OWNER, text))[0]!.data);
}

/** /set 65 then /set 70, each saved (versions #1 and #2), through the chat. */
async function twoChanges() {
  await setAndSave('/set scanner.minScore 65');
  h.clock.advance(60_000);
  await setAndSave('/set scanner.minScore 70');
  h.clock.advance(60_000);
}

describe('/history and undo', () => {
  it('lists who, when and old → new, newest first, with an undo button on each', async () => {
    await twoChanges();
    const list = await h.say(OWNER, '/history');
    const text = texts(list);
    expect(text).toMatch(/Settings history.*times in UTC/);
    expect(text).toMatch(
      /<b>#2<\/b> 12:01 scanner\.minScore <code>65<\/code> → <code>70<\/code> <i>by tg:111<\/i>\n<b>#1<\/b> 12:00 scanner\.minScore <code>60<\/code> → <code>65<\/code>/,
    );
    expect(buttons(list).map((b) => [b.text, b.data])).toEqual([
      ['↩ Undo #2', 'hu:2'],
      ['↩ Undo #1', 'hu:1'],
    ]);
    const one = texts(await h.say(OWNER, '/history reserve.usdc'));
    expect(one).toMatch(/History of reserve\.usdc.*\nNo changes recorded yet/);
    expect(texts(await h.say(OWNER, '/history nosuch.key'))).toMatch(/nosuch\.key<\/code> is not a setting/);
  });

  it('undo asks for confirmation, restores the old value as a new version, and says which it undid', async () => {
    await twoChanges();
    const ask = await h.tap(OWNER, 'hu:2');
    expect(texts(ask)).toMatch(
      /↩ Undo #2: change <b>scanner\.minScore<\/b> back\?\n<code>70<\/code> → <code>65<\/code>/,
    );
    expect(h.settings.get('scanner.minScore'), 'nothing changes before confirming').toBe(70);
    expect(
      buttons(ask).map((b) => b.text),
      'the one confirm screen, without −/+ for an undo',
    ).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel']);
    const [confirm, , skip] = buttons(ask);
    expect(confirm!.data).toMatch(/^c:y:/);
    expect(skip!.data).toMatch(/^c:n:/);

    const done = await h.tap(OWNER, confirm!.data);
    expect(answerOf(done)).toBe('Done');
    expect(texts(done)).toMatch(/scanner\.minScore: 70 → 65 \(version #3\)/);
    expect(h.settings.get('scanner.minScore')).toBe(65);
    expect(h.settings.history('scanner.minScore')[0]).toMatchObject({
      id: 3,
      oldValue: '70',
      newValue: '65',
      actor: `tg:${OWNER}`,
      revertsId: 2,
    });
    expect(texts(await h.say(OWNER, '/history scanner.minScore'))).toMatch(
      /<b>#3<\/b> 12:02 <code>70<\/code> → <code>65<\/code> <i>by tg:111 · ↩ undo of #2<\/i>/,
    );
    const again = await h.tap(OWNER, confirm!.data);
    expect(answerOf(again), 'a confirmation works once').toBe('Already confirmed');
    expect(h.settings.history('scanner.minScore'), 'no fourth version').toHaveLength(3);

    // The undo is a version like any other: undoing it brings 70 back.
    const redo = await h.tap(OWNER, 'hu:3');
    await h.tap(OWNER, buttons(redo)[0]!.data);
    expect(h.settings.get('scanner.minScore')).toBe(70);
  });

  it('refuses a stale undo clearly: when asked, and when the value changed between asking and confirming', async () => {
    await twoChanges();
    const stale = await h.tap(OWNER, 'hu:1');
    expect(answerOf(stale)).toBe('Cannot undo');
    expect(texts(stale)).toMatch(
      /scanner\.minScore is now 70, no longer 65 as #1 set it: undoing #1 would overwrite a later change, so nothing changed/,
    );
    expect(buttons(stale), 'nothing to confirm').toEqual([]);

    const ask = await h.tap(OWNER, 'hu:2');
    await setAndSave('/set scanner.minScore 80');
    const late = await h.tap(OWNER, buttons(ask)[0]!.data);
    expect(answerOf(late)).toBe('Failed');
    expect(texts(late)).toMatch(
      /scanner\.minScore changed since this was asked \(now 80, not 70\), so nothing was changed/,
    );
    expect(h.settings.get('scanner.minScore')).toBe(80);
    expect(h.settings.history('scanner.minScore').map((v) => v.newValue)).toEqual(['80', '70', '65']);

    expect(texts(await h.tap(OWNER, 'hu:99'))).toMatch(/There is no change #99/);
  });

  it('skipping an undo changes nothing', async () => {
    await twoChanges();
    const ask = await h.tap(OWNER, 'hu:2');
    expect(answerOf(await h.tap(OWNER, buttons(ask)[2]!.data))).toBe('Skipped');
    expect(h.settings.get('scanner.minScore')).toBe(70);
    expect(h.settings.history()).toHaveLength(2);
  });

  it('a viewer reads the history without undo buttons and cannot undo', async () => {
    await twoChanges();
    const list = await h.say(VIEWER, '/history');
    expect(texts(list)).toMatch(/#2.*65<\/code> → <code>70/);
    expect(buttons(list), 'no buttons for a viewer').toEqual([]);
    expect(answerOf(await h.tap(VIEWER, 'hu:2'))).toMatch(/Read-only/);
    const ask = await h.tap(OWNER, 'hu:2');
    expect(answerOf(await h.tap(VIEWER, buttons(ask)[0]!.data)), 'nor confirm the owner’s undo').toMatch(
      /Read-only/,
    );
    expect(h.settings.get('scanner.minScore')).toBe(70);
    expect(h.settings.history()).toHaveLength(2);
  });
});
