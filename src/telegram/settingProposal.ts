/**
 * The confirm screen of a setting change — a typed value, an undo — shared by the enter-a-value
 * dialogue and `/history`: old → new with Confirm / Skip (answered by the one confirmation
 * service) and `🔮 What if?`.
 */
import { InlineKeyboard } from 'grammy';
import type { ProposeSettingResult } from '../app/appViews.js';
import { confirmationButtons, whatIfButton } from './callbackData.js';
import type { BotContext } from './context.js';
import { escapeHtml } from './format/html.js';
import { formatSettingProposal } from './format/settingViews.js';
import { replyHtml } from './reply.js';

/** The confirm screen's keyboard for a proposed setting change: Confirm / Skip, then What if?. */
export function settingProposalKeyboard(confirmationId: string): InlineKeyboard {
  return InlineKeyboard.from([confirmationButtons(confirmationId), [whatIfButton(confirmationId)]]);
}

/** Sends the confirm screen of a proposed change, or why it was refused. */
export async function replySettingProposal(
  ctx: BotContext,
  p: ProposeSettingResult,
  now: number,
): Promise<void> {
  if (!p.ok) {
    await replyHtml(ctx, `❌ ${escapeHtml(p.error)}`);
    return;
  }
  await replyHtml(ctx, formatSettingProposal(p, now), settingProposalKeyboard(p.confirmation.id));
}
