/**
 * Figures computed over a replay's value line. Pure: the portfolio values themselves come from
 * the one valuation (`PortfolioService` over `domain/portfolio`).
 */
import { type Decimal, HUNDRED, ZERO } from '../domain/money.js';

/**
 * The largest fall from a running peak to a later value, in percent of that peak (0 when the
 * line never falls).
 *
 * @example maxDrawdownPct([dec(100), dec(120), dec(90), dec(130)]) // 25
 */
export function maxDrawdownPct(values: readonly Decimal[]): Decimal {
  let peak: Decimal | undefined;
  let worst = ZERO;
  for (const v of values) {
    if (peak === undefined || v.greaterThan(peak)) peak = v;
    else if (peak.greaterThan(ZERO)) {
      const fall = peak.minus(v).div(peak).times(HUNDRED);
      if (fall.greaterThan(worst)) worst = fall;
    }
  }
  return worst;
}
