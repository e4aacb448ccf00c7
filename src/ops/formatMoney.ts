/**
 * Display formatting of decimals for chat text and chart captions: fixed decimals, thousands
 * separators, explicit signs for changes. Display only; never feed the result back into maths.
 */
import { Decimal, HUNDRED } from '../domain/money.js';

/** `1234.5` → `"1,234.50"` (rounded half-up to `decimals`). */
export function formatAmount(value: Decimal, decimals = 2): string {
  const fixed = value.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals);
  const negative = fixed.startsWith('-');
  const [int = '0', frac] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = frac === undefined ? grouped : `${grouped}.${frac}`;
  // "-0.00" after rounding a tiny negative reads as a loss that is not there.
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Like {@link formatAmount} with a leading `+` for positive values: `+12.30`, `-4.00`, `0.00`. */
export function formatSigned(value: Decimal, decimals = 2): string {
  const text = formatAmount(value, decimals);
  return /[1-9]/.test(text) && !text.startsWith('-') ? `+${text}` : text;
}

/** `part / whole` as a percentage, or undefined when `whole` is zero. */
export function percentOf(part: Decimal, whole: Decimal): Decimal | undefined {
  return whole.isZero() ? undefined : part.div(whole).times(HUNDRED);
}

/** A percentage with one decimal and a sign: `+2.5 %`; `n/a` when unknown. */
export function formatPercent(value: Decimal | undefined, options: { signed?: boolean } = {}): string {
  if (value === undefined) return 'n/a';
  const text = options.signed === false ? formatAmount(value, 1) : formatSigned(value, 1);
  return `${text} %`;
}

/**
 * A price with sensible precision: 2 decimals from 1,000 up, 4 from 1, else 4 significant
 * digits (altcoins trade at 0.00001234), trailing zeros trimmed below 1.
 */
export function formatPrice(value: Decimal): string {
  const abs = value.abs();
  if (abs.greaterThanOrEqualTo(1000)) return formatAmount(value, 2);
  if (abs.greaterThanOrEqualTo(1)) return formatAmount(value, 4);
  if (abs.isZero()) return '0';
  return value.toSignificantDigits(4, Decimal.ROUND_HALF_UP).toFixed();
}

/** `1 buy`, `2 buys`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
