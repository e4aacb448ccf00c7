import { describe, expect, it } from 'vitest';
import { ServerTime } from '../../../src/exchange/mexc/serverTime.js';
import { ManualClock } from '../../../src/common/clock.js';
import { silentLogger } from '../../../src/common/logger.js';

function setup(fetch: (clock: ManualClock) => Promise<number>) {
  const clock = new ManualClock(1_000_000);
  let fetches = 0;
  const serverTime = new ServerTime({
    clock,
    logger: silentLogger(),
    refreshMs: 60_000,
    fetchServerTime: async () => {
      fetches += 1;
      const sentAt = clock.now();
      return { serverTime: await fetch(clock), sentAt };
    },
  });
  return { clock, serverTime, fetches: () => fetches };
}

describe('ServerTime', () => {
  it('offset = server time minus the middle of the round trip', async () => {
    const { serverTime } = setup(async (clock) => {
      const reply = clock.now() + 500 - 2_000; // server 2 s behind, stamped 500 ms after sending
      clock.advance(1_000); // 1 s round trip
      return reply;
    });
    await serverTime.resync();
    expect(serverTime.offsetMs).toBe(-2_000);
  });

  it('times the round trip from the request leaving, not from a wait for the rate budget before it', async () => {
    const clock = new ManualClock(1_000_000);
    const serverTime = new ServerTime({
      clock,
      logger: silentLogger(),
      fetchServerTime: async () => {
        clock.advance(120_000); // queued behind a 429 pause
        const sentAt = clock.now();
        const reply = clock.now() + 100 + 3_000; // server 3 s ahead
        clock.advance(200);
        return { serverTime: reply, sentAt };
      },
    });
    await serverTime.resync();
    expect(serverTime.offsetMs).toBe(3_000);
  });

  it('syncs on first use, reuses the offset while fresh, re-syncs when stale', async () => {
    const { clock, serverTime, fetches } = setup(async (c) => c.now() + 250);
    expect(await serverTime.now()).toBe(1_000_250);
    clock.advance(59_999);
    await serverTime.now();
    expect(fetches()).toBe(1);
    clock.advance(1);
    await serverTime.now();
    expect(fetches(), 'refreshed after refreshMs').toBe(2);
  });

  it('concurrent callers share one /time request', async () => {
    const { serverTime, fetches } = setup(async (c) => c.now());
    await Promise.all([serverTime.now(), serverTime.now(), serverTime.resync()]);
    expect(fetches()).toBe(1);
  });

  it('a failed refresh keeps the previous offset; a failed first sync throws', async () => {
    let fail = false;
    const { clock, serverTime } = setup(async (c) => {
      if (fail) throw new Error('down');
      return c.now() + 100;
    });
    await serverTime.resync();
    fail = true;
    clock.advance(120_000);
    expect(await serverTime.now(), 'stale offset still used').toBe(clock.now() + 100);

    const fresh = setup(async () => {
      throw new Error('down');
    });
    await expect(fresh.serverTime.now()).rejects.toThrow('down');
  });
});
