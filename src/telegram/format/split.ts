/**
 * Splits an HTML message into parts below Telegram's 4 096-character limit: the only place
 * long text is cut. Cuts prefer line ends, never fall inside a tag or an entity, and close the
 * tags open at the cut (re-opening them in the next part) so every part parses on its own.
 */
import { htmlToText } from './html.js';

/** Telegram's limit on a message's text. */
export const MESSAGE_LIMIT = 4096;
/** Telegram's limit on a photo caption. */
export const CAPTION_LIMIT = 1024;

// Tags, entities, newlines and runs of plain text. A stray `<` or `&` (never produced by the
// escaper) becomes a one-character text token.
const TOKEN = /<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|\n|[^<&\n]+|[<&]/g;

interface OpenTag {
  readonly name: string;
  readonly raw: string;
}

function applyTag(stack: readonly OpenTag[], token: string): readonly OpenTag[] {
  if (!token.startsWith('<') || token.length < 3) return stack;
  const close = /^<\/([a-zA-Z][a-zA-Z0-9-]*)/.exec(token);
  if (close) {
    const at = stack.map((t) => t.name).lastIndexOf(close[1]!.toLowerCase());
    return at < 0 ? stack : stack.slice(0, at);
  }
  const open = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(token);
  return open ? [...stack, { name: open[1]!.toLowerCase(), raw: token }] : stack;
}

const closing = (stack: readonly OpenTag[]) =>
  stack
    .map((t) => `</${t.name}>`)
    .reverse()
    .join('');
const opening = (stack: readonly OpenTag[]) => stack.map((t) => t.raw).join('');

/** Splits plain text runs longer than `max`, preferring spaces. */
function chunkText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Never cut a surrogate pair in half.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Splits `html` into parts of at most `limit` characters (raw length, which is never less than
 * what Telegram counts). Returns `[html]` when it fits; never returns an empty part.
 */
export function splitHtml(html: string, limit: number = MESSAGE_LIMIT): string[] {
  if (html.length <= limit) return [html];
  const maxText = Math.max(16, Math.floor(limit / 2));
  const tokens = (html.match(TOKEN) ?? []).flatMap((t) =>
    t.length > maxText && !t.startsWith('<') ? chunkText(t, maxText) : [t],
  );
  const parts: string[] = [];
  const flush = (text: string, stack: readonly OpenTag[]) => {
    const part = (text + closing(stack)).replace(/\n+((?:<\/[^>]+>)*)$/, '$1');
    if (htmlToText(part).trim() !== '') parts.push(part);
  };
  let stack: readonly OpenTag[] = [];
  let cur = '';
  let prefixLen = 0;
  let lineBreak: { pos: number; stack: readonly OpenTag[] } | undefined;
  for (const token of tokens) {
    const next = applyTag(stack, token);
    while (cur.length + token.length + closing(next).length > limit) {
      if (lineBreak && lineBreak.pos > prefixLen) {
        flush(cur.slice(0, lineBreak.pos), lineBreak.stack);
        const reopen = opening(lineBreak.stack);
        cur = reopen + cur.slice(lineBreak.pos);
        prefixLen = reopen.length;
        lineBreak = undefined;
      } else if (cur.length > prefixLen) {
        flush(cur, stack);
        cur = opening(stack);
        prefixLen = cur.length;
        lineBreak = undefined;
      } else {
        break; // the token alone does not fit an empty part: only possible with absurd nesting
      }
    }
    cur += token;
    stack = next;
    if (token === '\n') lineBreak = { pos: cur.length, stack };
  }
  flush(cur, stack);
  return parts.length > 0 ? parts : [html.slice(0, limit)];
}
