/**
 * Looks an order up by client id, treating an adapter's "does not exist" error (−2013, −2011,
 * 30026 mapped to `not-found`) like the port's `undefined`: absence is an answer, not a failure.
 * Other errors (network, rate limits) still throw, so callers do not count them as "not found".
 */
import type { ExchangeOrder } from '../domain/market.js';
import { isExchangeError } from '../domain/errors.js';
import type { ExchangePort, OrderRef } from '../exchange/ExchangePort.js';

/** Reads one order by client id, answering undefined when the exchange does not know it. */
export async function queryOrder(exchange: ExchangePort, ref: OrderRef): Promise<ExchangeOrder | undefined> {
  try {
    return await exchange.getOrder(ref);
  } catch (error) {
    if (isExchangeError(error, 'not-found')) return undefined;
    throw error;
  }
}
