/**
 * The MEXC transport: one axios instance, the shared rate limiter in front of every attempt,
 * signing per attempt, retries for reads only, the 700003 re-sync, 429/418 pauses, and
 * sanitised errors. MexcClient builds the port on top of it.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/general-info
 */
import { setMaxListeners } from 'node:events';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { ZodArray, type z } from 'zod';
import { ExchangeError, ExchangeErrorKind } from '../../domain/errors.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { eachInTurns, TurnQueue } from '../../common/turns.js';
import type { RateLimiter } from '../rateLimiter.js';
import { backoffDelayMs, type RetryPolicy } from '../retry.js';
import { describeEndpoint, isIdempotent, type MexcEndpoint } from './mexcEndpoints.js';
import {
  mexcApiError,
  mexcNetworkError,
  mexcPayloadError,
  parseRetryAfterMs,
  scrubSecrets,
} from './mexcErrors.js';
import { formatZodError, MexcErrorBody } from './mexcSchemas.js';
import { encodeQuery, type QueryParams, signedQuery } from './mexcSigning.js';

/** Address, keys, clock, shared rate limiter and retry policy of the MEXC transport. */
export interface MexcHttpOptions {
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly logger: Logger;
  readonly random: () => number;
  readonly recvWindow: number;
  /** Re-measures the server-time offset (after 700003). */
  readonly resyncTime: () => Promise<void>;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Measures the server-time offset when it was never measured or is stale. Awaited before the
   * request's grant: the measurement is a request of its own and needs the budget too.
   */
  readonly syncTime: () => Promise<void>;
  /** Server-aligned timestamp for signing, from the offset last measured. */
  readonly timestamp: () => number;
  readonly timeoutMs: number;
}

/** One request to MEXC: the endpoint, its parameters and the schema its answer must match. */
export interface MexcCall<S extends z.ZodType> {
  readonly endpoint: MexcEndpoint;
  readonly params?: QueryParams;
  readonly schema: S;
  /** For error details only. */
  readonly symbol?: string;
  /** Bulk reading that yields to every other request (see RateLimitedRequest.background). */
  readonly background?: boolean;
  /** Told when each attempt leaves, after its wait for budget (clock ms), to time a round trip. */
  readonly onSent?: (at: number) => void;
}

type AttemptResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ExchangeError; readonly retryable: boolean };

/** A call refused before sending because the client is stopping: nothing reached MEXC. */
function notSent(endpoint: MexcEndpoint, symbol: string | undefined): ExchangeError {
  const where = describeEndpoint(endpoint);
  return new ExchangeError(`${where}: not sent, the bot is stopping`, {
    kind: ExchangeErrorKind.Temporary,
    endpoint: where,
    symbol,
  });
}

/** Sends MEXC requests. Internal to the MEXC adapter; trading code uses the ExchangePort. */
export class MexcHttp {
  readonly #options: MexcHttpOptions;
  readonly #axios: AxiosInstance;
  readonly #logger: Logger;
  /** Aborted by {@link close}: cuts the requests in flight, and no request is sent after it. */
  readonly #stopping = new AbortController();
  /** Answers are parsed one per turn of the event loop: a cold scan's land ten at a time. */
  readonly #parseTurns = new TurnQueue();

  constructor(options: MexcHttpOptions) {
    // Every request in flight listens on the one stop signal (a cold scan has more than Node's
    // default of ten at once), so the count of listeners is no sign of a leak here.
    setMaxListeners(0, this.#stopping.signal);
    this.#options = options;
    this.#logger = options.logger;
    this.#axios = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      // Statuses are classified here, and bodies parsed here (a WAF answers HTML, not JSON).
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      transitional: { clarifyTimeoutError: true },
      maxRedirects: 0,
      headers: { 'Content-Type': 'application/json' },
    });
  }

  /**
   * Stops talking to MEXC: requests in flight are cut (a cut read fails as temporary, a cut order
   * write as of unknown outcome, to be resolved by its client order id at the next start) and
   * every later call fails without being sent, retries included. Called once the bot's jobs and
   * chat have stopped, so that nothing reaches MEXC after the bot says it stopped.
   */
  close(): void {
    this.#stopping.abort();
  }

  /** The environment variables still needed for signed calls (empty when keys are set). */
  missingKeyVariables(): string[] {
    const missing: string[] = [];
    if (!this.#options.apiKey) missing.push('MEXC_API_KEY');
    if (!this.#options.apiSecret) missing.push('MEXC_API_SECRET');
    return missing;
  }

  /** Sends the call (with retries where safe) and returns the validated body. Throws ExchangeError. */
  async call<S extends z.ZodType>(call: MexcCall<S>): Promise<z.output<S>> {
    const { endpoint } = call;
    if (endpoint.signed) this.#assertKeys(call);
    const attempts = isIdempotent(endpoint) ? Math.max(1, this.#options.retry.attempts) : 1;
    let retries = 0;
    let resynced = false;
    for (;;) {
      const result = await this.#attempt(call, retries + 1);
      if (result.ok) return result.value;
      const { error } = result;
      if (this.#stopping.signal.aborted) throw error; // no retry, no re-sync while stopping
      if (error.kind === ExchangeErrorKind.ClockSkew && !resynced) {
        // MEXC checked the timestamp before acting, so even an order POST was rejected and
        // re-sending it (same newClientOrderId, fresh timestamp) after the re-sync is safe.
        resynced = true;
        this.#logger.warn({ endpoint: error.endpoint, code: error.code }, 'MEXC clock skew; re-syncing time');
        await this.#options.resyncTime();
        continue;
      }
      if (result.retryable && retries + 1 < attempts) {
        retries += 1;
        const delayMs = backoffDelayMs({
          baseDelayMs: this.#options.retry.baseDelayMs,
          random: this.#options.random,
          retry: retries,
        });
        this.#logger.warn(
          { endpoint: error.endpoint, httpStatus: error.httpStatus, retry: retries, delayMs, err: error },
          'MEXC request failed; retrying',
        );
        await this.#options.sleep(delayMs);
        continue;
      }
      throw error;
    }
  }

  #assertKeys(call: MexcCall<z.ZodType>): void {
    const missing = this.missingKeyVariables();
    if (missing.length === 0) return;
    throw new ExchangeError(
      `${describeEndpoint(call.endpoint)}: API key not configured; set ${missing.join(' and ')}`,
      { kind: ExchangeErrorKind.Auth, endpoint: describeEndpoint(call.endpoint), symbol: call.symbol },
    );
  }

  async #attempt<S extends z.ZodType>(
    call: MexcCall<S>,
    attempt: number,
  ): Promise<AttemptResult<z.output<S>>> {
    const { endpoint, symbol } = call;
    const { clock, limiter } = this.#options;
    if (this.#stopping.signal.aborted)
      return { ok: false, error: notSent(endpoint, symbol), retryable: false };
    if (endpoint.signed) await this.#options.syncTime();
    const grant = await limiter.reserve({
      weight: endpoint.weight,
      kind: endpoint.kind,
      urgent: endpoint.urgent,
      background: call.background,
    });
    if (this.#stopping.signal.aborted) {
      // The wait for budget ended after the stop: nothing is sent, so the grant is given back.
      grant.cancel();
      return { ok: false, error: notSent(endpoint, symbol), retryable: false };
    }
    let built: { readonly query: string; readonly signature?: string };
    try {
      // Signed after the grant: a long wait for budget must not age the timestamp.
      built = this.#buildQuery(call);
    } catch (error) {
      grant.cancel();
      throw error;
    }
    const { query, signature } = built;
    const startedAt = clock.now();
    call.onSent?.(startedAt);
    let response: AxiosResponse<unknown>;
    try {
      response = await this.#axios.request({
        method: endpoint.method,
        url: query === '' ? endpoint.path : `${endpoint.path}?${query}`,
        headers: endpoint.signed ? { 'X-MEXC-APIKEY': this.#options.apiKey ?? '' } : {},
        signal: this.#stopping.signal,
      });
      grant.done();
    } catch (raw) {
      // It may have reached MEXC before failing: it counts as sent until now.
      grant.done();
      // The axios error holds the signed URL and the key header: keep only its network code.
      const networkCode = axios.isAxiosError(raw) ? raw.code : undefined;
      const timedOut = networkCode === 'ETIMEDOUT' || networkCode === 'ECONNABORTED';
      const error = mexcNetworkError({
        endpoint,
        networkCode,
        timedOut,
        timeoutMs: this.#options.timeoutMs,
        symbol,
      });
      return { ok: false, error, retryable: isIdempotent(endpoint) };
    }
    await this.#parseTurns.next();
    const status = response.status;
    this.#logger.debug(
      { endpoint: describeEndpoint(endpoint), httpStatus: status, attempt, ms: clock.now() - startedAt },
      'MEXC response',
    );
    const body = parseJson(response.data);
    const apiError = MexcErrorBody.safeParse(body);
    const code = apiError.success && !Array.isArray(body) ? apiError.data.code : undefined;
    const isSuccessCode = code === undefined || code === 0 || code === 200;

    if (status >= 200 && status < 300 && isSuccessCode) {
      const parsed = await parseInTurns(call.schema, body);
      if (parsed.success) return { ok: true, value: parsed.data as z.output<S> };
      const problem = body === undefined ? 'body is not JSON' : formatZodError(parsed.error);
      return { ok: false, error: mexcPayloadError({ endpoint, problem, symbol }), retryable: false };
    }

    // Longest first: the whole query, then its unsigned part, then the pieces.
    const secrets = [
      query,
      query.split('&signature=')[0],
      signature,
      this.#options.apiKey,
      this.#options.apiSecret,
    ];
    const msg = apiError.success && apiError.data.msg ? scrubSecrets(apiError.data.msg, secrets) : undefined;
    // Retries can hide a refusal from the caller; the debug log keeps MEXC's own code and words.
    this.#logger.debug(
      { endpoint: describeEndpoint(endpoint), httpStatus: status, code, msg },
      'MEXC refused the request',
    );
    let retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], clock.now());
    const probe = mexcApiError({ endpoint, httpStatus: status, code, msg, symbol });
    if (probe.kind === ExchangeErrorKind.RateLimited) {
      retryAfterMs = limiter.reportRateLimit({
        httpStatus: status === 418 || status === 403 ? status : 429,
        retryAfterMs,
      });
      this.#logger.warn(
        { endpoint: probe.endpoint, httpStatus: status, code, pauseMs: retryAfterMs },
        'MEXC rate limit: pausing all requests',
      );
    }
    const error =
      retryAfterMs === undefined
        ? probe
        : mexcApiError({ endpoint, httpStatus: status, code, msg, symbol, retryAfterMs });
    return { ok: false, error, retryable: error.kind === ExchangeErrorKind.Temporary };
  }

  #buildQuery(call: MexcCall<z.ZodType>): { query: string; signature?: string } {
    const params = call.params ?? {};
    if (!call.endpoint.signed) return { query: encodeQuery(params) };
    const timestamp = this.#options.timestamp();
    return signedQuery({
      params,
      recvWindow: this.#options.recvWindow,
      secret: this.#options.apiSecret ?? '',
      timestamp,
    });
  }
}

/**
 * `schema.safeParse(body)`, validating a long list answer a slice of rows per turn of the event
 * loop (two thousand tickers or book tops would otherwise be one block). Any row that fails makes
 * the whole answer fail, with the error the whole list's parse gives.
 */
async function parseInTurns<S extends z.ZodType>(
  schema: S,
  body: unknown,
): Promise<{ success: true; data: z.output<S> } | { success: false; error: z.ZodError }> {
  if (!(schema instanceof ZodArray) || !Array.isArray(body)) return schema.safeParse(body);
  const element = schema.element as z.ZodType;
  const rows: unknown[] = [];
  const whole = await eachInTurns(body as unknown[], (raw) => {
    const row = element.safeParse(raw);
    if (!row.success) return false;
    rows.push(row.data);
    return true;
  });
  return whole ? { success: true, data: rows as z.output<S> } : schema.safeParse(body);
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
