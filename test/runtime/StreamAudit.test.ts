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
import { testDb } from '../helpers/testDb.js';

const T0 = Date.UTC(2026, 0, 5, 12);

/** The account stream's state as the audit follows it (the client's status, nothing else). */
class StreamState {
  status: StreamStatus = { name: 'user', state: 'connecting', sinceMs: T0 };
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
});
