/**
 * The /settings inline menu: groups → a group's parameters with current values → one
 * parameter with −/+ (by its step, clamped to its range), a toggle for on/off, choices for
 * enums, "Enter a value" (starts the `setValue` conversation) and back. Every button that would
 * change the value proposes it on the confirm screen instead of writing it. Built on
 * @grammyjs/menu: a button whose label changed since it was drawn is detected as outdated and
 * the screen is redrawn instead of acting on stale data.
 */
import { Menu, type MenuFlavor } from '@grammyjs/menu';
import type { SettingInfo } from '../../app/appViews.js';
import type { BotContext, BotServices } from '../context.js';
import { b, code, escapeHtml, i, truncate } from '../format/html.js';
import { answerTap, editHtml } from '../reply.js';
import { replySettingProposal } from '../settingProposal.js';
import { SETTING_GROUPS, groupFromPayload, keyFromPayload, keyPayload, shortName } from './settingGroups.js';

/** The id the value-entry conversation is registered under. */
export const SET_VALUE_CONVERSATION = 'setValue';

type MenuContext = BotContext & MenuFlavor;

/** The text of the settings menu's first page. */
export function rootText(): string {
  return `⚙️ ${b('Settings')}\nPick a group. Changes apply on each strategy's next run.`;
}

function groupText(gi: number | undefined): string {
  const g = gi === undefined ? undefined : SETTING_GROUPS[gi];
  if (!g) return rootText();
  return `⚙️ ${b(g.title)}\nTap a parameter to change it.`;
}

/** The text of one setting's page: value, default, range and description. */
export function paramText(s: SettingInfo): string {
  const lines = [
    `⚙️ ${b(s.key)}`,
    escapeHtml(s.def.description),
    `Now: ${code(s.value)}${s.isDefault ? ' (default)' : ` · default ${code(s.defaultText)}`}`,
  ];
  const details = [
    s.validText ? `valid ${s.validText}` : undefined,
    s.def.step !== undefined ? `step ${s.def.step}` : undefined,
  ].filter(Boolean);
  if (details.length > 0) lines.push(i(details.join(' · ')));
  return lines.join('\n');
}

/** Builds the three registered menus; install the returned root with `bot.use(root)`. */
export function createSettingsMenu({ app, clock }: BotServices): Menu<BotContext> {
  const keyText = (ctx: MenuContext) => {
    const key = keyFromPayload(ctx.match as string | undefined);
    const info = key ? app.settings.get(key) : undefined;
    return info ? paramText(info) : rootText();
  };

  const root = new Menu<BotContext>('st', {
    autoAnswer: false,
    onMenuOutdated: async (ctx) => {
      await answerTap(ctx, 'The menu changed; here is the current one');
      ctx.menu.update();
      await editHtml(ctx, rootText());
    },
  });
  const groups = new Menu<BotContext>('st-g', {
    autoAnswer: false,
    onMenuOutdated: async (ctx) => {
      await answerTap(ctx, 'Values changed; here are the current ones');
      ctx.menu.update();
      await editHtml(ctx, groupText(groupFromPayload(ctx.match as string | undefined)));
    },
  });
  const params = new Menu<BotContext>('st-k', {
    autoAnswer: false,
    onMenuOutdated: async (ctx) => {
      await answerTap(ctx, 'The value changed; here is the current one');
      ctx.menu.update();
      await editHtml(ctx, keyText(ctx));
    },
  });

  root.dynamic((_ctx, range) => {
    SETTING_GROUPS.forEach((g, gi) => {
      range.text({ text: g.title, payload: `g${gi}` }, async (ctx) => {
        await answerTap(ctx);
        ctx.menu.nav('st-g');
        await editHtml(ctx, groupText(gi));
      });
      if (gi % 2 === 1) range.row();
    });
  });

  groups.dynamic((ctx, range) => {
    const gi = groupFromPayload(ctx.match as string | undefined);
    const group = gi === undefined ? undefined : SETTING_GROUPS[gi];
    for (const key of group?.keys ?? []) {
      const info = app.settings.get(key);
      const label = `${shortName(key, group!)}: ${truncate(info?.value ?? '?', 14)}`;
      range
        .text({ text: truncate(label, 40), payload: keyPayload(key) }, async (ctx) => {
          await answerTap(ctx);
          ctx.menu.nav('st-k');
          await editHtml(ctx, keyText(ctx));
        })
        .row();
    }
    range.text('« Groups', async (ctx) => {
      await answerTap(ctx);
      ctx.menu.nav('st');
      await editHtml(ctx, rootText());
    });
  });

  params.dynamic((ctx, range) => {
    const key = keyFromPayload(ctx.match as string | undefined);
    const info = key ? app.settings.get(key) : undefined;
    const back = async (c: MenuContext) => {
      await answerTap(c);
      c.menu.nav(key ? 'st-g' : 'st');
      await editHtml(c, key ? groupText(groupFromPayload(c.match as string | undefined)) : rootText());
    };
    if (!key || !info) {
      range.text('« Settings', back);
      return;
    }
    const payload = keyPayload(key);
    // Every button asks first: the change waits on its confirm screen (with 🔮 What if?), sent
    // below the menu so the menu stays usable; it is written only when saved there.
    const apply = async (c: MenuContext, value: string | undefined) => {
      if (value === undefined) return answerTap(c, 'Not a number setting');
      const p = app.settings.proposeChange(key, value);
      if (!p.ok) return answerTap(c, p.error);
      await answerTap(c, `${key}: ${p.old} → ${p.new}? Save below`);
      await replySettingProposal(c, p, clock.now());
    };
    const def = info.def;
    if ((def.kind === 'decimal' || def.kind === 'int') && def.step !== undefined) {
      range
        .text({ text: `− ${def.step}`, payload }, (c) => apply(c, app.settings.step(key, -1)))
        .text({ text: `+ ${def.step}`, payload }, (c) => apply(c, app.settings.step(key, 1)))
        .row();
    } else if (def.kind === 'bool') {
      const on = info.value === 'on';
      range
        .text({ text: on ? '● on → turn off' : '○ off → turn on', payload }, (c) =>
          apply(c, on ? 'off' : 'on'),
        )
        .row();
    } else if (def.kind === 'enum' && def.options) {
      for (const option of def.options) {
        range.text({ text: option === info.value ? `• ${option}` : option, payload }, (c) =>
          apply(c, option),
        );
      }
      range.row();
    }
    range
      .text({ text: '✏️ Enter a value', payload }, async (c) => {
        await answerTap(c);
        await c.conversation.exitAll();
        await c.conversation.enter(SET_VALUE_CONVERSATION, key);
      })
      .row();
    if (!info.isDefault) range.text({ text: '↺ Default', payload }, (c) => apply(c, info.defaultText));
    range.text({ text: '« Back', payload }, back);
  });

  root.register([groups, params]);
  return root;
}
