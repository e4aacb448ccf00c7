/**
 * Exact gives decimal.js's results digit for digit (40 significant digits, half up) for the
 * operations the fills replay uses, on random operands of every length and scale, including
 * values longer than the precision and ties at the rounding digit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact, Tally } from '../../src/domain/exact.js';
import { Decimal } from '../../src/domain/money.js';

/** Random decimal text: up to 60 digits, the point anywhere, sometimes negative, sometimes 0. */
const textArb = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^[0-9]{1,60}$/),
    fc.integer({ min: 0, max: 60 }),
    fc.constantFrom('', '', '', '5', '50', '49999', '5000000000000000000000000000000000000000000001'),
  )
  .map(([negative, digits, point, tail]) => {
    const all = digits + tail;
    const at = Math.min(point, all.length);
    const int = all.slice(0, all.length - at) || '0';
    const frac = all.slice(all.length - at);
    return `${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`;
  });

/** Digits of `m`, negative for a negative `m`, 0 for 0: what {@link Exact.n} must hold. */
function signedDigits(m: bigint): number {
  if (m === 0n) return 0;
  return m < 0n ? -(-m).toString().length : m.toString().length;
}

function same(exact: Exact, decimal: Decimal): void {
  expect(exact.toDecimal().toFixed()).toBe(decimal.toFixed());
  expect(exact.toFixed(), 'written as decimal.js writes it').toBe(decimal.toFixed());
  expect(exact.n, 'its digit count').toBe(signedDigits(exact.m));
}

describe('Exact', () => {
  it('parses and converts back without changing a digit', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        same(Exact.parse(text)!, new Decimal(text));
        same(Exact.of(new Decimal(text))!, new Decimal(text));
      }),
      { numRuns: 300 },
    );
    same(Exact.parse('1.5e-3')!, new Decimal('0.0015'));
    expect(Exact.parse('abc')).toBeUndefined();
    expect(Exact.parse('.')).toBeUndefined();
    expect(Exact.parse('')).toBeUndefined();
    expect(Exact.of(new Decimal(NaN))).toBeUndefined();
  });

  it('reads an amount where it lies in a longer text as it reads the amount alone', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.string({ maxLength: 4 }),
        fc.string({ maxLength: 4 }),
        (text, before, after) => {
          const whole = before + text + after;
          const span = Exact.parseSpan(whole, before.length, before.length + text.length);
          same(span!, new Decimal(text));
        },
      ),
      { numRuns: 300 },
    );
    expect(Exact.parseSpan('1,a,3', 2, 3), 'not a number').toBeUndefined();
    expect(Exact.parseSpan('1,2.,3', 2, 4)?.toFixed(), 'as dec() reads "2."').toBe('2');
    expect(Exact.parseSpan('x-7.25y', 1, 6)?.toFixed()).toBe('-7.25');
    expect(Exact.parseSpan('1234567890123456', 0, 16)?.toFixed(), 'past 15 digits: the general reading').toBe(
      '1234567890123456',
    );
  });

  it('plus, minus, times and div equal decimal.js at 40 digits, half up', () => {
    fc.assert(
      fc.property(textArb, textArb, (x, y) => {
        const a = Exact.parse(x)!;
        const b = Exact.parse(y)!;
        const da = new Decimal(x);
        const db = new Decimal(y);
        same(a.plus(b), da.plus(db));
        same(a.minus(b), da.minus(db));
        same(a.times(b), da.times(db));
        if (!db.isZero()) same(a.div(b), da.div(db));
        expect(a.cmp(b)).toBe(da.comparedTo(db));
        expect(a.isZero()).toBe(da.isZero());
        expect(a.isNegative()).toBe(da.isNegative() && !da.isZero());
      }),
      { numRuns: 1000 },
    );
  });

  it('chains of random operations equal decimal.js at every step', () => {
    const op = fc.constantFrom('plus', 'minus', 'times', 'div');
    fc.assert(
      fc.property(
        textArb,
        fc.array(fc.tuple(op, textArb), { minLength: 1, maxLength: 12 }),
        (first, steps) => {
          let e = Exact.parse(first)!;
          let d = new Decimal(first);
          for (const [name, text] of steps) {
            const y = Exact.parse(text)!;
            const dy = new Decimal(text);
            if (name === 'div' && dy.isZero()) continue;
            e = e[name](y);
            d = d[name](dy);
            same(e, d);
            expect(e.cmp(y)).toBe(d.comparedTo(dy));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rounds ties away from zero and chains like decimal.js', () => {
    const third = Exact.parse('1')!.div(Exact.parse('3')!);
    same(third, new Decimal(1).div(3));
    same(Exact.parse('2')!.div(Exact.parse('3')!), new Decimal(2).div(3));
    same(Exact.parse('-2')!.div(Exact.parse('3')!), new Decimal(-2).div(3));
    // A rounding that carries into a new digit: forty nines and a five become 10^40.
    const nines = `${'9'.repeat(40)}.5`;
    same(Exact.parse(nines)!.plus(Exact.ZERO), new Decimal(nines).plus(0));
    same(Exact.parse(`-${nines}`)!.minus(Exact.ZERO), new Decimal(`-${nines}`).minus(0));
    same(Exact.parse(nines)!.plus(Exact.ZERO).times(Exact.parse('3')!), new Decimal(nines).plus(0).times(3));
    const tie = '1234567890123456789012345678901234567890.5';
    same(Exact.parse(tie)!.plus(Exact.ZERO), new Decimal(tie).plus(0));
    same(Exact.parse(`-${tie}`)!.plus(Exact.ZERO), new Decimal(`-${tie}`).plus(0));
    let e = Exact.parse('0.1')!;
    let d = new Decimal('0.1');
    for (let i = 0; i < 50; i++) {
      e = e.times(Exact.parse('1.0007')!).plus(Exact.parse('0.33')!).div(Exact.parse('1.3')!);
      d = d.times('1.0007').plus('0.33').div('1.3');
    }
    same(e, d);
  });
});

describe('Tally', () => {
  it('adds as plus adds, zeros included, from a start of any length', () => {
    // Zeros often: a fill without a fee adds one, and adding it must change nothing but the
    // rounding plus itself would do (a start longer than 40 digits is rounded by the first add).
    const addend = fc.oneof(textArb, fc.constant('0'));
    fc.assert(
      fc.property(textArb, fc.array(addend, { minLength: 1, maxLength: 12 }), (first, steps) => {
        const tally = new Tally(Exact.parse(first)!);
        let d = new Decimal(first);
        for (const text of steps) {
          tally.add(Exact.parse(text)!);
          d = d.plus(text);
          same(tally.value, d);
          expect(tally.isZero()).toBe(d.isZero());
          expect(tally.isPositive()).toBe(d.isPositive() && !d.isZero());
        }
      }),
      { numRuns: 500 },
    );
  });
});
