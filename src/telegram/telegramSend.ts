/**
 * The outbox's send function for Telegram. Give it an `Api` without auto-retry
 * (`new Api(token, { apiRoot })`): the outbox sender waits out 429s and backs off itself,
 * persisting each retry time, instead of blocking inside a call.
 */
import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';

/** One message as the transport sends it. */
export interface OutgoingMessage {
  readonly chatId: string;
  readonly text: string;
  readonly parseMode: 'HTML' | 'none';
  readonly photo?: Buffer;
  readonly replyMarkup?: InlineKeyboardMarkup;
}

/** Sends one message (Telegram, or the console); throws on failure. */
export type SendFn = (message: OutgoingMessage) => Promise<{ readonly messageId?: number }>;

/** The send function for the Telegram Bot API. */
export function telegramSend(api: Api): SendFn {
  return async (m) => {
    const parse = m.parseMode === 'HTML' ? { parse_mode: 'HTML' as const } : {};
    const markup = m.replyMarkup ? { reply_markup: m.replyMarkup } : {};
    if (m.photo) {
      const sent = await api.sendPhoto(m.chatId, new InputFile(m.photo, 'chart.png'), {
        ...(m.text ? { caption: m.text, ...parse } : {}),
        ...markup,
      });
      return { messageId: sent.message_id };
    }
    const sent = await api.sendMessage(m.chatId, m.text, {
      ...parse,
      ...markup,
      link_preview_options: { is_disabled: true },
    });
    return { messageId: sent.message_id };
  };
}
