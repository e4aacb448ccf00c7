/**
 * Stopping cuts the exchange reads still in flight: a chat read that stopped waiting for a slow
 * exchange (answering from the latest known balances) goes on in the background, and must not
 * outlive the stop — no request answered, retried or logged after the bot says it stopped, and
 * none sent after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness | undefined;
afterEach(async () => {
  await h?.stop();
});

describe('stopping the runtime', () => {
  it('cuts a background read still in flight and sends nothing after', async () => {
    h = await startRuntimeHarness({ altcoins: 3, only: [] });
    const first = await h.runtime.app.getBalances();
    expect(first.available, 'balances known before the exchange slows down').toBe(true);

    // The next book-ticker read hangs (the simulator holds it until the client's 10 s timeout;
    // without the cut, closing the simulator resets it and the client retries after the stop).
    h.sim.faults.timeoutNext({ path: '/api/v3/ticker/bookTicker' });
    h.clock.advance(60_000); // past the client's short cache of book tops
    const slow = await h.runtime.app.getBalances();
    expect(slow.available && slow.dataAge.readAt, 'answered from the latest known view').toBe(
      first.available && first.dataAge.readAt,
    );

    await h.runtime.stop();
    const logsAtStop = h.logs.length;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(h.logs.slice(logsAtStop), 'nothing logged after the stop').toEqual([]);
    await expect(h.runtime.market.getDepth('BTCUSDC'), 'nothing sent after the stop').rejects.toThrow(
      /not sent, the bot is stopping/,
    );
  });
});
