/**
 * The running PnL snapshot equals a full replay of the ledger after any sequence of fills and
 * price recordings: fills in order, in the same millisecond as the newest, or older than the
 * snapshot (history read late); prices recorded in any order; reads at changing market rates.
 * Runs the real ledger (SQLite, money as TEXT). A fresh start over the same database rebuilds the
 * snapshot and compares it with the stored one: it must find nothing to warn about.
 */
import fc from 'fast-check';
import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src/domain/market.js';
import { dec, type Decimal } from '../../src/domain/money.js';
import { costAssetOf, makeToCostAsset } from '../../src/domain/portfolio/conversion.js';
import type { Position } from '../../src/domain/portfolio/position.js';
import {
  allRealisations,
  flattenReplay,
  realisedUsdcByPeriod,
  replayFills,
  type FillReplay,
} from '../../src/domain/portfolio/realisedPnl.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { RunningPnl } from '../../src/runtime/RunningPnl.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

const T0 = Date.UTC(2026, 2, 2, 10);
const SYMBOLS = ['BTCUSDC', 'BTCUSDT', 'SOLUSDT', 'MXUSDT'] as const;

const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      symbol: fc.constantFrom(...SYMBOLS),
      sell: fc.boolean(),
      qty: fc.integer({ min: 1, max: 5_000 }),
      price: fc.integer({ min: 1, max: 900_000 }),
      fee: fc.constantFrom('none', 'quote', 'base', 'mx'),
      // later than everything, the newest millisecond again, or older (history read late)
      when: fc.constantFrom('later', 'later', 'later', 'same', 'older'),
      back: fc.integer({ min: 0, max: 50 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('price' as const),
      share: fc.integer({ min: 1, max: 4 }),
      usdcUsdt: fc.constantFrom('0.998', '1.0007', '1.25'),
      mx: fc.constantFrom('2.5', '3.1'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('read' as const), usdcUsdt: fc.constantFrom('0.99', '1.01') }),
  },
);

function warningsLog(): { logger: pino.Logger; warnings: string[] } {
  const warnings: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = JSON.parse(chunk.toString()) as { level: number; msg: string };
      if (line.level >= 40) warnings.push(line.msg);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), warnings };
}

function positionText(p: Position): string {
  return [
    p.asset,
    p.costAsset,
    p.qty.toFixed(),
    p.avgCost.toFixed(),
    p.realisedPnl.toFixed(),
    p.feesPaid.toFixed(),
    p.realisedPnlUsdc?.toFixed() ?? '-',
    p.feesPaidUsdc?.toFixed() ?? '-',
  ].join(' ');
}

/** Everything a reader takes from a replay, as text compared exactly. */
function replayText(replay: FillReplay): string[] {
  const r = flattenReplay(replay);
  return [
    ...[...r.positions.values()].map(positionText).sort(),
    ...[...allRealisations(replay)].map(
      (x) =>
        `${x.kind} ${x.symbol} #${x.tradeId} ${x.qty.toFixed()} ${x.pnl.toFixed()} ${x.pnlUsdc?.toFixed() ?? '-'}`,
    ),
    `usdc ${r.usdc.times.join(',')} ${r.usdc.cumulative.map((d) => d.toFixed()).join(',')}`,
    ...[...new Set(r.warnings)].sort(),
    // The /pnl windows read the (possibly continued) ledger itself, at starts across the history.
    ...[-5, 0, 3, 8, 15, 30].map((k) => {
      const w = realisedUsdcByPeriod(replay.usdc, { now: T0 + k * 1_000, dayStartMs: T0 + k * 1_000 });
      return `window ${k}: ${w.today.toFixed()} ${w.all.toFixed()}`;
    }),
  ];
}

function rates(usdcUsdt: string) {
  return { prices: new Map<string, Decimal>([['MXUSDT', dec('2.2')]]), usdcUsdt: dec(usdcUsdt) };
}

describe('running PnL snapshot', () => {
  it('equals a full replay of the ledger after random fills, prices and reads; a restart finds the stored copy equal', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const db = testDb();
        const clock = new ManualClock(T0);
        const fills = new FillRepository({ db, clock, assetsOf: () => undefined });
        const { logger, warnings } = warningsLog();
        const running = new RunningPnl({ ledger: fills, logger, clock });
        let newest = T0;
        let id = 0;
        const check = (usdcUsdt: string) => {
          const r = rates(usdcUsdt);
          const full = replayFills(fills.listFills(), { costAssetOf, toCostAsset: makeToCostAsset(r) });
          expect(replayText(running.replay(r))).toEqual(replayText(full));
        };
        for (const op of ops) {
          if (op.kind === 'fill') {
            const time =
              op.when === 'later'
                ? (newest += 1_000)
                : op.when === 'same'
                  ? newest
                  : newest - op.back * 1_000;
            const price = dec(op.price).div(100);
            const qty = dec(op.qty).div(1_000);
            const quote = op.symbol.endsWith('USDC') ? 'USDC' : 'USDT';
            const base = op.symbol.slice(0, -4);
            const fee =
              op.fee === 'quote'
                ? { commission: price.times(qty).times('0.001'), commissionAsset: quote }
                : op.fee === 'base'
                  ? { commission: qty.times('0.001'), commissionAsset: base }
                  : op.fee === 'mx'
                    ? { commission: dec('0.05'), commissionAsset: 'MX' }
                    : { commission: dec(0), commissionAsset: quote };
            const f: Fill = {
              symbol: op.symbol,
              tradeId: String(++id),
              orderId: `o${id}`,
              side: op.sell ? 'SELL' : 'BUY',
              price,
              qty,
              quoteQty: price.times(qty),
              ...fee,
              time,
              isMaker: false,
            };
            fills.insertFills([f]);
          } else if (op.kind === 'price') {
            const unpriced = fills.listFills().filter((f) => f.prices === undefined);
            const chosen = unpriced.filter((_, i) => i % op.share === 0);
            fills.recordPrices(
              chosen.map((f) => ({
                symbol: f.symbol,
                tradeId: f.tradeId,
                prices: {
                  usdcUsdt: dec(op.usdcUsdt),
                  ...(f.commissionAsset === 'MX' ? { feePrice: dec(op.mx), feeQuote: 'USDT' } : {}),
                  source: 'book' as const,
                },
              })),
            );
          } else check(op.usdcUsdt);
        }
        check('1.01');
        expect(warnings).toEqual([]);
        // A restart over the same database: rebuilt from the fills and compared with the stored copy.
        const restart = warningsLog();
        const again = new RunningPnl({ ledger: fills, logger: restart.logger, clock });
        expect(restart.warnings).toEqual([]);
        expect(replayText(again.replay(rates('0.99')))).toEqual(replayText(running.replay(rates('0.99'))));
        db.close();
      }),
      { numRuns: 60 },
    );
  });
});
