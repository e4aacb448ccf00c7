/**
 * Number and time formatting for chat, with a sensible precision per kind of value: fiat-like
 * amounts to cents, prices by magnitude, coin quantities to the digits that matter. Decimal in,
 * string out; never through a JavaScript float.
 */
import { STABLECOINS } from '../../domain/market.js';
import { Decimal } from '../../domain/money.js';

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Inserts thousands separators into a plain decimal string ("-12345.6" → "-12,345.6"). */
export function withGrouping(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [intPart = '0', frac] = body.split('.');
  return `${negative ? '-' : ''}${group(intPart)}${frac !== undefined ? `.${frac}` : ''}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Digits after the point for a value of this size: 2 above 1 000, 4 above 1, else 6 significant. */
function priceDecimals(abs: Decimal): number {
  if (abs.greaterThanOrEqualTo(1000)) return 2;
  if (abs.greaterThanOrEqualTo(1)) return 4;
  if (abs.isZero()) return 2;
  // 0.000012345 → 6 significant digits → 10 decimals
  // decimal.js `e` is the base-10 exponent of the leading digit (0.0000123 → -5).
  const exponent = abs.e;
  return Math.min(12, Math.max(2, 5 - exponent));
}

/** A price: "65,000.12", "3.1416", "0.00001234". */
export function fmtPrice(value: Decimal): string {
  return withGrouping(trimZerosKeep2(value.toFixed(priceDecimals(value.abs()), Decimal.ROUND_HALF_UP)));
}

function trimZerosKeep2(text: string): string {
  if (!text.includes('.')) return text;
  const [i, f = ''] = text.split('.');
  const trimmed = f.replace(/0+$/, '');
  return `${i}.${trimmed.padEnd(2, '0')}`;
}

/** A coin quantity: up to 8 decimals, trailing zeros dropped ("0.0012", "1,250.5"). */
export function fmtQty(value: Decimal): string {
  const abs = value.abs();
  const dp = abs.greaterThanOrEqualTo(1000) ? 2 : abs.greaterThanOrEqualTo(1) ? 4 : 8;
  return withGrouping(trimZeros(value.toFixed(dp, Decimal.ROUND_DOWN)));
}

/** An amount of an asset: two decimals for stablecoins, quantity precision otherwise. */
export function fmtAmount(value: Decimal, asset: string): string {
  return STABLECOINS.has(asset) ? fmtMoney(value) : fmtQty(value);
}

/** A fiat-like value: two decimals, grouped ("1,234.50"). */
export function fmtMoney(value: Decimal): string {
  return withGrouping(value.toFixed(2, Decimal.ROUND_HALF_UP));
}

/** A signed value for PnL: "+12.30", "-4.05". */
export function fmtSigned(value: Decimal): string {
  const text = fmtMoney(value);
  return value.greaterThan(0) && text !== '0.00' ? `+${text}` : text === '-0.00' ? '0.00' : text;
}

/** A signed percentage with two decimals: "+3.25%". */
export function fmtPct(value: Decimal): string {
  return `${fmtSigned(value)}%`;
}

/** A short relative time: "now", "45s ago", "in 3m", "2h 5m ago", "3d ago". */
export function fmtAgo(at: number, now: number): string {
  const diff = now - at;
  const abs = Math.abs(diff);
  if (abs < 1000) return 'now';
  const text = durationText(abs);
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** "45s", "3m", "2h 5m", "3d 4h". */
export function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** "14:05" (or "Jan 3 14:05" when not today) in `timeZone`. */
export function fmtTime(at: number, now: number, timeZone: string): string {
  const sameDay =
    new Intl.DateTimeFormat('en-CA', { timeZone }).format(at) ===
    new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
  }).format(at);
}
