import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EventBus, type OrderView } from '../../src/domain/events.js';
import { dec } from '../../src/domain/money.js';
import { EventPublisher } from '../../src/execution/EventPublisher.js';
import { EventRepository } from '../../src/persistence/EventRepository.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

const order: OrderView = {
  clientOrderId: 'ap-1',
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  side: 'BUY',
  type: 'LIMIT',
  price: dec('60000'),
  quantity: dec('0.0005'),
  reason: 'test',
};

describe('EventPublisher logs money-relevant events', () => {
  it('an unknown order outcome is a warning in the log, written even when the database refuses the audit row', () => {
    const lines: { level: number; msg: string; event: string; symbol?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l) as never) });
    const db = testDb();
    const publisher = new EventPublisher({
      bus: new EventBus(),
      clock: new ManualClock(0),
      repo: new EventRepository(db),
      logger,
    });
    publisher.publish({ type: 'order.placed', order });
    publisher.publish({ type: 'order.unknown', order, why: 'timeout on placement' });
    publisher.publish({ type: 'alert', severity: 'critical', key: 'k', message: 'trading stopped: auth' });
    expect(lines.map((l) => [l.level, l.event])).toEqual([
      [40, 'order.unknown'],
      [50, 'alert'],
    ]);
    expect(lines[0]!.symbol).toBe('BTCUSDC');

    db.close();
    expect(() => publisher.publish({ type: 'order.unknown', order, why: 'again' })).toThrow();
    expect(lines).toHaveLength(3);
  });
});
