/**
 * Renders Bot API calls as terminal text for the console chat: messages and edits are
 * printed, inline keyboards become numbered buttons, photos are saved to a file. It answers
 * each call like Telegram would (message ids, `true`), so the bot's handlers run unchanged.
 * Used as an API transformer on bot.api and as the `fetch` of every other Api instance
 * (conversations build their own), so nothing ever leaves the process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClientOptions, Transformer } from 'grammy';
import type { InlineKeyboardButton, UserFromGetMe } from 'grammy/types';
import { htmlToText } from '../format/html.js';

/** The bot identity the console chat uses instead of asking Telegram. */
export const CONSOLE_BOT_INFO: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: 'Autopilot',
  username: 'autopilot_console',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** An inline button as the console shows it: a number to type instead of a tap. */
export interface ConsoleButton {
  readonly n: number;
  readonly text: string;
  readonly data: string;
  readonly messageId: number;
}

/** Where console output goes and whether it uses terminal colours. */
export interface ConsoleRendererOptions {
  readonly write: (text: string) => void;
  /** ANSI bold for <b>; off when the output is not a terminal. */
  readonly color?: boolean;
  /** Where photos are written. */
  readonly photoDir: string;
  readonly chatId: number;
}

type Payload = Record<string, unknown>;

/** Turns the bot's Bot API calls into terminal text and numbered buttons. */
export class ConsoleRenderer {
  readonly #o: ConsoleRendererOptions;
  #nextMessageId = 1;
  #buttons: ConsoleButton[] = [];
  #photos = 0;

  constructor(options: ConsoleRendererOptions) {
    this.#o = options;
  }

  /** The buttons the user can pick now (of the latest message with a keyboard). */
  get buttons(): readonly ConsoleButton[] {
    return this.#buttons;
  }

  /** Renders an HTML message for the terminal. */
  render(html: string): string {
    const bold = this.#o.color ? html.replace(/<b>([\s\S]*?)<\/b>/g, '\u001b[1m$1\u001b[22m') : html;
    return htmlToText(bold);
  }

  /** Performs one Bot API call; returns what Telegram would return. */
  call(method: string, p: Payload): unknown {
    switch (method) {
      case 'getMe':
        return CONSOLE_BOT_INFO;
      case 'sendMessage':
        return this.#message(String(p.text ?? ''), p.reply_markup, '');
      case 'editMessageText':
        this.#o.write(`✎ ${this.render(String(p.text ?? ''))}\n`);
        this.#keyboard(Number(p.message_id), p.reply_markup);
        return this.#messageObject(Number(p.message_id), String(p.text ?? ''));
      case 'editMessageReplyMarkup':
        this.#keyboard(Number(p.message_id), p.reply_markup);
        return this.#messageObject(Number(p.message_id), '');
      case 'answerCallbackQuery':
        if (typeof p.text === 'string' && p.text) this.#o.write(`» ${p.text}\n`);
        return true;
      case 'sendPhoto':
        return this.photo(p.photo, String(p.caption ?? ''), p.reply_markup);
      default:
        return true; // setMyCommands, deleteWebhook, sendChatAction, deleteMessage…
    }
  }

  /** Prints a notification from the outbox. */
  notification(html: string, replyMarkup?: unknown): { message_id: number } {
    return this.#message(html, replyMarkup, '🔔 ');
  }

  /** Saves a photo (a Buffer or an InputFile holding one) and prints where. */
  photo(file: unknown, caption: string, replyMarkup?: unknown): { message_id: number } {
    const data = file instanceof Uint8Array ? file : (file as { fileData?: unknown } | undefined)?.fileData;
    const path = join(this.#o.photoDir, `autopilot-chart-${process.pid}-${++this.#photos}.png`);
    if (data instanceof Uint8Array) writeFileSync(path, data);
    return this.#message(`${caption ? `${caption}\n` : ''}[picture saved to ${path}]`, replyMarkup, '🖼 ');
  }

  #message(html: string, markup: unknown, prefix: string) {
    const id = this.#nextMessageId++;
    this.#o.write(`${prefix}${this.render(html)}\n`);
    this.#keyboard(id, markup);
    return this.#messageObject(id, html);
  }

  #messageObject(id: number, text: string) {
    const chat = { id: this.#o.chatId, type: 'private' as const, first_name: 'console' };
    return { message_id: id, date: Math.floor(Date.now() / 1000), chat, from: CONSOLE_BOT_INFO, text };
  }

  #keyboard(messageId: number, markup: unknown): void {
    const rows = (markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard;
    if (!rows || rows.length === 0) {
      // An edit without a keyboard removes it: its numbers must not stay pickable.
      if (this.#buttons[0]?.messageId === messageId) this.#buttons = [];
      return;
    }
    let n = 0;
    const buttons: ConsoleButton[] = [];
    const lines = rows.map((row) =>
      row
        .map((b) => {
          if (!('callback_data' in b)) return `(${b.text})`;
          buttons.push({ n: ++n, text: b.text, data: b.callback_data, messageId });
          return `[${n}] ${b.text}`;
        })
        .join('  '),
    );
    this.#buttons = buttons;
    this.#o.write(`${lines.join('\n')}\n`);
  }

  /** A transformer answering every call locally (installed on bot.api). */
  readonly transformer: Transformer = async (_prev, method, payload) =>
    ({ ok: true, result: this.call(method, payload as Payload) }) as never;

  /** A `fetch` that answers JSON Bot API requests locally (for Api instances without the transformer). */
  readonly fetch = (async (url: string, init?: { body?: unknown }) => {
    const method = String(url).split('/').pop() ?? '';
    let payload: Payload = {};
    if (typeof init?.body === 'string') payload = JSON.parse(init.body) as Payload;
    const result = this.call(method, payload);
    return { json: async () => ({ ok: true, result }) };
  }) as unknown as NonNullable<ApiClientOptions['fetch']>;
}
