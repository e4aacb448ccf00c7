/**
 * The one way numbers, durations and times are written for people: chat replies, notifications,
 * the daily report, chart titles and the human reasons strategies give. Every layer imports it
 * from here (it is pure and depends only on the decimal type), so a message never mixes styles.
 *
 * The style (see docs/numbers.md for examples):
 * - thousands grouped with commas, a point for decimals: `94,162.12`;
 * - an ASCII minus (`-4.05`), a `+` only on changes (PnL, percent moves);
 * - percentages with two decimals and no space: `+1.83%`, `55.94%`;
 * - money (stablecoin values) with two decimals; prices from 1,000 up with two decimals, below
 *   that six significant digits (`0.00104371`, `2.3204`), or the decimals of the symbol's tick
 *   when it is known; quantities rounded down, up to eight decimals, or the step's decimals.
 *
 * Rounding is done on the decimal with decimal.js, then `Intl.NumberFormat` writes the exact
 * decimal string (it accepts strings without going through a float).
 */
import { localTime } from '../common/timeZone.js';
import { STABLECOINS } from './market.js';
import { Decimal, HUNDRED } from './money.js';

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Writes an exact decimal string with grouping, exactly `digits` decimals and the sign rule. */
function write(fixed: string, digits: number, sign: 'auto' | 'exceptZero'): string {
  const key = `${digits}:${sign}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay: sign,
    });
    numberFormats.set(key, format);
  }
  // A value that rounds to zero is written without a sign: "-0.00" reads as a loss that is not there.
  const text = /[1-9]/.test(fixed) ? fixed : fixed.replace(/^-/, '');
  return format.format(text as Intl.StringNumericLiteral);
}

/** Decimal places needed to write `value` without trailing zeros. */
function placesOf(value: Decimal): number {
  return Math.max(0, value.decimalPlaces());
}

/** Rounds to `digits` decimals and writes the result, trailing zeros kept down to `minDigits`. */
function fixedTrimmed(value: Decimal, digits: number, minDigits: number, rounding: Decimal.Rounding): string {
  const rounded = value.toDecimalPlaces(digits, rounding);
  return write(rounded.toFixed(), Math.max(minDigits, placesOf(rounded)), 'auto');
}

/** Digits after the point that keep six significant digits of `abs` (0.0000123456 → 10). */
function significantPlaces(abs: Decimal): number {
  if (abs.isZero()) return 0;
  // decimal.js `e` is the base-10 exponent of the leading digit (0.0000123 → -5).
  return Math.min(12, Math.max(0, 5 - abs.e));
}

function toDecimal(value: Decimal | number): Decimal | undefined {
  if (value instanceof Decimal) return value;
  return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
}

function infinity(value: number): string {
  return value > 0 ? '∞' : '-∞';
}

/**
 * Any number in a sentence (an amount, a threshold, an indicator reading): up to two decimals
 * from 1,000 up, otherwise six significant digits, trailing zeros dropped. `20`, `1,121`,
 * `95,391.54`, `0.936901`. Infinite numbers are written `∞`.
 */
export function formatNumber(value: Decimal | number): string {
  const d = toDecimal(value);
  if (!d) return infinity(value as number);
  const abs = d.abs();
  const digits = abs.greaterThanOrEqualTo(1000) ? 2 : significantPlaces(abs);
  return fixedTrimmed(d, digits, 0, Decimal.ROUND_HALF_UP);
}

/**
 * A price: with the symbol's tick size, exactly the tick's decimals; otherwise two decimals from
 * 1,000 up and six significant digits below (at least two decimals): `94,162.12`, `3,456.60`,
 * `2.3204`, `0.00104371`.
 */
export function formatPrice(value: Decimal, tickSize?: Decimal): string {
  if (tickSize && tickSize.greaterThan(0)) {
    const digits = placesOf(tickSize);
    return write(value.toFixed(digits, Decimal.ROUND_HALF_UP), digits, 'auto');
  }
  const abs = value.abs();
  const digits = abs.greaterThanOrEqualTo(1000) ? 2 : Math.max(2, significantPlaces(abs));
  return fixedTrimmed(value, digits, 2, Decimal.ROUND_HALF_UP);
}

/**
 * A coin quantity, never rounded up: with the symbol's step size, the step's decimals; otherwise
 * two decimals from 1,000 up, four from 1, eight below, trailing zeros dropped: `53,273`,
 * `318.2`, `0.000769`.
 */
export function formatQty(value: Decimal, stepSize?: Decimal): string {
  if (stepSize && stepSize.greaterThan(0)) {
    const digits = placesOf(stepSize);
    return write(value.toFixed(digits, Decimal.ROUND_DOWN), digits, 'auto');
  }
  const abs = value.abs();
  const digits = abs.greaterThanOrEqualTo(1000) ? 2 : abs.greaterThanOrEqualTo(1) ? 4 : 8;
  return fixedTrimmed(value, digits, 0, Decimal.ROUND_DOWN);
}

/** A stablecoin value: two decimals, grouped: `1,504.89`. */
export function formatMoney(value: Decimal): string {
  return write(value.toFixed(2, Decimal.ROUND_HALF_UP), 2, 'auto');
}

/** An amount of `asset`: money style for stablecoins, quantity style for coins. */
export function formatAmount(value: Decimal, asset: string): string {
  return STABLECOINS.has(asset) ? formatMoney(value) : formatQty(value);
}

/** A change of value (PnL): two decimals with its sign, `+12.30`, `-4.05`, `0.00`. */
export function formatSigned(value: Decimal): string {
  return write(value.toFixed(2, Decimal.ROUND_HALF_UP), 2, 'exceptZero');
}

/** Options of {@link formatPercent}. */
export interface PercentOptions {
  /** Write `+` on positive values (changes, PnL); default false (shares, thresholds). */
  readonly signed?: boolean;
  /** Decimals; default 2. Use 0 only for whole-number settings such as a 50% target. */
  readonly digits?: number;
  /**
   * Round toward zero, for "not reached yet" notes where 2.9996% must not read as the 3.00%
   * target. Default false (half up).
   */
  readonly truncate?: boolean;
}

/** A percentage: `55.94%`, `+1.83%`, `-0.03%`; `n/a` when unknown; `∞%` for an infinite ratio. */
export function formatPercent(value: Decimal | number | undefined, options: PercentOptions = {}): string {
  if (value === undefined) return 'n/a';
  const d = toDecimal(value);
  if (!d) return `${infinity(value as number)}%`;
  const digits = options.digits ?? 2;
  const fixed = d.toFixed(digits, options.truncate ? Decimal.ROUND_DOWN : Decimal.ROUND_HALF_UP);
  return `${write(fixed, digits, options.signed ? 'exceptZero' : 'auto')}%`;
}

/** `part / whole` as a percentage, or undefined when `whole` is zero. */
export function percentOf(part: Decimal, whole: Decimal): Decimal | undefined {
  return whole.isZero() ? undefined : part.div(whole).times(HUNDRED);
}

/** `1 buy`, `2 buys`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * A duration: `45s`, `3m`, `2h 5m`, `3d 4h`. `roundUp` counts started minutes (a cooldown with
 * 30 s left reads `1m`, never `0s`).
 */
export function formatDuration(ms: number, options: { readonly roundUp?: boolean } = {}): string {
  if (options.roundUp) ms = Math.max(0, Math.ceil(ms / 60_000)) * 60_000;
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** A short relative time: `now`, `45s ago`, `in 3m`, `2h 5m ago`. */
export function formatAgo(at: number, now: number): string {
  const diff = now - at;
  if (Math.abs(diff) < 1000) return 'now';
  const text = formatDuration(Math.abs(diff));
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

// Kept per zone and form, as in `common/timeZone.ts`: a new formatter costs far more than a use.
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(zone: string, withDay: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withDay}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      ...(withDay ? { month: 'short', day: 'numeric' } : {}),
    });
    timeFormats.set(key, format);
  }
  return format;
}

/** A clock time in `timeZone`: `14:05` today, `3 Jan, 14:05` on another day. */
export function formatTime(at: number, now: number, timeZone: string): string {
  return dateTimeFormat(timeZone, localTime(at, timeZone).date !== localTime(now, timeZone).date).format(at);
}
