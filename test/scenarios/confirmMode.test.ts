import { afterEach, describe, expect, it } from 'vitest';
import { type RuntimeHarness, startRuntimeHarness, MINUTE } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('confirm mode through the chat use cases', () => {
  it('parks the intent, places it once when the owner confirms, and answers a repeated tap as already done', async () => {
    h = await startRuntimeHarness({ only: ['accumulate'], settings: { 'accumulate.mode': 'confirm' } });
    await h.advance(MINUTE);
    expect(h.orders({ origin: 'accumulate' }), 'nothing is placed before the owner confirms').toHaveLength(0);

    const pending = h.runtime.db
      .prepare("SELECT id FROM confirmations WHERE kind = 'order' AND resolved_at IS NULL")
      .all() as { id: string }[];
    expect(pending, 'one proposal waits, however many runs saw the same chance').toHaveLength(1);

    const first = await h.runtime.app.resolveConfirmation(pending[0]!.id, 'confirm', 'tg:1');
    expect(first, JSON.stringify(first)).toMatchObject({ status: 'done' });
    expect(h.orders({ origin: 'accumulate' }), 'the confirmed buy reached the exchange once').toHaveLength(1);

    const again = await h.runtime.app.resolveConfirmation(pending[0]!.id, 'confirm', 'tg:1');
    expect(again.status).toBe('already-resolved');
    expect(h.orders({ origin: 'accumulate' })).toHaveLength(1);
  });
});
