/**
 * IP weight limit of the simulator: per-endpoint weights (the higher of MEXC's documented
 * weight and the one ccxt and gocryptotrader use) summed over a rolling 10 s window of market time.
 * Internal to the simulator.
 *
 * The window runs on the simulator clock, so tests with a manual clock see deterministic
 * limits, and in simulator mode the bot (sharing the clock) experiences MEXC's budget per
 * simulated 10 seconds.
 */

/** Weight per `METHOD path`; anything unlisted weighs 1. */
export const ENDPOINT_WEIGHTS: Readonly<Record<string, number>> = {
  'GET /api/v3/ping': 1,
  'GET /api/v3/time': 1,
  'GET /api/v3/defaultSymbols': 1,
  'GET /api/v3/selfSymbols': 1,
  'GET /api/v3/exchangeInfo': 25,
  'GET /api/v3/depth': 3,
  'GET /api/v3/trades': 5,
  'GET /api/v3/aggTrades': 1,
  'GET /api/v3/klines': 1,
  'GET /api/v3/avgPrice': 1,
  'GET /api/v3/ticker/24hr': 25,
  'GET /api/v3/ticker/price': 10,
  'GET /api/v3/ticker/bookTicker': 10,
  'POST /api/v3/order': 1,
  'POST /api/v3/order/test': 1,
  'DELETE /api/v3/order': 1,
  'DELETE /api/v3/openOrders': 1,
  'GET /api/v3/order': 2,
  'GET /api/v3/openOrders': 3,
  'GET /api/v3/allOrders': 10,
  'GET /api/v3/account': 10,
  'GET /api/v3/myTrades': 10,
  'GET /api/v3/tradeFee': 20,
};

/**
 * Weight of the all-symbols form (no `symbol` parameter) where it is higher than the one-symbol
 * weight: the docs charge 40 for every 24 h ticker at once, above ccxt/gct's 25.
 */
export const ALL_SYMBOLS_WEIGHTS: Readonly<Record<string, number>> = {
  'GET /api/v3/ticker/24hr': 40,
};

/** Length of the rolling window the simulator's weight limit applies to. */
export const WINDOW_MS = 10_000;

/** The rate-limit weight MEXC charges for an endpoint (1 when not listed). */
export function endpointWeight(endpoint: string): number {
  return ENDPOINT_WEIGHTS[endpoint] ?? 1;
}

/** Weight of one request: its endpoint's, or the all-symbols weight when no `symbol` is sent. */
export function requestWeight(endpoint: string, params: URLSearchParams): number {
  const allSymbols = ALL_SYMBOLS_WEIGHTS[endpoint];
  return allSymbols !== undefined && !params.has('symbol') ? allSymbols : endpointWeight(endpoint);
}

/** Length of the rolling window of the request-rate limit. */
const SECOND_MS = 1_000;

/**
 * Refuses requests over the weight limit, or over the requests-per-second limit when one is set
 * (MEXC: 20 per second), with 429 and a Retry-After, as MEXC does.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #perSecond: number;
  readonly #times: number[] = [];
  readonly #weights: number[] = [];
  /** Times of the requests of the last second. */
  readonly #recent: number[] = [];
  #used = 0;

  constructor(limitPer10s: number, requestsPerSecond = Number.POSITIVE_INFINITY) {
    this.#limit = limitPer10s;
    this.#perSecond = requestsPerSecond;
  }

  #expire(now: number): void {
    let drop = 0;
    while (drop < this.#times.length && (this.#times[drop] ?? 0) <= now - WINDOW_MS) {
      this.#used -= this.#weights[drop] ?? 0;
      drop++;
    }
    if (drop > 0) {
      this.#times.splice(0, drop);
      this.#weights.splice(0, drop);
    }
  }

  /**
   * Books `weight` at `now`, or returns the seconds to wait (Retry-After) when it does not
   * fit in the window. A refused request books nothing.
   */
  take(weight: number, now: number): { ok: true } | { ok: false; retryAfterSec: number } {
    this.#expire(now);
    while (this.#recent.length > 0 && this.#recent[0]! <= now - SECOND_MS) this.#recent.shift();
    if (this.#recent.length >= this.#perSecond) return { ok: false, retryAfterSec: 1 };
    if (this.#used + weight <= this.#limit) {
      this.#times.push(now);
      this.#weights.push(weight);
      this.#recent.push(now);
      this.#used += weight;
      return { ok: true };
    }
    // Wait until enough old requests leave the window for this one to fit.
    let freed = 0;
    let until = now;
    for (let i = 0; i < this.#times.length && this.#used - freed + weight > this.#limit; i++) {
      freed += this.#weights[i] ?? 0;
      until = (this.#times[i] ?? now) + WINDOW_MS;
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  reset(): void {
    this.#times.length = 0;
    this.#weights.length = 0;
    this.#recent.length = 0;
    this.#used = 0;
  }
}
