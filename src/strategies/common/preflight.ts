/**
 * Checks an intent against the symbol's rules before emitting it, so a strategy can explain
 * "below the minimum notional" in its notes instead of producing an intent the executor will
 * refuse. The intent keeps the unrounded price and size; the executor rounds again.
 */
import type { SymbolRules } from '../../domain/market.js';
import { prepareOrder } from '../../domain/orderRules.js';
import type { OrderIntent } from '../../domain/intent.js';

/** The refusal reason the executor would give for this intent, or undefined when it passes. */
export function preflight(intent: OrderIntent, rules: SymbolRules): string | undefined {
  const prepared = prepareOrder(
    {
      side: intent.side,
      type: intent.type,
      price: intent.price,
      ...(intent.quantity === undefined ? {} : { quantity: intent.quantity }),
      ...(intent.quoteAmount === undefined ? {} : { quoteAmount: intent.quoteAmount }),
    },
    rules,
  );
  return prepared.ok ? undefined : prepared.reason;
}
