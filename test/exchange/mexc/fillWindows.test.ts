import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/domain/market.js';
import { dec } from '../../../src/domain/money.js';
import { collectFillsInWindows } from '../../../src/exchange/mexc/fillWindows.js';

const fill = (tradeId: string, time: number, orderId = 'o'): Fill => ({
  symbol: 'BTCUSDC',
  tradeId,
  orderId,
  side: 'BUY',
  price: dec(1),
  qty: dec(1),
  quoteQty: dec(1),
  commission: dec(0),
  commissionAsset: 'USDC',
  time,
  isMaker: false,
});

/** An exchange page: inclusive bounds, optionally one order, the first `limit` rows by time. */
function pager(all: readonly Fill[], limit: number) {
  const windows: [number, number][] = [];
  const byOrder: string[] = [];
  const fetchWindow = async (start: number, end: number, orderId?: string) => {
    if (orderId === undefined) windows.push([start, end]);
    else byOrder.push(orderId);
    const fills = all
      .filter((f) => f.time >= start && f.time <= end && (orderId === undefined || f.orderId === orderId))
      .slice(0, limit);
    return { rows: fills.length, fills };
  };
  return { windows, byOrder, fetchWindow };
}

describe('collectFillsInWindows', () => {
  it('splits a full window in halves until every page is below the limit', async () => {
    const all = Array.from({ length: 25 }, (_, i) => fill(`t${i}`, 10_000 + i * 1_000));
    const { windows, fetchWindow } = pager(all, 10);
    const fills = await collectFillsInWindows({
      startTime: 0,
      endTime: 64_000,
      fetchWindow,
      pageLimit: 10,
      maxWindowMs: 64_000,
    });
    expect(fills.map((f) => f.tradeId)).toEqual(all.map((f) => f.tradeId));
    expect(windows[0], 'first the whole window').toEqual([0, 64_000]);
    expect(windows[1], 'then its first half').toEqual([0, 32_000]);
    const leaves = windows.filter(([s, e]) => all.filter((f) => f.time >= s && f.time <= e).length < 10);
    expect(leaves.length, 'accepted pages were below the limit').toBeGreaterThan(0);
  });

  it('walks forward in windows no longer than the maximum', async () => {
    const { windows, fetchWindow } = pager([], 100);
    await collectFillsInWindows({ startTime: 0, endTime: 250, fetchWindow, maxWindowMs: 100 });
    expect(windows).toEqual([
      [0, 100],
      [100, 200],
      [200, 250],
    ]);
  });

  it('dedupes a row seen at a shared boundary and keeps [start, end) only', async () => {
    const all = [fill('a', 100), fill('b', 0), fill('c', 250)];
    const { fetchWindow } = pager(all, 100);
    const fills = await collectFillsInWindows({ startTime: 0, endTime: 250, fetchWindow, maxWindowMs: 100 });
    expect(fills.map((f) => f.tradeId)).toEqual(['b', 'a']);
  });

  it('reads a window still full at minimum width order by order, known orders and those in the page', async () => {
    // 12 fills in one millisecond from three orders; only 'b' was known in advance, 'a' shows
    // in the first page, 'c' (not in the first page) only because the caller knows it.
    const all = [
      ...Array.from({ length: 4 }, (_, i) => fill(`a${i}`, 500, 'a')),
      ...Array.from({ length: 4 }, (_, i) => fill(`b${i}`, 500, 'b')),
      ...Array.from({ length: 4 }, (_, i) => fill(`c${i}`, 500, 'c')),
    ];
    const { fetchWindow, byOrder } = pager(all, 5);
    const fills = await collectFillsInWindows({
      startTime: 0,
      endTime: 4_000,
      fetchWindow,
      pageLimit: 5,
      minWindowMs: 1_000,
      orderIdsIn: (s, e) => (s <= 500 && e > 500 ? ['c'] : []),
    });
    expect(byOrder, 'each order read once').toEqual(['a', 'b', 'c']);
    expect(fills.map((f) => f.tradeId).sort()).toEqual(all.map((f) => f.tradeId).sort());
  });

  it('says so when even one order fills a whole page in the minimal window', async () => {
    const all = Array.from({ length: 5 }, (_, i) => fill(`same${i}`, 500));
    const { fetchWindow } = pager(all, 5);
    const warned: [number, number][] = [];
    const fills = await collectFillsInWindows({
      startTime: 0,
      endTime: 4_000,
      fetchWindow,
      pageLimit: 5,
      minWindowMs: 1_000,
      onFullMinimalWindow: (s, e) => warned.push([s, e]),
    });
    expect(fills).toHaveLength(5);
    expect(warned).toEqual([[0, 1_000]]);
  });

  it('stops with an error after maxRequests', async () => {
    const { fetchWindow } = pager([], 100);
    await expect(
      collectFillsInWindows({ startTime: 0, endTime: 1_000, fetchWindow, maxWindowMs: 100, maxRequests: 3 }),
    ).rejects.toMatchObject({
      kind: 'temporary',
    });
  });
});
