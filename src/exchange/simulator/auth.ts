/**
 * Signed-request checks as MEXC performs them. Internal to the simulator.
 *
 * The signature is lowercase hex HMAC-SHA256 over the exact query string as sent, without the
 * `signature` parameter, immediately followed by the raw body. Timing: the request is refused
 * with 700003 unless `timestamp < serverTime + 1000` and `serverTime − timestamp ≤ recvWindow`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { intParam } from './params.js';
import { SimErrors } from './wire.js';

/** The receive window MEXC assumes when a signed request sends none. */
export const DEFAULT_RECV_WINDOW = 5000;
/** The largest receive window MEXC accepts. */
export const MAX_RECV_WINDOW = 60_000;

/** The parts of a request the signature and timing checks look at. */
export interface SignedRequest {
  /** The query string as received, without the leading `?`. */
  readonly rawQuery: string;
  readonly body: string;
  readonly params: URLSearchParams;
  readonly apiKeyHeader: string | undefined;
}

/** The string MEXC signs: the query without `signature=…`, followed by the body. */
export function signedPayload(rawQuery: string, body: string): string {
  const query = rawQuery
    .split('&')
    .filter((part) => part !== '' && !part.startsWith('signature='))
    .join('&');
  return query + body;
}

/** Throws the MEXC error for the first failing check; returns normally when the request is authentic. */
export function verifySigned(
  request: SignedRequest,
  credentials: { apiKey: string; apiSecret: string },
  serverTime: number,
): void {
  if (!request.apiKeyHeader) throw SimErrors.apiKeyRequired();
  if (request.apiKeyHeader !== credentials.apiKey) throw SimErrors.apiKeyInvalid();
  const timestamp = intParam(request.params, 'timestamp');
  if (timestamp === undefined) throw SimErrors.parameter('timestamp is required');
  const recvWindow = intParam(request.params, 'recvWindow') ?? DEFAULT_RECV_WINDOW;
  if (recvWindow > MAX_RECV_WINDOW) throw SimErrors.recvWindowTooLarge();
  if (!(timestamp < serverTime + 1000 && serverTime - timestamp <= recvWindow)) {
    throw SimErrors.outsideRecvWindow();
  }
  const signature = request.params.get('signature') ?? '';
  const expected = createHmac('sha256', credentials.apiSecret)
    .update(signedPayload(request.rawQuery, request.body))
    .digest('hex');
  const given = Buffer.from(signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw SimErrors.badSignature();
}
