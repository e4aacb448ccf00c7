import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/persistence/db.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

let db: Db;
afterEach(() => db?.close());

function insertFill(tradeId: string, time: number, side: 'BUY' | 'SELL', quoteQty: string): void {
  db.prepare(
    `INSERT INTO fills (symbol, trade_id, order_id, base_asset, quote_asset, side, price, qty, quote_qty,
       commission, commission_asset, is_maker, time, recorded_at)
     VALUES ('BTCUSDC', ?, 'o1', 'BTC', 'USDC', ?, '60000', '0.001', ?, '0', 'USDC', 0, ?, ?)`,
  ).run(tradeId, side, quoteQty, time, time);
}

describe('FillRepository.tradeMarkers', () => {
  it('returns the window fills oldest first with decimal values, newest kept past the limit', () => {
    db = testDb();
    insertFill('1', 1_000, 'BUY', '60');
    insertFill('2', 2_000, 'SELL', '61.5');
    insertFill('3', 3_000, 'BUY', '59.25');
    insertFill('4', 9_000, 'BUY', '1');
    const fills = new FillRepository({ db, clock: new ManualClock(10_000), assetsOf: () => undefined });
    const trades = fills.tradeMarkers({ from: 1_500, to: 5_000 });
    expect(trades.map((t) => [t.time, t.side, t.value.toFixed()])).toEqual([
      [2_000, 'SELL', '61.5'],
      [3_000, 'BUY', '59.25'],
    ]);
    expect(
      fills.tradeMarkers({ from: 0, to: 10_000, limit: 2 }).map((t) => t.time),
      'newest two',
    ).toEqual([3_000, 9_000]);
  });
});
