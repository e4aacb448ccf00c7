import { describe, expect, it } from 'vitest';
import {
  CLIENT_ORDER_ID_PATTERN,
  looksLikeBotClientOrderId,
  newClientOrderId,
} from '../../src/execution/clientOrderId.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';

describe('newClientOrderId', () => {
  it('fits MEXC rules (≤ 32 chars of [A-Za-z0-9_-]) for every origin, far into the future', () => {
    for (const origin of [...STRATEGY_IDS, 'manual'] as const) {
      for (const now of [0, Date.UTC(2026, 0, 1), Date.UTC(2200, 0, 1)]) {
        const id = newClientOrderId(origin, now);
        expect(id.length, id).toBeLessThanOrEqual(32);
        expect(id).toMatch(CLIENT_ORDER_ID_PATTERN);
        expect(looksLikeBotClientOrderId(id), 'recognisable as the bot').toBe(true);
      }
    }
  });

  it('is unique within the same millisecond', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newClientOrderId('scanner', 1_767_225_600_000)));
    expect(ids.size).toBe(5000);
  });

  it('tells foreign ids apart', () => {
    expect(looksLikeBotClientOrderId('web_12345')).toBe(false);
    expect(looksLikeBotClientOrderId(undefined)).toBe(false);
  });
});
