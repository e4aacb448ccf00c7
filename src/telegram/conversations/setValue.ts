/**
 * The "Enter a value" conversation, @grammyjs/conversations v2. It asks for a value,
 * validates it with the setting's zod schema, explains a bad value (reason and valid range) and
 * asks again, then shows old → new with Confirm / Cancel before writing.
 *
 * Replay rules: the builder re-runs from the top on every update, so every read or write of
 * state goes through `conversation.external` (run once, result stored). Commands and taps that
 * are not for this dialogue pass on to the normal handlers (`next: true`); /cancel is handled
 * before the conversation (see createBot).
 */
import type { Conversation } from '@grammyjs/conversations';
import { InlineKeyboard } from 'grammy';
import type { AppApi } from '../../app/AppApi.js';
import type { BotContext, ConvContext } from '../context.js';
import { PARSE_MODE, b, code, escapeHtml, i } from '../format/html.js';

/** Bump whenever the builder's sequence of waits and API calls changes: stored replays desync otherwise. */
export const SET_VALUE_VERSION = 1;

const isPlainText = (ctx: ConvContext) => {
  const text = ctx.message?.text;
  return text !== undefined && !text.startsWith('/');
};
const isConfirmTap = (ctx: ConvContext) =>
  ctx.callbackQuery?.data === 'cv:y' || ctx.callbackQuery?.data === 'cv:n';

/** The conversation that asks the owner for a new setting value until a valid one arrives or they cancel. */
export function setValueConversation(app: AppApi) {
  return async function setValue(
    conversation: Conversation<BotContext, ConvContext>,
    ctx: ConvContext,
    key: string,
    actor: string,
  ): Promise<void> {
    const info = await conversation.external(() => {
      const s = app.settings.get(key);
      return s ? { value: s.value, valid: s.validText ?? '' } : undefined;
    });
    if (!info) return;
    const html = { parse_mode: PARSE_MODE };
    await ctx.reply(
      `✏️ Send a new value for ${b(key)}\nNow ${code(info.value)}${info.valid ? `; valid ${escapeHtml(info.valid)}` : ''}.\n${i('/cancel leaves without changes.')}`,
      html,
    );
    let text = (await conversation.waitUntil(isPlainText, { next: true })).message!.text!;
    for (;;) {
      const check = await conversation.external(() => app.settings.validate(key, text));
      if (!check.ok) {
        await ctx.reply(`❌ ${escapeHtml(check.error)}\nSend another value, or /cancel.`, html);
        text = (await conversation.waitUntil(isPlainText, { next: true })).message!.text!;
        continue;
      }
      const old = await conversation.external(() => app.settings.get(key)?.value ?? '');
      if (old === check.value) {
        await ctx.reply(`${b(key)} is already ${code(old)}. Send another value, or /cancel.`, html);
        text = (await conversation.waitUntil(isPlainText, { next: true })).message!.text!;
        continue;
      }
      const screen = await ctx.reply(`Change ${b(key)}?\n${code(old)} → ${code(check.value)}`, {
        ...html,
        reply_markup: new InlineKeyboard().text('✅ Confirm', 'cv:y').text('✖ Cancel', 'cv:n'),
      });
      let answer = await conversation.waitUntil((c) => isPlainText(c) || isConfirmTap(c), { next: true });
      while (answer.callbackQuery && answer.callbackQuery.message?.message_id !== screen.message_id) {
        await answer.answerCallbackQuery({ text: 'That screen is old; use the latest one' });
        answer = await conversation.waitUntil((c) => isPlainText(c) || isConfirmTap(c), { next: true });
      }
      if (!answer.callbackQuery) {
        text = answer.message!.text!; // a new value typed instead of tapping: start over with it
        continue;
      }
      if (answer.callbackQuery.data === 'cv:n') {
        await answer.answerCallbackQuery({ text: 'Cancelled' });
        await answer.editMessageText(`${b(key)} unchanged (${code(old)}).`, html);
        return;
      }
      const result = await conversation.external(() => app.settings.set(key, check.value, actor));
      if (!result.ok) {
        await answer.answerCallbackQuery({ text: 'Refused' });
        await answer.editMessageText(`❌ ${escapeHtml(result.error)}`, html);
        return;
      }
      await answer.answerCallbackQuery({ text: 'Saved' });
      await answer.editMessageText(`✅ ${b(key)}: ${code(result.old)} → ${code(result.new)}`, html);
      return;
    }
  };
}
