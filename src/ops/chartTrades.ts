/**
 * Reads the fills of a time window as chart markers (buys and sells on the equity chart), from
 * the `fills` table that PnL also uses, so the markers match the trades the owner sees in /trades.
 */
import { z } from 'zod';
import { dec } from '../domain/money.js';
import type { Db } from '../persistence/db.js';
import type { ChartTrade } from './charts/renderEquityChart.js';

const rowSchema = z.object({
  time: z.number().int(),
  side: z.enum(['BUY', 'SELL']),
  symbol: z.string(),
  quote_qty: z.string(),
});

/**
 * Fills with `from <= time <= to`, oldest first, at most `limit` (the newest are kept when
 * there are more: a chart with hundreds of markers shows nothing useful anyway).
 */
export function loadChartTrades(db: Db, window: { from: number; to: number; limit?: number }): ChartTrade[] {
  const rows = db
    .prepare(
      `SELECT time, side, symbol, quote_qty FROM fills WHERE time >= ? AND time <= ?
       ORDER BY time DESC LIMIT ?`,
    )
    .all(window.from, window.to, window.limit ?? 300);
  return rows
    .map((raw) => {
      const row = rowSchema.parse(raw);
      return { time: row.time, side: row.side, symbol: row.symbol, value: dec(row.quote_qty) };
    })
    .reverse();
}
