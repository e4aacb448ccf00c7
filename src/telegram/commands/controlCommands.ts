/**
 * /pause, /resume (all or one strategy; buttons when no argument), /panic with its
 * confirmation, and the Confirm/Skip buttons of every confirmation.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { STRATEGY_IDS, isStrategyId } from '../../domain/strategy.js';
import type { PauseTarget } from '../../app/appViews.js';
import { confirmationButtons } from '../callbackData.js';
import type { BotContext, BotServices } from '../context.js';
import { b, escapeHtml, i } from '../format/html.js';
import { formatPauseResult, formatResolved } from '../format/listViews.js';
import { formatDuration } from '../../domain/format.js';
import { answerTap, editHtml, replyHtml } from '../reply.js';

/** Confirm / Skip buttons of a confirmation. */
export function confirmationKeyboard(ref: string): InlineKeyboard {
  return InlineKeyboard.from([confirmationButtons(ref)]);
}

function parseTarget(text: string): PauseTarget | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'all') return 'all';
  return isStrategyId(t) ? t : undefined;
}

function targetKeyboard(prefix: 'pz' | 'rs'): InlineKeyboard {
  const k = new InlineKeyboard().text('All strategies', `${prefix}:all`).row();
  STRATEGY_IDS.forEach((id, n) => {
    k.text(id, `${prefix}:${id}`);
    if (n % 2 === 1) k.row();
  });
  return k;
}

/** /pause, /resume and /panic with their buttons, and the Confirm/Skip buttons of every confirmation. */
export function controlCommands({ app, clock }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const usage = (cmd: string) =>
    `Usage: /${cmd} [all|strategy]. Strategies: ${escapeHtml(STRATEGY_IDS.join(', '))}.`;

  for (const [cmd, prefix, paused] of [
    ['pause', 'pz', true],
    ['resume', 'rs', false],
  ] as const) {
    composer.command(cmd, async (ctx) => {
      const arg = ctx.match.trim();
      if (arg === '') {
        await replyHtml(ctx, `${paused ? '⏸ Pause' : '▶️ Resume'} what?`, targetKeyboard(prefix));
        return;
      }
      const target = parseTarget(arg);
      if (!target) {
        await replyHtml(ctx, `❌ "${escapeHtml(arg.slice(0, 40))}" is not a strategy. ${usage(cmd)}`);
        return;
      }
      const r = paused ? app.pause(target, ctx.actor) : app.resume(target, ctx.actor);
      await replyHtml(ctx, formatPauseResult(r));
    });

    composer.callbackQuery(new RegExp(`^${prefix}:(.{1,40})$`), async (ctx) => {
      const target = parseTarget(ctx.match[1]!);
      if (!target) {
        await answerTap(ctx, 'Unknown strategy');
        return;
      }
      const r = paused ? app.pause(target, ctx.actor) : app.resume(target, ctx.actor);
      await answerTap(ctx, r.changed ? (paused ? 'Paused' : 'Resumed') : 'No change');
      await editHtml(ctx, formatPauseResult(r));
    });
  }

  composer.command('panic', async (ctx) => {
    const c = app.requestPanic(ctx.actor);
    const ttl = formatDuration(c.expiresAt - clock.now());
    await replyHtml(
      ctx,
      `🛑 ${b(c.summary)}?\n${i(`Confirm within ${ttl}. Nothing happens until you confirm.`)}`,
      confirmationKeyboard(c.id),
    );
  });

  composer.callbackQuery(/^c:([yn]):([A-Za-z0-9_-]{1,16})$/, async (ctx) => {
    const decision = ctx.match[1] === 'y' ? 'confirm' : 'skip';
    const outcome = await app.resolveConfirmation(ctx.match[2]!, decision, ctx.actor);
    const shown = formatResolved(outcome);
    await answerTap(ctx, shown.answer);
    if (shown.text) await editHtml(ctx, shown.text);
  });

  return composer;
}
