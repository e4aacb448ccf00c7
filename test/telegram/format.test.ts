import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToText, pre, table } from '../../src/telegram/format/html.js';
import { MESSAGE_LIMIT, splitHtml } from '../../src/telegram/format/split.js';
import { parseTelegramHtml } from '../helpers/telegramHtml.js';

describe('HTML escaping and tables', () => {
  it('escapes every reserved character so Telegram parses any text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseTelegramHtml(`<b>${escapeHtml(s)}</b>`);
        return parsed.ok && parsed.text === s;
      }),
    );
  });

  it('aligns table columns, right-aligning numbers', () => {
    expect(
      table(
        [
          ['a', '1'],
          ['bbb', '100'],
        ],
        [1],
      ),
    ).toEqual(['a     1', 'bbb 100']);
    expect(pre(['x < y'])).toBe('<pre>x &lt; y</pre>');
  });
});

describe('splitHtml', () => {
  it('returns short texts unchanged', () => {
    expect(splitHtml('<b>hi</b>')).toEqual(['<b>hi</b>']);
  });

  it('splits long messages into valid parts below the limit without losing text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('', 'b', 'i', 'code', 'pre'), fc.string({ maxLength: 300 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 64, max: MESSAGE_LIMIT }),
        (blocks, limit) => {
          const html = blocks
            .map(([tag, text]) => (tag ? `<${tag}>${escapeHtml(text)}</${tag}>` : escapeHtml(text)))
            .join('\n');
          const parts = splitHtml(html, limit);
          for (const part of parts) {
            if (part.length > limit) return false;
            if (!parseTelegramHtml(part).ok) return false;
          }
          const visible = (s: string) => htmlToText(s).replace(/\s+/g, '');
          return parts.map(visible).join('') === visible(html);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('splits one huge line (no newline) and a long <pre> table', () => {
    const huge = escapeHtml('word & more '.repeat(1000));
    const parts = splitHtml(huge);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.length <= MESSAGE_LIMIT && parseTelegramHtml(p).ok)).toBe(true);
    const tablePart = splitHtml(pre(Array.from({ length: 400 }, (_, n) => `row ${n} ${'-'.repeat(20)}`)));
    expect(
      tablePart.every((p) => p.startsWith('<pre>') && p.endsWith('</pre>')),
      'each part is its own block',
    ).toBe(true);
  });
});
