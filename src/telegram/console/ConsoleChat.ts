/**
 * The console chat: the same grammY bot, handlers, menus and conversations as on
 * Telegram, without a token. Typed lines become message updates (`bot.handleUpdate` with a
 * preset botInfo), inline keyboards are printed as numbered buttons that the user picks by
 * typing the number, and notifications from the outbox print as they happen ({@link send}).
 * The console user is the owner. When the input ends or is not a terminal the bot keeps
 * running (trading and notifications go on); only a signal stops the process.
 */
import { createInterface, type Interface } from 'node:readline';
import { tmpdir } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { AppApi } from '../../app/AppApi.js';
import type { SendFn } from '../telegramSend.js';
import type { Db } from '../../persistence/db.js';
import type { Clock } from '../../common/clock.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import type { BotContext } from '../context.js';
import { createBot } from '../createBot.js';
import { CONSOLE_BOT_INFO, ConsoleRenderer } from './ConsoleRenderer.js';

/** The use cases, database, streams and clock of the terminal chat. */
export interface ConsoleChatOptions {
  readonly app: AppApi;
  readonly db: Db;
  readonly input: Readable;
  readonly output: Writable;
  /** The console user's id (also its chat id and the notifications' chat). Default 1. */
  readonly userId?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly timeZone?: string;
  /** ANSI bold; defaults to whether the output is a terminal. */
  readonly color?: boolean;
  /** Where chart pictures are saved. Default: the OS temp directory. */
  readonly photoDir?: string;
}

/** The chat in a terminal: the same bot and handlers as on Telegram, fed from stdin and printed to stdout. */
export class ConsoleChat {
  readonly bot: Bot<BotContext>;
  readonly chatId: number;
  readonly #o: ConsoleChatOptions;
  readonly #logger: Logger;
  readonly #renderer: ConsoleRenderer;
  #rl: Interface | undefined;
  #queue: Promise<void> = Promise.resolve();
  #updateId = 1;
  #messageId = 1;

  constructor(options: ConsoleChatOptions) {
    this.#o = options;
    this.#logger = options.logger ?? silentLogger();
    this.chatId = options.userId ?? 1;
    const color = options.color ?? (options.output as { isTTY?: boolean }).isTTY === true;
    this.#renderer = new ConsoleRenderer({
      write: (text) => options.output.write(text),
      color,
      photoDir: options.photoDir ?? tmpdir(),
      chatId: this.chatId,
    });
    this.bot = createBot({
      token: 'console',
      ownerIds: [this.chatId],
      app: options.app,
      db: options.db,
      clock: options.clock,
      logger: options.logger,
      timeZone: options.timeZone,
      botInfo: CONSOLE_BOT_INFO,
      apiTransformers: [this.#renderer.transformer],
      fetch: this.#renderer.fetch,
      rateLimit: false,
      actorPrefix: 'console',
    });
  }

  /** The outbox's send function: notifications print in the terminal. */
  readonly send: SendFn = async (m) => {
    const r = m.photo
      ? this.#renderer.photo(m.photo, m.text, m.replyMarkup)
      : this.#renderer.notification(m.parseMode === 'HTML' ? m.text : escapePlain(m.text), m.replyMarkup);
    return { messageId: r.message_id };
  };

  /** Starts reading lines. */
  start(): void {
    if (this.#rl) return;
    this.#o.output.write('Autopilot console chat: type /help, or a button number.\n');
    this.#rl = createInterface({ input: this.#o.input, terminal: false });
    this.#rl.on('line', (line) => this.#enqueue(line));
    this.#rl.on('close', () => {
      this.#o.output.write('(input closed: the bot keeps running; stop it with Ctrl+C or SIGTERM)\n');
    });
  }

  /** Resolves when every line typed so far has been handled. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Stops reading and waits for the update in progress. */
  async stop(): Promise<void> {
    this.#rl?.close();
    this.#rl = undefined;
    await this.#queue;
  }

  /** Handles one typed line (also used directly by tests and scripts). */
  type(line: string): Promise<void> {
    this.#enqueue(line);
    return this.#queue;
  }

  #enqueue(raw: string): void {
    const line = raw.trim();
    if (line === '') return;
    this.#queue = this.#queue
      .then(() => this.bot.handleUpdate(this.#toUpdate(line)))
      .catch((error: unknown) => {
        this.#logger.error({ err: error }, 'console update failed');
        this.#o.output.write('⚠️ That failed; see the log.\n');
      });
  }

  #toUpdate(line: string): Update {
    const from = { id: this.chatId, is_bot: false, first_name: 'console' };
    const chat = { id: this.chatId, type: 'private' as const, first_name: 'console' };
    const date = Math.floor(Date.now() / 1000);
    const button = /^\d{1,3}$/.test(line)
      ? this.#renderer.buttons.find((b) => b.n === Number(line))
      : undefined;
    if (button) {
      this.#o.output.write(`→ ${button.text}\n`);
      return {
        update_id: this.#updateId++,
        callback_query: {
          id: `console-${this.#updateId}`,
          from,
          chat_instance: 'console',
          data: button.data,
          message: { message_id: button.messageId, date, chat, text: '' },
        },
      };
    }
    const command = /^\/[A-Za-z0-9_]+/.exec(line);
    return {
      update_id: this.#updateId++,
      message: {
        message_id: this.#messageId++,
        date,
        chat,
        from,
        text: line,
        ...(command
          ? { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] }
          : {}),
      },
    };
  }
}

function escapePlain(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
