/**
 * Runs the bot with grammY's sequential long polling (`bot.start()`): one update at a time,
 * at-least-once, offsets confirmed by `bot.stop()`. Registers the command list at start.
 */
import type { Bot } from 'grammy';
import { silentLogger, type Logger } from '../shared/logger.js';
import { botCommands } from './commandList.js';
import type { BotContext } from './context.js';

/** The bot to poll for and the long-poll timeout. */
export interface TelegramTransportOptions {
  readonly bot: Bot<BotContext>;
  readonly logger?: Logger;
  /** Long-poll timeout in seconds (30 in production; tests use 0–1). */
  readonly pollTimeoutSec?: number;
}

/** Fetches updates from Telegram by long polling and hands them to the bot. */
export class TelegramTransport {
  readonly #bot: Bot<BotContext>;
  readonly #logger: Logger;
  readonly #pollTimeoutSec: number;
  #polling: Promise<void> | undefined;

  constructor(options: TelegramTransportOptions) {
    this.#bot = options.bot;
    this.#logger = options.logger ?? silentLogger();
    this.#pollTimeoutSec = options.pollTimeoutSec ?? 30;
  }

  /**
   * Registers the commands and starts polling; resolves once polling runs. Rejects when the
   * bot cannot start (a bad token: `getMe` answers 401).
   */
  async start(): Promise<void> {
    if (this.#polling) return;
    await new Promise<void>((resolve, reject) => {
      this.#polling = this.#bot
        .start({
          allowed_updates: ['message', 'callback_query'],
          timeout: this.#pollTimeoutSec,
          onStart: async (me) => {
            try {
              await this.#bot.api.setMyCommands(botCommands());
            } catch (error) {
              // The bot still works without the command menu; say so and go on.
              this.#logger.warn({ err: error }, 'setMyCommands failed');
            }
            this.#logger.info({ username: me.username }, 'telegram bot polling');
            resolve();
          },
        })
        .catch((error: unknown) => {
          this.#polling = undefined;
          this.#logger.error({ err: error }, 'telegram polling stopped with an error');
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  }

  /** Stops polling, confirms the offset and waits for the handler in progress to finish. */
  async stop(): Promise<void> {
    const polling = this.#polling;
    if (!polling) return;
    this.#polling = undefined;
    await this.#bot.stop();
    await polling.catch(() => undefined);
  }
}
