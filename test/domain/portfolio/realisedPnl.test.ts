import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/money.js';
import { Exact } from '../../../src/domain/exact.js';
import { costAssetOf, makeToCostAsset } from '../../../src/domain/portfolio/conversion.js';
import {
  allRealisations,
  flattenReplay,
  keptAt,
  realisedPnlByPeriod,
  realisedPnlOfSell,
  realisedUsdcByPeriod,
  replayFills,
} from '../../../src/domain/portfolio/realisedPnl.js';
import { makeFill } from '../../helpers/fills.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 31, 15, 0);
const DAY_START = Date.UTC(2026, 2, 31); // the caller computes it in TZ_REPORTS
const options = { costAssetOf, toCostAsset: makeToCostAsset({ prices: new Map(), usdcUsdt: dec('0.998') }) };

const fills = [
  makeFill({ side: 'BUY', price: '100', qty: '10', time: NOW - 60 * DAY, symbol: 'SOLUSDT', tradeId: '1' }),
  makeFill({ side: 'SELL', price: '110', qty: '1', time: NOW - 40 * DAY, symbol: 'SOLUSDT', tradeId: '2' }), // +10
  makeFill({ side: 'SELL', price: '120', qty: '1', time: NOW - 20 * DAY, symbol: 'SOLUSDT', tradeId: '3' }), // +20
  makeFill({ side: 'SELL', price: '130', qty: '1', time: NOW - 3 * DAY, symbol: 'SOLUSDT', tradeId: '4' }), // +30
  makeFill({ side: 'SELL', price: '90', qty: '1', time: DAY_START + 1, symbol: 'SOLUSDT', tradeId: '5' }), // −10
  makeFill({ side: 'BUY', price: '60000', qty: '0.1', time: NOW - 10 * DAY, tradeId: '6', orderId: 'b' }),
  makeFill({
    side: 'SELL',
    price: '61000',
    qty: '0.03',
    time: NOW - DAY,
    tradeId: '7',
    orderId: 's',
    fee: '0.3',
  }),
  makeFill({
    side: 'SELL',
    price: '62000',
    qty: '0.02',
    time: NOW - DAY + 5,
    tradeId: '8',
    orderId: 's',
    fee: '0.2',
  }),
];

describe('realisedPnlByPeriod', () => {
  const report = realisedPnlByPeriod(fills, { ...options, now: NOW, dayStartMs: DAY_START });

  it('sums realisations per cost asset into today, 7 d, 30 d and all', () => {
    const usdt = report.byCostAsset.get('USDT')!;
    expect(usdt.today.toFixed(), 'only the sell after midnight').toBe('-10');
    expect(usdt.d7.toFixed(), '30 − 10').toBe('20');
    expect(usdt.d30.toFixed(), '20 + 30 − 10').toBe('40');
    expect(usdt.all.toFixed(), 'every sell').toBe('50');
    const usdc = report.byCostAsset.get('USDC')!;
    // 0.03 × 61 000 − 0.3 − 0.03 × 60 000 = 29.7; 0.02 × 62 000 − 0.2 − 0.02 × 60 000 = 39.8
    expect(usdc.d7.toFixed(), 'BTC sells yesterday').toBe('69.5');
    expect(usdc.today.toFixed(), 'nothing today').toBe('0');
  });

  it('also reports per asset with its cost asset', () => {
    expect(report.byAsset.get('SOL')).toMatchObject({ costAsset: 'USDT' });
    expect(report.byAsset.get('BTC')!.all.toFixed()).toBe('69.5');
    expect(report.warnings).toEqual([]);
  });
});

describe('realisedPnlOfSell', () => {
  it('sums every fill of a sell order against the average before it', () => {
    const pnl = realisedPnlOfSell(fills, { symbol: 'BTCUSDC', orderId: 's' }, options);
    expect(pnl).toBeDefined();
    expect(pnl!.pnl.toFixed(), '29.7 + 39.8').toBe('69.5');
    expect(pnl!.qty.toFixed()).toBe('0.05');
    expect(pnl!.costAsset).toBe('USDC');
  });

  it('reports a single trade, and undefined for a buy or unknown trade', () => {
    expect(realisedPnlOfSell(fills, { symbol: 'SOLUSDT', tradeId: '5' }, options)!.pnl.toFixed()).toBe('-10');
    expect(
      realisedPnlOfSell(fills, { symbol: 'BTCUSDC', orderId: 'b' }, options),
      'a buy realises nothing',
    ).toBeUndefined();
    expect(
      realisedPnlOfSell(fills, { symbol: 'ETHUSDC', tradeId: '7' }, options),
      'symbol must match',
    ).toBeUndefined();
  });
});

describe('realisedUsdcByPeriod', () => {
  it('gives the same USDC windows as summing every realisation, from running totals', () => {
    const starts = { now: NOW, dayStartMs: DAY_START };
    const fromLedger = realisedUsdcByPeriod(replayFills(fills, options).usdc, starts);
    const summed = realisedPnlByPeriod(fills, { ...options, ...starts }).usdc;
    const fixed = (t: typeof summed) => Object.values(t).map((d) => d.toFixed(12));
    expect(fixed(fromLedger)).toEqual(fixed(summed));
    // USDT results convert at the fills' USDCUSDT (0.998 here): today only the −10 USDT SOL sell.
    expect(fromLedger.today.toFixed(6)).toBe(dec('-10').div('0.998').toFixed(6));
    expect(fromLedger.all.toFixed(6)).toBe(dec('50').div('0.998').plus('69.5').toFixed(6));
  });

  it('is zero everywhere without realisations', () => {
    const empty = realisedUsdcByPeriod(
      { times: [], cumulative: [Exact.ZERO] },
      { now: NOW, dayStartMs: DAY_START },
    );
    expect(Object.values(empty).map((d) => d.toFixed())).toEqual(['0', '0', '0', '0']);
  });
});

describe('a replay kept for the life of the process', () => {
  const starts = { now: NOW, dayStartMs: DAY_START };
  const text = (t: ReturnType<typeof realisedUsdcByPeriod>) => Object.values(t).map((d) => d.toFixed());
  const positionsText = (r: ReturnType<typeof replayFills>) =>
    [...r.positions.values()].map((p) =>
      [p.asset, p.qty, p.avgCost, p.realisedPnl, p.realisedPnlUsdc].join(' '),
    );

  it('lists only the recent realisations and sums the older ones, with the same figures as a full replay', () => {
    const full = replayFills(fills, options);
    const kept = replayFills(fills, options, undefined, { keep: keptAt(NOW) });
    expect(positionsText(kept), 'positions and realised totals unchanged').toEqual(positionsText(full));
    expect(text(realisedUsdcByPeriod(kept.usdc, starts)), 'today, 7 d, 30 d and all').toEqual(
      text(realisedUsdcByPeriod(full.usdc, starts)),
    );
    expect(
      kept.realisations.map((r) => r.tradeId),
      'the last 3 × 24 h, the sell exactly 3 days ago included',
    ).toEqual(['4', '7', '8', '5']);
    expect(kept.usdc.times, 'running totals of the last 31 days only: 40 days ago is one sum').toHaveLength(
      5,
    );
    expect(realisedPnlOfSell(kept, { symbol: 'BTCUSDC', orderId: 's' }, options)?.pnl.toFixed()).toBe('69.5');
    expect(
      realisedPnlOfSell(kept, { symbol: 'SOLUSDT', tradeId: '2' }, options),
      'a sell older than the list: no figure',
    ).toBeUndefined();
  });

  it('leaves the replay it continues as it was, so it can be continued again', () => {
    const early = fills.filter((f) => f.time < NOW - 2 * DAY);
    const late = fills.filter((f) => f.time >= NOW - 2 * DAY);
    const start = replayFills(early, options);
    const books = (r: ReturnType<typeof replayFills>) =>
      [...r.books.values()].map((b) =>
        [b.asset, b.qty, b.avgCost, b.realisedPnl, b.feesPaid, b.realisedUsdc, b.feesUsdc]
          .map((x) => (typeof x === 'string' ? x : (x?.value.toFixed() ?? 'none')))
          .join(' '),
      );
    const before = books(start);
    const first = replayFills(late, options, start);
    const second = replayFills(late, options, start);
    expect(books(start), "the earlier replay's running figures").toEqual(before);
    expect(positionsText(first)).toEqual(positionsText(replayFills(fills, options)));
    expect(books(second), 'a second continuation from the same start').toEqual(books(first));
  });

  it('flattened later, drops what has grown old and keeps every figure', () => {
    const early = fills.filter((f) => f.time < NOW - 2 * DAY);
    const late = fills.filter((f) => f.time >= NOW - 2 * DAY);
    const start = replayFills(early, options, undefined, { keep: keptAt(NOW - 30 * DAY) });
    const continued = replayFills(late, options, start);
    const flat = flattenReplay(continued, keptAt(NOW + DAY));
    const full = replayFills(fills, options);
    expect(flat.earlier).toBeUndefined();
    expect(positionsText(flat)).toEqual(positionsText(full));
    expect(text(realisedUsdcByPeriod(flat.usdc, starts))).toEqual(
      text(realisedUsdcByPeriod(full.usdc, starts)),
    );
    expect(
      [...allRealisations(flat)].map((r) => r.tradeId),
      'a day later: the last 3 days from NOW + 1 day',
    ).toEqual(['7', '8', '5']);
    expect(flat.kept).toEqual(keptAt(NOW + DAY));
    // Flattening with an older horizon never brings back what was dropped.
    expect(flattenReplay(flat, keptAt(NOW - 40 * DAY)).kept).toEqual(keptAt(NOW + DAY));
  });
});
