/**
 * The one confirm screen of every setting change — `/set`, the settings menu's buttons, a typed
 * value, an undo: old → new with ✅ Save / 🔮 What if? / ✖ Cancel (Save and Cancel answered by the
 * one confirmation service), and −/+ to move a stepped number before saving it.
 */
import { InlineKeyboard } from 'grammy';
import type { ProposeSettingResult } from '../app/appViews.js';
import { SETTINGS } from '../settings/definitions.js';
import type { SettingDef } from '../settings/settingTypes.js';
import { settingConfirmButtons, settingStepButtons } from './callbackData.js';
import type { BotContext } from './context.js';
import { escapeHtml } from './format/html.js';
import { formatSettingProposal } from './format/settingViews.js';
import { replyHtml } from './reply.js';

type Proposal = Extract<ProposeSettingResult, { ok: true }>;

/**
 * The confirm screen's keyboard: Save / What if? / Cancel, and −/+ for a number with a step
 * (not for an undo, which restores one exact value).
 */
export function settingProposalKeyboard(p: Proposal): InlineKeyboard {
  const rows = [settingConfirmButtons(p.confirmation.id)];
  const step = (SETTINGS[p.key] as SettingDef<unknown>).step;
  if (step !== undefined && p.revertsId === undefined) {
    rows.push(settingStepButtons(p.confirmation.id, String(step)));
  }
  return InlineKeyboard.from(rows);
}

/** Sends the confirm screen of a proposed change, or why it was refused (nothing is asked then). */
export async function replySettingProposal(
  ctx: BotContext,
  p: ProposeSettingResult,
  now: number,
): Promise<void> {
  if (!p.ok) {
    await replyHtml(ctx, `❌ ${escapeHtml(p.error)}`);
    return;
  }
  await replyHtml(ctx, formatSettingProposal(p, now), settingProposalKeyboard(p));
}
