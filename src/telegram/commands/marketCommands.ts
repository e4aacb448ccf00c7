/** /exclude, /include, /scan, /why, /report and /chart (with range buttons). */
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { CHART_RANGES, type ChartRange } from '../../app/appViews.js';
import type { BotContext, BotServices } from '../context.js';
import { escapeHtml, i } from '../format/html.js';
import { formatScan, formatSymbolResult, formatWhy } from '../format/listViews.js';
import { formatReport } from '../format/portfolioViews.js';
import { answerTap, replyHtml } from '../reply.js';
import { settingProposalKeyboard } from '../settingProposal.js';

function chartKeyboard(current: ChartRange): InlineKeyboard {
  const k = new InlineKeyboard();
  for (const r of CHART_RANGES) k.text(r === current ? `• ${r}` : r, `ch:${r}`);
  return k;
}

const isRange = (s: string): s is ChartRange => (CHART_RANGES as readonly string[]).includes(s);

/** The market and report commands: /scan, /why, /exclude, /include, /report and /chart. */
export function marketCommands({ app, clock, logger }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  for (const [cmd, add] of [
    ['exclude', true],
    ['include', false],
  ] as const) {
    composer.command(cmd, async (ctx) => {
      const arg = ctx.match.trim();
      if (arg === '') {
        const list = app.settings.get('exclusions')?.value ?? 'none';
        await replyHtml(
          ctx,
          `Usage: /${cmd} &lt;SYMBOL or ASSET&gt;, e.g. /${cmd} PEPEUSDT or /${cmd} PEPE\nExcluded now: ${escapeHtml(list)}`,
        );
        return;
      }
      // Proposed on the one confirm screen of setting changes; Save is answered by the confirmation service.
      const r = add ? await app.exclude(arg) : await app.include(arg);
      await replyHtml(
        ctx,
        formatSymbolResult(r, add, clock.now()),
        r.status === 'proposed' ? settingProposalKeyboard(r.proposal) : undefined,
      );
    });
  }

  composer.command('scan', async (ctx) => {
    await replyHtml(ctx, formatScan(app.getScan(), clock.now()));
    if (ctx.role !== 'owner') return;
    const run = app.runScan();
    if (run.status === 'already-running') {
      await replyHtml(ctx, i('A scan is already running; its report follows.'));
      return;
    }
    await replyHtml(ctx, i('Scanning now; the result follows.'));
    const chatId = ctx.chat!.id;
    // Not awaited: the scan takes seconds and polling must go on meanwhile.
    void run.done
      .then((view) => ctx.api.sendMessage(chatId, formatScan(view, clock.now()), { parse_mode: 'HTML' }))
      .catch(async (error: unknown) => {
        logger.warn({ err: error }, 'scan from chat failed');
        await ctx.api
          .sendMessage(
            chatId,
            `⚠️ Scan failed: ${escapeHtml(error instanceof Error ? error.message : String(error))}`,
            {
              parse_mode: 'HTML',
            },
          )
          .catch((e: unknown) => logger.warn({ err: e }, 'could not report the failed scan'));
      });
  });

  composer.command('why', async (ctx) => {
    const arg = ctx.match.trim();
    if (arg === '') {
      await replyHtml(ctx, 'Usage: /why &lt;SYMBOL&gt;, e.g. /why PEPEUSDT');
      return;
    }
    await replyHtml(ctx, formatWhy(app.why(arg), clock.now()));
  });

  composer.command('report', async (ctx) => {
    const daily = await app.getDailyReport();
    if (!daily.available) {
      await replyHtml(ctx, formatReport(await app.getReport()));
      return;
    }
    // Plain lines, not a <pre> block: on a phone they wrap instead of scrolling sideways.
    await replyHtml(ctx, escapeHtml(daily.text));
    if (daily.chart) await ctx.replyWithPhoto(new InputFile(daily.chart, 'report.png'));
  });

  const sendChart = async (ctx: BotContext, range: ChartRange) => {
    const chart = await app.getChart(range);
    if (!chart.available) {
      await replyHtml(
        ctx,
        `⚠️ The chart could not be drawn (${escapeHtml(chart.reason)}). Nothing else is affected; try again later.`,
      );
      return;
    }
    await ctx.replyWithPhoto(new InputFile(chart.png, `portfolio-${range}.png`), {
      caption: `Portfolio value and alts/core split, ${range}`,
      reply_markup: chartKeyboard(range),
    });
  };

  composer.command('chart', async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    if (arg !== '' && !isRange(arg)) {
      await replyHtml(ctx, `Usage: /chart [${CHART_RANGES.join('|')}] — default 7d.`);
      return;
    }
    await sendChart(ctx, arg === '' ? '7d' : (arg as ChartRange));
  });

  composer.callbackQuery(/^ch:(.{1,8})$/, async (ctx) => {
    const range = ctx.match[1]!;
    if (!isRange(range)) {
      await answerTap(ctx, 'Unknown range');
      return;
    }
    await answerTap(ctx, `Chart ${range}`);
    await sendChart(ctx, range);
  });

  return composer;
}
