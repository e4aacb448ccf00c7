/**
 * A strict checker of Telegram's HTML parse mode, as the Bot API applies it: only the tags
 * Telegram supports, properly nested and closed, every `<`, `>` and `&` outside a tag written
 * as an entity. Returns the visible text length (what the 4 096 limit counts) or the error.
 */

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);

const NAMED = new Set(['lt', 'gt', 'amp', 'quot']);

export type HtmlCheck = { ok: true; text: string } | { ok: false; error: string };

export function parseTelegramHtml(html: string): HtmlCheck {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return { ok: false, error: `Unclosed start tag at byte offset ${i}` };
      const inner = html.slice(i + 1, end);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const top = stack.pop();
        if (top !== name)
          return {
            ok: false,
            error: `Unmatched end tag at byte offset ${i}, expected "</${top}>", found "</${name}>"`,
          };
      } else {
        const m = /^([a-zA-Z][a-zA-Z0-9-]*)(\s[^]*)?$/.exec(inner);
        if (!m) return { ok: false, error: `Unsupported start tag at byte offset ${i}` };
        const name = m[1]!.toLowerCase();
        if (!TAGS.has(name))
          return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${i}` };
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (ch === '>')
      return { ok: false, error: `Character '>' is reserved and must be escaped (offset ${i})` };
    if (ch === '&') {
      const m = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/.exec(html.slice(i, i + 12));
      if (!m || (!m[1]!.startsWith('#') && !NAMED.has(m[1]!))) {
        return { ok: false, error: `Character '&' must be escaped as &amp; (offset ${i})` };
      }
      text += m[1] === 'lt' ? '<' : m[1] === 'gt' ? '>' : m[1] === 'amp' ? '&' : m[1] === 'quot' ? '"' : '?';
      i += m[0].length;
      continue;
    }
    text += ch;
    i++;
  }
  if (stack.length > 0)
    return { ok: false, error: `Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  return { ok: true, text };
}
