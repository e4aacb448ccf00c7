/** Builders of Telegram updates for bot tests (private chats: chat id = user id). */
import type { Update } from 'grammy/types';

let nextMessageId = 1;
let nextQueryId = 1;

export function textUpdate(userId: number, text: string): Omit<Update, 'update_id'> {
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return {
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: `user${userId}` },
      from: { id: userId, is_bot: false, first_name: `user${userId}` },
      text,
      ...(command
        ? { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] }
        : {}),
    },
  };
}

/** A button tap on the bot's message `messageId` in the user's chat. */
export function callbackUpdate(userId: number, data: string, messageId = 1): Omit<Update, 'update_id'> {
  return {
    callback_query: {
      id: `q${nextQueryId++}`,
      from: { id: userId, is_bot: false, first_name: `user${userId}` },
      chat_instance: `ci${userId}`,
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: userId, type: 'private', first_name: `user${userId}` },
        text: 'menu',
      },
    },
  };
}

/** With an update_id, for `bot.handleUpdate`. */
export function withId(update: Omit<Update, 'update_id'>, id: number): Update {
  return { ...update, update_id: id } as Update;
}
