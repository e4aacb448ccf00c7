import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { panic } from '../../src/execution/panic.js';
import { PauseState } from '../../src/jobs/PauseState.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { harness, type Harness } from '../helpers/executionHarness.js';

let h: Harness;
afterEach(() => h?.db.close());

describe('panic (the kill switch)', () => {
  it('cancels every open bot order, pauses every strategy and refuses their orders afterwards', async () => {
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

    const report = await panic(
      { events: h.publisher, executor: h.executor, orders: h.orders, pauses },
      'owner',
    );
    expect([...report.cancelled].sort()).toEqual([buy.order.clientOrderId, sell.order.clientOrderId].sort());
    expect(report.alreadyDone, 'the filled one is reported as done').toEqual([filled.order.clientOrderId]);
    expect(report.failed).toEqual([]);
    expect(report.paused).toEqual([...STRATEGY_IDS]);
    for (const id of STRATEGY_IDS) expect(pauses.isPaused(id), id).toBe(true);
    expect(h.orders.listNonFinal(), 'no open bot order').toHaveLength(0);
    expect(h.exchange.order('web_1')?.status, 'foreign orders are not the bot’s to cancel').toBe('NEW');
    expect(h.of('alert').at(-1)).toMatchObject({ severity: 'critical', key: 'panic' });

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
