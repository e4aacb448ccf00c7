/**
 * /settings (the inline menu), /set <key> <value> (which asks on the confirm screen, like every
 * setting change), /get [key-prefix], and the −/+ buttons of the confirm screen.
 */
import type { Menu } from '@grammyjs/menu';
import { Composer, InlineKeyboard } from 'grammy';
import type { SettingKey } from '../../settings/definitions.js';
import type { BotContext, BotServices } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { SETTING_STEP_DATA } from '../callbackData.js';
import { formatSettingProposal } from '../format/settingViews.js';
import { formatSettingDetail, formatSettingGroups, formatSettingsList } from '../format/listViews.js';
import { SETTING_GROUPS, type SettingGroup } from '../menus/settingGroups.js';
import { rootText } from '../menus/settingsMenu.js';
import { settingProposalKeyboard, replySettingProposal } from '../settingProposal.js';
import { answerTap, editHtml, replyHtml } from '../reply.js';

/** The prefix /get uses for a group: `scanner.`, or empty for the general settings. */
function groupPrefix(group: SettingGroup): string {
  return group.id === 'general' ? '' : `${group.id}.`;
}

function groupsOf(app: BotServices['app']) {
  return SETTING_GROUPS.map((g) => ({
    prefix: groupPrefix(g),
    title: g.title,
    settings: app.settings.list(groupPrefix(g)).filter((s) => g.keys.includes(s.key as SettingKey)),
  }));
}

function groupKeyboard(): InlineKeyboard {
  const k = new InlineKeyboard();
  SETTING_GROUPS.forEach((g, n) => {
    k.text(g.title, `gg:${n}`);
    if (n % 2 === 1) k.row();
  });
  return k;
}

/**
 * /settings with its menu, /get to read a value, /set to propose a change in a single message, and
 * the confirm screen's −/+ buttons.
 */
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
    await replySettingProposal(ctx, app.settings.proposeChange(m[1]!, m[2]!), clock.now());
  });

  // −/+ on a confirm screen: the same screen now proposes the next value (owner only, see createBot).
  composer.callbackQuery(SETTING_STEP_DATA, async (ctx) => {
    const p = await app.settings.adjustProposal(ctx.match[1]!, ctx.match[2] === 'u' ? 1 : -1, ctx.actor);
    if (!p.ok) return answerTap(ctx, p.error);
    await answerTap(ctx, `${p.key}: ${p.old} → ${p.new}`);
    await editHtml(ctx, formatSettingProposal(p, clock.now()), settingProposalKeyboard(p));
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
    if (prefix === '') {
      await replyHtml(ctx, formatSettingGroups(groupsOf(app)), groupKeyboard());
      return;
    }
    await replyHtml(ctx, formatSettingsList(app.settings.list(prefix), prefix));
  });

  // A group button of /get: `gg:<group index>`.
  composer.callbackQuery(/^gg:(\d{1,2})$/, async (ctx) => {
    const group = SETTING_GROUPS[Number(ctx.match[1])];
    if (!group) return answerTap(ctx, 'Unknown group');
    await answerTap(ctx);
    const prefix = groupPrefix(group);
    await replyHtml(
      ctx,
      formatSettingsList(
        app.settings.list(prefix).filter((s) => group.keys.includes(s.key as SettingKey)),
        prefix,
      ),
    );
  });

  return composer;
}
