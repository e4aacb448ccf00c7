/**
 * Sending and editing HTML messages from handlers: every text goes through the splitter, so no
 * handler can exceed Telegram's limit, and edits of a stale or inaccessible message fall back
 * to a new message.
 */
import type { Context, Transformer } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { PARSE_MODE } from './format/html.js';
import { splitHtml } from './format/split.js';

// A menu object from @grammyjs/menu is rendered into a keyboard by the menu's own transformer.
type Markup = InlineKeyboardMarkup | { readonly inline_keyboard: readonly unknown[] };

const NO_PREVIEW = { is_disabled: true } as const;

/** Replies with `html`, split into parts below 4 096 characters; the keyboard goes on the last part. */
export async function replyHtml(ctx: Context, html: string, markup?: Markup): Promise<void> {
  const parts = splitHtml(html);
  for (const [n, part] of parts.entries()) {
    const last = n === parts.length - 1;
    await ctx.reply(part, {
      parse_mode: PARSE_MODE,
      link_preview_options: NO_PREVIEW,
      ...(last && markup ? { reply_markup: markup as InlineKeyboardMarkup } : {}),
    });
  }
}

/** Edits the message a button belongs to (first part only: edits cannot split). */
export async function editHtml(ctx: Context, html: string, markup?: Markup): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (!message) {
    await replyHtml(ctx, html, markup);
    return;
  }
  const text = splitHtml(html)[0]!;
  await ctx.api.editMessageText(message.chat.id, message.message_id, text, {
    parse_mode: PARSE_MODE,
    link_preview_options: NO_PREVIEW,
    ...(markup ? { reply_markup: markup as InlineKeyboardMarkup } : {}),
  });
}

/** Answers a button tap, ignoring a query Telegram no longer accepts (answered or too old). */
export async function answerTap(ctx: Context, text?: string): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200) } : undefined);
}

/**
 * Treats Telegram's "message is not modified" as success: re-rendering an unchanged screen
 * (a repeated tap, a value at its limit) is not an error.
 */
export const ignoreNotModified: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (
    !res.ok &&
    res.error_code === 400 &&
    method.startsWith('editMessage') &&
    /message is not modified/i.test(res.description)
  ) {
    return { ok: true, result: true } as unknown as typeof res;
  }
  return res;
};
