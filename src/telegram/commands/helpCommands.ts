/** /start and /help: a short onboarding and the command list (viewers see their subset). */
import { Composer } from 'grammy';
import { COMMANDS } from '../commandList.js';
import type { BotContext, BotServices, Role } from '../context.js';
import { b, escapeHtml, i } from '../format/html.js';
import { replyHtml } from '../reply.js';

/** The /help text, listing only the commands the role may use. */
export function helpText(role: Role): string {
  const lines = COMMANDS.filter((c) => role === 'owner' || c.readOnly).map(
    (c) => `/${c.command}${'usage' in c ? ` ${escapeHtml(c.usage)}` : ''} — ${escapeHtml(c.description)}`,
  );
  const head = role === 'owner' ? b('Commands') : `${b('Commands')} ${i('(read-only access)')}`;
  return [head, ...lines].join('\n');
}

/** /start and /help. */
export function helpCommands({ app }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    const status = await app.getStatus();
    const running = status.strategies.filter((s) => s.enabled).map((s) => `${s.id} (${s.mode})`);
    const mode =
      status.tradingMode === 'live'
        ? `🔴 ${b('LIVE trading')} on ${escapeHtml(status.exchange)}: real money.`
        : `🧪 ${b('Paper trading')} on ${escapeHtml(status.exchange)}: no real money moves.`;
    const lines = [
      `👋 ${b('Autopilot')}: a spot trading bot for MEXC.`,
      mode,
      status.paused
        ? '⏸ Every strategy is paused (/resume all).'
        : `Runs: ${escapeHtml(running.length > 0 ? running.join(', ') : 'nothing (all strategies off)')}.`,
      '',
      ctx.role === 'owner'
        ? 'Try /status, /balance, /pnl, then /settings to tune. /panic stops everything. /help lists all.'
        : 'You have read-only access: try /status, /pnl, /trades. /help lists what you can use.',
    ];
    await replyHtml(ctx, lines.join('\n'));
  });

  composer.command('help', async (ctx) => replyHtml(ctx, helpText(ctx.role)));
  return composer;
}
