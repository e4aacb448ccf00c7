import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { KillSwitch } from '../../src/execution/panic.js';
import { PauseState } from '../../src/jobs/PauseState.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { harness, type Harness } from '../helpers/executionHarness.js';

let h: Harness;
afterEach(() => h?.db.close());

describe('the kill switch', () => {
  it('pauses every strategy at once, cancels every open bot order in the background and refuses their orders afterwards', async () => {
    const ref: { pauses?: PauseState } = {};
    h = harness({
      balances: { USDC: '1000', BTC: '1' },
      executor: { isPaused: (origin) => origin !== 'manual' && ref.pauses!.isPaused(origin) },
    });
    const pauses = new PauseState({
      clock: h.clock,
      events: h.publisher,
      settings: h.settings,
      state: h.state,
    });
    ref.pauses = pauses;
    const buy = await h.executor.execute({
      kind: 'order',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('59000'),
      quoteAmount: dec('20'),
      reason: 'dca',
    });
    const sell = await h.executor.execute({
      kind: 'order',
      origin: 'take-profit',
      symbol: 'BTCUSDC',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('70000'),
      quantity: dec('0.1'),
      reason: 'tp',
    });
    const filled = await h.executor.execute({
      kind: 'order',
      origin: 'accumulate',
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT',
      price: dec('3000'),
      quantity: dec('0.01'),
      reason: 'dca',
    });
    if (buy.status !== 'placed' || sell.status !== 'placed' || filled.status !== 'placed')
      throw new Error('setup');
    h.exchange.fill(filled.order.clientOrderId, '0.01');
    h.exchange.addForeignOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      price: '50000',
      qty: '0.01',
      clientOrderId: 'web_1',
    });

    let idleWaits = 0;
    const killSwitch = new KillSwitch({
      // Every order is final after the first round: no retry wait is ever slept.
      sleep: async () => {
        throw new Error('no retry expected');
      },
      deps: {
        events: h.publisher,
        executor: h.executor,
        orders: h.orders,
        pauses,
        waitIdle: async () => {
          idleWaits++;
          return true;
        },
      },
    });
    const engaged = killSwitch.engage('owner');
    expect(engaged.paused, 'paused before anything is cancelled').toEqual([...STRATEGY_IDS]);
    expect(engaged.open, 'the two resting orders and the one filled unseen').toBe(3);
    for (const id of STRATEGY_IDS) expect(pauses.isPaused(id), id).toBe(true);
    await killSwitch.settled();

    expect(h.orders.get(buy.order.clientOrderId)?.status).toBe('CANCELED');
    expect(h.orders.get(sell.order.clientOrderId)?.status).toBe('CANCELED');
    expect(h.orders.get(filled.order.clientOrderId)?.status, 'the filled one is left filled').toBe('FILLED');
    expect(idleWaits, 'runs in flight waited for between the two sweeps').toBe(1);
    expect(h.orders.listNonFinal(), 'no open bot order').toHaveLength(0);
    expect(h.exchange.order('web_1')?.status, 'foreign orders are not the bot’s to cancel').toBe('NEW');
    expect(h.of('alert').at(-1)).toMatchObject({ severity: 'critical', key: 'panic' });
    expect(h.of('alert').at(-1)?.message).toContain(
      '2 order(s) cancelled; every order the bot placed is confirmed final',
    );

    const after = await h.executor.execute({
      kind: 'order',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('59000'),
      quoteAmount: dec('20'),
      reason: 'dca',
    });
    expect(after).toMatchObject({ status: 'refused', code: 'paused' });
  });
});
