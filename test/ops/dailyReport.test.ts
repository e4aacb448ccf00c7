import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import {
  composeDailyReport,
  dailyReportBuilder,
  formatDailyReportText,
  type ReportData,
  type ReportTrade,
} from '../../src/ops/dailyReport.js';
import { PNG_SIGNATURE } from './charts/decodePng.js';

const NOW = Date.UTC(2026, 2, 10, 0, 0); // 09:00 in Tokyo
const HOUR = 3_600_000;

function trade(overrides: Partial<ReportTrade> & Pick<ReportTrade, 'time'>): ReportTrade {
  return {
    symbol: 'BTCUSDC',
    side: 'BUY',
    qty: dec('0.0005'),
    price: dec('60000'),
    value: dec('30'),
    quoteAsset: 'USDC',
    origin: 'accumulate',
    ...overrides,
  };
}

function data(overrides: Partial<ReportData> = {}): ReportData {
  return {
    timeZone: 'Asia/Tokyo',
    mode: 'paper · simulator',
    equity: { totalUsdc: dec('1514.55'), changeDayUsdc: dec('14.55') },
    realised: { today: dec('3.2'), last7d: dec('12'), last30d: dec('-40.104'), all: dec('1120.5') },
    feesToday: dec('0.42'),
    trades: [
      trade({
        time: NOW - 2 * HOUR,
        side: 'SELL',
        symbol: 'ETHUSDC',
        qty: dec('0.01'),
        price: dec('3100'),
        value: dec('31'),
        realisedPnl: dec('1.2'),
        origin: 'take-profit',
        // The exchange's rules of ETHUSDC: prices to 0.01, quantities to 0.00001.
        precision: { tickSize: dec('0.01'), stepSize: dec('0.00001') },
      }),
      trade({ time: NOW - 20 * HOUR }),
      trade({
        time: NOW - 5 * HOUR,
        symbol: 'PEPEUSDT',
        qty: dec('1000000'),
        price: dec('0.0000123456'),
        value: dec('12.3456'),
        quoteAsset: 'USDT',
        origin: 'scanner',
      }),
    ],
    positions: [
      { asset: 'BTC', valueUsdc: dec('600'), unrealisedUsdc: dec('30'), unrealisedPct: dec('5.26') },
      { asset: 'PEPE', valueUsdc: dec('11'), unrealisedUsdc: dec('-1.3'), unrealisedPct: dec('-10.57') },
      { asset: 'SOL', valueUsdc: dec('200'), unrealisedUsdc: dec('24'), unrealisedPct: dec('13.64') },
      { asset: 'DUST', valueUsdc: dec('0.5'), unrealisedUsdc: dec('0') },
    ],
    headroom: { usdc: dec('120'), usdt: dec('-2.5'), reserveUsdc: dec('50'), reserveUsdt: dec('5') },
    split: { coreUsdc: dec('600'), altsUsdc: dec('400'), targetAltsPct: dec('50') },
    warnings: ['scanner paused by the owner'],
    ...overrides,
  };
}

describe('formatDailyReportText', () => {
  const text = formatDailyReportText(data(), NOW);
  const lines = text.split('\n');

  it('heads the report with the local date and zone', () => {
    expect(lines[0], 'Tokyo date at 00:00 UTC is already the 10th').toBe(
      'Daily report 2026-03-10 (Asia/Tokyo)',
    );
    expect(lines[1]).toBe('paper · simulator');
  });

  it('shows the portfolio, the day change and realised PnL over every window', () => {
    expect(text).toContain('Portfolio: 1,514.55 USDC (+14.55 in 24 h, +0.97%)');
    expect(text).toContain('Realised PnL today: +3.20 USDC');
    expect(text, 'half-up rounding, sign kept').toContain('7 d +12.00 · 30 d -40.10 · all +1,120.50');
    expect(text).toContain('Fees today: 0.42 USDC');
  });

  it('lists the last 24 h of trades in local time order with PnL and origin, to the symbol’s precision when known', () => {
    const tradeLines = lines.filter((l) => /^ {2}(\d\d-\d\d )?\d\d:\d\d /.test(l));
    expect(tradeLines, 'oldest first, Tokyo times, the previous day dated').toEqual([
      '  03-09 13:00 BUY  BTCUSDC 0.0005 @ 60,000.00 = 30.00 USDC [accumulate]',
      '  04:00 BUY  PEPEUSDT 1,000,000 @ 0.0000123456 = 12.35 USDT [scanner]',
      '  07:00 SELL ETHUSDC 0.01000 @ 3,100.00 = 31.00 USDC, PnL +1.20 [take-profit]',
    ]);
    expect(text).toContain('Trades in the last 24 h: 3 (2 buys, 1 sell)');
  });

  it('caps a long trade list and says how many are left out', () => {
    const many = Array.from({ length: 20 }, (_, i) => trade({ time: NOW - (i + 1) * 60_000 }));
    const long = formatDailyReportText(data({ trades: many }), NOW);
    expect(
      long.split('\n').filter((l) => / BUY {2}BTCUSDC /.test(l)),
      'fifteen shown',
    ).toHaveLength(15);
    expect(long).toContain('… and 5 more (/trades)');
  });

  it('ranks best and worst positions by unrealised percent, skipping unknown cost', () => {
    const best = lines.indexOf('Best positions:');
    const worst = lines.indexOf('Worst positions:');
    expect(best, 'best section').toBeGreaterThan(0);
    expect(lines.slice(best + 1, best + 4)).toEqual([
      '  SOL +13.64% (+24.00 USDC, value 200.00)',
      '  BTC +5.26% (+30.00 USDC, value 600.00)',
      '  PEPE -10.57% (-1.30 USDC, value 11.00)',
    ]);
    expect(worst, 'no worst list when every ranked position is already shown').toBe(-1);
    expect(text, 'unknown cost basis not ranked').not.toContain('DUST');

    const many = formatDailyReportText(
      data({
        positions: ['A', 'B', 'C', 'D', 'E'].map((asset, i) => ({
          asset,
          valueUsdc: dec(10),
          unrealisedUsdc: dec(i),
          unrealisedPct: dec(10 - i * 5),
        })),
      }),
      NOW,
    ).split('\n');
    const w = many.indexOf('Worst positions:');
    expect(many.slice(w + 1, w + 3), 'worst first, no overlap with best').toEqual([
      '  E -10.00% (+4.00 USDC, value 10.00)',
      '  D -5.00% (+3.00 USDC, value 10.00)',
    ]);
  });

  it('states reserve headroom, flagging a balance below its reserve', () => {
    expect(text).toContain('  USDC 120.00 above the reserve of 50.00');
    expect(text).toContain('  USDT 2.50 BELOW the reserve of 5.00');
  });

  it('shows the alts/core split with a bar and the target', () => {
    expect(text).toContain('Split: altcoins 40.00% · BTC + ETH 60.00% (target 50.00%)');
    expect(text).toContain(`  alts [${'#'.repeat(8)}${'-'.repeat(12)}] core`);
    expect(formatDailyReportText(data({ split: { coreUsdc: dec(0), altsUsdc: dec(0) } }), NOW)).toContain(
      'Split: nothing invested yet.',
    );
  });

  it('lists warnings and says so when there were no trades', () => {
    expect(text).toContain('Warnings (1):\n  ! scanner paused by the owner');
    const quiet = formatDailyReportText(data({ trades: [], warnings: [] }), NOW);
    expect(quiet).toContain('No trades in the last 24 h.');
    expect(quiet).not.toContain('Warnings');
  });
});

describe('composeDailyReport', () => {
  const chart = { points: [], trades: [], range: '7d' as const };

  it('attaches the rendered chart, passing the zone and window to the renderer', async () => {
    const calls: unknown[] = [];
    const report = await composeDailyReport(data({ chart }), NOW, {
      renderChart: async (input) => {
        calls.push(input);
        return Buffer.from('png');
      },
    });
    expect(report.format).toBe('plain');
    expect(report.chart?.toString()).toBe('png');
    expect(calls, 'renderer input').toEqual([
      expect.objectContaining({ ...chart, now: NOW, timeZone: 'Asia/Tokyo', theme: undefined }),
    ]);
    expect(calls[0], 'the value and split of now, for a fresh history').toHaveProperty('current.coreUsdc');
  });

  it('still sends the text when the chart fails, and says why', async () => {
    const report = await composeDailyReport(data({ chart }), NOW, {
      renderChart: async () => {
        throw new Error('font missing');
      },
    });
    expect(report.chart).toBeUndefined();
    expect(report.text).toMatch(/Chart unavailable: font missing$/);
  });

  it('renders a real PNG through the default renderer', async () => {
    const build = dailyReportBuilder(async (now) =>
      data({
        chart: {
          ...chart,
          points: [{ at: now - HOUR, totalUsdc: dec(1), coreUsdc: dec(0), altsUsdc: dec(0) }],
        },
      }),
    );
    const report = await build(NOW);
    expect(report.chart?.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG attached').toBe(true);
  });
});
