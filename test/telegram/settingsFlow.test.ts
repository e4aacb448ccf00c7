import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../src/settings/definitions.js';
import { OWNER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';
import type { RecordedCall } from '../helpers/fakeBotApi.js';

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness();
});
afterEach(async () => {
  await h.stop();
});

const answerText = (calls: RecordedCall[]) =>
  calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text;

const messageIdOf = (calls: RecordedCall[]) => {
  const sent = [...calls].reverse().find((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
  return sent?.method === 'editMessageText' ? Number(sent.payload.message_id) : undefined;
};

/** Opens /settings and walks to a parameter screen, returning its message id and buttons. */
async function openParam(group: string, param: string) {
  const menu = await h.say(OWNER, '/settings');
  const mid = 1000 + h.api.sent('sendMessage').length - 1; // the fake numbers messages from 1000
  const g = buttons(menu).find((b) => b.text === group)!;
  expect(g, `group ${group}`).toBeDefined();
  const groupScreen = await h.tap(OWNER, g.data, mid);
  const p = buttons(groupScreen).find((b) => b.text.startsWith(`${param}:`))!;
  expect(p, `parameter ${param}`).toBeDefined();
  const paramScreen = await h.tap(OWNER, p.data, mid);
  return { mid, screen: paramScreen, kb: buttons(paramScreen) };
}

describe('settings menu and the enter-a-value conversation', () => {
  it('−/+ asks on the confirm screen, steps the proposal within the range there, and writes only on Save', async () => {
    const { mid, screen, kb } = await openParam('scanner', 'minScore');
    expect(texts(screen)).toMatch(/scanner\.minScore/);
    const tap = await h.tap(OWNER, kb.find((b) => b.text === '+ 5')!.data, mid);
    expect(answerText(tap)).toMatch(/60 → 65\? Save below/);
    expect(texts(tap)).toMatch(/Change <b>scanner\.minScore<\/b>\?\n<code>60<\/code> → <code>65<\/code>/);
    const ask = buttons(tap);
    const screenId = 1000 + h.api.sent('sendMessage').length - 1;
    expect(ask.map((b) => b.text)).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel', '− 5', '+ 5']);
    expect(h.settings.get('scanner.minScore'), 'nothing written before Save').toBe(60);
    expect(h.settings.history()).toEqual([]);

    // −/+ on the confirm screen move the proposal, clamped to the range, editing that screen.
    const down = await h.tap(OWNER, ask.find((b) => b.text === '− 5')!.data, screenId);
    expect(answerText(down), 'back to the value it has: nothing to ask').toMatch(/already 60/);
    let screenKb = ask;
    for (const expected of ['70', '75']) {
      const step = await h.tap(OWNER, screenKb.find((b) => b.text === '+ 5')!.data, screenId);
      expect(texts(step)).toMatch(new RegExp(`<code>60</code> → <code>${expected}</code>`));
      screenKb = buttons(step);
    }
    expect(h.settings.get('scanner.minScore'), 'still nothing written').toBe(60);
    // The screens it replaced can no longer be saved: only the value shown is.
    expect(answerText(await h.tap(OWNER, ask[0]!.data))).toBe('Already skipped');
    const saved = await h.tap(OWNER, screenKb[0]!.data);
    expect(answerText(saved)).toBe('Done');
    expect(h.settings.get('scanner.minScore')).toBe(75);
    expect(h.settings.history('scanner.minScore')).toHaveLength(1);
    expect(h.settings.history('scanner.minScore')[0]).toMatchObject({
      oldValue: '60',
      newValue: '75',
      actor: `tg:${OWNER}`,
    });
    // At the top of the range the proposal stops there.
    const top = buttons(await h.say(OWNER, '/set scanner.minScore 100'));
    expect(answerText(await h.tap(OWNER, top.find((b) => b.text === '+ 5')!.data))).toMatch(
      /cannot go above 100/,
    );
    // The screens it replaced can no longer be saved: only the value shown is.
    expect(answerText(await h.tap(OWNER, ask[0]!.data))).toBe('Already skipped');
    // − on the menu proposes from the saved value.
    const { mid: mid2, kb: kb2 } = await openParam('scanner', 'minScore');
    const minus = await h.tap(OWNER, kb2.find((b) => b.text === '− 5')!.data, mid2);
    expect(texts(minus)).toMatch(/<code>75<\/code> → <code>70<\/code>/);
    expect(
      h.api.calls.every((c) => c.ok || /not modified/.test(c.description ?? '')),
      'no rejected call',
    ).toBe(true);
  });

  it('toggles, enum choices and ↺ Default ask on the confirm screen too; Cancel changes nothing', async () => {
    const { mid, kb } = await openParam('take-profit', 'mode');
    const choice = await h.tap(OWNER, kb.find((b) => b.text === 'confirm')!.data, mid);
    expect(texts(choice)).toMatch(/<code>auto<\/code> → <code>confirm<\/code>/);
    expect(
      buttons(choice).map((b) => b.text),
      'no −/+ for a choice',
    ).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel']);
    expect(h.settings.get('take-profit.mode')).toBe('auto');
    await h.tap(OWNER, buttons(choice)[0]!.data);
    expect(h.settings.get('take-profit.mode')).toBe('confirm');

    const { mid: mid2, kb: kb2 } = await openParam('Notifications', 'fills');
    const toggle = await h.tap(OWNER, kb2.find((b) => b.text.includes('turn off'))!.data, mid2);
    expect(texts(toggle)).toMatch(/<code>on<\/code> → <code>off<\/code>/);
    expect(answerText(await h.tap(OWNER, buttons(toggle)[2]!.data))).toBe('Skipped');
    expect(h.settings.get('notify.fills'), 'Cancel kept it').toBe(true);
    await h.tap(OWNER, kb2.find((b) => b.text.includes('turn off'))!.data, mid2);
    await h.tap(OWNER, buttons(h.api.calls)[0]!.data);
    expect(h.settings.get('notify.fills')).toBe(false);

    const { mid: mid3, kb: kb3 } = await openParam('take-profit', 'mode');
    const reset = await h.tap(OWNER, kb3.find((b) => b.text === '↺ Default')!.data, mid3);
    expect(texts(reset)).toMatch(/<code>confirm<\/code> → <code>auto<\/code>/);
    await h.tap(OWNER, buttons(reset)[0]!.data);
    expect(h.settings.get('take-profit.mode')).toBe('auto');
    expect(h.settings.history().map((v) => v.newValue)).toEqual(['auto', 'off', 'confirm']);
  });

  it('redraws instead of acting on a stale button (label changed since it was drawn)', async () => {
    const { mid, kb } = await openParam('Notifications', 'fills');
    const toggle = kb.find((b) => b.text.includes('turn off'))!;
    await h.tap(OWNER, toggle.data, mid);
    await h.tap(OWNER, buttons(h.api.calls)[0]!.data); // Save
    const stale = await h.tap(OWNER, toggle.data, mid);
    expect(h.settings.get('notify.fills'), 'the stale "turn off" proposed nothing').toBe(false);
    expect(h.confirmations.pending(h.clock.now())).toEqual([]);
    expect(answerText(stale)).toMatch(/changed/);
  });

  it('/set asks on the same confirm screen and writes only on Save; a bad or unchanged value asks nothing', async () => {
    const ask = await h.say(OWNER, '/set scanner.minScore 72');
    expect(texts(ask)).toMatch(/Change <b>scanner\.minScore<\/b>\?\n<code>60<\/code> → <code>72<\/code>/);
    expect(buttons(ask).map((b) => b.text)).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel', '− 5', '+ 5']);
    expect(h.settings.get('scanner.minScore')).toBe(60);
    expect(texts(await h.say(OWNER, '/set scanner.minScore 250'))).toMatch(/must be within 0…100/);
    expect(texts(await h.say(OWNER, '/set scanner.minScore 60'))).toMatch(/already 60: nothing to change/);
    expect(h.confirmations.pending(h.clock.now()), 'only the first asked').toHaveLength(1);
    expect(texts(await h.tap(OWNER, buttons(ask)[0]!.data))).toMatch(
      /scanner\.minScore: 60 → 72 \(version #1\)/,
    );
    expect(h.settings.get('scanner.minScore')).toBe(72);
  });

  it('enter a value: a bad value is explained and asked again, a good one is confirmed and versioned', async () => {
    const { mid, kb } = await openParam('scanner', 'minScore');
    const enter = await h.tap(OWNER, kb.find((b) => b.text.includes('Enter a value'))!.data, mid);
    expect(texts(enter)).toMatch(/Send a new value for <b>scanner\.minScore<\/b>/);
    const bad = texts(await h.say(OWNER, '250'));
    expect(bad, 'reason and valid range').toMatch(/must be within 0…100/);
    expect(bad).toMatch(/Send another value/);
    const words = texts(await h.say(OWNER, 'lots'));
    expect(words).toMatch(/expected a whole number/);
    expect(texts(await h.say(OWNER, '60')), 'the value it has').toMatch(/already 60: nothing to change/);
    const confirm = await h.say(OWNER, '72');
    expect(texts(confirm), 'old → new').toMatch(
      /Change <b>scanner\.minScore<\/b>\?\n<code>60<\/code> → <code>72<\/code>\n<i>Save within 10m/,
    );
    const screen = buttons(confirm);
    expect(screen.map((b) => b.text)).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel', '− 5', '+ 5']);
    expect(h.settings.get('scanner.minScore'), 'nothing written before confirming').toBe(60);
    const saved = await h.tap(OWNER, screen[0]!.data);
    expect(texts(saved)).toMatch(/scanner\.minScore: 60 → 72 \(version #1\)/);
    expect(h.settings.get('scanner.minScore')).toBe(72);
    const history = h.settings.history('scanner.minScore');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ oldValue: '60', newValue: '72', actor: `tg:${OWNER}` });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM conv_state').get(), 'state deleted at the end').toEqual({
      n: 0,
    });
    const after = texts(await h.say(OWNER, '80'));
    expect(after, 'the dialogue is over').toMatch(/I answer commands/);
  });

  it('/cancel mid-way leaves everything unchanged; Cancel on the confirm screen too, and a stale Save does nothing', async () => {
    const { mid, kb } = await openParam('scanner', 'minScore');
    await h.tap(OWNER, kb.find((b) => b.text.includes('Enter a value'))!.data, mid);
    expect(texts(await h.say(OWNER, '/cancel'))).toMatch(/Cancelled/);
    expect(texts(await h.say(OWNER, '70')), 'no dialogue any more').toMatch(/I answer commands/);

    await h.tap(OWNER, kb.find((b) => b.text.includes('Enter a value'))!.data, mid);
    const [save, , cancel] = buttons(await h.say(OWNER, '70'));
    expect(answerText(await h.tap(OWNER, cancel!.data))).toBe('Skipped');
    expect(answerText(await h.tap(OWNER, save!.data))).toBe('Already skipped');
    expect(h.settings.get('scanner.minScore')).toBe(60);
    expect(h.settings.history()).toEqual([]);
  });

  it('other commands still work while a value is awaited', async () => {
    const { mid, kb } = await openParam('General', 'reserve.usdc');
    await h.tap(OWNER, kb.find((b) => b.text.includes('Enter a value'))!.data, mid);
    expect(texts(await h.say(OWNER, '/status'))).toMatch(/accumulate/);
    const screen = await h.say(OWNER, '75.5');
    await h.tap(OWNER, buttons(screen)[0]!.data);
    expect(h.settings.getText('reserve.usdc')).toBe('75.5');
  });

  it('keeps every callback_data within 64 bytes on every settings screen', async () => {
    const menu = await h.say(OWNER, '/settings');
    const mid = 1000 + h.api.sent('sendMessage').length - 1;
    for (const g of buttons(menu)) {
      const screen = await h.tap(OWNER, g.data, mid);
      for (const p of buttons(screen).filter((b) => !b.text.startsWith('«'))) {
        await h.tap(OWNER, p.data, mid);
      }
    }
    const all = h.api.calls.flatMap((c) =>
      (
        (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] })?.inline_keyboard ??
        []
      ).flat(),
    );
    expect(all.length).toBeGreaterThan(SETTING_KEYS.length);
    expect(h.api.calls.filter((c) => !c.ok && !/not modified/.test(c.description ?? ''))).toEqual([]);
    expect(messageIdOf(h.api.calls)).toBeDefined();
  });
});
