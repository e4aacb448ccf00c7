/** /settings (the inline menu), /set <key> <value> and /get [key-prefix]. */
import type { Menu } from '@grammyjs/menu';
import { Composer } from 'grammy';
import type { BotContext, BotServices } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { formatSetResult, formatSettingDetail, formatSettingsList } from '../format/listViews.js';
import { rootText } from '../menus/settingsMenu.js';
import { replyHtml } from '../reply.js';

/** /settings with its menu, /get to read a value and /set to change one in a single message. */
export function settingsCommands({ app, clock }: BotServices, menu: Menu<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('settings', async (ctx) => replyHtml(ctx, rootText(), menu));

  composer.command('set', async (ctx) => {
    const m = /^(\S+)\s+([\s\S]+)$/.exec(ctx.match.trim());
    if (!m) {
      await replyHtml(
        ctx,
        'Usage: /set &lt;key&gt; &lt;value&gt;, e.g. /set scanner.minScore 65. /get lists the keys.',
      );
      return;
    }
    await replyHtml(ctx, formatSetResult(app.settings.set(m[1]!, m[2]!, ctx.actor)));
  });

  composer.command('get', async (ctx) => {
    const prefix = ctx.match.trim();
    if (prefix.length > 64 || /\s/.test(prefix)) {
      await replyHtml(
        ctx,
        `Usage: /get [key-prefix], e.g. /get scanner. — not "${escapeHtml(prefix.slice(0, 40))}"`,
      );
      return;
    }
    const exact = prefix ? app.settings.get(prefix) : undefined;
    if (exact) {
      await replyHtml(ctx, formatSettingDetail(exact, app.settings.history(exact.key, 5), clock.now()));
      return;
    }
    await replyHtml(ctx, formatSettingsList(app.settings.list(prefix), prefix));
  });

  return composer;
}
