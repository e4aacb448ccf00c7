import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError } from '../../src/domain/errors.js';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { harness, type Harness } from '../helpers/executionHarness.js';

const buy = (over: Partial<OrderIntent> = {}): OrderIntent => ({
  kind: 'order',
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  side: 'BUY',
  type: 'LIMIT_MAKER',
  price: dec('60000'),
  quoteAmount: dec('20'),
  reason: 'test buy',
  ...over,
});

const sell = (over: Partial<OrderIntent> = {}): OrderIntent => ({
  kind: 'order',
  origin: 'take-profit',
  symbol: 'BTCUSDC',
  side: 'SELL',
  type: 'LIMIT',
  price: dec('60500'),
  quantity: dec('0.001'),
  reason: 'test sell',
  ...over,
});

let h: Harness;
afterEach(() => h?.db.close());

describe('OrderExecutor.execute: placing', () => {
  it('writes the order row as PENDING before the exchange sees the request, then marks it NEW', async () => {
    h = harness();
    const seen: string[] = [];
    h.exchange.onPlace = (request) => {
      const row = h.orders.get(request.clientOrderId);
      seen.push(row ? row.status : 'missing');
    };
    const result = await h.executor.execute(buy());
    expect(seen, 'the row exists, PENDING, when placeOrder runs').toEqual(['PENDING']);
    expect(result.status).toBe('placed');
    if (result.status !== 'placed') return;
    expect(result.order.status).toBe('NEW');
    expect(result.order.exchangeOrderId, 'exchange id stored from the ack').toMatch(/^C01__/);
    expect(result.order.clientOrderId).toMatch(/^apac_/);
    expect(h.of('order.placed')).toHaveLength(1);
  });

  it('rounds quantity down and a buy price down to the rules before sending', async () => {
    h = harness();
    const result = await h.executor.execute(buy({ price: dec('60000.019'), quoteAmount: dec('20') }));
    expect(result.status).toBe('placed');
    const sent = h.exchange.placeCalls[0]!;
    expect(sent.price!.toFixed(), 'buy price rounds down to the 0.01 tick').toBe('60000.01');
    expect(sent.quantity.toFixed(), 'quantity rounds down to the 0.000001 step').toBe('0.000333');
  });

  it('refuses an order the rules cannot accept, with the reason, and sends nothing', async () => {
    h = harness();
    const result = await h.executor.execute(buy({ quoteAmount: dec('0.5') }));
    expect(result).toMatchObject({ status: 'refused', code: 'rules' });
    if (result.status === 'refused') expect(result.reason).toMatch(/below the minimum 1/);
    expect(h.exchange.placeCalls, 'nothing sent').toHaveLength(0);
    expect(h.orders.listNonFinal(), 'nothing persisted').toHaveLength(0);
  });

  it('refuses excluded symbols and strategy orders of a paused strategy', async () => {
    h = harness({ executor: { isPaused: (origin) => origin === 'accumulate' } });
    expect(await h.executor.execute(buy())).toMatchObject({ status: 'refused', code: 'paused' });
    expect(
      await h.executor.execute(buy({ origin: 'manual' })),
      'manual orders ignore strategy pauses',
    ).toMatchObject({
      status: 'placed',
    });
    h.settings.set('exclusions', 'BTCUSDC', 'owner');
    expect(await h.executor.execute(buy({ origin: 'manual' }))).toMatchObject({
      status: 'refused',
      code: 'blocked',
    });
  });

  it('refuses orders of a strategy switched off (/pause <strategy>), re-priced ones included', async () => {
    h = harness();
    h.settings.set('take-profit.enabled', 'off', 'owner');
    const refused = await h.executor.execute(sell({ price: dec('60500') }));
    expect(refused).toMatchObject({ status: 'refused', code: 'paused' });
    if (refused.status === 'refused')
      expect(refused.reason).toBe('take-profit is switched off (take-profit.enabled off)');
    expect(await h.executor.execute(buy()), 'other strategies still trade').toMatchObject({
      status: 'placed',
    });
  });
});

describe('OrderExecutor.execute: reserve with open buy orders counted', () => {
  it('refuses a buy that dips below reserve.usdc only because of an open order, with the numbers, reported once per hour', async () => {
    h = harness({ balances: { USDC: '1000', USDT: '0' } });
    // An open buy the exchange has not locked funds for (sent, outcome unknown): 100 USDC remaining.
    h.exchange.placeScripts.push({ kind: 'timeout-unsent' });
    const first = await h.executor.execute(buy({ price: dec('50000'), quoteAmount: dec('100') }));
    expect(first.status, 'the first order stays unknown').toBe('unknown');
    expect(h.exchange.balance('USDC').free.toFixed(), 'free USDC unchanged').toBe('1000');

    // 1000 free − 100 open − 50 reserve = 850 < 900: refused only because the open order is counted.
    const refused = await h.executor.execute(buy({ price: dec('50000'), quoteAmount: dec('900') }));
    expect(refused).toMatchObject({ status: 'refused', code: 'reserve' });
    if (refused.status !== 'refused') return;
    expect(refused.reserve?.free.toFixed()).toBe('1000');
    expect(refused.reserve?.openBuys.toFixed()).toBe('100');
    expect(refused.reserve?.reserve.toFixed()).toBe('50');
    expect(refused.reserve?.headroom.toFixed()).toBe('850');
    expect(refused.reason, 'message carries the numbers').toMatch(
      /free 1,000, open buy orders 100, headroom 850\)/,
    );
    expect(refused.reason).toMatch(/reserve of 50 USDC/);

    const reports = () => h.of('order.refused').filter((e) => e.code === 'reserve');
    expect(reports(), 'reported to chat').toHaveLength(1);
    await h.executor.execute(buy({ price: dec('50000'), quoteAmount: dec('900') }));
    h.clock.advance(59 * 60_000);
    await h.executor.execute(buy({ price: dec('50000'), quoteAmount: dec('900') }));
    expect(reports(), 'not again within the hour').toHaveLength(1);
    h.clock.advance(60_001);
    await h.executor.execute(buy({ price: dec('50000'), quoteAmount: dec('900') }));
    expect(reports(), 'again after an hour').toHaveLength(2);

    const fits = await h.executor.execute(buy({ price: dec('50000'), quoteAmount: dec('800') }));
    expect(fits.status, 'a buy within the headroom goes through').toBe('placed');
  });

  it('counts the fee a taker buy may pay: a buy of exactly the headroom is refused, a maker buy is not', async () => {
    // 1000 free − 50.08 reserve = 949.92 of headroom; 0.015832 BTC at 60 000 is exactly 949.92 USDC.
    h = harness({ balances: { USDC: '1000', USDT: '0' } });
    const taker = buy({
      type: 'IMMEDIATE_OR_CANCEL',
      price: dec('60000'),
      quantity: dec('0.015832'),
      quoteAmount: undefined,
    });
    h.settings.set('reserve.usdc', '50.08', 'owner');
    const refused = await h.executor.execute(taker);
    expect(refused, '949.92 + 0.47496 taker fee > 949.92 headroom').toMatchObject({
      status: 'refused',
      code: 'reserve',
    });
    if (refused.status === 'refused') {
      expect(refused.reserve?.notional.toFixed(), 'notional plus the 0.05 % taker fee').toBe('950.39496');
      expect(refused.reason).toMatch(/for 950\.395 USDC with fees would leave/);
    }
    const maker = await h.executor.execute({ ...taker, type: 'LIMIT_MAKER', price: dec('59000') });
    expect(maker.status, 'a maker buy pays the maker fee (0 here)').toBe('placed');
  });

  it('uses reserve.usdt for USDT pairs', async () => {
    h = harness({ balances: { USDC: '0', USDT: '30' } });
    h.settings.set('reserve.usdt', '25', 'owner');
    const result = await h.executor.execute(buy({ symbol: 'BTCUSDT', quoteAmount: dec('10') }));
    expect(result).toMatchObject({ status: 'refused', code: 'reserve' });
    if (result.status === 'refused') expect(result.reserve?.asset).toBe('USDT');
  });
});

describe('OrderExecutor.execute: reserve on sells that spend a reserved asset', () => {
  it('refuses selling USDC for USDT below reserve.usdc, but not selling BTC', async () => {
    h = harness({ balances: { USDC: '100', USDT: '0', BTC: '1' } });
    const usdcSell = sell({
      origin: 'split-balance',
      symbol: 'USDCUSDT',
      price: dec('1.0001'),
      quantity: dec('60'),
    });
    const refused = await h.executor.execute(usdcSell);
    expect(refused, '100 − 50 reserve < 60').toMatchObject({ status: 'refused', code: 'reserve' });
    if (refused.status === 'refused') expect(refused.reserve?.asset).toBe('USDC');
    expect(await h.executor.execute({ ...usdcSell, quantity: dec('50') })).toMatchObject({
      status: 'placed',
    });
    expect(await h.executor.execute(sell({ quantity: dec('0.5') }))).toMatchObject({ status: 'placed' });
  });
});

describe('OrderExecutor.execute: immediate orders', () => {
  it('settles an IOC buy at once: filled when it crosses, cancelled when it does not', async () => {
    h = harness();
    const crossing = await h.executor.execute(
      buy({
        origin: 'scanner',
        symbol: 'BTCUSDT',
        type: 'IMMEDIATE_OR_CANCEL',
        price: dec('60015'),
        quoteAmount: dec('30'),
      }),
    );
    expect(crossing.status).toBe('placed');
    if (crossing.status === 'placed') expect(crossing.order.status).toBe('FILLED');
    expect(h.of('order.filled')).toHaveLength(1);
    const resting = await h.executor.execute(
      buy({
        origin: 'scanner',
        symbol: 'BTCUSDT',
        type: 'IMMEDIATE_OR_CANCEL',
        price: dec('59000'),
        quoteAmount: dec('30'),
      }),
    );
    if (resting.status === 'placed') expect(resting.order.status).toBe('CANCELED');
    expect(h.orders.listNonFinal(), 'nothing left open').toHaveLength(0);
  });
});

describe('OrderExecutor.execute: not tradable', () => {
  it('blocks the symbol for 24 h after 10007 and raises a critical alert', async () => {
    h = harness();
    h.exchange.notTradable.add('PEPEUSDT');
    const intent = buy({
      origin: 'scanner',
      symbol: 'PEPEUSDT',
      type: 'LIMIT',
      price: dec('0.00001001'),
      quoteAmount: dec('10'),
    });
    const result = await h.executor.execute(intent);
    expect(result).toMatchObject({ status: 'failed', code: 'not-tradable' });
    if (result.status === 'failed') expect(result.order?.status).toBe('REJECTED');
    const block = h.blocks.get('PEPEUSDT', h.clock.now());
    expect(block?.until, 'blocked for 24 h').toBe(h.clock.now() + 24 * 3_600_000);
    const alerts = h.of('alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe('critical');
    expect(h.eventRepo.list({ type: 'alert' })).toHaveLength(1);

    h.exchange.notTradable.delete('PEPEUSDT');
    expect(await h.executor.execute(intent), 'refused while blocked').toMatchObject({
      status: 'refused',
      code: 'blocked',
    });
    expect(h.exchange.placeCalls).toHaveLength(1);
    h.clock.advance(24 * 3_600_000);
    expect(await h.executor.execute(intent), 'allowed after 24 h').toMatchObject({ status: 'placed' });
  });
});

describe('OrderExecutor.execute: never sell at a loss by accident', () => {
  it('refuses a sell whose rounded price is below minSellPrice, unless allowLoss', async () => {
    h = harness({ balances: { USDC: '0', BTC: '1' } });
    const low = sell({ price: dec('60500'), minSellPrice: dec('61000') });
    expect(await h.executor.execute(low)).toMatchObject({ status: 'refused', code: 'in-profit' });
    expect(h.exchange.placeCalls).toHaveLength(0);

    // 60999.991 rounds UP to 61000.00 for a sell, which meets the minimum.
    const rounded = await h.executor.execute(sell({ price: dec('60999.991'), minSellPrice: dec('61000') }));
    expect(rounded.status, 'checked on the rounded price').toBe('placed');

    const stopLoss = await h.executor.execute({ ...low, allowLoss: true });
    expect(stopLoss.status, 'owner-enabled loss allowed').toBe('placed');
  });
});

describe('OrderExecutor.execute: idempotent orders', () => {
  it('503 after the exchange accepted: UNKNOWN, then resolved by client id without a second placeOrder', async () => {
    h = harness();
    h.exchange.placeScripts.push({ kind: 'accept-then-503' });
    const result = await h.executor.execute(buy());
    expect(result.status).toBe('placed');
    if (result.status !== 'placed') return;
    expect(result.order.status, 'adopted from the exchange').toBe('NEW');
    expect(h.exchange.placeCalls, 'never sent again').toHaveLength(1);
    expect(h.of('order.unknown')).toHaveLength(1);
    expect(h.exchange.orderCount()).toBe(1);
  });

  it('−2013 right after create is not proof of absence: found on a later query', async () => {
    h = harness();
    h.exchange.placeScripts.push({ kind: 'accept-then-503' });
    h.exchange.hideNewOrdersFor = 2;
    const result = await h.executor.execute(buy());
    expect(result.status, 'found on the third query').toBe('placed');
    expect(h.exchange.getOrderCalls).toBe(3);
    expect(h.exchange.placeCalls).toHaveLength(1);
  });

  it('treats a thrown −2013 like "not found yet"', async () => {
    h = harness();
    h.exchange.placeScripts.push({ kind: 'accept-then-503' });
    h.exchange.hideNewOrdersFor = 1;
    h.exchange.notFoundThrows = true;
    const result = await h.executor.execute(buy());
    expect(result.status, 'found on the second query').toBe('placed');
    expect(h.exchange.placeCalls).toHaveLength(1);
  });

  it('stays UNKNOWN while not found, and tracking adopts it later without re-sending', async () => {
    h = harness();
    h.exchange.placeScripts.push({ kind: 'accept-then-503' });
    h.exchange.hideNewOrdersFor = 3;
    const result = await h.executor.execute(buy());
    expect(result.status).toBe('unknown');
    if (result.status !== 'unknown') return;
    h.clock.advance(5_000);
    const report = await h.executor.track();
    expect(report.checked).toBe(1);
    expect(h.orders.get(result.order.clientOrderId)?.status).toBe('NEW');
    expect(h.exchange.placeCalls).toHaveLength(1);
  });

  it('an unsent order never found beyond the grace period becomes LOST with an alert, and is still checked', async () => {
    h = harness();
    h.exchange.placeScripts.push({ kind: 'timeout-unsent' });
    const result = await h.executor.execute(buy());
    expect(result.status).toBe('unknown');
    if (result.status !== 'unknown') return;
    const cid = result.order.clientOrderId;
    await h.executor.track();
    expect(h.orders.get(cid)?.status, 'within the grace period: still unknown').toBe('UNKNOWN');
    h.clock.advance(61_000);
    await h.executor.track();
    expect(h.orders.get(cid)?.status).toBe('LOST');
    expect(h.of('alert').filter((a) => a.key === `order-lost:${cid}`)).toHaveLength(1);
    await h.executor.track();
    expect(h.of('alert'), 'alerted once').toHaveLength(1);
    expect(
      h.orders.listNonFinal().map((o) => o.clientOrderId),
      'still checked',
    ).toContain(cid);
    expect(h.exchange.placeCalls, 'never re-sent').toHaveLength(1);
  });

  it('a PENDING row left by a crash is adopted when the exchange has it, REJECTED when it never arrived', async () => {
    h = harness();
    const base = {
      origin: 'accumulate' as const,
      symbol: 'BTCUSDC',
      baseAsset: 'BTC',
      quoteAsset: 'USDC',
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      price: dec('60000'),
      quantity: dec('0.0003'),
      reason: 'crash test',
      createdAt: h.clock.now(),
    };
    h.orders.createPending({ ...base, clientOrderId: 'apac_sent' });
    h.orders.createPending({ ...base, clientOrderId: 'apac_unsent' });
    // Only the first reached the exchange before the crash.
    await h.exchange.placeOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT',
      price: dec('60000'),
      quantity: dec('0.0003'),
      clientOrderId: 'apac_sent',
    });
    const calls = h.exchange.placeCalls.length;
    await h.executor.track();
    expect(h.orders.get('apac_sent')?.status).toBe('NEW');
    h.clock.advance(60_000);
    await h.executor.track();
    await h.executor.track();
    expect(h.orders.get('apac_unsent')?.status, 'never reached the exchange').toBe('REJECTED');
    expect(h.exchange.placeCalls.length, 'nothing re-sent').toBe(calls);
  });

  it('announces a fill once, across repeated tracking and a restart', async () => {
    h = harness({
      executor: {
        fillsOf: async (o) =>
          h.exchange.getFills({ symbol: o.symbol, startTime: 0, endTime: Number.MAX_SAFE_INTEGER }),
      },
    });
    h.exchange.feeRate = dec('0.001');
    const result = await h.executor.execute(
      buy({ type: 'LIMIT', quantity: dec('0.002'), quoteAmount: undefined }),
    );
    if (result.status !== 'placed') throw new Error('not placed');
    const cid = result.order.clientOrderId;
    h.exchange.fill(cid, '0.0005', '59990');
    await h.executor.track();
    await h.executor.track();
    const fills = h.of('order.filled');
    expect(fills, 'one announcement for one partial fill').toHaveLength(1);
    expect(fills[0]!.qty.toFixed()).toBe('0.0005');
    expect(fills[0]!.avgPrice.toFixed()).toBe('59990');
    expect(fills[0]!.fee.toFixed(), 'fee from the fills').toBe('0.029995');
    expect(fills[0]!.partial).toBe(true);
    expect(fills[0]!.headroomAfter, 'headroom after the fill').toBeDefined();

    h.exchange.fill(cid, '0.0015', '60000');
    await h.executor.track();
    expect(h.of('order.filled')).toHaveLength(2);
    const last = h.of('order.filled')[1]!;
    expect(last.qty.toFixed(), 'only the new part').toBe('0.0015');
    expect(last.quoteQty.toFixed()).toBe('90');
    expect(last.partial).toBe(false);

    // A restart: a new executor over the same database announces nothing again.
    const again = harness({ db: h.db, clock: h.clock });
    await again.executor.track();
    expect(again.of('order.filled'), 'nothing re-announced after restart').toHaveLength(0);
    expect(h.orders.get(cid)?.status).toBe('FILLED');
  });

  it('records the fills of a symbol before the order row shows them filled (cooldowns read fills)', async () => {
    const seen: string[] = [];
    h = harness({
      executor: {
        recordFills: async (symbol) => {
          const rows = h.orders.listNonFinal().filter((o) => o.symbol === symbol);
          seen.push(`${symbol}: ${rows.map((o) => `${o.status} ${o.executedQty.toFixed()}`).join(', ')}`);
        },
      },
    });
    const result = await h.executor.execute(
      buy({ type: 'LIMIT', quantity: dec('0.002'), quoteAmount: undefined }),
    );
    if (result.status !== 'placed') throw new Error('not placed');
    await h.executor.track();
    expect(seen, 'nothing executed: nothing to record').toEqual([]);
    h.exchange.fill(result.order.clientOrderId, '0.002', '60000');
    await h.executor.track();
    expect(seen, 'called once, while the row still showed the order open and unfilled').toEqual([
      'BTCUSDC: NEW 0',
    ]);
    expect(h.orders.get(result.order.clientOrderId)?.status).toBe('FILLED');
  });

  it('a failing fill record does not stop the order update (the reconciliation syncs later)', async () => {
    h = harness({ executor: { recordFills: () => Promise.reject(new Error('myTrades down')) } });
    const result = await h.executor.execute(
      buy({ type: 'LIMIT', quantity: dec('0.002'), quoteAmount: undefined }),
    );
    if (result.status !== 'placed') throw new Error('not placed');
    h.exchange.fill(result.order.clientOrderId, '0.002', '60000');
    await h.executor.track();
    expect(h.orders.get(result.order.clientOrderId)?.status).toBe('FILLED');
    expect(h.of('order.filled')).toHaveLength(1);
  });

  it('passes realised PnL of a sell fill through the injected function', async () => {
    h = harness({
      balances: { USDC: '0', BTC: '1' },
      executor: { realisedPnl: ({ quoteQty }) => ({ pnl: quoteQty.minus('50'), asset: 'USDC' }) },
    });
    const result = await h.executor.execute(sell({ quantity: dec('0.001') }));
    if (result.status !== 'placed') throw new Error('not placed');
    h.exchange.fill(result.order.clientOrderId, '0.001');
    await h.executor.track();
    expect(h.of('order.filled')[0]!.realisedPnl?.toFixed()).toBe('10.5');
  });
});

describe('OrderExecutor.execute: exchange refusals', () => {
  it('insufficient funds → REJECTED with the reason and an event', async () => {
    h = harness({ balances: { USDC: '1000', BTC: '0' } });
    const result = await h.executor.execute(sell({ quantity: dec('0.5') }));
    expect(result).toMatchObject({ status: 'failed', code: 'insufficient-funds' });
    if (result.status === 'failed') expect(result.order?.status).toBe('REJECTED');
    expect(h.of('order.refused')[0]?.code).toBe('exchange');
  });

  it('an invalid-order answer refreshes the rules', async () => {
    h = harness();
    h.exchange.placeScripts.push({
      kind: 'reject',
      error: new ExchangeError('too many decimals', { kind: 'invalid-order', code: 10096 }),
    });
    const result = await h.executor.execute(buy());
    expect(result).toMatchObject({ status: 'failed', code: 'invalid-order' });
    expect(h.exchange.refreshRulesCalls).toBe(1);
  });
});
