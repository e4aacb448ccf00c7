/**
 * MEXC failures → the exchange error taxonomy ({@link ExchangeErrorKind}), classified by what the
 * caller must do. Every error built here is sanitised: its message holds the method, path, code
 * and MEXC's message only; never the API key, the secret, a signature or the signed query string,
 * and raw axios errors (which carry headers and the full URL) are never attached.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/general-info (error codes)
 */
import { ExchangeError, ExchangeErrorKind } from '../../domain/errors.js';
import { describeEndpoint, isIdempotent, type MexcEndpoint } from './mexcEndpoints.js';

const K = ExchangeErrorKind;

/** The 700003 "timestamp outside recvWindow" code: re-sync server time, then retry once. */
export const MEXC_CLOCK_SKEW_CODE = 700003;

/**
 * MEXC codes with a fixed meaning. Codes sent in the JSON body take precedence over the HTTP
 * status (MEXC answers most errors with HTTP 400).
 */
export const MEXC_CODE_KINDS: ReadonlyMap<number, ExchangeErrorKind> = new Map<number, ExchangeErrorKind>([
  // Auth/config: key invalid or expired, signature invalid, IP not whitelisted, no permission;
  // 401/403 as body codes ("no authority", "access denied"); 60005 "account abnormal".
  [700001, K.Auth],
  [10072, K.Auth],
  [700002, K.Auth],
  [602, K.Auth],
  [700006, K.Auth],
  [700007, K.Auth],
  [401, K.Auth],
  [403, K.Auth],
  [60005, K.Auth],
  // Timestamp outside recvWindow (10073: the v2/futures "invalid Request-Time" variant).
  [MEXC_CLOCK_SKEW_CODE, K.ClockSkew],
  [10073, K.ClockSkew],
  // Not API-tradable. 10007 "symbol not support api" (the symbol exists but the API may not
  // trade it now); 30014, 30021, −1121 invalid symbol; 30016 trading disabled; 30020 no
  // permission for the symbol; 26 "not allowed"; 70011 "pair user ban trade apikey".
  [10007, K.NotTradable],
  [30014, K.NotTradable],
  [30021, K.NotTradable],
  [-1121, K.NotTradable],
  [30016, K.NotTradable],
  [30020, K.NotTradable],
  [26, K.NotTradable],
  [70011, K.NotTradable],
  // Insufficient balance / position / oversold.
  [10101, K.InsufficientFunds],
  [30004, K.InsufficientFunds],
  [30005, K.InsufficientFunds],
  // The order itself is wrong: amount null / too many decimals / invalid / ≤ 0, below minimum
  // or above maximum value, price outside band, side not allowed, market orders disabled,
  // order-count limits, type not allowed now, parameter errors, missing order id, recvWindow
  // too large, illegal characters.
  [10095, K.InvalidOrder],
  [10096, K.InvalidOrder],
  [10097, K.InvalidOrder],
  [10102, K.InvalidOrder],
  [30002, K.InvalidOrder],
  [30003, K.InvalidOrder],
  [30087, K.InvalidOrder],
  [30001, K.InvalidOrder],
  [30018, K.InvalidOrder],
  [30019, K.InvalidOrder],
  [30051, K.InvalidOrder],
  [30029, K.InvalidOrder],
  [30032, K.InvalidOrder],
  [30041, K.InvalidOrder],
  [33333, K.InvalidOrder],
  [44444, K.InvalidOrder],
  [730002, K.InvalidOrder],
  [700004, K.InvalidOrder],
  [700005, K.InvalidOrder],
  [700008, K.InvalidOrder],
  // Unknown order: −2013 on query (also transiently right after create), −2011/30026 on cancel.
  [-2013, K.NotFound],
  [-2011, K.NotFound],
  [30026, K.NotFound],
  // Trading suspended, buy/sell halted by risk control, no valid price: try later.
  [30000, K.Suspended],
  [30027, K.Suspended],
  [30028, K.Suspended],
  [30010, K.Suspended],
  [429, K.RateLimited],
]);

/**
 * What a failed MEXC request left behind (endpoint, HTTP status, MEXC code and message), to be classified.
 */
export interface MexcFailure {
  readonly endpoint: MexcEndpoint;
  readonly httpStatus?: number;
  /** MEXC `code` from the body. */
  readonly code?: number;
  /** MEXC `msg` from the body, already scrubbed. */
  readonly msg?: string;
  readonly retryAfterMs?: number;
  readonly symbol?: string;
}

/** True for a 403 without a MEXC body code: the web firewall, not the API, refused us. */
export function isWafBlock(httpStatus: number | undefined, code: number | undefined): boolean {
  return httpStatus === 403 && code === undefined;
}

/** The taxonomy kind of an HTTP answer (status plus optional MEXC code). */
export function classifyMexcFailure(failure: Pick<MexcFailure, 'code' | 'endpoint' | 'httpStatus'>) {
  const { code, endpoint, httpStatus } = failure;
  if (httpStatus === 429 || httpStatus === 418 || isWafBlock(httpStatus, code)) return K.RateLimited;
  const byCode = code === undefined ? undefined : MEXC_CODE_KINDS.get(code);
  if (byCode !== undefined) return byCode;
  if (httpStatus !== undefined && httpStatus >= 500) {
    // 5xx = outcome unknown: a read may be retried, a write may have happened.
    return isIdempotent(endpoint) ? K.Temporary : K.UnknownOutcome;
  }
  if (httpStatus === 401 || httpStatus === 403) return K.Auth;
  // Any other 4xx: the request was refused as built; retrying it unchanged cannot help.
  return K.InvalidOrder;
}

/** Builds the sanitised error for an HTTP answer. */
export function mexcApiError(failure: MexcFailure): ExchangeError {
  const where = describeEndpoint(failure.endpoint);
  const what =
    failure.code !== undefined
      ? `MEXC code ${failure.code}${failure.msg ? ` "${failure.msg}"` : ''}`
      : `HTTP ${failure.httpStatus ?? '?'}${failure.msg ? ` "${failure.msg}"` : ''}`;
  return new ExchangeError(
    `${where}: ${what}`,
    {
      kind: classifyMexcFailure(failure),
      code: failure.code,
      httpStatus: failure.httpStatus,
      retryAfterMs: failure.retryAfterMs,
      endpoint: where,
      symbol: failure.symbol,
    },
    { cause: new MexcTransportError(what, { httpStatus: failure.httpStatus }) },
  );
}

/**
 * A sanitised stand-in for a transport failure (axios/network error): name, network code and
 * HTTP status only, so it is safe to keep as an error `cause` and to log.
 */
export class MexcTransportError extends Error {
  readonly networkCode?: string;
  readonly httpStatus?: number;
  constructor(
    message: string,
    details: { readonly networkCode?: string; readonly httpStatus?: number } = {},
  ) {
    super(message);
    this.name = 'MexcTransportError';
    this.networkCode = details.networkCode;
    this.httpStatus = details.httpStatus;
  }
}

/** Network codes meaning the connection was never established, so nothing reached MEXC. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Error for a request that got no HTTP answer (timeout, reset, refused). For reads it is
 * temporary; for order writes the outcome is unknown unless the connection was never made.
 */
export function mexcNetworkError(options: {
  readonly endpoint: MexcEndpoint;
  readonly networkCode?: string;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  readonly symbol?: string;
}): ExchangeError {
  const { endpoint, networkCode, timedOut, timeoutMs, symbol } = options;
  const where = describeEndpoint(endpoint);
  const what = timedOut ? `timeout after ${timeoutMs} ms` : `network error ${networkCode ?? 'unknown'}`;
  const neverSent = !timedOut && networkCode !== undefined && NOT_SENT_CODES.has(networkCode);
  const kind = isIdempotent(endpoint) || neverSent ? K.Temporary : K.UnknownOutcome;
  return new ExchangeError(
    `${where}: ${what}`,
    { kind, endpoint: where, symbol },
    { cause: new MexcTransportError(what, { networkCode }) },
  );
}

/** Error for a 2xx answer whose body is not what MEXC documents. */
export function mexcPayloadError(options: {
  readonly endpoint: MexcEndpoint;
  readonly problem: string;
  readonly symbol?: string;
}): ExchangeError {
  const where = describeEndpoint(options.endpoint);
  // A write that was answered 2xx probably happened even if we cannot read the answer.
  const kind = isIdempotent(options.endpoint) ? K.Temporary : K.UnknownOutcome;
  return new ExchangeError(`${where}: unexpected response: ${options.problem}`, {
    kind,
    endpoint: where,
    symbol: options.symbol,
  });
}

/**
 * Removes every secret-bearing fragment from text that came back from the exchange, in case a
 * message echoes the request: the key, the secret, signature parameters and long hex strings.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(/signature=[^&\s"]*/gi, 'signature=[redacted]');
  out = out.replace(/\b[0-9a-f]{64}\b/gi, '[redacted]');
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfterMs(header: unknown, now: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
