import { describe, expect, it } from 'vitest';
import { budgetFloorMs } from '../../bench/lib/budgetFloor.js';
import type { RateLimitedRequest } from '../../src/exchange/rateLimiter.js';

const general = (weight: number, count = 1): RateLimitedRequest[] =>
  Array.from({ length: count }, () => ({ weight, kind: 'general' }));

describe('budgetFloorMs', () => {
  it('is 0 when everything fits in the first second and window', async () => {
    expect(await budgetFloorMs(general(1, 15), { weightPer10s: 250, maxRequestsPerSecond: 15 })).toBe(0);
  });

  it('is bound by the request rate when the weight is light', async () => {
    // 81 requests at 15/s: slots at 0, 1, 2, 3, 4 and 5 s.
    const requests = [...general(40), ...general(1, 80)];
    expect(
      await budgetFloorMs(requests, { weightPer10s: 250, maxRequestsPerSecond: 15 }),
      'the 81st request goes in the sixth one-second slot',
    ).toBe(5_000);
  });

  it('is bound by the weight window when the weight is heavy', async () => {
    // 100 weight each against 250 per 10 s: two at 0 s, two at 10 s, the fifth at 20 s.
    expect(
      await budgetFloorMs(general(100, 5), { weightPer10s: 250, maxRequestsPerSecond: 15 }),
      'each pair waits for the previous pair to leave the 10 s window',
    ).toBe(20_000);
  });
});
