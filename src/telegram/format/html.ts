/**
 * HTML parse mode helpers: the one place chat text is escaped. Every dynamic value that reaches
 * a message goes through {@link escapeHtml} (or a helper built on it); literal markup uses only
 * the tags Telegram accepts (b, i, u, s, code, pre, a, blockquote).
 */

/** The parse mode every message of the bot uses. */
export const PARSE_MODE = 'HTML' as const;

/** Escapes text for Telegram's HTML parse mode (and for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Bold text, escaped for Telegram HTML. */
export function b(text: string): string {
  return `<b>${escapeHtml(text)}</b>`;
}

/** Italic text, escaped for Telegram HTML. */
export function i(text: string): string {
  return `<i>${escapeHtml(text)}</i>`;
}

/** Monospace text, escaped for Telegram HTML. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A monospace block of already plain (unescaped) lines. */
export function pre(lines: readonly string[]): string {
  return `<pre>${escapeHtml(lines.join('\n'))}</pre>`;
}

/**
 * Aligns rows into columns for a `<pre>` block. Columns listed in `right` are right-aligned
 * (numbers); cells are plain text. Keep tables narrow: a phone shows ~32 monospace characters.
 */
export function table(rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => {
        const pad = (widths[c] ?? 0) - [...cell].length;
        return right.includes(c) ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad);
      })
      .join(' ')
      .trimEnd(),
  );
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The text a reader sees: tags removed, entities decoded (console output, length checks). */
export function htmlToText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

/** Cuts plain text to `max` characters with an ellipsis (for button labels and summaries). */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}
