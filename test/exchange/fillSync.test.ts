import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../../src/domain/errors.js';
import type { Fill } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import type { ExchangePort, FillQuery } from '../../src/exchange/ExchangePort.js';
import { FILL_SYNC_OVERLAP_MS, type FillStore, syncFills } from '../../src/exchange/fillSync.js';
import { silentLogger } from '../../src/common/logger.js';

const NOW = Date.UTC(2026, 1, 1);
const DAY = 86_400_000;

class MemoryFillStore implements FillStore {
  readonly fills = new Map<string, Fill>();
  readonly cursors = new Map<string, number>();
  failInsert = false;
  insertFills(fills: readonly Fill[]): number {
    if (this.failInsert) throw new Error('disk full');
    let added = 0;
    for (const f of fills) {
      const key = `${f.symbol}|${f.tradeId}`;
      if (!this.fills.has(key)) {
        this.fills.set(key, f);
        added += 1;
      }
    }
    return added;
  }
  getSyncCursor(symbol: string): number | undefined {
    return this.cursors.get(symbol);
  }
  setSyncCursor(symbol: string, time: number): void {
    this.cursors.set(symbol, time);
  }
  botOrders(): [] {
    return [];
  }
}

const fill = (symbol: string, tradeId: string, time: number): Fill => ({
  symbol,
  tradeId,
  orderId: 'o1',
  side: 'BUY',
  price: dec('10'),
  qty: dec('1'),
  quoteQty: dec('10'),
  commission: dec('0'),
  commissionAsset: 'USDT',
  time,
  isMaker: true,
});

/** Only getFills is used by the sync; the rest must not be called. */
function fakeExchange(history: readonly Fill[], failures: Record<string, Error> = {}) {
  const queries: FillQuery[] = [];
  const unused = () => {
    throw new Error('not used by syncFills');
  };
  const exchange: ExchangePort = {
    name: 'fake',
    getRules: unused,
    refreshRules: unused,
    getTickers24h: unused,
    getBookTops: unused,
    getPrices: unused,
    getKlines: unused,
    getDepth: unused,
    getBalances: unused,
    placeOrder: unused,
    getOrder: unused,
    cancelOrder: unused,
    getOpenOrders: unused,
    exchangeTime: unused,
    getFills: async (q) => {
      queries.push({ symbol: q.symbol, startTime: q.startTime, endTime: q.endTime });
      const failure = failures[q.symbol];
      if (failure) throw failure;
      return history.filter((f) => f.symbol === q.symbol && f.time >= q.startTime && f.time < q.endTime);
    },
  };
  return { exchange, queries };
}

describe('syncFills', () => {
  it('first sync reads the last 30 days; the next one starts 15 min before the cursor and dedupes', async () => {
    const history = [
      fill('BTCUSDC', 'a', NOW - 40 * DAY),
      fill('BTCUSDC', 'b', NOW - 2 * DAY),
      fill('BTCUSDC', 'c', NOW - 1),
    ];
    const store = new MemoryFillStore();
    const { exchange, queries } = fakeExchange(history);

    const first = await syncFills({
      exchange,
      store,
      symbols: ['BTCUSDC'],
      now: NOW,
      logger: silentLogger(),
    });
    expect(queries[0]).toEqual({ symbol: 'BTCUSDC', startTime: NOW - 30 * DAY, endTime: NOW + 1 });
    expect(first).toEqual({ inserted: 2, bySymbol: { BTCUSDC: 2 }, failed: {} });
    expect(store.cursors.get('BTCUSDC')).toBe(NOW + 1);

    // A fill published late, stamped 2 minutes before the previous sync.
    const later = NOW + 3_600_000;
    const withLate = [...history, fill('BTCUSDC', 'late', NOW - 120_000), fill('BTCUSDC', 'd', later - 10)];
    const second = fakeExchange(withLate);
    const result = await syncFills({
      exchange: second.exchange,
      store,
      symbols: ['BTCUSDC'],
      now: later,
      logger: silentLogger(),
    });
    expect(second.queries[0]).toEqual({
      symbol: 'BTCUSDC',
      startTime: NOW + 1 - FILL_SYNC_OVERLAP_MS,
      endTime: later + 1,
    });
    expect(result.inserted, 'the late fill and the new one; "c" is not counted twice').toBe(2);
    expect(store.cursors.get('BTCUSDC')).toBe(later + 1);
  });

  it('records a fill stamped in the very millisecond of the sync (a paper fill settled just before)', async () => {
    const store = new MemoryFillStore();
    const { exchange } = fakeExchange([fill('BTCUSDC', 'now', NOW)]);
    const result = await syncFills({
      exchange,
      store,
      symbols: ['BTCUSDC'],
      now: NOW,
      logger: silentLogger(),
    });
    expect(result.inserted, 'the end of the port query is exclusive: the sync must end after now').toBe(1);
    const again = await syncFills({
      exchange,
      store,
      symbols: ['BTCUSDC'],
      now: NOW,
      logger: silentLogger(),
    });
    expect(again.inserted, 'recorded once').toBe(0);
  });

  it('never reads before the lookback, even from an old cursor', async () => {
    const store = new MemoryFillStore();
    store.setSyncCursor('ETHUSDC', NOW - 90 * DAY);
    const { exchange, queries } = fakeExchange([]);
    await syncFills({
      exchange,
      store,
      symbols: ['ETHUSDC'],
      now: NOW,
      lookbackMs: 7 * DAY,
      logger: silentLogger(),
    });
    expect(queries[0]!.startTime).toBe(NOW - 7 * DAY);
  });

  it('a failing symbol keeps its cursor and the others still sync', async () => {
    const store = new MemoryFillStore();
    store.setSyncCursor('BADUSDT', NOW - DAY);
    const { exchange } = fakeExchange([fill('BTCUSDC', 'x', NOW - 5)], {
      BADUSDT: new ExchangeError('GET /api/v3/myTrades: HTTP 503', { kind: 'temporary', httpStatus: 503 }),
    });
    const result = await syncFills({
      exchange,
      store,
      symbols: ['BADUSDT', 'BTCUSDC'],
      now: NOW,
      logger: silentLogger(),
    });
    expect(result).toEqual({
      inserted: 1,
      bySymbol: { BTCUSDC: 1 },
      failed: { BADUSDT: 'GET /api/v3/myTrades: HTTP 503' },
    });
    expect(store.cursors.get('BADUSDT'), 'cursor untouched').toBe(NOW - DAY);
  });

  it('does not advance the cursor when the insert fails', async () => {
    const store = new MemoryFillStore();
    store.failInsert = true;
    const { exchange } = fakeExchange([fill('BTCUSDC', 'x', NOW - 5)]);
    const result = await syncFills({
      exchange,
      store,
      symbols: ['BTCUSDC'],
      now: NOW,
      logger: silentLogger(),
    });
    expect(result.failed).toEqual({ BTCUSDC: 'disk full' });
    expect(store.cursors.has('BTCUSDC')).toBe(false);
  });

  it('auth and rate-limit failures stop the whole sync', async () => {
    const store = new MemoryFillStore();
    for (const kind of ['auth', 'rate-limited'] as const) {
      const { exchange, queries } = fakeExchange([], { A: new ExchangeError('no', { kind }) });
      await expect(
        syncFills({ exchange, store, symbols: ['A', 'B'], now: NOW, logger: silentLogger() }),
      ).rejects.toMatchObject({ kind });
      expect(
        queries.map((q) => q.symbol),
        'B is not attempted',
      ).toEqual(['A']);
    }
  });
});
