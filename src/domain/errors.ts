/**
 * Exchange error taxonomy: named by what the caller must do. Adapters map
 * vendor errors into {@link ExchangeError} at their edge, keeping the sanitised cause.
 */
export const ExchangeErrorKind = {
  /** Network failure, 5xx on a read: safe to retry an idempotent request. */
  Temporary: 'temporary',
  /** 429/418/403: the whole client pauses for `retryAfterMs`. */
  RateLimited: 'rate-limited',
  /** 700003: re-sync server time, then retry once. */
  ClockSkew: 'clock-skew',
  /** 10101, 30004, 30005: skip and report. */
  InsufficientFunds: 'insufficient-funds',
  /** Rounding, minimum notional, price band, bad parameter: skip and report, do not guess. */
  InvalidOrder: 'invalid-order',
  /** 10007 and friends: the symbol is not API-tradable now. */
  NotTradable: 'not-tradable',
  /** Key, signature, permission, IP: stop trading and page the owner. */
  Auth: 'auth',
  /** A write whose outcome is unknown (timeout, 5xx after sending): reconcile by client order id. */
  UnknownOutcome: 'unknown-outcome',
  /** The order is unknown to the exchange (−2013, −2011, 30026). */
  NotFound: 'not-found',
  /** Trading suspended or halted by risk control: try later. */
  Suspended: 'suspended',
} as const;
export type ExchangeErrorKind = (typeof ExchangeErrorKind)[keyof typeof ExchangeErrorKind];

/**
 * What an adapter knows about a failed exchange call: the kind that decides the caller's next step, plus
 * codes and waits.
 */
export interface ExchangeErrorDetails {
  readonly kind: ExchangeErrorKind;
  /** Exchange error code, when the exchange sent one. */
  readonly code?: number;
  readonly httpStatus?: number;
  /** For rate limits: how long to wait before the next request. */
  readonly retryAfterMs?: number;
  /** Method and path only, never the signed query. */
  readonly endpoint?: string;
  readonly symbol?: string;
}

/** A sanitised exchange failure: never contains keys, signatures or signed query strings. */
export class ExchangeError extends Error {
  readonly kind: ExchangeErrorKind;
  readonly code?: number;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly endpoint?: string;
  readonly symbol?: string;

  constructor(message: string, details: ExchangeErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExchangeError';
    this.kind = details.kind;
    this.code = details.code;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
    this.endpoint = details.endpoint;
    this.symbol = details.symbol;
  }
}

/**
 * Narrows an unknown thrown value to an {@link ExchangeError}, optionally of one kind, so callers branch on
 * what to do.
 */
export function isExchangeError(error: unknown, kind?: ExchangeErrorKind): error is ExchangeError {
  return error instanceof ExchangeError && (kind === undefined || error.kind === kind);
}
