/**
 * The stored running PnL snapshot: moved forward in the transaction that records fill prices
 * (no read needed), and checked against a full replay at start, where a difference is logged as
 * a warning and the stored copy replaced.
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { RunningPnl } from '../../src/runtime/RunningPnl.js';
import {
  allRealisations,
  realisedUsdcByPeriod,
  replayFills,
} from '../../src/domain/portfolio/realisedPnl.js';
import { RECORDED_PRICES_ONLY } from '../../src/domain/portfolio/runningPnl.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

const T0 = Date.UTC(2026, 2, 2, 10);

function fill(tradeId: string, side: 'BUY' | 'SELL', price: string, qty: string, time: number): Fill {
  return {
    symbol: 'SOLUSDT',
    tradeId,
    orderId: `o${tradeId}`,
    side,
    price: dec(price),
    qty: dec(qty),
    quoteQty: dec(price).times(qty),
    commission: dec('0'),
    commissionAsset: 'USDT',
    time,
    isMaker: false,
  };
}

function capture(): { logger: pino.Logger; lines: { level: number; msg: string; differences?: string[] }[] } {
  const lines: { level: number; msg: string; differences?: string[] }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const priced = (tradeIds: string[]) =>
  tradeIds.map((tradeId) => ({
    symbol: 'SOLUSDT',
    tradeId,
    prices: { usdcUsdt: dec('1'), source: 'book' as const },
  }));

describe('stored running PnL snapshot', () => {
  it('moves forward in the transaction that records the prices, without any read', () => {
    const db = testDb();
    const fills = new FillRepository({ db, clock: new ManualClock(T0), assetsOf: () => undefined });
    const running = new RunningPnl({ ledger: fills, logger: capture().logger, clock: new ManualClock(T0) });
    fills.insertFills([fill('1', 'BUY', '100', '2', T0), fill('2', 'SELL', '130', '1', T0 + 1000)]);
    expect(fills.pnlSnapshot.read()?.fillCount).toBe(0);
    fills.recordPrices(priced(['1', '2']));
    const stored = fills.pnlSnapshot.read()!;
    expect(stored.fillCount).toBe(2);
    expect(stored.lastTime).toBe(T0 + 1000);
    const sol = stored.positions.get('SOL')!;
    expect([sol.qty.toFixed(), sol.avgCost.toFixed(), sol.realisedPnl.toFixed()]).toEqual(['1', '100', '30']);
    // A statement failing later in the same transaction takes the snapshot's update back with it.
    expect(() =>
      db.transaction(() => {
        fills.insertFills([fill('3', 'SELL', '150', '1', T0 + 2000)]);
        fills.recordPrices(priced(['3']));
        throw new Error('disk full');
      })(),
    ).toThrow('disk full');
    expect(fills.pnlSnapshot.read()?.fillCount).toBe(2);
    const after = running.replay({ prices: new Map(), usdcUsdt: undefined }).positions.get('SOL')!;
    expect([after.qty.toFixed(), after.realisedPnl.toFixed()]).toEqual(['1', '30']);
  });

  it('a stored copy that differs from the fills is reported at start and replaced by the replay; an equal one is kept', () => {
    const db = testDb();
    const clock = new ManualClock(T0);
    const fills = new FillRepository({ db, clock, assetsOf: () => undefined });
    new RunningPnl({ ledger: fills, logger: capture().logger, clock: new ManualClock(T0) });
    fills.insertFills([fill('1', 'BUY', '100', '2', T0), fill('2', 'SELL', '130', '1', T0 + 1000)]);
    fills.recordPrices(priced(['1', '2']));
    const stamp = () => db.prepare('SELECT updated_at FROM pnl_snapshot_state').pluck().get();
    const written = stamp();
    const equal = capture();
    clock.advance(60_000);
    new RunningPnl({ ledger: fills, logger: equal.logger, clock });
    expect(
      equal.lines.filter((l) => l.level >= 40),
      'an equal stored copy: no warning',
    ).toEqual([]);
    expect(stamp(), 'and it is left as it is').toBe(written);
    db.prepare(`UPDATE pnl_snapshot SET realised_pnl = '31' WHERE asset = 'SOL'`).run();

    const log = capture();
    const restarted = new RunningPnl({ ledger: fills, logger: log.logger, clock: new ManualClock(T0) });
    const warning = log.lines.find((l) => l.level === 40);
    expect(warning?.msg).toMatch(/differs from a full replay/);
    expect(warning?.differences).toEqual(['SOL: realisedPnl 31 ≠ 30']);
    expect(fills.pnlSnapshot.read()!.positions.get('SOL')!.realisedPnl.toFixed()).toBe('30');
    expect(
      restarted
        .replay({ prices: new Map(), usdcUsdt: undefined })
        .positions.get('SOL')!
        .realisedPnl.toFixed(),
    ).toBe('30');
  });

  it('a stored fill whose amount cannot be read is skipped with a warning at start; the others count', () => {
    const db = testDb();
    const fills = new FillRepository({ db, clock: new ManualClock(T0), assetsOf: () => undefined });
    fills.insertFills([
      fill('1', 'BUY', '100', '2', T0),
      fill('2', 'BUY', '120', '1', T0 + 1000),
      fill('3', 'SELL', '130', '1', T0 + 2000),
    ]);
    fills.recordPrices(priced(['1', '2', '3']));
    db.prepare(`UPDATE fills SET qty = 'one' WHERE trade_id = '2'`).run();

    const replay = new RunningPnl({
      ledger: fills,
      logger: capture().logger,
      clock: new ManualClock(T0),
    }).replay({
      prices: new Map(),
      usdcUsdt: undefined,
    });
    expect(replay.warnings).toEqual(['SOLUSDT #2: skipped, quantity not positive']);
    const sol = replay.positions.get('SOL')!;
    expect([sol.qty.toFixed(), sol.avgCost.toFixed(), sol.realisedPnl.toFixed()]).toEqual(['1', '100', '30']);
  });

  it('holds only the last days of realisations, whatever the history, with the same figures', () => {
    const db = testDb();
    const DAY = 86_400_000;
    const clock = new ManualClock(T0 + 60 * DAY);
    const fills = new FillRepository({ db, clock, assetsOf: () => undefined });
    // A sell every day for 60 days after one buy.
    const history = [fill('0', 'BUY', '100', '100', T0)];
    for (let d = 1; d <= 60; d++)
      history.push(fill(String(d), 'SELL', String(100 + d), '1', T0 + d * DAY - 1));
    fills.insertFills(history);
    fills.recordPrices(priced(history.map((f) => f.tradeId)));
    const rates = { prices: new Map(), usdcUsdt: undefined };

    const running = new RunningPnl({ ledger: fills, logger: capture().logger, clock });
    const replay = running.replay(rates);
    const full = replayFills(fills.listFills(), RECORDED_PRICES_ONLY);
    const sol = (r: typeof full) => {
      const p = r.positions.get('SOL')!;
      return [p.qty.toFixed(), p.avgCost.toFixed(), p.realisedPnl.toFixed(), p.realisedPnlUsdc?.toFixed()];
    };
    expect(sol(replay), 'positions and all-time realised PnL').toEqual(sol(full));
    const windows = (r: typeof full) =>
      Object.values(realisedUsdcByPeriod(r.usdc, { now: clock.now(), dayStartMs: clock.now() - 1 })).map(
        (d) => d.toFixed(),
      );
    expect(windows(replay), 'today, 7 d, 30 d and all').toEqual(windows(full));
    expect(
      replay.realisations.map((r) => r.tradeId),
      'the sells of the last 3 days',
    ).toEqual(['58', '59', '60']);
    expect(replay.usdc.times, 'running totals of the last 31 days').toHaveLength(31);

    // A week later, new sells flattened into the snapshot push the old ones out of the list.
    clock.set(T0 + 67 * DAY);
    for (let d = 61; d <= 100; d++) {
      fills.insertFills([fill(String(d), 'SELL', '90', '0.1', T0 + 66 * DAY + d)]);
      fills.recordPrices(priced([String(d)]));
    }
    const later = running.replay(rates);
    expect(sol(later)).toEqual(sol(replayFills(fills.listFills(), RECORDED_PRICES_ONLY)));
    expect(
      [...allRealisations(later)].every((r) => r.time >= clock.now() - 3 * DAY),
      'none older than 3 days',
    ).toBe(true);
    expect(running.replay(rates), 'reused until the ledger changes').toBe(later);
    db.close();
  });
});
