/**
 * `/whatif <key> <value> [days]` and the `🔮 What if?` button of a setting change's confirm
 * screen (`wi:<confirmation id>`). Both edit one message: a progress line while the replay runs,
 * then the two columns side by side, with the small chart after it when the engine drew one. The
 * replay is never awaited by the handler, so the chat (and `/status`) keep answering meanwhile.
 * Anyone allowed in the chat may run a what-if; only the owner gets the `✅ Save` button.
 */
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { WhatIfPlan } from '../../app/AppApi.js';
import type { WhatIfResult } from '../../replay/whatIf.js';
import { errorText } from '../../app/appText.js';
import type { BotContext, BotServices } from '../context.js';
import { PARSE_MODE, code, escapeHtml, i } from '../format/html.js';
import { formatWhatIfProgress, formatWhatIfResult } from '../format/whatIfViews.js';
import { formatPercent } from '../../domain/format.js';
import { answerTap, replyHtml } from '../reply.js';

const USAGE =
  'Usage: /whatif &lt;key&gt; &lt;value&gt; [days], e.g. /whatif scanner.minScore 70 — replays the last days (default: the whatIf.days setting) with the current and the new value.';

/**
 * Splits `<key> <value> [days]`. Values may contain spaces (cron schedules), so a last word is
 * taken as the day count only when it is a whole number and the rest still makes a valid value.
 */
function parseArgs(
  text: string,
  valid: (key: string, value: string) => boolean,
): { key: string; value: string; days: string } | undefined {
  const m = /^(\S+)\s+([\s\S]+)$/.exec(text.trim());
  if (!m) return undefined;
  const key = m[1]!;
  const rest = m[2]!.trim();
  const last = /^([\s\S]+?)\s+(\d{1,4})$/.exec(rest);
  if (last && valid(key, last[1]!)) return { key, value: last[1]!, days: last[2]! };
  return { key, value: rest, days: '' };
}

/** /whatif and the confirm screens' what-if button. */
export function whatIfCommands({ app, clock, logger, timeZone }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  /** The Save button under a result, for the owner: the confirm screen's own confirmation, or a new one. */
  const saveKeyboard = (ctx: BotContext, result: WhatIfResult, confirmationId?: string) => {
    if (ctx.role !== 'owner') return undefined;
    let id = confirmationId;
    if (id === undefined) {
      const p = app.settings.proposeChange(result.key, result.proposed.value);
      if (!p.ok) return undefined; // e.g. the setting already has that value by now
      id = p.confirmation.id;
    }
    return new InlineKeyboard().text(`✅ Save ${result.proposed.value}`.slice(0, 60), `c:y:${id}`);
  };

  const showResult = async (
    ctx: BotContext,
    chatId: number,
    messageId: number | undefined,
    result: WhatIfResult,
    saveId?: string,
  ) => {
    const html = formatWhatIfResult(result, clock.now(), timeZone);
    const keyboard = saveKeyboard(ctx, result, saveId);
    const extra = { parse_mode: PARSE_MODE, ...(keyboard ? { reply_markup: keyboard } : {}) };
    if (messageId === undefined) await ctx.api.sendMessage(chatId, html, extra);
    else await ctx.api.editMessageText(chatId, messageId, html, extra);
    if (result.chartPng) {
      await ctx.api.sendPhoto(chatId, new InputFile(Buffer.from(result.chartPng), 'whatif.png'), {
        caption: `${result.key}: value over ${result.days} d, ${result.current.value} vs ${result.proposed.value}`,
      });
    }
  };

  /** Runs (or answers from the cache) a checked what-if in this chat; returns before the replay ends. */
  const run = async (ctx: BotContext, plan: WhatIfPlan, saveId?: string) => {
    const chatId = ctx.chat?.id ?? ctx.from!.id;
    // The progress message, once sent, and the tenth of the progress it shows.
    const shown: { messageId?: number; bucket: number } = { bucket: -1 };
    let latest = { fraction: 0, label: '' };
    let edits: Promise<unknown> = Promise.resolve();
    // At most one progress edit in flight, and only when the tenth changes: Telegram limits edits.
    const showProgress = () => {
      const bucket = Math.floor(latest.fraction * 10);
      const messageId = shown.messageId;
      if (messageId === undefined || bucket === shown.bucket) return;
      shown.bucket = bucket;
      const text = formatWhatIfProgress(plan, latest.fraction, latest.label);
      edits = edits
        .then(() => ctx.api.editMessageText(chatId, messageId, text, { parse_mode: PARSE_MODE }))
        .catch((error: unknown) => logger.warn({ err: error }, 'what-if progress edit failed'));
    };
    const start = app.whatIf.start(plan, (fraction, label) => {
      latest = { fraction, label };
      showProgress();
    });
    if (start.status === 'busy') {
      const r = start.running;
      await replyHtml(
        ctx,
        `⏳ A what-if is already running (${code(r.key)} → ${code(r.proposed)}, ${escapeHtml(
          formatPercent(start.fraction * 100, { digits: 0 }),
        )}). One runs at a time so trading never waits; ask again when it has answered.`,
      );
      return;
    }
    if (start.status === 'cached') {
      await showResult(ctx, chatId, undefined, start.result, saveId);
      return;
    }
    const sent = await ctx.api.sendMessage(chatId, formatWhatIfProgress(plan, 0, ''), {
      parse_mode: PARSE_MODE,
    });
    const messageId = sent.message_id;
    shown.messageId = messageId;
    shown.bucket = 0;
    showProgress();
    // Not awaited: the replay takes seconds and this chat must keep answering meanwhile.
    void start.done
      .then(async (result) => {
        await edits;
        await showResult(ctx, chatId, messageId, result, saveId);
      })
      .catch(async (error: unknown) => {
        logger.warn({ err: error, key: plan.request.key }, 'what-if failed');
        await edits;
        await ctx.api
          .editMessageText(
            chatId,
            messageId,
            `⚠️ The what-if of ${code(plan.request.key)} failed: ${escapeHtml(errorText(error))}\n${i('Nothing was changed.')}`,
            { parse_mode: PARSE_MODE },
          )
          .catch((e: unknown) => logger.warn({ err: e }, 'could not report the failed what-if'));
      });
  };

  composer.command('whatif', async (ctx) => {
    const args = parseArgs(ctx.match, (key, value) => app.settings.validate(key, value).ok);
    if (!args) {
      await replyHtml(ctx, USAGE);
      return;
    }
    const check = app.whatIf.check(args.key, args.value, args.days);
    if (!check.ok) {
      await replyHtml(ctx, `❌ ${escapeHtml(check.error)}`);
      return;
    }
    await run(ctx, check.plan);
  });

  composer.callbackQuery(/^wi:([A-Za-z0-9_-]{1,16})$/, async (ctx) => {
    const proposal = app.settings.proposal(ctx.match[1]!);
    if (!proposal) {
      await answerTap(ctx, 'This button is no longer valid');
      return;
    }
    const check = app.whatIf.check(proposal.key, proposal.new);
    if (!check.ok) {
      await answerTap(ctx, 'Cannot replay this');
      await replyHtml(ctx, `❌ ${escapeHtml(check.error)}`);
      return;
    }
    await answerTap(ctx, 'Replaying…');
    await run(ctx, check.plan, proposal.open ? ctx.match[1] : undefined);
  });

  return composer;
}
