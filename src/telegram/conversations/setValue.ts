/**
 * The "Enter a value" conversation, @grammyjs/conversations v2. It asks for a value,
 * validates it with the setting's zod schema, explains a bad value (reason and valid range) and
 * asks again, then ends with the confirm screen of the change (old → new, Save / What if? /
 * Cancel): a confirmation like every other, so nothing is written until it is confirmed,
 * and only if the setting still has the value shown.
 *
 * Replay rules: the builder re-runs from the top on every update, so every read or write of
 * state goes through `conversation.external` (run once, result stored). Commands and taps that
 * are not for this dialogue pass on to the normal handlers (`next: true`); /cancel is handled
 * before the conversation (see createBot).
 */
import type { Conversation } from '@grammyjs/conversations';
import type { AppApi } from '../../app/AppApi.js';
import type { Clock } from '../../common/clock.js';
import type { BotContext, ConvContext } from '../context.js';
import { PARSE_MODE, b, code, escapeHtml, i } from '../format/html.js';
import { formatSettingProposal } from '../format/settingViews.js';
import { settingProposalKeyboard } from '../settingProposal.js';

/** Bump whenever the builder's sequence of waits and API calls changes: stored replays desync otherwise. */
export const SET_VALUE_VERSION = 2;

const isPlainText = (ctx: ConvContext) => {
  const text = ctx.message?.text;
  return text !== undefined && !text.startsWith('/');
};

/** The conversation that asks the owner for a new setting value until a valid one arrives or they cancel. */
export function setValueConversation(app: AppApi, clock: Clock) {
  return async function setValue(
    conversation: Conversation<BotContext, ConvContext>,
    ctx: ConvContext,
    key: string,
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
      // Validates (reason and valid range), refuses the value it already has, or asks to confirm.
      const proposal = await conversation.external(() => ({
        p: app.settings.proposeChange(key, text),
        now: clock.now(),
      }));
      if (proposal.p.ok) {
        await ctx.reply(formatSettingProposal(proposal.p, proposal.now), {
          ...html,
          reply_markup: settingProposalKeyboard(proposal.p),
        });
        return;
      }
      await ctx.reply(`❌ ${escapeHtml(proposal.p.error)}\nSend another value, or /cancel.`, html);
      text = (await conversation.waitUntil(isPlainText, { next: true })).message!.text!;
    }
  };
}
