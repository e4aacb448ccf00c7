/**
 * Decimal money: the only way prices, quantities, fees and PnL are represented.
 *
 * Every module that needs decimal arithmetic imports `Decimal` from here (never from
 * `decimal.js` directly) so the precision settings below apply everywhere. JavaScript numbers
 * never carry money; strings are the wire and storage format, produced with {@link toWire}.
 */
import { Decimal } from 'decimal.js';

// 40 significant digits comfortably holds 24h quote volumes times prices with 18 decimals.
// toExpNeg/toExpPos keep toString() out of exponent notation for any value we handle;
// still, use toWire() (toFixed) for anything sent to the exchange or stored.
Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

export { Decimal };

/** Decimal zero, shared to avoid allocating it everywhere. */
export const ZERO = new Decimal(0);
/** Decimal one, shared to avoid allocating it everywhere. */
export const ONE = new Decimal(1);
/** Decimal hundred, for percentages. */
export const HUNDRED = new Decimal(100);

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal from a string (or a finite number, converted via its shortest string form). Throws on anything else. */
export function dec(value: string | number | Decimal): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new Decimal(String(value));
  }
  const text = value.trim();
  if (!DECIMAL_TEXT.test(text)) throw new RangeError(`not a decimal: "${value}"`);
  return new Decimal(text);
}

/** Lenient parse for exchange payloads: returns undefined for null, "", NaN and garbage instead of throwing. */
export function parseDecimal(value: unknown): Decimal | undefined {
  if (value instanceof Decimal) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return DECIMAL_TEXT.test(text) ? new Decimal(text) : undefined;
}

/**
 * Lenient parse of a decimal text (the syntax {@link parseDecimal} accepts) into a JavaScript
 * number, for figures that only feed signals (a streamed candle's close and volume), never money:
 * no Decimal is built for a value the indicators would turn into a number at once. Undefined for
 * null, "", NaN and garbage.
 */
export function parseSignalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!DECIMAL_TEXT.test(text)) return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Plain decimal string for the wire and SQLite TEXT columns: never exponent notation. */
export function toWire(value: Decimal): string {
  return value.toFixed();
}

/** Which way {@link quantize} rounds onto a tick or lot step. */
export type RoundMode = 'down' | 'up' | 'nearest';

/**
 * Rounds `value` to a multiple of `step` (a tick or lot step). `down` floors toward zero for
 * positive values, `up` ceils. A zero step leaves the value unchanged.
 *
 * @example quantize(dec('0.0123456'), dec('0.0001'), 'down') // 0.0123
 */
export function quantize(value: Decimal, step: Decimal, mode: RoundMode): Decimal {
  if (step.isZero()) return value;
  const rounding =
    mode === 'down' ? Decimal.ROUND_DOWN : mode === 'up' ? Decimal.ROUND_UP : Decimal.ROUND_HALF_UP;
  return value.toNearest(step, rounding);
}

/** 10^-decimals, the step for a precision given as a number of decimal places. */
export function stepFromPrecision(decimals: number): Decimal {
  return new Decimal(10).pow(-decimals);
}

/** Basis points to a fraction: 5 bps → 0.0005. */
export function bps(value: Decimal | number): Decimal {
  return dec(value).div(10_000);
}

/** Percent to a fraction: 3 % → 0.03. */
export function pct(value: Decimal | number): Decimal {
  return dec(value).div(100);
}

/** The smaller of two decimals. */
export function minDec(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

/** The larger of two decimals. */
export function maxDec(a: Decimal, b: Decimal): Decimal {
  return a.greaterThan(b) ? a : b;
}

/** The decimal sum of a list (zero when empty). */
export function sumDec(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
