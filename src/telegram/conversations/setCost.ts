/**
 * The "set its cost" conversation behind the button on a holding the fills cannot explain: asks
 * for the price per unit, answers a bad value clearly and asks again (nothing changes), then sets
 * the owner's cost basis through the app (versioned with who and when). /cancel leaves.
 *
 * Replay rules as in setValue.ts: every read or write goes through `conversation.external`.
 */
import type { Conversation } from '@grammyjs/conversations';
import type { AppApi } from '../../app/AppApi.js';
import { costAssetOf } from '../../domain/portfolio/conversion.js';
import type { BotContext, ConvContext } from '../context.js';
import { PARSE_MODE, b, escapeHtml, i } from '../format/html.js';
import { formatCostResult } from '../format/costViews.js';

/** Conversation id of {@link setCostConversation}. */
export const SET_COST_CONVERSATION = 'setCost';

const isPlainText = (ctx: ConvContext) => {
  const text = ctx.message?.text;
  return text !== undefined && !text.startsWith('/');
};

/** Builds the conversation over the app: entered with the asset and the owner's actor id. */
export function setCostConversation(app: AppApi) {
  return async function setCost(
    conversation: Conversation<BotContext, ConvContext>,
    ctx: ConvContext,
    asset: string,
    actor: string,
  ): Promise<void> {
    const html = { parse_mode: PARSE_MODE };
    const holding = await conversation.external(async () => {
      const list = await app.getUnexplainedHoldings();
      const h = list.find((x) => x.asset === asset);
      return h ? { qty: h.qty.toFixed(), source: h.source } : undefined;
    });
    const costAsset = costAssetOf(asset);
    await ctx.reply(
      `✏️ Send the cost of one ${b(asset)} in ${costAsset}${holding ? ` (for the ${escapeHtml(holding.qty)} ${escapeHtml(asset)} the trade history cannot explain)` : ''}, e.g. 61000.\n${i('/cancel leaves without changes.')}`,
      html,
    );
    for (;;) {
      const text = (await conversation.waitUntil(isPlainText, { next: true })).message!.text!;
      const result = await conversation.external(async () => {
        const r = await app.setCostBasis(asset, text, actor);
        return r.ok
          ? { ok: true as const, html: formatCostResult(r) }
          : { ok: false as const, error: r.error };
      });
      if (result.ok) {
        await ctx.reply(result.html, html);
        return;
      }
      await ctx.reply(
        `❌ ${escapeHtml(result.error)}. Nothing was changed.\nSend another price, or /cancel.`,
        html,
      );
    }
  };
}
