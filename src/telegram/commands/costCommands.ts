/**
 * /cost: the owner sets the cost basis of a holding the trade history cannot explain, in one line
 * (`/cost BTC 61000`) or with the button each such holding gets in /cost and /pnl.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { UnexplainedHoldingView } from '../../app/appViews.js';
import type { BotContext, BotServices } from '../context.js';
import { COST_PREFIX, formatCostResult, formatUnexplained } from '../format/costViews.js';
import { escapeHtml } from '../format/html.js';
import { SET_COST_CONVERSATION } from '../conversations/setCost.js';
import { answerTap, replyHtml } from '../reply.js';

/** One "Set <ASSET> cost" button per holding, two per row; undefined when there is none. */
export function costKeyboard(list: readonly UnexplainedHoldingView[]): InlineKeyboard | undefined {
  if (list.length === 0) return undefined;
  const keyboard = new InlineKeyboard();
  list.slice(0, 20).forEach((h, n) => {
    if (n > 0 && n % 2 === 0) keyboard.row();
    keyboard.text(`✏️ Set ${h.asset} cost`, `${COST_PREFIX}${h.asset}`);
  });
  return keyboard;
}

/** The /cost command and the taps on its buttons (owner only: viewers are stopped before). */
export function costCommands({ app }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('cost', async (ctx) => {
    const args = ctx.match
      .trim()
      .split(/\s+/)
      .filter((a) => a !== '');
    if (args.length === 0) {
      const list = await app.getUnexplainedHoldings();
      await replyHtml(ctx, formatUnexplained(list), costKeyboard(list));
      return;
    }
    if (args.length !== 2) {
      await replyHtml(
        ctx,
        'Usage: /cost &lt;ASSET&gt; &lt;price per unit&gt;, e.g. <code>/cost BTC 61000</code> (USDC for BTC and ETH, USDT for altcoins). Nothing was changed.',
      );
      return;
    }
    const r = await app.setCostBasis(args[0]!, args[1]!, ctx.actor);
    await replyHtml(ctx, r.ok ? formatCostResult(r) : `❌ ${escapeHtml(r.error)}. Nothing was changed.`);
  });

  composer.callbackQuery(/^cb:([A-Z0-9]{1,15})$/, async (ctx) => {
    const asset = ctx.match[1]!;
    await answerTap(ctx, `Set ${asset} cost`);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(SET_COST_CONVERSATION, asset, ctx.actor);
  });

  return composer;
}
