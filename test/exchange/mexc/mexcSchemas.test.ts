import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  formatZodError,
  MexcDefaultSymbols,
  mexcDecimal,
  mexcId,
  mexcInt,
  mexcOptionalDecimal,
  MexcOrder,
  MexcTrade,
  MexcTradeFee,
} from '../../../src/exchange/mexc/mexcSchemas.js';
import { order, trade } from '../../helpers/mexcWire.js';

/** The readable failure text for `value`, or 'ok'. */
function problem(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  return result.success ? 'ok' : formatZodError(result.error);
}

describe('MEXC schemas', () => {
  it.each([
    ['"0.0005"', '0.0005', '0.0005'],
    ['number 0.0005', 0.0005, '0.0005'],
    ['padded string', ' 12.5 ', '12.5'],
    ['integer number', 42, '42'],
  ])('decimal from %s', (_label, input, expected) => {
    expect(mexcDecimal.parse(input)).toBe(expected);
    expect(mexcOptionalDecimal.parse(input)).toBe(expected);
  });

  it('optional decimal: null, "" and absent are missing; garbage is an error', () => {
    expect(mexcOptionalDecimal.parse(null)).toBeUndefined();
    expect(mexcOptionalDecimal.parse('')).toBeUndefined();
    expect(mexcOptionalDecimal.parse(undefined)).toBeUndefined();
    expect(problem(mexcOptionalDecimal, '1,5')).toBe(
      '(root): expected a decimal string or number, got "1,5"',
    );
    expect(() => mexcOptionalDecimal.parse(true)).toThrow();
  });

  it('required decimal rejects null and "" with a message saying what is valid', () => {
    const result = mexcDecimal.safeParse(null);
    expect(result.success).toBe(false);
    expect(formatZodError(result.error!)).toBe('(root): expected a decimal string or number, got null');
    expect(mexcDecimal.safeParse('').success).toBe(false);
  });

  it('integers accept strings and numbers, refuse fractions', () => {
    expect(mexcInt.parse('1767225600000')).toBe(1767225600000);
    expect(mexcInt.parse(8)).toBe(8);
    expect(problem(mexcInt, '8.5')).toBe('(root): expected an integer, got "8.5"');
    expect(() => mexcInt.parse(null)).toThrow(/expected an integer/);
  });

  it('ids stay strings; a JSON number beyond 2^53 is refused rather than silently rounded', () => {
    expect(mexcId.parse('C01__379608025012453377')).toBe('C01__379608025012453377');
    expect(mexcId.parse(12345)).toBe('12345');
    expect(mexcId.safeParse(2 ** 53 + 2).success).toBe(false);
  });

  it('wrapped envelopes accept code 0 / 200 as number or string, nothing else', () => {
    for (const code of [0, 200, '0', '200']) {
      expect(MexcDefaultSymbols.parse({ code, data: ['A'], msg: null }).data).toEqual(['A']);
    }
    expect(MexcDefaultSymbols.safeParse({ code: 500, data: [], msg: 'x' }).success).toBe(false);
    expect(
      MexcTradeFee.parse({ code: 0, data: { makerCommission: 0.0, takerCommission: 0.0005 } }).data,
    ).toEqual({
      makerCommission: '0',
      takerCommission: '0.0005',
    });
  });

  it('names the failing field of a malformed order', () => {
    const result = MexcOrder.safeParse(order({ status: 'EXPIRED', side: 'HOLD' }));
    expect(result.success).toBe(false);
    const text = formatZodError(result.error!);
    expect(text).toContain('status: ');
    expect(text).toContain('side: ');
  });

  it('a trade with a non-zero commission must say its asset', () => {
    expect(MexcTrade.safeParse(trade({ id: '1', time: 1, commissionAsset: null })).success).toBe(false);
    expect(
      MexcTrade.safeParse(trade({ id: '1', time: 1, commission: '0.000', commissionAsset: null })).success,
    ).toBe(true);
  });
});
