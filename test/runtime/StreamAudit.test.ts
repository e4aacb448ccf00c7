/**
 * The stream audit: fills and final order states that REST recorded inside a live stretch of the
 * account stream but the stream never delivered are reported once; what happened near the edges
 * of a stretch or during a break is REST's job and not reported. The orders case goes through the
 * real order tracker against the simulator over HTTP, on a manual clock.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/domain/events.js';
import type { Fill } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import type { StreamStatus } from '../../src/exchange/stream/streamTypes.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { OrderRepository } from '../../src/persistence/OrderRepository.js';
import { ManualClock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';
import { StreamAudit } from '../../src/runtime/StreamAudit.js';
import { OrderTracker } from '../../src/execution/OrderTracker.js';
import { executionOver } from '../helpers/simulatorExecution.js';
import { useSimHarness } from '../helpers/simulatorHarness.js';
import { testDb } from '../helpers/testDb.js';

const startHarness = useSimHarness();

const T0 = Date.UTC(2026, 0, 5, 12);

/** The account stream's state as the audit follows it (the client's status, nothing else). */
class StreamState {
  status: StreamStatus;
  constructor(at = T0) {
    this.status = { name: 'user', state: 'connecting', sinceMs: at };
  }
  readonly #listeners = new Set<(s: StreamStatus) => void>();
  set(state: StreamStatus['state'], at: number): void {
    this.status = { name: 'user', state, sinceMs: at };
    for (const fn of this.#listeners) fn(this.status);
  }
  onStatus(fn: (s: StreamStatus) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}

function fill(tradeId: string, time: number): Fill {
  return {
    symbol: 'BTCUSDC',
    tradeId,
    orderId: `o-${tradeId}`,
    side: 'BUY',
    price: dec(60_000),
    qty: dec('0.001'),
    quoteQty: dec(60),
    commission: dec('0.06'),
    commissionAsset: 'USDC',
    time,
    isMaker: true,
  };
}

describe('StreamAudit', () => {
  it('reports, once, a fill REST recorded inside a live stretch that the stream never delivered', () => {
    const clock = new ManualClock(T0);
    const db = testDb();
    const fills = new FillRepository({
      db,
      clock,
      assetsOf: () => ({ base: 'BTC', quote: 'USDC' }),
    });
    const stream = new StreamState();
    const events: AuditEntry[] = [];
    const audit = new StreamAudit({
      stream: { status: () => stream.status, onStatus: (fn) => stream.onStatus(fn) },
      clock,
      fills,
      orders: new OrderRepository(db),
      events: { audit: (e) => events.push(e) },
      logger: silentLogger(),
      marginMs: 10_000,
    });
    stream.set('live', T0);
    clock.set(T0 + 120_000);
    audit.sawDeal('BTCUSDC', 'delivered');
    fills.insertFills([
      fill('delivered', T0 + 60_000), // the stream brought it
      fill('missed', T0 + 61_000), // only REST has it
      fill('edge', T0 + 5_000), // too close to the stretch's start to judge
      fill('before', T0 - 60_000), // before the stream was live
    ]);
    const report = audit.check(T0 - 3_600_000);
    expect(report.missedFills, 'only the fill the stream should have brought').toEqual(['BTCUSDC#missed']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'stream.missed', severity: 'warning' });
    expect(events[0]!.message).toContain('BTCUSDC#missed');

    expect(audit.check(T0 - 3_600_000).missedFills, 'reported once').toEqual([]);

    // A break: fills while the stream was down are REST's job, not misses.
    clock.set(T0 + 130_000);
    stream.set('down', T0 + 130_000);
    clock.set(T0 + 200_000);
    stream.set('live', T0 + 200_000);
    clock.set(T0 + 300_000);
    fills.insertFills([fill('during-break', T0 + 160_000), fill('after', T0 + 250_000)]);
    expect(audit.check(T0).missedFills).toEqual(['BTCUSDC#after']);
    expect(audit.isLive()).toBe(true);
  });

  it('reports, once, an order whose final state the REST tracking sweep found but the stream never delivered', async () => {
    const h = await startHarness();
    h.sim.market.setBookTop('BTCUSDC', { bid: '95000.00', ask: '95000.10' });
    const x = executionOver({ exchange: h.client, clock: h.clock });
    const stream = new StreamState(h.clock.now());
    const events: AuditEntry[] = [];
    const audit = new StreamAudit({
      stream: { status: () => stream.status, onStatus: (fn) => stream.onStatus(fn) },
      clock: h.clock,
      fills: new FillRepository({
        db: x.db,
        clock: h.clock,
        assetsOf: () => ({ base: 'BTC', quote: 'USDC' }),
      }),
      orders: x.orders,
      events: { audit: (e) => events.push(e) },
      logger: silentLogger(),
      marginMs: 10_000,
    });
    const liveAt = h.clock.now();
    stream.set('live', liveAt);
    h.time.advance(30_000);

    const buy = (price: string) =>
      x.executor.execute({
        kind: 'order',
        origin: 'accumulate',
        symbol: 'BTCUSDC',
        side: 'BUY',
        type: 'LIMIT',
        price: dec(price),
        quoteAmount: dec(20),
        reason: 'audit test',
      });
    const [delivered, missed] = [await buy('94000.00'), await buy('93900.00')];
    if (delivered.status !== 'placed' || missed.status !== 'placed') throw new Error('buys not resting');
    h.time.advance(5_000);
    // The market falls through both buys: the exchange fills them.
    h.sim.market.setBookTop('BTCUSDC', { bid: '93800.00', ask: '93800.10' });
    // The stream brought the first order's final state; the second's update was lost.
    audit.sawOrder(delivered.order.clientOrderId, 'FILLED');

    const tracker = new OrderTracker({
      clock: h.clock,
      events: x.publisher,
      exchange: h.client,
      executor: x.executor,
      locks: x.locks,
      logger: silentLogger(),
      orders: x.orders,
    });
    expect((await tracker.track()).filled, 'REST found both filled').toBe(2);
    expect(x.orders.get(missed.order.clientOrderId)?.status).toBe('FILLED');

    expect(audit.check(liveAt).missedOrders, 'final state within the margin of now: not judged yet').toEqual(
      [],
    );
    h.time.advance(30_000);
    const report = audit.check(liveAt);
    expect(report.missedOrders, 'only the order whose update the stream lost').toEqual([
      missed.order.clientOrderId,
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'stream.missed', severity: 'warning' });
    expect(events[0]!.message).toContain(missed.order.clientOrderId);
    expect(events[0]!.message).not.toContain(delivered.order.clientOrderId);
    expect(audit.check(liveAt).missedOrders, 'reported once').toEqual([]);
    x.db.close();
  });
});
