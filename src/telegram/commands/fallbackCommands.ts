/**
 * The last handlers: every owner or viewer input that nothing else answered gets a short hint
 * (an unknown command, plain text, a button that no longer means anything).
 */
import { Composer } from 'grammy';
import { commandOf } from '../commandList.js';
import type { BotContext } from '../context.js';
import { code } from '../format/html.js';
import { answerTap, replyHtml } from '../reply.js';

/** Answers taps on stale buttons and messages no other handler took. */
export function fallbackCommands(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query', async (ctx) => answerTap(ctx, 'This button is no longer valid'));
  composer.on('message', async (ctx) => {
    const cmd = commandOf(ctx.message.text);
    if (cmd !== undefined) {
      await replyHtml(ctx, `Unknown command ${code(`/${cmd}`)}. /help lists what I can do.`);
      return;
    }
    await replyHtml(ctx, 'I answer commands: /status, /pnl, /settings… /help lists them all.');
  });
  return composer;
}
