/**
 * Untradable symbols over real HTTP: a symbol the API may not trade answers 10007; the executor blocks it for
 * 24 h with an alert, and the MEXC client reloads its rules so the block outlives nothing stale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isTradable } from '../../../src/domain/market.js';
import { dec } from '../../../src/domain/money.js';
import type { OrderIntent } from '../../../src/domain/intent.js';
import { executionOver, type ExecutionOver } from '../../helpers/simulatorExecution.js';
import { type SimHarness, useSimHarness } from '../../helpers/simulatorHarness.js';

const startHarness = useSimHarness();
let x: ExecutionOver | undefined;
afterEach(() => {
  x?.db.close();
  x = undefined;
});

const DAY = 86_400_000;

const orderPosts = (h: SimHarness) => h.sim.stats.snapshot().byEndpoint['POST /api/v3/order']?.requests ?? 0;

function buyOf(symbol: string, price: string): OrderIntent {
  return {
    kind: 'order',
    origin: 'manual',
    symbol,
    side: 'BUY',
    type: 'LIMIT_MAKER',
    price: dec(price),
    quoteAmount: dec('20'),
    reason: 'integration buy',
  };
}

describe('a symbol that is not API-tradable', () => {
  it('answers 10007; the executor blocks it for 24 h, raises an alert, and sends nothing more', async () => {
    const h = await startHarness();
    x = executionOver({ exchange: h.client, clock: h.clock });
    h.sim.market.setBookTop('ETHUSDC', { bid: '3400.00', ask: '3400.10' });
    expect(isTradable((await h.client.getRules()).get('ETHUSDC')!), 'tradable when the rules were read').toBe(
      true,
    );
    h.sim.market.setTradable('ETHUSDC', false);
    const placedAt = h.clock.now();

    const result = await x.executor.execute(buyOf('ETHUSDC', '3390.00'));

    expect(result, 'the exchange refused it').toMatchObject({ status: 'failed', code: 'not-tradable' });
    if (result.status !== 'failed') return;
    expect(result.reason, 'the MEXC code is named').toContain('10007');
    expect(orderPosts(h), 'sent once').toBe(1);
    expect(h.sim.account.orders(), 'nothing placed on the exchange').toHaveLength(0);
    expect(result.order?.status, 'the order row is closed as rejected').toBe('REJECTED');
    const block = x.blocks.get('ETHUSDC', h.clock.now());
    expect(block?.until, 'blocked for exactly 24 h').toBe(placedAt + DAY);
    const alerts = x.of('alert').filter((a) => a.key === 'not-tradable:ETHUSDC');
    expect(alerts, 'one alert for the owner').toHaveLength(1);
    expect(alerts[0]!.message).toMatch(/not API-tradable.*excluded for 24 h/);

    const again = await x.executor.execute(buyOf('ETHUSDC', '3390.00'));
    expect(again, 'blocked without asking the exchange').toMatchObject({
      status: 'refused',
      code: 'blocked',
    });
    h.time.advance(DAY - 1_000);
    expect(
      await x.executor.execute(buyOf('ETHUSDC', '3390.00')),
      'still blocked a second before 24 h',
    ).toMatchObject({
      status: 'refused',
      code: 'blocked',
    });
    expect(orderPosts(h), 'nothing sent while blocked').toBe(1);

    h.time.advance(1_000);
    expect(x.blocks.get('ETHUSDC', h.clock.now()), 'block over after 24 h').toBeUndefined();
    // The 10007 made the client drop its cached rules: they now say what the simulator says.
    expect(
      await x.executor.execute(buyOf('ETHUSDC', '3390.00')),
      'refused from fresh rules, not sent',
    ).toMatchObject({ status: 'refused', code: 'not-tradable' });
    expect(orderPosts(h), 'still one request').toBe(1);

    h.sim.market.setTradable('ETHUSDC', true);
    await h.client.refreshRules();
    expect(await x.executor.execute(buyOf('ETHUSDC', '3390.00')), 'tradable again').toMatchObject({
      status: 'placed',
    });
  });

  it('listed as not tradable in the rules, it is refused before anything is sent', async () => {
    const h = await startHarness();
    x = executionOver({ exchange: h.client, clock: h.clock });
    const listed = [...(await h.client.getRules()).values()].find(
      (r) => r.quoteAsset === 'USDT' && !isTradable(r),
    );
    expect(listed, 'the seeded simulator lists untradable USDT symbols').toBeDefined();
    const top = h.sim.market.bookTop(listed!.symbol);

    const result = await x.executor.execute(buyOf(listed!.symbol, top.bid));

    expect(result, `${listed!.symbol} refused from the rules`).toMatchObject({
      status: 'refused',
      code: 'not-tradable',
    });
    expect(orderPosts(h), 'nothing sent').toBe(0);
    expect(x.orders.listNonFinal(), 'nothing persisted').toHaveLength(0);
  });
});
