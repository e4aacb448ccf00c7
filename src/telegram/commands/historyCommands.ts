/**
 * `/history [key]`: the recent setting changes with an `↩ Undo` button on each (owner only), and
 * the undo tap, which only asks: the change back is made by the confirmation it shows.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, BotServices } from '../context.js';
import { code } from '../format/html.js';
import { formatHistory } from '../format/settingViews.js';
import { replySettingProposal } from '../settingProposal.js';
import { answerTap, replyHtml } from '../reply.js';

/** How many versions `/history` lists: enough for a day of tuning, short enough for a phone. */
const HISTORY_LINES = 10;

/** The callback of an undo button: `hu:<version>`. */
const UNDO = /^hu:(\d{1,12})$/;

/** /history and its undo buttons. */
export function historyCommands({ app, clock, timeZone }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('history', async (ctx) => {
    const key = ctx.match.trim() || undefined;
    if (key !== undefined && (key.length > 64 || /\s/.test(key))) {
      await replyHtml(ctx, 'Usage: /history [key], e.g. /history scanner.minScore');
      return;
    }
    const versions = app.settings.history(key, HISTORY_LINES);
    if (key !== undefined && versions.length === 0 && !app.settings.get(key)) {
      await replyHtml(ctx, `❌ ${code(key)} is not a setting. /get lists every setting.`);
      return;
    }
    const text = formatHistory(versions, key, clock.now(), timeZone);
    // Viewers see the history; only the owner gets buttons that would change something.
    if (ctx.role !== 'owner' || versions.length === 0) {
      await replyHtml(ctx, text);
      return;
    }
    const keyboard = new InlineKeyboard();
    versions.forEach((v, n) => {
      keyboard.text(`↩ Undo #${v.id}`, `hu:${v.id}`);
      if (n % 3 === 2) keyboard.row();
    });
    await replyHtml(ctx, text, keyboard);
  });

  composer.callbackQuery(UNDO, async (ctx) => {
    const p = app.settings.proposeUndo(Number(ctx.match[1]));
    await answerTap(ctx, p.ok ? 'Confirm below' : 'Cannot undo');
    await replySettingProposal(ctx, p, clock.now());
  });

  return composer;
}
