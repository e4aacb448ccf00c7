/**
 * Builds the grammY bot. Middleware order matters and is:
 *   owner/viewer gate → per-chat sequencing → ratelimiter → error boundary → viewer guard →
 *   conversations() → /cancel → createConversation(setValue, setCost) → settings menu → feature
 *   composers → fallback.
 * The gate comes first so strangers reach nothing (no reply, no menu, no flow); /cancel sits
 * before createConversation so a pending wait cannot swallow it; handlers that enter a
 * conversation come after it is registered. auto-retry is a transformer on bot.api and is
 * installed again inside conversations, which do not inherit bot.api's transformers.
 */
import { autoRetry, type AutoRetryOptions } from '@grammyjs/auto-retry';
import { conversations, createConversation } from '@grammyjs/conversations';
import { limit } from '@grammyjs/ratelimiter';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type ApiClientOptions, type BotError, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { AppApi } from '../app/AppApi.js';
import type { Db } from '../persistence/db.js';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { COMMAND_NAMES, READ_ONLY_COMMANDS, commandOf } from './commandList.js';
import { controlCommands } from './commands/controlCommands.js';
import { costCommands } from './commands/costCommands.js';
import { fallbackCommands } from './commands/fallbackCommands.js';
import { helpCommands } from './commands/helpCommands.js';
import { historyCommands } from './commands/historyCommands.js';
import { marketCommands } from './commands/marketCommands.js';
import { portfolioCommands } from './commands/portfolioCommands.js';
import { settingsCommands } from './commands/settingsCommands.js';
import { whatIfCommands } from './commands/whatIfCommands.js';
import type { BotContext, BotServices, ConvContext, Role } from './context.js';
import { SET_COST_CONVERSATION, setCostConversation } from './conversations/setCost.js';
import { SET_VALUE_VERSION, setValueConversation } from './conversations/setValue.js';
import { sqliteConversationStorage } from './conversationStorage.js';
import { createSettingsMenu, SET_VALUE_CONVERSATION } from './menus/settingsMenu.js';
import { answerTap, ignoreNotModified, replyHtml } from './reply.js';

/** Token, API address, owners, viewers, use cases, limits and test hooks of the grammY bot. */
export interface CreateBotOptions {
  readonly token: string;
  /** Bot API root (`TELEGRAM_API_ROOT`); tests point it at a fake server. */
  readonly apiRoot?: string;
  readonly ownerIds: readonly number[];
  readonly viewerIds?: readonly number[];
  readonly app: AppApi;
  /** Holds the conversation state (`conv_state`), so a dialogue survives a restart. */
  readonly db: Db;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** TZ_REPORTS. */
  readonly timeZone?: string;
  /** Known bot info: skips `getMe` (required for `handleUpdate` without `init`). */
  readonly botInfo?: UserFromGetMe;
  /** Innermost transformers on bot.api (the console's renderer; recorders). */
  readonly apiTransformers?: readonly Transformer[];
  /** A replacement `fetch` for every Api instance, conversations' included (the console uses it). */
  readonly fetch?: ApiClientOptions['fetch'];
  /** Per-user update budget; `false` turns the ratelimiter off. Default 20 updates per 5 s. */
  readonly rateLimit?: { readonly timeFrameMs: number; readonly limit: number } | false;
  readonly autoRetry?: Partial<AutoRetryOptions>;
  /** Actor prefix recorded in settings history: `tg` gives `tg:<user id>`. */
  readonly actorPrefix?: string;
  /** A dialogue left waiting longer than this is abandoned on the next update. Default 15 min. */
  readonly conversationTimeoutMs?: number;
}

/**
 * How the bot's own API calls retry on Telegram rate limits and server errors: three times at most, never
 * waiting more than 30 s; network errors are thrown at once.
 */
export const AUTO_RETRY_DEFAULTS: AutoRetryOptions = {
  maxRetryAttempts: 3,
  maxDelaySeconds: 30,
  rethrowHttpErrors: true,
  rethrowInternalServerErrors: false,
};

/** Creates the bot with every handler installed; start it with {@link TelegramTransport}. */
export function createBot(options: CreateBotOptions): Bot<BotContext> {
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  const services: BotServices = { app: options.app, clock, logger, timeZone: options.timeZone ?? 'UTC' };
  const client: ApiClientOptions = {
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const bot = new Bot<BotContext>(options.token, {
    client,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  const retry = autoRetry({ ...AUTO_RETRY_DEFAULTS, ...options.autoRetry });
  for (const t of options.apiTransformers ?? []) bot.api.config.use(t);
  bot.api.config.use(ignoreNotModified, retry);

  // 1. Owner/viewer gate: strangers get silence (a reply would confirm the bot exists).
  const owners = new Set(options.ownerIds);
  const viewers = new Set(options.viewerIds ?? []);
  const prefix = options.actorPrefix ?? 'tg';
  bot.use(async (ctx, next) => {
    const id = ctx.from?.id;
    const role: Role | undefined =
      id === undefined ? undefined : owners.has(id) ? 'owner' : viewers.has(id) ? 'viewer' : undefined;
    const chatType = ctx.chat?.type ?? ctx.callbackQuery?.message?.chat.type;
    if (!role || chatType !== 'private') {
      logger.debug(
        { from: id, chatType, updateId: ctx.update.update_id },
        'update dropped by the owner gate',
      );
      return;
    }
    ctx.role = role;
    ctx.actor = `${prefix}:${id}`;
    await next();
  });

  // 1b. One chat's updates are handled in order (the runner handles different chats at once),
  // except the kill switch: /panic and confirmation taps never wait behind a slow command.
  bot.use(sequentialize<BotContext>((ctx) => (jumpsTheQueue(ctx) ? undefined : chatKey(ctx))));

  // 2. Ratelimiter: mainly stops button hammering. Every excess input still gets an answer.
  if (options.rateLimit !== false) {
    const rl = options.rateLimit ?? { timeFrameMs: 5000, limit: 20 };
    bot.use(
      limit<BotContext, never>({
        timeFrame: rl.timeFrameMs,
        limit: rl.limit,
        alwaysReply: true,
        keyGenerator: (ctx) => ctx.from?.id.toString(),
        onLimitExceeded: (ctx) => {
          const answer = ctx.callbackQuery
            ? answerTap(ctx, 'Too many taps; wait a moment')
            : ctx.reply('Too many messages; wait a moment.');
          // Returned, so the notice is part of handling this update (the runner awaits it).
          return answer.then(
            () => undefined,
            (e: unknown) => logger.debug({ err: e }, 'rate-limit notice failed'),
          );
        },
      }),
    );
  }

  // 3. Error boundary: a failing handler is logged and the user is told, the bot goes on.
  const guarded = bot.errorBoundary((err: BotError<BotContext>) => onHandlerError(err, logger));

  // 4. Viewers: read-only commands; every other command and button is refused.
  guarded.use(async (ctx, next) => {
    if (ctx.role !== 'viewer') return next();
    const cmd = commandOf(ctx.message?.text);
    if (cmd !== undefined && COMMAND_NAMES.has(cmd) && !READ_ONLY_COMMANDS.has(cmd)) {
      await ctx.reply(`🔒 /${cmd} is for the owner; you have read-only access.`);
      return;
    }
    // Chart ranges, /get's groups, list pages and what-if replays only read; every other button
    // changes something.
    if (ctx.callbackQuery && !/^(ch|gg|pg|wi):/.test(ctx.callbackQuery.data ?? '')) {
      await answerTap(ctx, '🔒 Read-only access');
      return;
    }
    await next();
  });

  // 5–7. Conversations, the escape command, then the conversation itself.
  const innerPlugins = [
    async (ctx: ConvContext, next: () => Promise<void>) => {
      ctx.api.config.use(ignoreNotModified, autoRetry({ ...AUTO_RETRY_DEFAULTS, ...options.autoRetry }));
      await next();
    },
  ];
  guarded.use(
    conversations<BotContext, ConvContext>({
      storage: {
        type: 'key',
        version: SET_VALUE_VERSION,
        prefix: 'conv:',
        adapter: sqliteConversationStorage(options.db),
      },
      plugins: innerPlugins,
    }),
  );
  guarded.command('cancel', async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    await replyHtml(ctx, active ? 'Cancelled. Nothing was changed.' : 'Nothing to cancel.');
  });
  guarded.use(
    createConversation<BotContext, ConvContext>(setValueConversation(options.app, clock), {
      id: SET_VALUE_CONVERSATION,
      maxMillisecondsToWait: options.conversationTimeoutMs ?? 15 * 60_000,
    }),
  );
  guarded.use(
    createConversation<BotContext, ConvContext>(setCostConversation(options.app), {
      id: SET_COST_CONVERSATION,
      maxMillisecondsToWait: options.conversationTimeoutMs ?? 15 * 60_000,
    }),
  );

  // 8. Menus, then one composer per feature, then the fallback.
  const settingsMenu = createSettingsMenu(services);
  guarded.use(settingsMenu);
  guarded.use(helpCommands(services));
  guarded.use(portfolioCommands(services));
  guarded.use(costCommands(services));
  guarded.use(controlCommands(services));
  guarded.use(settingsCommands(services, settingsMenu));
  guarded.use(historyCommands(services));
  guarded.use(whatIfCommands(services));
  guarded.use(marketCommands(services));
  guarded.use(fallbackCommands());

  bot.catch((err) => onHandlerError(err, logger));
  return bot;
}

/** The per-chat sequencing key: the chat, or the user for updates without one. */
function chatKey(ctx: Context): string | undefined {
  const id = ctx.chat?.id ?? ctx.from?.id;
  return id === undefined ? undefined : String(id);
}

/** /panic and Confirm/Skip taps: handled at once, whatever else the chat is waiting for. */
function jumpsTheQueue(ctx: Context): boolean {
  if (commandOf(ctx.message?.text) === 'panic') return true;
  return /^c:[yn]:/.test(ctx.callbackQuery?.data ?? '');
}

async function onHandlerError(err: BotError<BotContext>, logger: Logger): Promise<void> {
  const ctx: Context = err.ctx;
  logger.error({ err: err.error, updateId: ctx.update.update_id }, 'chat handler failed');
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: 'Something went wrong; it was logged' });
    else if (ctx.chat) await ctx.reply('⚠️ Something went wrong; it was logged. Try again or /help.');
  } catch (error) {
    logger.warn({ err: error }, 'could not tell the user about a failed handler');
  }
}
