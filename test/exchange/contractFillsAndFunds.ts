/**
 * Part of the exchange-port contract (see exchangePort.contract.ts): funds checks, refusals
 * that depend on the account or the book, and fills recorded exactly once.
 */
import { expect, it } from 'vitest';
import { quantize, toWire, ZERO } from '../../src/domain/money.js';
import type { ContractContext } from './exchangePort.contract.js';
import { balanceOf, expectDec, expectRejected } from './contractSupport.js';

export function registerFillAndFundsContract(ctx: () => ContractContext): void {
  it('refuses a buy beyond the free quote and a sell beyond the free base as insufficient-funds', async () => {
    const { h, m } = ctx();
    const balances = await h.port.getBalances();
    const buyPrice = m.bid.minus(m.ticks(5));
    const buyQty = quantize(balanceOf(balances, m.quote).free.times(2).div(buyPrice), m.rules.stepSize, 'up');
    await expectRejected(
      h.port.placeOrder(m.request({ side: 'BUY', type: 'LIMIT', price: buyPrice, quantity: buyQty })),
      'insufficient-funds',
      `buy worth ${toWire(buyQty.times(buyPrice))} ${m.quote}`,
    );
    const sellPrice = m.ask.plus(m.ticks(5));
    const sellQty = balanceOf(balances, m.base).free.times(2).plus(m.rules.stepSize);
    await expectRejected(
      h.port.placeOrder(m.request({ side: 'SELL', type: 'LIMIT', price: sellPrice, quantity: sellQty })),
      'insufficient-funds',
      `sell of ${toWire(sellQty)} ${m.base}`,
    );
  });

  it('funds held by an open order are not free for the next one', async () => {
    const { h, m } = ctx();
    const free = balanceOf(await h.port.getBalances(), m.quote).free;
    const price = m.bid.minus(m.ticks(5));
    const quantity = quantize(free.times('0.6').div(price), m.rules.stepSize, 'down');
    const first = m.request({ side: 'BUY', type: 'LIMIT', price, quantity });
    await h.port.placeOrder(first);
    await expectRejected(
      h.port.placeOrder(m.request({ side: 'BUY', type: 'LIMIT', price, quantity })),
      'insufficient-funds',
      'second buy of 60 % of the starting free quote',
    );
    await h.port.cancelOrder({ symbol: h.tradableSymbol, clientOrderId: first.clientOrderId });
    await h.port.placeOrder(m.request({ side: 'BUY', type: 'LIMIT', price, quantity }));
  });

  it('refuses a reused client order id as invalid-order and leaves the first order alone', async () => {
    const { h, m } = ctx();
    const price = m.bid.minus(m.ticks(5));
    const first = m.request({ side: 'BUY', type: 'LIMIT_MAKER', price, quantity: m.qtyAt(price) });
    await h.port.placeOrder(first);
    await expectRejected(
      h.port.placeOrder({ ...first, price: price.minus(m.ticks(1)) }),
      'invalid-order',
      'same client order id twice',
    );
    const order = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: first.clientOrderId });
    expect(order?.status, 'first order still resting').toBe('NEW');
    expectDec(order?.price, price, 'first order unchanged');
  });

  it('refuses a LIMIT_MAKER that would trade on arrival as invalid-order (post-only)', async () => {
    const { h, m } = ctx();
    await expectRejected(
      h.port.placeOrder(
        m.request({ side: 'BUY', type: 'LIMIT_MAKER', price: m.ask, quantity: m.qtyAt(m.ask) }),
      ),
      'invalid-order',
      'post-only buy at the ask',
    );
    await expectRejected(
      h.port.placeOrder(
        m.request({ side: 'SELL', type: 'LIMIT_MAKER', price: m.bid, quantity: m.qtyAt(m.bid) }),
      ),
      'invalid-order',
      'post-only sell at the bid',
    );
    expect(await h.port.getOpenOrders([h.tradableSymbol]), 'nothing left resting').toEqual([]);
  });

  it('records one fill per execution, each returned once by half-open, overlapping windows', async () => {
    const { h, m } = ctx();
    const taker = m.request({
      side: 'BUY',
      type: 'IMMEDIATE_OR_CANCEL',
      price: m.ask,
      quantity: m.qtyAt(m.ask),
    });
    await h.port.placeOrder(taker);
    const price = m.bid.minus(m.ticks(5));
    const maker = m.request({ side: 'BUY', type: 'LIMIT_MAKER', price, quantity: m.qtyAt(price) });
    await h.port.placeOrder(maker);
    await h.setBookTop(h.tradableSymbol, {
      bid: toWire(price.minus(m.ticks(2))),
      ask: toWire(price.minus(m.ticks(1))),
    });

    const orders = await Promise.all(
      [taker, maker].map((r) =>
        h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: r.clientOrderId }),
      ),
    );
    expect(
      orders.map((o) => o?.status),
      'both executed',
    ).toEqual(['FILLED', 'FILLED']);
    const from = Math.min(...orders.map((o) => o!.time)) - 60_000;
    const to = Math.max(...orders.map((o) => o!.updateTime)) + 60_000;
    const all = await h.port.getFills({ symbol: h.tradableSymbol, startTime: from, endTime: to });
    const ours = all.filter((f) => orders.some((o) => o!.orderId === f.orderId));
    expect(ours.length, 'one fill per execution').toBe(2);
    expect(new Set(all.map((f) => f.tradeId)).size, 'no trade id twice in one answer').toBe(all.length);
    for (const order of orders) {
      const own = ours.filter((f) => f.orderId === order!.orderId);
      expectDec(
        own.reduce((sum, f) => sum.plus(f.qty), ZERO),
        order!.executedQty,
        'fills add up to the executed quantity',
      );
    }

    const again = await h.port.getFills({ symbol: h.tradableSymbol, startTime: from, endTime: to });
    expect(again.map((f) => f.tradeId).sort(), 'fills are not consumed by reading').toEqual(
      all.map((f) => f.tradeId).sort(),
    );

    for (const fill of ours) {
      const at = await h.port.getFills({
        symbol: h.tradableSymbol,
        startTime: fill.time,
        endTime: fill.time + 1,
      });
      expect(
        at.filter((f) => f.tradeId === fill.tradeId).length,
        'window starting at the fill includes it once',
      ).toBe(1);
      const before = await h.port.getFills({
        symbol: h.tradableSymbol,
        startTime: fill.time - 1000,
        endTime: fill.time,
      });
      expect(
        before.map((f) => f.tradeId),
        'end time is exclusive',
      ).not.toContain(fill.tradeId);
      const overlapping = await h.port.getFills({
        symbol: h.tradableSymbol,
        startTime: fill.time - 500,
        endTime: fill.time + 500,
      });
      expect(overlapping.filter((f) => f.tradeId === fill.tradeId).length, 'overlapping window').toBe(1);
    }
  });
}
