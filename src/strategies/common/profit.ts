/**
 * The in-profit rule (docs/safety-rules.md) as prices. Position average costs already include the entry fee
 * (fees paid in the quote raise cost, base fees reduce quantity), so only the exit fee is
 * added here. Sells cross the spread, so the exit fee is the taker fee.
 */
import { ONE, type Decimal } from '../../domain/money.js';
import type { SymbolRules } from '../../domain/market.js';

/** The exit fee rate for a sell that takes liquidity: the larger of maker and taker. */
export function exitFeeRate(rules: SymbolRules): Decimal {
  return rules.takerFee.greaterThan(rules.makerFee) ? rules.takerFee : rules.makerFee;
}

/**
 * The lowest sell price that does not lose money: `avgCost / (1 − exitFee)`, where selling at
 * it returns exactly the average cost (entry fee included) after the exit fee. Used as
 * `OrderIntent.minSellPrice`.
 */
export function breakEvenPrice(avgCost: Decimal, exitFee: Decimal): Decimal {
  return avgCost.div(ONE.minus(exitFee));
}

/**
 * The sell price at which the proceeds after the exit fee are `profit` (a fraction) above the
 * average cost: `breakEven × (1 + profit)`.
 */
export function targetSellPrice(avgCost: Decimal, exitFee: Decimal, profit: Decimal): Decimal {
  return breakEvenPrice(avgCost, exitFee).times(ONE.plus(profit));
}

/** Profit after the exit fee of selling at `price`, as a fraction of average cost. */
export function netProfitFraction(price: Decimal, avgCost: Decimal, exitFee: Decimal): Decimal {
  return price.times(ONE.minus(exitFee)).div(avgCost).minus(ONE);
}
