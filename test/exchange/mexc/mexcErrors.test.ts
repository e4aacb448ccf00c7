import { describe, expect, it } from 'vitest';
import { MEXC_ENDPOINTS as E } from '../../../src/exchange/mexc/mexcEndpoints.js';
import {
  classifyMexcFailure,
  mexcNetworkError,
  parseRetryAfterMs,
  scrubSecrets,
} from '../../../src/exchange/mexc/mexcErrors.js';

const codeTable: readonly [string, readonly number[]][] = [
  ['auth', [700001, 10072, 700002, 602, 700006, 700007, 401, 403]],
  ['clock-skew', [700003]],
  ['not-tradable', [10007, 30014, 30016, 30020, 26, -1121, 30021]],
  ['insufficient-funds', [10101, 30004, 30005]],
  [
    'invalid-order',
    [
      10095, 10096, 10097, 10102, 30002, 30003, 30087, 30001, 30018, 30019, 30051, 30029, 30041, 33333, 44444,
      730002,
    ],
  ],
  ['not-found', [-2013, -2011, 30026]],
  ['suspended', [30000, 30027, 30028, 30010]],
];

describe('MEXC error classification', () => {
  for (const [kind, codes] of codeTable) {
    it(`codes ${codes.join(', ')} → ${kind}`, () => {
      for (const code of codes) {
        expect(classifyMexcFailure({ endpoint: E.newOrder, httpStatus: 400, code }), `code ${code}`).toBe(
          kind,
        );
      }
    });
  }

  it('HTTP statuses without a MEXC code', () => {
    expect(classifyMexcFailure({ endpoint: E.klines, httpStatus: 429 })).toBe('rate-limited');
    expect(classifyMexcFailure({ endpoint: E.klines, httpStatus: 418 })).toBe('rate-limited');
    expect(classifyMexcFailure({ endpoint: E.klines, httpStatus: 403 }), 'WAF').toBe('rate-limited');
    expect(classifyMexcFailure({ endpoint: E.klines, httpStatus: 401 })).toBe('auth');
    expect(classifyMexcFailure({ endpoint: E.klines, httpStatus: 503 }), 'read').toBe('temporary');
    expect(classifyMexcFailure({ endpoint: E.newOrder, httpStatus: 503 }), 'order write').toBe(
      'unknown-outcome',
    );
    expect(classifyMexcFailure({ endpoint: E.cancelOrder, httpStatus: 500 }), 'cancel write').toBe(
      'unknown-outcome',
    );
    expect(classifyMexcFailure({ endpoint: E.klines, httpStatus: 400 })).toBe('invalid-order');
  });

  it('network failures: reads temporary, writes unknown unless the connection was never made', () => {
    const read = mexcNetworkError({
      endpoint: E.klines,
      networkCode: 'ECONNRESET',
      timedOut: false,
      timeoutMs: 1,
    });
    expect(read.kind).toBe('temporary');
    const write = mexcNetworkError({
      endpoint: E.newOrder,
      networkCode: 'ECONNRESET',
      timedOut: false,
      timeoutMs: 1,
    });
    expect(write.kind).toBe('unknown-outcome');
    const timeout = mexcNetworkError({
      endpoint: E.newOrder,
      networkCode: 'ETIMEDOUT',
      timedOut: true,
      timeoutMs: 500,
    });
    expect(timeout).toMatchObject({
      kind: 'unknown-outcome',
      message: 'POST /api/v3/order: timeout after 500 ms',
    });
    const refused = mexcNetworkError({
      endpoint: E.newOrder,
      networkCode: 'ECONNREFUSED',
      timedOut: false,
      timeoutMs: 1,
    });
    expect(refused.kind, 'refused connection: nothing was sent').toBe('temporary');
  });

  it('scrubs keys, signatures and long hex from exchange messages', () => {
    const sig = 'a'.repeat(64);
    expect(scrubSecrets(`bad key KEY123 sig ${sig} signature=deadbeef&x=1`, ['KEY123', undefined])).toBe(
      'bad key [redacted] sig [redacted] signature=[redacted]&x=1',
    );
    expect(scrubSecrets('x'.repeat(400), []).length, 'long messages are cut').toBe(301);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfterMs('90', now)).toBe(90_000);
    expect(parseRetryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});
