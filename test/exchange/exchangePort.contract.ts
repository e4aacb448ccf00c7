/**
 * The behaviour every {@link ExchangePort} adapter must show, run against each adapter with a
 * small setup file: the paper exchange over fake market data, and the MEXC
 * client over the built-in simulator. The executor relies on exactly these behaviours, so
 * paper and live trading meet the same statuses, fills and error kinds.
 *
 * A harness provides a fresh account per test. Requirements on it:
 * - `tradableSymbol` has rules, a book top with a positive bid, and a positive minimum notional;
 * - the account holds at least 40 × (3 × minimum notional) of the quote asset and base worth
 *   at least 10 × that, and less quote than half the symbol's maximum notional, if any;
 * - `setBookTop` pins the best bid/ask (with ample quantity) until the next call, and the
 *   adapter matches resting orders against the pinned top no later than its next private call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTradable } from '../../src/domain/market.js';
import { dec, maxDec, quantize, toWire, ZERO } from '../../src/domain/money.js';
import { prepareOrder } from '../../src/domain/orderRules.js';
import type { ExchangePort } from '../../src/exchange/ExchangePort.js';
import { registerFillAndFundsContract } from './contractFillsAndFunds.js';
import {
  balanceOf,
  type ContractMarket,
  expectDec,
  expectFee,
  expectRejected,
  newClientOrderId,
  pinMarket,
} from './contractSupport.js';

export interface ContractHarness {
  port: ExchangePort;
  /** pins the book top of a symbol so tests can make resting orders fill */
  setBookTop(symbol: string, top: { bid: string; ask: string }): Promise<void> | void;
  /** a tradable symbol with known rules, e.g. BTCUSDC */
  tradableSymbol: string;
  /** a symbol whose rules say it is not API-tradable */
  untradableSymbol: string;
  quoteAsset: string;
  close(): Promise<void>;
}

/** Shared state of one contract test: the harness and the pinned market of its tradable symbol. */
export interface ContractContext {
  readonly h: ContractHarness;
  readonly m: ContractMarket;
}

/**
 * Registers the exchange-port contract suite for one adapter. `setup` is called before every
 * test and must return a fresh, funded account; `close` is called after it.
 */
export function describeExchangeContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`ExchangePort contract: ${name}`, () => {
    let harness: ContractHarness | undefined;
    let context: ContractContext;
    const ctx = () => context;

    beforeEach(async () => {
      harness = await setup();
      const m = await pinMarket({
        port: harness.port,
        setBookTop: (s, t) => harness!.setBookTop(s, t),
        symbol: harness.tradableSymbol,
      });
      context = { h: harness, m };
      const balances = await harness.port.getBalances();
      const unit = m.qtyAt(m.bid).times(m.bid);
      expect(balanceOf(balances, m.quote).free.gte(unit.times(40)), `harness funds ${m.quote}`).toBe(true);
      expect(balanceOf(balances, m.base).free.gte(m.qtyAt(m.ask, 10)), `harness funds ${m.base}`).toBe(true);
    });

    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    it('publishes rules: the tradable symbol is tradable, the untradable one is not', async () => {
      const { h, m } = ctx();
      expect(h.port.name.length, 'adapter has a name for /status').toBeGreaterThan(0);
      expect(isTradable(m.rules), `${h.tradableSymbol} tradable`).toBe(true);
      expect(m.quote, 'quote asset of the tradable symbol').toBe(h.quoteAsset);
      const untradable = (await h.port.getRules()).get(h.untradableSymbol);
      expect(untradable, `${h.untradableSymbol} has rules`).toBeDefined();
      expect(isTradable(untradable!), `${h.untradableSymbol} not tradable`).toBe(false);
    });

    it('a resting LIMIT_MAKER buy is NEW in open orders and by client id, and holds its funds', async () => {
      const { h, m } = ctx();
      const before = balanceOf(await h.port.getBalances(), m.quote);
      const price = m.bid.minus(m.ticks(5));
      const quantity = m.qtyAt(price);
      const request = m.request({ side: 'BUY', type: 'LIMIT_MAKER', price, quantity });
      const ack = await h.port.placeOrder(request);
      expect(ack.clientOrderId, 'ack echoes the client id').toBe(request.clientOrderId);
      expect(ack.symbol).toBe(h.tradableSymbol);
      expect(ack.orderId.length, 'exchange order id').toBeGreaterThan(0);

      const order = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: request.clientOrderId });
      expect(order?.status, 'resting order status').toBe('NEW');
      expect(order?.orderId, 'same order id as the ack').toBe(ack.orderId);
      expect(order?.side).toBe('BUY');
      expect(order?.type).toBe('LIMIT_MAKER');
      expectDec(order?.price, price, 'order price');
      expectDec(order?.origQty, quantity, 'order quantity');
      expectDec(order?.executedQty, ZERO, 'nothing executed yet');

      const open = await h.port.getOpenOrders([h.tradableSymbol]);
      const listed = open.find((o) => o.clientOrderId === request.clientOrderId);
      expect(listed?.status, 'listed among open orders').toBe('NEW');

      const after = balanceOf(await h.port.getBalances(), m.quote);
      const held = before.free.minus(after.free);
      expect(held.gte(quantity.times(price)), `buy holds at least its value, held ${toWire(held)}`).toBe(
        true,
      );
      expectDec(after.locked.minus(before.locked), held, 'what left free is locked');
    });

    it('moving the book through a resting buy fills it at its price as maker, settling balances and the fee', async () => {
      const { h, m } = ctx();
      const before = await h.port.getBalances();
      const price = m.bid.minus(m.ticks(5));
      const quantity = m.qtyAt(price);
      const request = m.request({ side: 'BUY', type: 'LIMIT_MAKER', price, quantity });
      await h.port.placeOrder(request);
      await h.setBookTop(h.tradableSymbol, {
        bid: toWire(price.minus(m.ticks(2))),
        ask: toWire(price.minus(m.ticks(1))),
      });

      const order = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: request.clientOrderId });
      expect(order?.status, 'filled once the ask reached the limit').toBe('FILLED');
      expectDec(order?.executedQty, quantity, 'fully executed');
      expectDec(order?.cummulativeQuoteQty, quantity.times(price), 'executed at its own limit price');

      const fills = (
        await h.port.getFills({
          symbol: h.tradableSymbol,
          startTime: order!.time - 60_000,
          endTime: order!.updateTime + 60_000,
        })
      ).filter((f) => f.orderId === order!.orderId);
      expect(fills.length, 'one execution, one fill').toBe(1);
      const fill = fills[0]!;
      expect(fill.isMaker, 'a resting order fills as maker').toBe(true);
      expect(fill.side).toBe('BUY');
      expectDec(fill.price, price, 'fill price');
      expectDec(fill.qty, quantity, 'fill quantity');
      expectDec(fill.quoteQty, quantity.times(price), 'fill value');
      expect(fill.commissionAsset, 'fees in the quote asset').toBe(m.quote);
      expectFee(
        fill.commission,
        { value: fill.quoteQty, rate: m.rules.makerFee, rules: m.rules },
        'maker fee',
      );

      const after = await h.port.getBalances();
      expectDec(
        balanceOf(after, m.quote).total.minus(balanceOf(before, m.quote).total),
        fill.quoteQty.plus(fill.commission).neg(),
        'quote spent: value plus fee',
      );
      expectDec(balanceOf(after, m.quote).locked, balanceOf(before, m.quote).locked, 'nothing left held');
      expectDec(
        balanceOf(after, m.base).total.minus(balanceOf(before, m.base).total),
        quantity,
        'base received',
      );
    });

    it('moving the book through a resting sell fills it at its price and credits the value less the fee', async () => {
      const { h, m } = ctx();
      const before = await h.port.getBalances();
      const price = m.ask.plus(m.ticks(5));
      const quantity = m.qtyAt(price);
      const request = m.request({ side: 'SELL', type: 'LIMIT', price, quantity });
      await h.port.placeOrder(request);
      const held = await h.port.getBalances();
      expectDec(
        balanceOf(held, m.base).locked.minus(balanceOf(before, m.base).locked),
        quantity,
        'sell holds its base',
      );

      await h.setBookTop(h.tradableSymbol, {
        bid: toWire(price.plus(m.ticks(1))),
        ask: toWire(price.plus(m.ticks(2))),
      });
      const order = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: request.clientOrderId });
      expect(order?.status, 'filled once the bid reached the limit').toBe('FILLED');
      const after = await h.port.getBalances();
      const value = quantity.times(price);
      const received = balanceOf(after, m.quote).total.minus(balanceOf(before, m.quote).total);
      expectFee(
        value.minus(received),
        { value, rate: m.rules.makerFee, rules: m.rules },
        'quote received: value less maker fee',
      );
      expectDec(
        balanceOf(after, m.base).total.minus(balanceOf(before, m.base).total),
        quantity.neg(),
        'base delivered',
      );
    });

    it('cancelling a resting order makes it CANCELED and releases its funds; a second cancel is not-found', async () => {
      const { h, m } = ctx();
      const before = balanceOf(await h.port.getBalances(), m.quote);
      const price = m.bid.minus(m.ticks(3));
      const request = m.request({ side: 'BUY', type: 'LIMIT', price, quantity: m.qtyAt(price) });
      await h.port.placeOrder(request);
      const ref = { symbol: h.tradableSymbol, clientOrderId: request.clientOrderId };

      const canceled = await h.port.cancelOrder(ref);
      if (canceled) expect(canceled.status, 'cancel reports the final state').toBe('CANCELED');
      const order = await h.port.getOrder(ref);
      expect(order?.status, 'queried after cancel').toBe('CANCELED');
      expectDec(order?.executedQty, ZERO, 'nothing executed');
      const open = await h.port.getOpenOrders([h.tradableSymbol]);
      expect(
        open.map((o) => o.clientOrderId),
        'no longer open',
      ).not.toContain(request.clientOrderId);
      const after = balanceOf(await h.port.getBalances(), m.quote);
      expectDec(after.free, before.free, 'free funds restored');
      expectDec(after.locked, before.locked, 'held funds released');

      await expectRejected(h.port.cancelOrder(ref), 'not-found', 'second cancel');
    });

    it('an unknown client order id is undefined on query and not-found on cancel', async () => {
      const { h } = ctx();
      const ref = { symbol: h.tradableSymbol, clientOrderId: newClientOrderId() };
      expect(await h.port.getOrder(ref), 'unknown order').toBeUndefined();
      await expectRejected(h.port.cancelOrder(ref), 'not-found', 'cancel of an unknown order');
    });

    it('an IOC buy at the touch fills at once as taker at the ask; cancelling it afterwards is not-found', async () => {
      const { h, m } = ctx();
      const quantity = m.qtyAt(m.ask);
      const request = m.request({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price: m.ask, quantity });
      await h.port.placeOrder(request);
      const ref = { symbol: h.tradableSymbol, clientOrderId: request.clientOrderId };
      const order = await h.port.getOrder(ref);
      expect(order?.status, 'IOC at the touch').toBe('FILLED');
      expectDec(order?.cummulativeQuoteQty, quantity.times(m.ask), 'executed at the ask');
      const fills = (
        await h.port.getFills({
          symbol: h.tradableSymbol,
          startTime: order!.time - 60_000,
          endTime: order!.updateTime + 60_000,
        })
      ).filter((f) => f.orderId === order!.orderId);
      expect(
        fills.map((f) => f.isMaker),
        'one taker fill',
      ).toEqual([false]);
      expectFee(
        fills[0]!.commission,
        { value: fills[0]!.quoteQty, rate: m.rules.takerFee, rules: m.rules },
        'taker fee from the rules',
      );
      await expectRejected(h.port.cancelOrder(ref), 'not-found', 'cancel of a filled order');
    });

    it('an IOC sell at the touch fills at the bid; an IOC that cannot trade is CANCELED with funds untouched', async () => {
      const { h, m } = ctx();
      const sell = m.request({
        side: 'SELL',
        type: 'IMMEDIATE_OR_CANCEL',
        price: m.bid,
        quantity: m.qtyAt(m.bid),
      });
      await h.port.placeOrder(sell);
      const sold = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: sell.clientOrderId });
      expect(sold?.status, 'IOC sell at the bid').toBe('FILLED');

      const before = balanceOf(await h.port.getBalances(), m.quote);
      const price = m.ask.minus(m.ticks(1));
      const miss = m.request({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL', price, quantity: m.qtyAt(price) });
      await h.port.placeOrder(miss);
      const missed = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: miss.clientOrderId });
      expect(missed?.status, 'IOC below the ask').toBe('CANCELED');
      expectDec(missed?.executedQty, ZERO, 'nothing executed');
      const after = balanceOf(await h.port.getBalances(), m.quote);
      expectDec(after.free, before.free, 'free quote unchanged');
      expectDec(after.locked, before.locked, 'nothing held');
    });

    it('a MARKET buy fills at the ask where the rules allow MARKET, and is refused where they do not', async () => {
      const { h, m } = ctx();
      const request = m.request({ side: 'BUY', type: 'MARKET', quantity: m.qtyAt(m.ask) });
      if (!m.rules.orderTypes.includes('MARKET')) {
        await expectRejected(h.port.placeOrder(request), 'invalid-order', 'MARKET not in orderTypes');
        return;
      }
      await h.port.placeOrder(request);
      const order = await h.port.getOrder({ symbol: h.tradableSymbol, clientOrderId: request.clientOrderId });
      expect(order?.status, 'market buy with ample liquidity').toBe('FILLED');
      expectDec(order?.cummulativeQuoteQty, request.quantity.times(m.ask), 'executed at the ask');
    });

    it('refuses a price finer than the tick and a quantity finer than the step as invalid-order', async () => {
      const { h, m } = ctx();
      const price = m.bid.minus(m.ticks(5));
      const quantity = m.qtyAt(price);
      const finePrice = price.plus(m.rules.tickSize.div(10));
      const fineQty = quantity.plus(m.rules.stepSize.div(10));
      await expectRejected(
        h.port.placeOrder(m.request({ side: 'BUY', type: 'LIMIT', price: finePrice, quantity })),
        'invalid-order',
        `price ${toWire(finePrice)} at tick ${toWire(m.rules.tickSize)}`,
      );
      await expectRejected(
        h.port.placeOrder(m.request({ side: 'BUY', type: 'LIMIT', price, quantity: fineQty })),
        'invalid-order',
        `quantity ${toWire(fineQty)} at step ${toWire(m.rules.stepSize)}`,
      );
    });

    it('accepts every order prepareOrder produces from awkward amounts', async () => {
      const { h, m } = ctx();
      const unit = m.qtyAt(m.bid).times(m.bid);
      const drafts = [
        {
          side: 'BUY',
          type: 'LIMIT_MAKER',
          price: m.bid.times('0.9731234567891'),
          quoteAmount: unit.times('1.2345678911'),
        },
        {
          side: 'BUY',
          type: 'LIMIT',
          price: m.bid.times('0.99999999999'),
          quoteAmount: unit.times('2.71828182845'),
        },
        {
          side: 'SELL',
          type: 'LIMIT_MAKER',
          price: m.ask.times('1.0312345678901'),
          quoteAmount: unit.times('1.41421356237'),
        },
        {
          side: 'SELL',
          type: 'LIMIT',
          price: m.ask.times('1.00000000001'),
          quantity: m.qtyAt(m.ask).times('1.123456789123'),
        },
        {
          side: 'BUY',
          type: 'IMMEDIATE_OR_CANCEL',
          price: m.ask.times('1.0000000001'),
          quoteAmount: unit.times('1.7320508'),
        },
      ] as const;
      for (const draft of drafts) {
        const prepared = prepareOrder(draft, m.rules);
        if (!prepared.ok) expect.fail(`prepareOrder refused ${draft.side} ${draft.type}: ${prepared.reason}`);
        const request = m.request({
          side: prepared.side,
          type: prepared.type,
          price: prepared.price,
          quantity: prepared.quantity,
        });
        await h.port.placeOrder(request);
        const ref = { symbol: h.tradableSymbol, clientOrderId: request.clientOrderId };
        const order = await h.port.getOrder(ref);
        expectDec(order?.origQty, prepared.quantity, `${draft.side} ${draft.type} accepted as prepared`);
        if (order && (order.status === 'NEW' || order.status === 'PARTIALLY_FILLED'))
          await h.port.cancelOrder(ref);
      }
    });

    it('refuses an order below the minimum notional as invalid-order', async () => {
      const { h, m } = ctx();
      const price = m.bid.minus(m.ticks(5));
      const half = quantize(m.rules.minNotional.div(price).div(2), m.rules.stepSize, 'down');
      const quantity = half.isZero() ? m.rules.stepSize : half;
      expect(quantity.times(price).lt(m.rules.minNotional), 'test order is below the minimum').toBe(true);
      await expectRejected(
        h.port.placeOrder(m.request({ side: 'BUY', type: 'LIMIT', price, quantity })),
        'invalid-order',
        `value ${toWire(quantity.times(price))} below ${toWire(m.rules.minNotional)}`,
      );
    });

    it('refuses an order on a symbol that is not API-tradable as not-tradable', async () => {
      const { h } = ctx();
      const rules = (await h.port.getRules()).get(h.untradableSymbol)!;
      const price = rules.tickSize.gt(1) ? rules.tickSize : dec(1);
      const quantity = maxDec(
        quantize(rules.minNotional.times(3).div(price).plus(rules.minQty), rules.stepSize, 'up'),
        rules.stepSize,
      );
      await expectRejected(
        h.port.placeOrder({
          symbol: h.untradableSymbol,
          side: 'BUY',
          type: 'LIMIT',
          price,
          quantity,
          clientOrderId: newClientOrderId(),
        }),
        'not-tradable',
        h.untradableSymbol,
      );
    });

    registerFillAndFundsContract(ctx);
  });
}
