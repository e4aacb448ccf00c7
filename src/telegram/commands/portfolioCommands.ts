/** /status, /balance, /pnl, /trades, /orders and the Cancel buttons of /orders. */
import { Composer, InlineKeyboard } from 'grammy';
import type { OpenOrderView } from '../../app/appViews.js';
import type { BotContext, BotServices } from '../context.js';
import { formatOrders, formatTrades } from '../format/listViews.js';
import { b, escapeHtml } from '../format/html.js';
import { formatBalances, formatPnl, formatStatus } from '../format/portfolioViews.js';
import { formatQty } from '../../domain/format.js';
import { answerTap, editHtml, replyHtml } from '../reply.js';
import { costKeyboard } from './costCommands.js';

/** Callback data of a Cancel button: `o:x:<clientOrderId>` (client ids are ≤ 32 characters). */
export const CANCEL_PREFIX = 'o:x:';

/** One Cancel button per open order (numbered as in the list), two per row. */
function ordersKeyboard(orders: readonly OpenOrderView[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  let inRow = 0;
  orders.slice(0, 30).forEach((o, n) => {
    const data = `${CANCEL_PREFIX}${o.clientOrderId}`;
    if (Buffer.byteLength(data) > 64) return; // too long for a button; /panic still reaches it
    if (inRow === 2) {
      keyboard.row();
      inRow = 0;
    }
    keyboard.text(`✖ ${n + 1}. ${o.symbol}`, data);
    inRow++;
  });
  return keyboard;
}

/** The portfolio commands: /status, /balance, /pnl, /trades and /orders. */
export function portfolioCommands({ app, clock, timeZone }: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('status', async (ctx) => replyHtml(ctx, formatStatus(await app.getStatus())));
  composer.command('balance', async (ctx) => replyHtml(ctx, formatBalances(await app.getBalances())));
  composer.command('pnl', async (ctx) => {
    const pnl = await app.getPnl();
    // The owner gets a "set its cost" button on each holding the trade history cannot explain.
    const unexplained =
      ctx.role === 'owner' && pnl.available
        ? (await app.getUnexplainedHoldings()).filter((h) => h.source !== 'owner')
        : [];
    await replyHtml(ctx, formatPnl(pnl), costKeyboard(unexplained));
  });

  composer.command('trades', async (ctx) => {
    const arg = ctx.match.trim();
    const n = /^\d{1,3}$/.test(arg) ? Math.min(50, Math.max(1, Number(arg))) : 10;
    if (arg !== '' && !/^\d{1,3}$/.test(arg)) {
      await replyHtml(ctx, `Usage: /trades [count], e.g. /trades 20 (at most 50).`);
      return;
    }
    await replyHtml(ctx, formatTrades(app.getTrades(n), clock.now(), timeZone));
  });

  composer.command('orders', async (ctx) => {
    const orders = app.getOpenOrders();
    const text = formatOrders(orders, clock.now());
    if (ctx.role !== 'owner' || orders.length === 0) return replyHtml(ctx, text);
    await replyHtml(ctx, text, ordersKeyboard(orders));
  });

  composer.callbackQuery(/^o:x:(.{1,60})$/, async (ctx) => {
    const id = ctx.match[1]!;
    const r = await app.cancelOrder(id, ctx.actor);
    switch (r.status) {
      case 'cancelled':
        await answerTap(ctx, 'Cancelled');
        await replyHtml(
          ctx,
          `✖ ${b(`Cancelled: ${r.order.side === 'BUY' ? 'buy' : 'sell'} ${formatQty(r.order.quantity)} on ${r.order.symbol}`)}. ` +
            escapeHtml(
              r.order.executedQty.isZero()
                ? 'Nothing of it was filled.'
                : `${formatQty(r.order.executedQty)} had been filled before; that part stays.`,
            ),
        );
        break;
      case 'already-final':
        await answerTap(ctx, `Nothing to cancel: the order is already ${r.orderStatus.toLowerCase()}`);
        break;
      case 'not-found':
        await answerTap(ctx, 'No such order');
        break;
      case 'failed':
        await answerTap(ctx, 'Cancel failed');
        await replyHtml(ctx, `⚠️ Cancel failed: ${escapeHtml(r.error)}`);
        break;
    }
    // Refresh the list so the cancelled order's button disappears.
    const orders = app.getOpenOrders();
    await editHtml(ctx, formatOrders(orders, clock.now()), ordersKeyboard(orders));
  });

  return composer;
}
