/**
 * MEXC request signing: every parameter goes into the query string (empty body), the signature
 * is the lowercase hex HMAC-SHA256 of exactly the query string sent (without `signature`), and
 * `signature` is appended last. Percent escapes must be uppercase, and nothing else may
 * re-encode the query between signing and sending.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/general-info (SIGNED endpoints)
 */
import { createHmac } from 'node:crypto';

/** Request parameters before signing; undefined values are left out of the query. */
export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/**
 * RFC 3986 escaping with uppercase hex: encodeURIComponent leaves `!'()*` as they are, and the
 * URL parser in the HTTP stack may escape some of them later, which would make the bytes sent
 * differ from the bytes signed. Escaping them here keeps the query stable end to end.
 */
export function mexcEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** `a=1&b=x` in insertion order (MEXC does not require sorting); undefined values are left out. */
export function encodeQuery(params: QueryParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${mexcEscape(key)}=${mexcEscape(String(value))}`);
  }
  return parts.join('&');
}

/** Lowercase hex HMAC-SHA256 of `payload` keyed by the API secret. */
export function signPayload(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/**
 * The full signed query for one attempt: params, `recvWindow`, `timestamp`, then `signature`.
 * Called again for every attempt so each carries a fresh timestamp and signature.
 */
export function signedQuery(options: {
  readonly params: QueryParams;
  readonly recvWindow: number;
  readonly secret: string;
  readonly timestamp: number;
}): { readonly query: string; readonly signature: string } {
  const unsigned = encodeQuery({
    ...options.params,
    recvWindow: options.recvWindow,
    timestamp: options.timestamp,
  });
  const signature = signPayload(unsigned, options.secret);
  return { query: `${unsigned}&signature=${signature}`, signature };
}
