/**
 * One answer for every number: after a simulated day of paper trading by all six strategies on
 * the built-in simulator, /pnl, /balance, /report (the daily report and its summary), the chart
 * headline and the equity snapshot, sampled at one instant, show one portfolio total to the cent.
 *
 * The same run checks that every fill the bot recorded carries the prices that value it for good
 * (read from the book when recorded), and that a fill synced later gets the close of its
 * minute's candle instead.
 *
 * Tuning as in the simulated week (shorter intervals, a smaller scanner universe) for speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decimal } from '../../src/domain/money.js';
import { dec } from '../../src/domain/money.js';
import { equityOf } from '../../src/ops/EquityRecorder.js';
import { equityChartSpec } from '../../src/ops/charts/renderEquityChart.js';
import { formatMoney } from '../../src/domain/format.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { DAY, HOUR, MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

const SETTINGS = {
  'accumulate.intervalSec': '300',
  'take-profit.intervalSec': '300',
  'take-profit.minProfitPct': '1.5',
  'alt-profit.intervalSec': '600',
  'scanner.cron': '*/30 * * * *',
  'scanner.maxCandidates': '12',
  'scanner.minScore': '50',
};

let h: RuntimeHarness;
/** Realised PnL the sell notifications announced, summed per order. */
const announced = new Map<string, { pnl: Decimal; asset: string | undefined }>();

beforeAll(async () => {
  h = await startRuntimeHarness({ altcoins: 40, paperBalances: 'USDC=600,USDT=300', settings: SETTINGS });
  h.runtime.bus.on((event) => {
    if (event.type !== 'order.filled' || event.order.side !== 'SELL' || !event.realisedPnl) return;
    const before = announced.get(event.order.clientOrderId);
    announced.set(event.order.clientOrderId, {
      pnl: (before?.pnl ?? dec('0')).plus(event.realisedPnl),
      asset: event.realisedPnlAsset,
    });
  });
  await h.advance(DAY, { stepMs: 5 * MINUTE });
  await h.reconcile();
}, 600_000);

afterAll(async () => {
  await h?.stop();
});

describe('after a day of paper trading', () => {
  it('the bot traded and recorded every fill with the prices that value it', () => {
    const fills = h.fills();
    expect(fills.length, 'a day of six strategies trades').toBeGreaterThan(0);
    const unpriced = fills.filter((f) => f.prices?.usdcUsdt === undefined);
    expect(
      unpriced.map((f) => `${f.symbol} #${f.tradeId}`),
      'every fill has its USDCUSDT',
    ).toEqual([]);
    // Fills recorded within two minutes take the book of that moment; a fill the bot saw later
    // (a resting order that filled between two tracking passes) takes its minute's candle.
    const rows = h.runtime.db
      .prepare<[], { source: string; late: number }>(
        'SELECT prices_source AS source, prices_at - time > 120000 AS late FROM fills',
      )
      .all();
    expect(rows.filter((r) => r.source === 'book').length, 'most are priced from the book').toBeGreaterThan(
      0,
    );
    expect(rows.filter((r) => (r.source === 'kline') !== (r.late === 1))).toEqual([]);
  });

  it('/pnl, /balance, /report, the chart headline and the equity snapshot show one total', async () => {
    // Freeze the prices of everything held, so that the samples below see one instant even if a
    // request waits for rate budget (which moves the harness clock).
    const rules = await h.runtime.exchange.getRules();
    const held = (await h.runtime.exchange.getBalances()).filter((b) => b.free.plus(b.locked).greaterThan(0));
    for (const symbol of new Set([
      'USDCUSDT',
      ...held.flatMap((b) => [`${b.asset}USDC`, `${b.asset}USDT`]),
    ])) {
      if (rules.has(symbol)) await h.pinHere(symbol);
    }

    const { app, equity } = h.runtime;
    const pnl = await app.getPnl();
    const balances = await app.getBalances();
    const summary = await app.getReport();
    const daily = await app.getDailyReport();
    const chart = await h.runtime.chartInput('1d');
    const recorded = await equity.record(h.now());
    const snapshot = await h.runtime.portfolio.snapshot();

    if (!pnl.available) throw new Error(pnl.reason);
    if (!balances.available) throw new Error(balances.reason);
    if (!summary.pnl.available || !summary.balances.available) throw new Error('report without portfolio');
    if (!daily.available) throw new Error(daily.reason);
    if (!chart) throw new Error('no chart after a day');
    const headline = (equityChartSpec(chart)!.title as { subtitle: string[] }).subtitle[0]!;

    const total: Decimal = snapshot.valuation.totals.totalUsdc;
    expect(total.greaterThan(0)).toBe(true);
    const totals = {
      pnl: pnl.totals.portfolioUsdc.toFixed(2),
      balance: balances.split.totalUsdc.toFixed(2),
      reportPnl: summary.pnl.totals.portfolioUsdc.toFixed(2),
      reportBalance: summary.balances.split.totalUsdc.toFixed(2),
      chart: chart.points.at(-1)!.totalUsdc.toFixed(2),
      equity: recorded.totalUsdc.toFixed(2),
      equityOfSnapshot: equityOf(snapshot).totalUsdc.toFixed(2),
    };
    const one = total.toFixed(2);
    expect(totals).toEqual({
      pnl: one,
      balance: one,
      reportPnl: one,
      reportBalance: one,
      chart: one,
      equity: one,
      equityOfSnapshot: one,
    });
    expect(daily.text, 'the daily report').toContain(`Portfolio: ${formatMoney(total)} USDC`);
    expect(headline, 'the chart headline').toMatch(
      new RegExp(`^${formatMoney(total).replace(/[.,]/g, '\\$&')} USDC`),
    );
    // The parts agree too: /balance's split is the equity snapshot's.
    expect(balances.split.coreUsdc.toFixed(2)).toBe(recorded.coreUsdc.toFixed(2));
    expect(balances.split.altsUsdc.toFixed(2)).toBe(recorded.altsUsdc.toFixed(2));
    // And the realised windows of /pnl are the daily report's.
    expect(summary.pnl.realised.all?.toFixed(8)).toBe(pnl.realised.all?.toFixed(8));
  });

  it('fill notifications announced the realised PnL /pnl holds for each sell, unchanged since', () => {
    expect(announced.size, 'the day had sells with realised PnL').toBeGreaterThan(0);
    for (const [clientOrderId, said] of announced) {
      const order = h.runtime.core.orders.get(clientOrderId)!;
      const now = h.runtime.portfolio.realisedOfSell(order);
      expect(now?.asset, clientOrderId).toBe(said.asset);
      expect(now?.pnl.toFixed(8), `${order.symbol} ${clientOrderId}`).toBe(said.pnl.toFixed(8));
    }
  });

  it('a fill synced later is priced at the close of its minute’s candle', async () => {
    const fills = new FillRepository({
      db: h.runtime.db,
      clock: h.clock,
      assetsOf: (s) => h.runtime.market.assetsOf(s),
    });
    // The owner's own trade three hours ago, seen for the first time now.
    const time = h.now() - 3 * HOUR + 17_000;
    fills.insertFills([
      {
        symbol: 'ETHUSDT',
        tradeId: 'owner-1',
        orderId: 'owner-order-1',
        side: 'BUY',
        price: dec('3000'),
        qty: dec('0.01'),
        quoteQty: dec('30'),
        commission: dec('0.03'),
        commissionAsset: 'USDT',
        time,
        isMaker: false,
      },
    ]);
    await h.reconcile();
    const stored = fills.listFills({ symbol: 'ETHUSDT' }).find((f) => f.tradeId === 'owner-1')!;
    const minute = Math.floor(time / MINUTE) * MINUTE;
    const [candle] = await h.runtime.market.getKlines({
      symbol: 'USDCUSDT',
      interval: '1m',
      startTime: minute,
      endTime: minute + MINUTE,
      limit: 1,
    });
    expect(candle?.openTime).toBe(minute);
    expect(stored.prices?.usdcUsdt?.toFixed()).toBe(dec(candle!.close).toFixed());
    const source = h.runtime.db
      .prepare<[string], { s: string }>('SELECT prices_source AS s FROM fills WHERE trade_id = ?')
      .get('owner-1');
    expect(source?.s).toBe('kline');
  });
});
