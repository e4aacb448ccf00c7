/**
 * Unknown order outcomes over real HTTP: the simulator executes an order and answers 503. The bot must record
 * the order as UNKNOWN and resolve it by querying its client id, never by sending it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import type { OrderIntent } from '../../../src/domain/intent.js';
import { executionOver, type ExecutionOver } from '../../helpers/simulatorExecution.js';
import { type SimHarness, useSimHarness } from '../../helpers/simulatorHarness.js';

interface SimOrderWire {
  readonly orderId: string;
  readonly clientOrderId: string | null;
  readonly status: string;
}

const startHarness = useSimHarness();
let x: ExecutionOver | undefined;
afterEach(() => {
  x?.db.close();
  x = undefined;
});

function buy(over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    kind: 'order',
    origin: 'accumulate',
    symbol: 'BTCUSDC',
    side: 'BUY',
    type: 'LIMIT_MAKER',
    price: dec('94990.00'),
    quoteAmount: dec('20'),
    reason: 'integration buy',
    ...over,
  };
}

async function setup(options: { resolveDelaysMs?: number[]; clientTimeoutMs?: number } = {}) {
  const h = await startHarness(
    options.clientTimeoutMs === undefined ? {} : { client: { timeoutMs: options.clientTimeoutMs } },
  );
  h.sim.market.setBookTop('BTCUSDC', { bid: '95000.00', ask: '95000.10' });
  const seenWhileResolving: { status: string | undefined; exchangeOrders: number }[] = [];
  x = executionOver({
    exchange: h.client,
    clock: h.clock,
    executor: {
      resolveDelaysMs: options.resolveDelaysMs ?? [500],
      // Runs between the unclear answer and the first query: what the table holds at that moment.
      sleep: async (ms) => {
        const row = x!.orders.listNonFinal()[0];
        seenWhileResolving.push({ status: row?.status, exchangeOrders: h.sim.account.orders().length });
        h.time.advance(ms);
      },
    },
  });
  return { h, x, seenWhileResolving };
}

function simOrders(h: SimHarness): SimOrderWire[] {
  return h.sim.account.orders() as SimOrderWire[];
}

function orderPosts(h: SimHarness): number {
  return h.sim.stats.snapshot().byEndpoint['POST /api/v3/order']?.requests ?? 0;
}

describe('an order accepted but answered 503', () => {
  it('is UNKNOWN in the orders table, then resolved by client id to NEW with the exchange id, sent once', async () => {
    const { h, x, seenWhileResolving } = await setup();
    h.sim.faults.acceptThenFail({ status: 503 });

    const result = await x.executor.execute(buy());

    expect(seenWhileResolving, 'UNKNOWN while the executor waits to query; the order stands').toEqual([
      { status: 'UNKNOWN', exchangeOrders: 1 },
    ]);
    expect(x.of('order.unknown'), 'the unclear answer is announced').toHaveLength(1);
    const [onExchange] = simOrders(h);
    expect(result.status, 'resolved by the query').toBe('placed');
    if (result.status !== 'placed') return;
    expect(result.order.status, 'resting buy').toBe('NEW');
    expect(result.order.exchangeOrderId, 'exchange id learnt from the query').toBe(onExchange!.orderId);
    expect(onExchange!.clientOrderId, 'the simulator holds the bot client id').toBe(
      result.order.clientOrderId,
    );
    expect(simOrders(h), 'no second order on the exchange').toHaveLength(1);
    expect(orderPosts(h), 'POST /api/v3/order sent exactly once').toBe(1);
    expect(x.orders.get(result.order.clientOrderId)?.status, 'stored state').toBe('NEW');
  });

  it('an IOC that executed before the 503 resolves to FILLED with its executed quantity', async () => {
    const { h, x } = await setup();
    h.sim.faults.acceptThenFail({ status: 503 });

    const result = await x.executor.execute(buy({ type: 'IMMEDIATE_OR_CANCEL', price: dec('95000.10') }));

    expect(result.status).toBe('placed');
    if (result.status !== 'placed') return;
    const [onExchange] = simOrders(h);
    expect(onExchange?.status, 'executed on the exchange').toBe('FILLED');
    expect(result.order.status, 'the bot knows it filled').toBe('FILLED');
    expect(result.order.exchangeOrderId).toBe(onExchange!.orderId);
    expect(result.order.executedQty.toFixed(), 'executed quantity from the query').toBe(
      result.order.quantity.toFixed(),
    );
    expect(simOrders(h), 'no second order').toHaveLength(1);
    expect(orderPosts(h)).toBe(1);
  });

  it('left UNKNOWN when the immediate queries are skipped, the tracker resolves it later without re-sending', async () => {
    const { h, x } = await setup({ resolveDelaysMs: [] });
    h.sim.faults.acceptThenFail({ status: 503 });

    const result = await x.executor.execute(buy());
    expect(result.status, 'no answer yet').toBe('unknown');
    if (result.status !== 'unknown') return;
    const id = result.order.clientOrderId;
    expect(x.orders.get(id)?.status, 'row stays UNKNOWN').toBe('UNKNOWN');
    expect(x.orders.get(id)?.exchangeOrderId, 'no exchange id without an answer').toBeUndefined();

    h.time.advance(5_000);
    const report = await x.executor.track();
    expect(report.checked, 'the tracker looked at it').toBe(1);
    const tracked = x.orders.get(id);
    expect(tracked?.status, 'found by client id').toBe('NEW');
    expect(tracked?.exchangeOrderId).toBe(simOrders(h)[0]!.orderId);
    expect(simOrders(h), 'still one order on the exchange').toHaveLength(1);
    expect(orderPosts(h), 'never re-sent').toBe(1);
  });

  it('a send that times out and never reached the book stays UNKNOWN, then LOST after the grace period; never re-sent', async () => {
    // The simulator swallows the request without executing it; the client gives up after 200 ms.
    const { h, x } = await setup({ clientTimeoutMs: 200 });
    h.sim.faults.timeoutNext({ method: 'POST', path: '/api/v3/order' });

    const result = await x.executor.execute(buy());
    expect(result.status, 'no answer, and the query finds nothing yet').toBe('unknown');
    if (result.status !== 'unknown') return;
    const id = result.order.clientOrderId;
    expect(x.orders.get(id)?.status).toBe('UNKNOWN');
    expect(h.sim.account.orders(), 'the simulator never executed it').toHaveLength(0);

    h.time.advance(61_000);
    await x.executor.track();
    expect(x.orders.get(id)?.status, 'not found twice is not yet proof').toBe('UNKNOWN');
    const report = await x.executor.track();
    expect(report.lost, 'not found three times after the grace period').toBe(1);
    expect(x.orders.get(id)?.status).toBe('LOST');
    expect(
      x.of('alert').map((a) => a.key),
      'the owner is told',
    ).toContain(`order-lost:${id}`);
    expect(orderPosts(h), 'never re-sent').toBe(1);
    expect(h.sim.account.orders()).toHaveLength(0);
  });
});
