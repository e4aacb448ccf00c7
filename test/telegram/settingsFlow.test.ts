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
  it('navigates groups → parameters → −/+ within the range, by the step', async () => {
    const { mid, screen, kb } = await openParam('scanner', 'minScore');
    expect(texts(screen)).toMatch(/scanner\.minScore/);
    const plus = kb.find((b) => b.text === '+ 5')!;
    const tap = await h.tap(OWNER, plus.data, mid);
    expect(h.settings.get('scanner.minScore'), '60 + 5').toBe(65);
    expect(tap.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toMatch(/60 → 65/);
    for (let n = 0; n < 10; n++) {
      const kb2 = buttons(h.api.calls.filter((c) => c.method === 'editMessageText'));
      await h.tap(OWNER, kb2.find((b) => b.text === '+ 5')!.data, mid);
    }
    expect(h.settings.get('scanner.minScore'), 'clamped to the maximum').toBe(100);
    expect(h.settings.history('scanner.minScore')[0]?.actor).toBe(`tg:${OWNER}`);
    expect(
      h.api.calls.every((c) => c.ok || /not modified/.test(c.description ?? '')),
      'no rejected call',
    ).toBe(true);
  });

  it('toggles booleans and picks enum choices', async () => {
    const { mid, kb } = await openParam('take-profit', 'mode');
    await h.tap(OWNER, kb.find((b) => b.text === 'confirm')!.data, mid);
    expect(h.settings.get('take-profit.mode')).toBe('confirm');
    const { mid: mid2, kb: kb2 } = await openParam('Notifications', 'fills');
    await h.tap(OWNER, kb2.find((b) => b.text.includes('turn off'))!.data, mid2);
    expect(h.settings.get('notify.fills')).toBe(false);
  });

  it('redraws instead of acting on a stale button (label changed since it was drawn)', async () => {
    const { mid, kb } = await openParam('Notifications', 'fills');
    const toggle = kb.find((b) => b.text.includes('turn off'))!;
    await h.tap(OWNER, toggle.data, mid);
    const stale = await h.tap(OWNER, toggle.data, mid);
    expect(h.settings.get('notify.fills'), 'the stale "turn off" did not toggle back').toBe(false);
    expect(stale.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toMatch(/changed/);
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
      /Change <b>scanner\.minScore<\/b>\?\n<code>60<\/code> → <code>72<\/code>\n<i>Confirm within 10m/,
    );
    const screen = buttons(confirm);
    expect(screen.map((b) => b.text)).toEqual(['✅ Confirm', '⏭ Skip', '🔮 What if?']);
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

  it('/cancel mid-way leaves everything unchanged; Skip on the confirm screen too, and a stale Confirm does nothing', async () => {
    const { mid, kb } = await openParam('scanner', 'minScore');
    await h.tap(OWNER, kb.find((b) => b.text.includes('Enter a value'))!.data, mid);
    expect(texts(await h.say(OWNER, '/cancel'))).toMatch(/Cancelled/);
    expect(texts(await h.say(OWNER, '70')), 'no dialogue any more').toMatch(/I answer commands/);

    await h.tap(OWNER, kb.find((b) => b.text.includes('Enter a value'))!.data, mid);
    const [confirm, skip] = buttons(await h.say(OWNER, '70'));
    expect(answerText(await h.tap(OWNER, skip!.data))).toBe('Skipped');
    expect(answerText(await h.tap(OWNER, confirm!.data))).toBe('Already skipped');
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
