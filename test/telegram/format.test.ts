import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { escapeHtml, htmlToText, pre, table } from '../../src/telegram/format/html.js';
import { fmtAgo, fmtMoney, fmtPct, fmtPrice, fmtQty, fmtSigned } from '../../src/telegram/format/numbers.js';
import { MESSAGE_LIMIT, splitHtml } from '../../src/telegram/format/split.js';
import { parseTelegramHtml } from '../helpers/telegramHtml.js';

describe('number formatting', () => {
  it.each([
    ['65000.123', '65,000.12'],
    ['3.14159265', '3.1416'],
    ['0.00001234567', '0.0000123457'],
    ['0.5', '0.50'],
    ['1234567.8', '1,234,567.80'],
  ])('prices by magnitude: %s → %s', (input, expected) => {
    expect(fmtPrice(dec(input))).toBe(expected);
  });

  it('quantities keep the digits that matter and never round up', () => {
    expect(fmtQty(dec('0.0123456789'))).toBe('0.01234567');
    expect(fmtQty(dec('1250.5'))).toBe('1,250.5');
    expect(fmtQty(dec('2'))).toBe('2');
  });

  it('money and PnL have two decimals and a sign', () => {
    expect(fmtMoney(dec('1234.5'))).toBe('1,234.50');
    expect(fmtSigned(dec('12.3'))).toBe('+12.30');
    expect(fmtSigned(dec('-4.049'))).toBe('-4.05');
    expect(fmtSigned(dec('-0.001')), 'no negative zero').toBe('0.00');
    expect(fmtPct(dec('3.256'))).toBe('+3.26%');
  });

  it('relative times', () => {
    expect(fmtAgo(0, 45_000)).toBe('45s ago');
    expect(fmtAgo(200_000, 20_000)).toBe('in 3m');
    expect(fmtAgo(0, 7_500_000)).toBe('2h 5m ago');
  });
});

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
