import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fill } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import { costAssetOf, makeToCostAsset } from '../../src/domain/portfolio/conversion.js';
import { positionsFromFills } from '../../src/domain/portfolio/positions.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/persistence/db.js';
import { migrate } from '../../src/persistence/migrate.js';
import { FillRepository, replayText } from '../../src/persistence/FillRepository.js';
import { ManualClock } from '../../src/common/clock.js';
import { T0 } from '../helpers/fills.js';
import { testDb } from '../helpers/testDb.js';

const RULES: Record<string, { base: string; quote: string }> = {
  BTCUSDC: { base: 'BTC', quote: 'USDC' },
  ETHUSDC: { base: 'ETH', quote: 'USDC' },
  SOLUSDT: { base: 'SOL', quote: 'USDT' },
};

function fill(overrides: Partial<Fill> & { tradeId: string }): Fill {
  return {
    symbol: 'BTCUSDC',
    orderId: `x${overrides.tradeId}`,
    side: 'BUY',
    price: dec('60000'),
    qty: dec('0.1'),
    quoteQty: dec('6000'),
    commission: dec('0'),
    commissionAsset: 'USDC',
    time: T0,
    isMaker: true,
    ...overrides,
  };
}

function addOrder(
  db: Db,
  o: { clientOrderId: string; exchangeOrderId?: string; origin: string; symbol?: string },
): void {
  db.prepare(
    `INSERT INTO orders (client_order_id, exchange_order_id, origin, symbol, side, type, quantity, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'BUY', 'LIMIT', '1', 'NEW', 0, 0)`,
  ).run(o.clientOrderId, o.exchangeOrderId ?? null, o.origin, o.symbol ?? 'BTCUSDC');
}

describe('FillRepository', () => {
  let db: Db;
  let clock: ManualClock;
  let repo: FillRepository;

  beforeEach(() => {
    db = testDb();
    clock = new ManualClock(T0 + 999);
    repo = new FillRepository({ db, clock, assetsOf: (s) => RULES[s] });
  });
  afterEach(() => db.close());

  it('reads every priced fill before a time once, oldest millisecond first, across pages', () => {
    // Three fills per millisecond, inserted newest first, so pages end inside a millisecond and
    // the table order is not the time order; every seventh fill stays unpriced.
    const fills = Array.from({ length: 4_500 }, (_, i) =>
      fill({ tradeId: String(i + 1), time: T0 + Math.floor(i / 3) }),
    ).reverse();
    repo.insertFills(fills);
    const priced = fills.filter((f) => Number(f.tradeId) % 7 !== 0);
    repo.recordPrices(
      priced.map((f) => ({
        symbol: f.symbol,
        tradeId: f.tradeId,
        prices: { usdcUsdt: dec('0.9995'), source: 'kline' as const },
      })),
    );
    const until = T0 + 1_400;
    const reading = repo.pricedFillsBefore(until);
    expect([reading.count, reading.lastTime], 'nothing read yet').toEqual([0, undefined]);
    const read = [...reading];
    expect([reading.count, reading.lastTime], "rows read and the last one's time").toEqual([
      read.length,
      until - 1,
    ]);
    expect(() => [...reading], 'read once: a second reading fails instead of yielding nothing').toThrow(
      /read once/,
    );
    const times = read.map((f) => f.time);
    expect(times, 'oldest millisecond first').toEqual([...times].sort((a, b) => a - b));
    expect(read.map((f) => f.tradeId).sort(), 'each priced fill before the time, once').toEqual(
      priced
        .filter((f) => f.time < until)
        .map((f) => f.tradeId)
        .sort(),
    );
    expect(read[0]!.qty?.toFixed(), 'amounts read').toBe('0.1');
    expect(read[0]!.prices?.usdcUsdt?.toFixed(), 'prices read').toBe('0.9995');
  });

  it('maps the database file only while the replay reads it, however the reading ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autopilot-fills-'));
    const file = openDatabase(join(dir, 'fills.db'));
    try {
      migrate(file);
      const onFile = new FillRepository({ db: file, clock, assetsOf: (s) => RULES[s] });
      const fills = Array.from({ length: 250 }, (_, i) => fill({ tradeId: String(i + 1), time: T0 + i }));
      onFile.insertFills(fills);
      onFile.recordPrices(
        fills.map((f) => ({
          symbol: f.symbol,
          tradeId: f.tradeId,
          prices: { usdcUsdt: dec('1'), source: 'kline' as const },
        })),
      );
      const mapped = (): number => file.pragma('mmap_size', { simple: true }) as number;
      expect(mapped(), 'not mapped before').toBe(0);
      let whileReading = 0;
      let n = 0;
      for (const f of onFile.pricedFillsBefore(undefined)) {
        if (n++ === 120) whileReading = mapped();
        expect(f.qty?.toFixed()).toBe('0.1');
      }
      expect(n, 'every fill, across pages').toBe(250);
      expect(whileReading, 'mapped while reading').toBeGreaterThan(0);
      expect(mapped(), 'unmapped after the last page').toBe(0);
      for (const f of onFile.pricedFillsBefore(undefined)) if (f.tradeId === '5') break;
      expect(mapped(), 'unmapped when the reader stops early').toBe(0);
      expect(() => {
        for (const f of onFile.pricedFillsBefore(undefined)) if (f.tradeId === '7') throw new Error('stop');
      }).toThrow('stop');
      expect(mapped(), 'unmapped when the reader throws').toBe(0);
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads what the replay needs of each priced fill, whatever the symbol, fee asset or prices', () => {
    const odd = new FillRepository({
      db,
      clock,
      assetsOf: (s) => (s === 'WBTCUSDT' ? { base: 'BTC.W', quote: 'USDT' } : RULES[s]),
    });
    odd.insertFills([
      fill({ tradeId: '1', time: T0 + 1 }),
      fill({
        tradeId: '2',
        time: T0 + 2,
        symbol: 'WBTCUSDT',
        commission: dec('0.01'),
        commissionAsset: 'MX',
      }),
      fill({
        tradeId: '3',
        time: T0 + 3,
        symbol: 'SOLUSDT',
        price: dec('150.5'),
        qty: dec('2'),
        quoteQty: dec('301'),
      }),
      fill({ tradeId: '4', time: T0 + 4, symbol: 'SOLUSDT' }),
      fill({ tradeId: '5', time: T0 + 5, symbol: 'SOLUSDT', qty: dec('12345678901234567.123456789') }),
    ]);
    odd.recordPrices([
      { symbol: 'BTCUSDC', tradeId: '1', prices: { usdcUsdt: dec('0.9995'), source: 'book' } },
      {
        symbol: 'WBTCUSDT',
        tradeId: '2',
        prices: { usdcUsdt: dec('0.9995'), feePrice: dec('2.5'), feeQuote: 'USDT', source: 'kline' },
      },
      { symbol: 'SOLUSDT', tradeId: '3', prices: { source: 'kline' } },
      { symbol: 'SOLUSDT', tradeId: '4', prices: { usdcUsdt: dec('1.001'), source: 'kline' } },
      { symbol: 'SOLUSDT', tradeId: '5', prices: { usdcUsdt: dec('1.001'), source: 'kline' } },
    ]);
    // A stored amount that is not a number, with the separator the replay splits on in it.
    db.prepare(`UPDATE fills SET price = '1,5' WHERE trade_id = '4'`).run();
    const read = [...odd.pricedFillsBefore(undefined)];
    const row = (f: (typeof read)[number]) => ({
      symbol: f.symbol,
      base: f.baseAsset,
      quote: f.quoteAsset,
      side: f.side,
      amounts: [f.price, f.qty, f.quoteQty, f.commission].map((a) => a?.toFixed()),
      fee: f.commissionAsset,
      prices: [f.prices?.usdcUsdt?.toFixed(), f.prices?.feePrice?.toFixed(), f.prices?.feeQuote],
    });
    expect(read.map(row)).toEqual([
      {
        symbol: 'BTCUSDC',
        base: 'BTC',
        quote: 'USDC',
        side: 'BUY',
        amounts: ['60000', '0.1', '6000', '0'],
        fee: 'USDC',
        prices: ['0.9995', undefined, undefined],
      },
      {
        symbol: 'WBTCUSDT',
        base: 'BTC.W',
        quote: 'USDT',
        side: 'BUY',
        amounts: ['60000', '0.1', '6000', '0.01'],
        fee: 'MX',
        prices: ['0.9995', '2.5', 'USDT'],
      },
      {
        symbol: 'SOLUSDT',
        base: 'SOL',
        quote: 'USDT',
        side: 'BUY',
        amounts: ['150.5', '2', '301', '0'],
        fee: 'USDC',
        prices: [undefined, undefined, undefined],
      },
      {
        symbol: 'SOLUSDT',
        base: 'SOL',
        quote: 'USDT',
        side: 'BUY',
        amounts: [undefined, undefined, undefined, undefined],
        fee: 'USDC',
        prices: ['1.001', undefined, undefined],
      },
      {
        symbol: 'SOLUSDT',
        base: 'SOL',
        quote: 'USDT',
        side: 'BUY',
        amounts: ['60000', '12345678901234567.123456789', '6000', '0'],
        fee: 'USDC',
        prices: ['1.001', undefined, undefined],
      },
    ]);
    // What the replay read is the stored column, which SQLite keeps to the layout the repository
    // reads: the same text as built from the row's columns, for every row (prices recorded after
    // the insert and an amount changed afterwards included).
    const texts = db
      .prepare<[], { stored: string; built: string }>(
        `SELECT time || char(31) || rowid || char(31) || replay AS stored, ${replayText((c) => c)} AS built FROM fills`,
      )
      .all();
    expect(texts).toHaveLength(5);
    for (const { stored, built } of texts) expect(stored).toBe(built);
  });

  it('reads a damaged row with the separator its stored texts hold replaced (an amount stays unreadable), and an empty fee asset as empty', () => {
    repo.insertFills([
      fill({ tradeId: '1', time: T0 + 1 }),
      fill({ tradeId: '2', time: T0 + 2, commission: dec('0.5') }),
      fill({ tradeId: '3', time: T0 + 3 }),
    ]);
    repo.recordPrices(
      ['1', '2', '3'].map((tradeId) => ({
        symbol: 'BTCUSDC',
        tradeId,
        prices: { usdcUsdt: dec('0.9995'), source: 'book' as const },
      })),
    );
    // The replay reads each row as one text whose fields are separated by char(31).
    db.prepare(
      `UPDATE fills SET order_id = 'o' || char(31) || 'x', qty = '0.1' || char(31) WHERE trade_id = '1'`,
    ).run();
    db.prepare(`UPDATE fills SET commission_asset = '' WHERE trade_id = '2'`).run();
    const read = [...repo.pricedFillsBefore(undefined)];
    expect(
      read.map((f) => [
        f.tradeId,
        f.orderId,
        f.qty?.toFixed(),
        f.commissionAsset,
        f.prices?.usdcUsdt?.toFixed(),
      ]),
    ).toEqual([
      // Its amount with the separator is no number: the replay skips the row, as any unreadable amount.
      ['1', 'o\ufffdx', undefined, 'USDC', '0.9995'],
      ['2', 'x2', '0.1', '', '0.9995'],
      ['3', 'x3', '0.1', 'USDC', '0.9995'],
    ]);
  });

  it('records each (symbol, trade id) once and counts only new rows', () => {
    expect(repo.insertFills([fill({ tradeId: '1' }), fill({ tradeId: '2' })]), 'two new').toBe(2);
    expect(repo.insertFills([fill({ tradeId: '2' }), fill({ tradeId: '3' })]), 'one repeated, one new').toBe(
      1,
    );
    expect(
      repo.insertFills([fill({ tradeId: '1', symbol: 'ETHUSDC' })]),
      'same id on another symbol is new',
    ).toBe(1);
    expect(
      repo.insertFills([fill({ tradeId: '9' }), fill({ tradeId: '9' })]),
      'duplicates inside one batch',
    ).toBe(1);
    expect(repo.listFills()).toHaveLength(5);
    expect(repo.insertFills([]), 'empty batch').toBe(0);
  });

  it('keeps decimals exact through TEXT', () => {
    const awkward = fill({
      tradeId: '1',
      price: dec('0.000000012345678901234567'),
      qty: dec('123456789012.123456789'),
      quoteQty: dec('1524.157875171467764060356'),
      commission: dec('0.00000000000000000001'),
      commissionAsset: 'MX',
    });
    repo.insertFills([awkward]);
    const [back] = repo.listFills();
    for (const key of ['price', 'qty', 'quoteQty', 'commission'] as const) {
      expect(back![key].equals(awkward[key]), `${key} round-trips`).toBe(true);
    }
    const raw = db.prepare('SELECT price, commission FROM fills').get() as {
      price: string;
      commission: string;
    };
    expect(raw, 'stored as plain text, no exponent').toEqual({
      price: '0.000000012345678901234567',
      commission: '0.00000000000000000001',
    });
    expect(back).toMatchObject({ baseAsset: 'BTC', quoteAsset: 'USDC', isMaker: true, recordedAt: T0 + 999 });
  });

  it('attributes fills to the order by client order id, else by exchange order id; others stay foreign', () => {
    addOrder(db, { clientOrderId: 'ap-1', origin: 'accumulate' });
    addOrder(db, { clientOrderId: 'ap-2', exchangeOrderId: 'E2', origin: 'take-profit' });
    addOrder(db, { clientOrderId: 'ap-3', exchangeOrderId: 'E3', origin: 'manual', symbol: 'ETHUSDC' });
    repo.insertFills([
      fill({ tradeId: '1', clientOrderId: 'ap-1', time: T0 + 1 }),
      fill({ tradeId: '2', orderId: 'E2', time: T0 + 2 }),
      fill({ tradeId: '3', orderId: 'E3', time: T0 + 3 }), // same exchange id, other symbol: not ours
      fill({ tradeId: '4', clientOrderId: 'web-123', orderId: 'E9', time: T0 + 4 }),
    ]);
    expect(repo.listFills().map((f) => f.origin)).toEqual([
      'accumulate',
      'take-profit',
      undefined,
      undefined,
    ]);
    expect(
      repo.unattributedFills(T0).map((f) => f.tradeId),
      'foreign activity',
    ).toEqual(['3', '4']);
    expect(
      repo.unattributedFills(T0 + 4).map((f) => f.tradeId),
      'since is inclusive',
    ).toEqual(['4']);
  });

  it('attributes late: a fill recorded before its order had an exchange id', () => {
    repo.insertFills([fill({ tradeId: '1', orderId: 'E5' })]);
    expect(repo.listFills()[0]!.origin).toBeUndefined();
    addOrder(db, { clientOrderId: 'ap-5', exchangeOrderId: 'E5', origin: 'scanner' });
    expect(repo.attributeFills(), 'one fill attributed').toBe(1);
    expect(repo.listFills()[0]!.origin).toBe('scanner');
    expect(repo.attributeFills(), 'nothing left to do').toBe(0);
  });

  it('keeps a sync cursor per symbol', () => {
    expect(repo.getSyncCursor('BTCUSDC'), 'before the first sync').toBeUndefined();
    repo.setSyncCursor('BTCUSDC', T0);
    repo.setSyncCursor('BTCUSDC', T0 + 5000);
    repo.setSyncCursor('SOLUSDT', T0 + 1);
    expect(repo.getSyncCursor('BTCUSDC'), 'latest value').toBe(T0 + 5000);
    expect(repo.getSyncCursor('SOLUSDT')).toBe(T0 + 1);
  });

  it('lists with filters, oldest first by time then numeric trade id; limit keeps the newest', () => {
    repo.insertFills([
      fill({ tradeId: '10', time: T0 + 5 }),
      fill({ tradeId: '9', time: T0 + 5 }),
      fill({
        tradeId: '1',
        time: T0 + 9,
        symbol: 'SOLUSDT',
        price: dec('150'),
        qty: dec('1'),
        quoteQty: dec('150'),
      }),
      fill({ tradeId: '2', time: T0 }),
    ]);
    expect(
      repo.listFills().map((f) => f.tradeId),
      'time, then id as a number',
    ).toEqual(['2', '9', '10', '1']);
    expect(repo.listFills({ since: T0 + 5 }).map((f) => f.tradeId)).toEqual(['9', '10', '1']);
    expect(repo.listFills({ baseAsset: 'SOL' }).map((f) => f.symbol)).toEqual(['SOLUSDT']);
    expect(
      repo.listFills({ symbol: 'BTCUSDC', limit: 2 }).map((f) => f.tradeId),
      'newest two, oldest first',
    ).toEqual(['9', '10']);
    expect(
      repo.lastTrades(2).map((f) => f.tradeId),
      'newest first for /trades',
    ).toEqual(['1', '10']);
  });

  it('gives strategies recent fills with origin, and positions from stored rows', () => {
    addOrder(db, { clientOrderId: 'ap-1', origin: 'accumulate' });
    repo.insertFills([
      fill({ tradeId: '1', clientOrderId: 'ap-1', time: T0 }),
      fill({ tradeId: '2', time: T0 + 1, price: dec('62000'), quoteQty: dec('6200') }),
    ]);
    const recent = repo.recentAttributedFills(T0);
    expect(recent[0]).toMatchObject({
      symbol: 'BTCUSDC',
      baseAsset: 'BTC',
      quoteAsset: 'USDC',
      origin: 'accumulate',
    });
    expect('origin' in recent[1]!, 'foreign fill has no origin').toBe(false);
    const { positions } = positionsFromFills(repo.listFills(), {
      costAssetOf,
      toCostAsset: makeToCostAsset({ prices: new Map(), usdcUsdt: dec('1') }),
    });
    expect(positions.get('BTC')!.avgCost.toFixed(), 'rows feed positionsFromFills directly').toBe('61000');
  });

  it('splits an unknown symbol on a known quote, and refuses the whole batch when it cannot', () => {
    expect(repo.insertFills([fill({ tradeId: '1', symbol: 'OLDUSDT' })])).toBe(1);
    expect(repo.listFills()[0]).toMatchObject({ baseAsset: 'OLD', quoteAsset: 'USDT' });
    expect(() => repo.insertFills([fill({ tradeId: '2' }), fill({ tradeId: '3', symbol: 'WEIRD' })])).toThrow(
      /WEIRD: base and quote asset unknown/,
    );
    expect(repo.listFills(), 'nothing from the failed batch').toHaveLength(1);
  });
});
