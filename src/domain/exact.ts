/**
 * Exact decimals on bigint for the hot loop of the fills replay: the same values as the project's
 * decimal.js settings (`money.ts`: 40 significant digits, ROUND_HALF_UP), digit for digit, at a
 * fraction of the cost. A value is `m × 10^e` with a bigint coefficient; every operation computes
 * the exact result and rounds it once to 40 significant digits, half away from zero, which is what
 * decimal.js does for plus, minus, times and div. Parsing and conversion back to `Decimal` are
 * exact (like `new Decimal(text)`, nothing is rounded on the way in).
 *
 * Only the replay uses it (a 100 000-fill history is replayed at start); everything else, and
 * everything the replay hands out, stays `Decimal`. The replay's running figures are
 * {@link Tally}s: changed in place, handing out immutable values.
 */
import { Decimal } from './money.js';

/** Significant digits kept by every operation: `Decimal.precision` as set in `money.ts`. */
const PRECISION = 40;

/** 10^0 … 10^160: digit counts and scaling without building powers in the hot loop. */
const POW10: bigint[] = [1n];
for (let i = 1; i <= 160; i++) POW10.push(POW10[i - 1]! * 10n);

function pow10(n: number): bigint {
  return n < POW10.length ? POW10[n]! : 10n ** BigInt(n);
}

/** Number of decimal digits of a non-negative bigint (1 for 0). */
function digitCount(a: bigint): number {
  if (a < POW10[PRECISION]!) {
    let lo = 1;
    let hi = PRECISION;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a < POW10[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  if (a >= POW10[POW10.length - 1]!) return a.toString().length;
  let lo = PRECISION + 1;
  let hi = POW10.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a < POW10[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** −10^0 … −10^160, for {@link digitCountOf} a negative value without negating it. */
const NEG_POW10: bigint[] = POW10.map((p) => -p);

/**
 * Number of decimal digits of any bigint, sign aside. Negating a value allocates a new bigint,
 * and the replay rounds a negative one for every loss it realises: comparing against the
 * negative powers costs nothing.
 */
function digitCountOf(a: bigint): number {
  if (a >= 0n) return digitCount(a);
  if (a <= NEG_POW10[NEG_POW10.length - 1]!) return a.toString().length - 1;
  let lo = 1;
  let hi = NEG_POW10.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a > NEG_POW10[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Half of 10^n (for n ≥ 1): the least dropped part that rounds up. */
const HALF: bigint[] = POW10.map((p) => p / 2n);

/** 10^PRECISION and its negative: what a rounding that carries into a new digit gives. */
const LIMIT = POW10[PRECISION]!;
const NEG_LIMIT = -LIMIT;

/** What `toFixed()` writes: digits, at most one point with digits after it. */
const PLAIN = /^-?\d+(?:\.\d+)?$/;

/** Plain or exponent notation, as `dec()` accepts it. */
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Signed digit count of `m` (see {@link Exact.n}): found by search, for values made without one. */
function signedDigits(m: bigint): number {
  return m > 0n ? digitCount(m) : m < 0n ? -digitCountOf(m) : 0;
}

/** Whether `|m| ≥ 10^d` for an `m` of sign `sign` (1 or −1). */
function reaches(m: bigint, sign: number, d: number): boolean {
  if (sign > 0) return m >= (d < POW10.length ? POW10[d]! : pow10(d));
  return m <= (d < NEG_POW10.length ? NEG_POW10[d]! : -pow10(d));
}

/** Makes an {@link Exact} of known parts, for {@link Tally} (set in `Exact`'s static block). */
let fromParts: (m: bigint, e: number, n: number) => Exact;

/** An exact decimal `m × 10^e` with decimal.js's rounding; see the module comment. */
export class Exact {
  static {
    fromParts = (m, e, n) => new Exact(m, e, n);
  }

  /** Zero. */
  static readonly ZERO = new Exact(0n, 0, 0);

  /** One. */
  static readonly ONE = new Exact(1n, 0, 1);

  /**
   * @param m the coefficient
   * @param e the power of ten it is scaled by
   * @param n the number of decimal digits of `m`, negative when `m` is, 0 when it is 0: every
   *   operation needs the sign and the size of its operands, and kept here they cost no bigint
   *   comparison (a replay makes several values per fill, each of which would otherwise be
   *   measured by a search over powers of ten)
   */
  private constructor(
    readonly m: bigint,
    readonly e: number,
    readonly n: number,
  ) {}

  /** `m × 10^e`, its digits counted. */
  static #make(m: bigint, e: number): Exact {
    return new Exact(m, e, signedDigits(m));
  }

  /** Parses decimal text (as `dec()` accepts it); undefined for anything else. */
  static parse(text: string): Exact | undefined {
    const short = Exact.#parseShort(text, 0, text.length);
    if (short !== undefined) return short;
    if (PLAIN.test(text)) {
      // The stored form (toFixed): digits with at most one point, parsed without the general pattern.
      const point = text.indexOf('.');
      return point < 0
        ? Exact.#make(BigInt(text), 0)
        : Exact.#make(BigInt(text.slice(0, point) + text.slice(point + 1)), point + 1 - text.length);
    }
    const match = DECIMAL_TEXT.exec(text.trim());
    if (match === null) return undefined;
    const int = match[2] ?? '';
    const frac = match[3] ?? '';
    if (int === '' && frac === '') return undefined;
    const digits = BigInt(int + frac);
    const exp = match[4] === undefined ? 0 : Number(match[4]);
    return Exact.#make(match[1] === '-' ? -digits : digits, exp - frac.length);
  }

  /**
   * Parses `text.slice(start, end)` as {@link parse} does, without cutting it out when it is the
   * stored form with at most 15 digits (every amount MEXC sends): several amounts kept in one
   * text are read where they lie.
   */
  static parseSpan(text: string, start: number, end: number): Exact | undefined {
    return Exact.#parseShort(text, start, end) ?? Exact.parse(text.slice(start, end));
  }

  /**
   * The stored form with at most 15 digits, read digit by digit into a float that holds it
   * exactly: no pattern and no intermediate strings, as a replay parses four amounts per fill.
   * Undefined for anything else, which the general path then reads.
   */
  static #parseShort(text: string, start: number, end: number): Exact | undefined {
    const n = end - start;
    if (n <= 0 || n > 17) return undefined;
    const negative = text.charCodeAt(start) === 45; // '-'
    const first = negative ? start + 1 : start;
    let m = 0;
    let digits = 0;
    // Digits from the first non-zero one: the coefficient's digit count.
    let significant = 0;
    let point = -1;
    for (let i = first; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 46) {
        // '.' needs a digit on both sides, and only one is allowed.
        if (point >= 0 || i === first || i === end - 1) return undefined;
        point = i;
        continue;
      }
      const digit = c - 48;
      if (digit < 0 || digit > 9 || ++digits > 15) return undefined;
      m = m * 10 + digit;
      if (m !== 0) significant++;
    }
    if (digits === 0) return undefined;
    const coefficient = BigInt(m);
    const e = point < 0 ? 0 : point + 1 - end;
    return negative && m !== 0
      ? new Exact(-coefficient, e, -significant)
      : new Exact(coefficient, e, significant);
  }

  /** The same value as a decimal.js `Decimal`; undefined for NaN or ±Infinity. */
  static of(d: Decimal): Exact | undefined {
    if (!d.isFinite()) return undefined;
    // decimal.js keeps base-1e7 words, most significant first, and the exponent of the first digit.
    const words = d.d;
    let text = String(words[0]);
    for (let i = 1; i < words.length; i++) text += String(words[i]).padStart(7, '0');
    const digits = BigInt(text);
    // decimal.js writes no leading zero, and 0 as the one word 0.
    const n = digits === 0n ? 0 : text.length;
    return d.s < 0 && n !== 0
      ? new Exact(-digits, d.e - text.length + 1, -n)
      : new Exact(digits, d.e - text.length + 1, n);
  }

  /**
   * Rounds `m × 10^e`, of `n` signed digits (see {@link n}), to {@link PRECISION} significant
   * digits, half away from zero.
   */
  static #round(m: bigint, e: number, n: number): Exact {
    if (n <= PRECISION && n >= -PRECISION) return new Exact(m, e, n);
    // Half a unit added away from zero, then a division that truncates toward zero: half-up
    // rounding in one division, without a remainder or a negation (every bigint made here is
    // collected, and a replay rounds several values per fill). The result has PRECISION digits,
    // or one more when the rounding carried into a new one (…999.5 → 10^PRECISION).
    const drop = (n > 0 ? n : -n) - PRECISION;
    const unit = pow10(drop);
    const half = drop < HALF.length ? HALF[drop]! : unit / 2n;
    if (n > 0) {
      const q = (m + half) / unit;
      return new Exact(q, e + drop, q === LIMIT ? PRECISION + 1 : PRECISION);
    }
    const q = (m - half) / unit;
    return new Exact(q, e + drop, q === NEG_LIMIT ? -PRECISION - 1 : -PRECISION);
  }

  /**
   * `a + b`, or `a − b` when `subtract`, both non-zero, rounded. The operand with the larger
   * exponent is scaled to the other's; like signs give the longer operand's digit count or one
   * more, unlike ones (a cancellation) are counted by search.
   */
  static #sum(a: Exact, b: Exact, subtract: boolean): Exact {
    const bn = subtract ? -b.n : b.n;
    let m: bigint;
    let e: number;
    let da = a.n > 0 ? a.n : -a.n;
    let db = bn > 0 ? bn : -bn;
    if (a.e === b.e) {
      m = subtract ? a.m - b.m : a.m + b.m;
      e = a.e;
    } else if (a.e > b.e) {
      const k = a.e - b.e;
      const scaled = a.m * pow10(k);
      m = subtract ? scaled - b.m : scaled + b.m;
      e = b.e;
      da += k;
    } else {
      const k = b.e - a.e;
      const scaled = b.m * pow10(k);
      m = subtract ? a.m - scaled : a.m + scaled;
      e = a.e;
      db += k;
    }
    if (a.n > 0 !== bn > 0) return Exact.#round(m, e, signedDigits(m));
    const d = da > db ? da : db;
    const sign = a.n > 0 ? 1 : -1;
    return Exact.#round(m, e, sign * (reaches(m, sign, d) ? d + 1 : d));
  }

  /** Sum, rounded. */
  plus(y: Exact): Exact {
    // Adding zero returns the other operand itself when it needs no rounding: a replay adds many
    // zero fees, and every value it makes is collected.
    if (y.n === 0) return this.#rounded();
    if (this.n === 0) return y.#rounded();
    return Exact.#sum(this, y, false);
  }

  /** Difference, rounded. */
  minus(y: Exact): Exact {
    // As plus, subtracting in place: a negated copy of `y` would be two more values to collect.
    if (y.n === 0) return this.#rounded();
    if (this.n === 0) return Exact.#round(-y.m, y.e, -y.n);
    return Exact.#sum(this, y, true);
  }

  /** Product, rounded. */
  times(y: Exact): Exact {
    if (this.n === 0 || y.n === 0) return Exact.ZERO;
    // A product of dx and dy digits has dx + dy − 1 or dx + dy.
    const d = (this.n > 0 ? this.n : -this.n) + (y.n > 0 ? y.n : -y.n) - 1;
    const sign = this.n > 0 === y.n > 0 ? 1 : -1;
    const m = this.m * y.m;
    return Exact.#round(m, this.e + y.e, sign * (reaches(m, sign, d) ? d + 1 : d));
  }

  /** This value rounded to {@link PRECISION} digits: itself when it has no more. */
  #rounded(): Exact {
    return this.n <= PRECISION && this.n >= -PRECISION ? this : Exact.#round(this.m, this.e, this.n);
  }

  /** Quotient, rounded (throws on division by zero, where decimal.js would give Infinity). */
  div(y: Exact): Exact {
    if (y.n === 0) throw new RangeError('division by zero');
    if (this.n === 0) return Exact.ZERO;
    // Scale the dividend so the quotient has more than PRECISION digits: the digits beyond decide
    // the rounding, and a non-zero remainder below them can only matter at exactly half, where
    // half-up rounds up anyway once a digit has been dropped. Truncating division keeps the
    // quotient's sign, so nothing is negated.
    const dx = this.n > 0 ? this.n : -this.n;
    const dy = y.n > 0 ? y.n : -y.n;
    const shift = Math.max(0, PRECISION + 2 + dy - dx);
    const m = (shift === 0 ? this.m : this.m * pow10(shift)) / y.m;
    // A dividend of D digits over a divisor of dy leaves D − dy or D − dy + 1.
    const d = dx + shift - dy;
    const sign = this.n > 0 === y.n > 0 ? 1 : -1;
    return Exact.#round(m, this.e - y.e - shift, sign * (reaches(m, sign, d) ? d + 1 : d));
  }

  /** −1, 0 or 1 as this is less than, equal to or greater than `y`. */
  cmp(y: Exact): number {
    // Different signs, or a zero, decide without arithmetic: most comparisons in a replay are
    // of a positive quantity against zero or against another positive one.
    const sx = Math.sign(this.n);
    const sy = Math.sign(y.n);
    if (sx !== sy || sx === 0) return sx > sy ? 1 : sx < sy ? -1 : 0;
    if (this.e === y.e) return this.m > y.m ? 1 : this.m < y.m ? -1 : 0;
    // Same sign: the one with more digits before the point is further from zero.
    const magnitude = sx * (this.n - y.n) + this.e - y.e;
    if (magnitude !== 0) return magnitude > 0 ? sx : -sx;
    const d = this.e > y.e ? this.m * pow10(this.e - y.e) - y.m : this.m - y.m * pow10(y.e - this.e);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }

  /** Whether this is greater than `y`. */
  greaterThan(y: Exact): boolean {
    return this.cmp(y) > 0;
  }

  /** Whether this is less than `y`. */
  lessThan(y: Exact): boolean {
    return this.cmp(y) < 0;
  }

  /** Whether both are the same number. */
  equals(y: Exact): boolean {
    return this.cmp(y) === 0;
  }

  /** Whether this is zero. */
  isZero(): boolean {
    return this.n === 0;
  }

  /** Whether this is below zero. */
  isNegative(): boolean {
    return this.n < 0;
  }

  /** Always true: an exact value is never NaN or infinite (for code shared with `Decimal`). */
  isFinite(): boolean {
    return true;
  }

  /** Whether this is above zero. */
  isPositive(): boolean {
    return this.n > 0;
  }

  /** The same value as a `Decimal`. */
  toDecimal(): Decimal {
    return new Decimal(this.e === 0 ? this.m.toString() : `${this.m}e${this.e}`);
  }

  /** Plain decimal text, as `Decimal.toFixed()` writes it (no exponent, no trailing zeros). */
  toFixed(): string {
    if (this.m === 0n) return '0';
    const negative = this.m < 0n;
    let digits = (negative ? -this.m : this.m).toString();
    let e = this.e;
    if (e >= 0) return (negative ? '-' : '') + digits + '0'.repeat(e);
    let end = digits.length;
    while (e < 0 && digits.charCodeAt(end - 1) === 48) {
      end--;
      e++;
    }
    digits = digits.slice(0, end);
    if (e === 0) return (negative ? '-' : '') + digits;
    const places = -e;
    const padded = digits.length > places ? digits : '0'.repeat(places - digits.length + 1) + digits;
    return `${negative ? '-' : ''}${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
  }
}

/**
 * A running figure changed in place: a position's quantity, its average cost, a total. A replay
 * keeps several per asset and changes them on almost every fill. Held as immutable values, each
 * asset's latest ones were still young at every minor collection, to be copied and promoted (a
 * third of the collector's work in a 100 000-fill replay); a tally lives as long as its owner and
 * only the new coefficient is made. Its {@link value} is an `Exact` of its own, so a figure handed
 * out never changes afterwards.
 */
export class Tally {
  #m: bigint;
  #e: number;
  #n: number;

  /** A tally holding `start`. */
  constructor(start: Exact = Exact.ZERO) {
    this.#m = start.m;
    this.#e = start.e;
    this.#n = start.n;
  }

  /** The figure now, as an immutable value. */
  get value(): Exact {
    return fromParts(this.#m, this.#e, this.#n);
  }

  /** Adds `x`, rounded as {@link Exact.plus} rounds. */
  add(x: Exact): void {
    this.set(this.value.plus(x));
  }

  /** Replaces the figure with `x`. */
  set(x: Exact): void {
    this.#m = x.m;
    this.#e = x.e;
    this.#n = x.n;
  }

  /** Whether the figure is zero. */
  isZero(): boolean {
    return this.#n === 0;
  }

  /** Whether the figure is above zero. */
  isPositive(): boolean {
    return this.#n > 0;
  }
}
