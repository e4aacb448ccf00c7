import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotEvent, OrderView } from '../../src/domain/events.js';
import { EventBus } from '../../src/domain/events.js';
import { dec } from '../../src/domain/money.js';
import { Notifier } from '../../src/notify/Notifier.js';
import { Outbox } from '../../src/notify/Outbox.js';
import { OutboxSender } from '../../src/notify/OutboxSender.js';
import { telegramSend } from '../../src/telegram/telegramSend.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';
import { createTestApp, type TestApp } from '../helpers/memoryCore.js';

const CHAT = 111;
let api: FakeBotApi;
let t: TestApp;
let outbox: Outbox;
let sender: OutboxSender;
let notifier: Notifier;
let bus: EventBus;

beforeEach(async () => {
  api = await new FakeBotApi().start();
  t = createTestApp();
  outbox = new Outbox(t.db, t.clock);
  sender = new OutboxSender({
    outbox,
    clock: t.clock,
    perChatIntervalMs: 0,
    sleep: async (ms) => t.clock.advance(ms),
    send: telegramSend(new Api(api.token, { apiRoot: api.apiRoot })),
  });
  notifier = new Notifier({
    outbox,
    db: t.db,
    settings: t.settings,
    chatIds: [CHAT],
    clock: t.clock,
    precisionOf: (symbol) => {
      const rules = t.core.symbols.get(symbol);
      return rules && { tickSize: rules.tickSize, stepSize: rules.stepSize };
    },
  });
  bus = new EventBus();
  notifier.attach(bus);
});
afterEach(async () => {
  await notifier.stop();
  await api.close();
});

const order: OrderView = {
  clientOrderId: 'ap-1',
  origin: 'take-profit',
  symbol: 'BTCUSDC',
  side: 'SELL',
  type: 'LIMIT',
  price: dec('66000'),
  quantity: dec('0.005'),
  reason: 'bid 3.4% above average cost after fees',
};
const fill: BotEvent = {
  type: 'order.filled',
  order,
  qty: dec('0.005'),
  avgPrice: dec('66012.5'),
  quoteQty: dec('330.0625'),
  fee: dec('0.330062'),
  feeAsset: 'USDC',
  realisedPnl: dec('9.87'),
  headroomAfter: dec('1230.4'),
  partial: false,
};
const alert = (key: string, message = `exchange down <${key}> & retrying`): BotEvent => ({
  type: 'alert',
  severity: 'warning',
  key,
  message,
});
const delivered = () => api.sent('sendMessage').map((c) => String(c.payload.text));

describe('Notifier', () => {
  it('reports a fill with symbol, side, quantity, price, value, fee, realised PnL, reserve and reason', async () => {
    bus.emit(fill);
    await sender.drain();
    const [text] = delivered();
    // BTCUSDC's step is 0.000001 and its tick 0.01 (the exchange's rules).
    expect(text).toMatch(/Sold 0\.005000 BTC/);
    expect(text).toMatch(/price 66,012\.50 · value 330\.06 USDC · fee 0\.33 USDC/);
    expect(text).toMatch(/realised <b>\+9\.87 USDC<\/b>/);
    expect(text).toMatch(/free USDC above reserve: 1,230\.40/);
    expect(text).toMatch(/<b>take-profit<\/b>: bid 3\.4% above average cost after fees/);
  });

  it('honours notify.fills and reports placed orders only in confirm mode', async () => {
    t.settings.set('notify.fills', 'off', 'test');
    bus.emit(fill);
    bus.emit({ type: 'order.placed', order });
    t.settings.set('take-profit.mode', 'confirm', 'test');
    bus.emit({ type: 'order.placed', order });
    await sender.drain();
    expect(delivered()).toHaveLength(1);
    expect(delivered()[0]).toMatch(/Order placed/);
  });

  it('deduplicates the same error for 30 minutes and then reports the count', async () => {
    for (let n = 0; n < 5; n++) {
      bus.emit(alert('mexc-5xx'));
      t.clock.advance(60_000);
    }
    bus.emit(alert('other'));
    await sender.drain();
    expect(delivered(), 'one per key').toHaveLength(2);
    expect(delivered()[0], 'escaped').toMatch(/exchange down &lt;mexc-5xx&gt; &amp; retrying/);
    t.clock.advance(26 * 60_000);
    await notifier.tick();
    await sender.drain();
    expect(delivered()[2]).toMatch(/Repeated 4× in the last 31m/);
    bus.emit(alert('mexc-5xx'));
    t.clock.advance(31 * 60_000);
    bus.emit(alert('mexc-5xx'));
    await sender.drain();
    expect(delivered()).toHaveLength(4);
    expect(delivered()[3], 'a repeat reported with the next occurrence').toMatch(/\+1 more like this/);
  });

  it('holds non-critical messages in quiet hours and releases one digest; critical ones go at once', async () => {
    t.settings.set('notify.quietHours', '23-07', 'test');
    t.clock.set(Date.UTC(2026, 0, 15, 23, 30));
    bus.emit(fill);
    bus.emit({ type: 'intent.notified', origin: 'scanner', summary: 'buy PEPEUSDT for 10 USDT' });
    bus.emit({
      type: 'alert',
      severity: 'critical',
      key: 'auth',
      message: 'MEXC rejected the API key: trading stopped',
    });
    bus.emit({
      type: 'order.refused',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      code: 'reserve',
      why: 'free USDC 40 < reserve 50',
    });
    await sender.drain();
    expect(delivered(), 'only the critical ones at night').toHaveLength(2);
    expect(delivered()[0]).toMatch(/API key/);
    expect(delivered()[1]).toMatch(/did not buy BTCUSDC.*spent the cash reserve, so nothing was placed/);
    t.clock.set(Date.UTC(2026, 0, 16, 6, 30));
    await notifier.tick();
    await sender.drain();
    expect(delivered(), 'still quiet at 06:30').toHaveLength(2);
    t.clock.set(Date.UTC(2026, 0, 16, 7, 1));
    await notifier.tick();
    await notifier.tick();
    await sender.drain();
    expect(delivered(), 'one digest').toHaveLength(3);
    expect(delivered()[2]).toMatch(/While quiet: 2 message\(s\)/);
    expect(delivered()[2]).toMatch(/Sold 0\.005000 BTC[\s\S]*scanner<\/b> would: buy PEPEUSDT/);
  });

  it('sends a proposed order with Confirm/Skip buttons at once, even in quiet hours', async () => {
    t.settings.set('notify.quietHours', '0-23', 'test');
    const c = t.confirmations.create({
      kind: 'order',
      payload: '{}',
      summary: 'BUY 0.001 ETH',
      ttlMs: 600_000,
    });
    bus.emit({
      type: 'intent.proposed',
      confirmationId: c.id,
      origin: 'accumulate',
      summary: 'BUY 0.001 ETHUSDC @ 3,100 — reserve after 880 USDC',
      expiresAt: c.expiresAt,
    });
    await sender.drain();
    const call = api.sent('sendMessage')[0]!;
    const kb = (
      call.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(kb.map((b) => b.callback_data)).toEqual([`c:y:${c.id}`, `c:n:${c.id}`]);
    expect(String(call.payload.text)).toMatch(/Expires in 10m/);
  });
});
