/**
 * Number formatting for the human reasons on intents and notes ("ETH 2.1 % under target share;
 * 24 h avg 3 120; bid 3 101"). Display only: never parse these strings back.
 */
import { Decimal } from '../../domain/money.js';

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A price or amount for people: thousands grouped with spaces, at most 2 decimals from 1 000
 * up, otherwise 6 significant digits (alt prices such as 0.0000123 stay readable).
 */
export function fmt(value: Decimal | number): string {
  const d = value instanceof Decimal ? value : new Decimal(Number.isFinite(value) ? value : 0);
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = d.abs();
  const text = abs.greaterThanOrEqualTo(1000)
    ? trim(abs.toFixed(2))
    : abs.isZero()
      ? '0'
      : trim(abs.toSignificantDigits(6).toFixed());
  const [int = '0', frac] = text.split('.');
  return `${d.isNegative() ? '−' : ''}${group(int)}${frac ? `.${frac}` : ''}`;
}

/**
 * A percentage with `dp` decimals (default 1): "2.1 %". `truncate` rounds toward zero, for
 * "not reached yet" notes where 2.9996 % must not read as the 3.00 % target.
 */
export function fmtPct(value: Decimal | number, dp = 1, truncate = false): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? '∞ %' : '−∞ %';
  const d = value instanceof Decimal ? value : new Decimal(value);
  const text = d.abs().toFixed(dp, truncate ? Decimal.ROUND_DOWN : Decimal.ROUND_HALF_UP);
  return `${d.isNegative() && Number(text) !== 0 ? '−' : ''}${text} %`;
}

/** Minutes as "1 h 30 min" for cooldown notes. */
export function fmtDuration(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
