/** /status, /balance, /pnl, /trades, /orders and the Cancel buttons of /orders. */
import { Composer, InlineKeyboard } from 'grammy';
import type { OpenOrderView, Page } from '../../app/appViews.js';
import { PAGE_DATA, pageData, parsePageData, type PagedList } from '../callbackData.js';
import type { BotContext, BotServices } from '../context.js';
import { formatOrders, formatTrades } from '../format/listViews.js';
import { b, escapeHtml } from '../format/html.js';
import { formatBalances, formatPnl, formatStatus } from '../format/portfolioViews.js';
import { formatQty } from '../../domain/format.js';
import { answerTap, editHtml, replyHtml } from '../reply.js';
import { costKeyboard } from './costCommands.js';

/**
 * Callback data of a Cancel button: `o:x:<clientOrderId>:<at>:<id>` (client ids are ≤ 32
 * characters); the key is the first row of the page it sits on, shown again after the cancel.
 */
export const CANCEL_PREFIX = 'o:x:';
const CANCEL_DATA = /^o:x:([A-Za-z0-9_-]{1,32})(?::(\d{1,15}):(\d{1,15}))?$/;

/** Rows per page of /orders (two Cancel buttons per row keep the keyboard small). */
export const ORDERS_PAGE_SIZE = 10;
/** Rows per page of /trades unless a count is given. */
const TRADES_PAGE_SIZE = 10;

/**
 * The ◀ ▶ row of a paged list, toward the top (◀) and the bottom (▶) of the list: ◀ is the
 * page before this one's first row, ▶ the page after its last row.
 */
function addPageRow(
  keyboard: InlineKeyboard,
  list: PagedList,
  page: Page<unknown>,
  size: number,
  labels: readonly [string, string],
): InlineKeyboard {
  const buttons: { text: string; data: string }[] = [];
  if (page.before > 0 && page.first)
    buttons.push({ text: `◀ ${labels[0]}`, data: pageData(list, { kind: 'before', key: page.first }, size) });
  if (page.before + page.rows.length + page.skipped < page.total && page.last)
    buttons.push({ text: `${labels[1]} ▶`, data: pageData(list, { kind: 'after', key: page.last }, size) });
  if (buttons.length > 0) keyboard.row();
  for (const button of buttons) keyboard.text(button.text, button.data);
  return keyboard;
}

function tradesKeyboard(page: Page<unknown>, size: number): InlineKeyboard {
  return addPageRow(new InlineKeyboard(), 't', page, size, ['Newer', 'Older']);
}

/** The owner's Cancel buttons for the orders of the page (numbered as in the list), then ◀ ▶. */
function ordersKeyboard(page: Page<OpenOrderView>, role: BotContext['role']): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  let inRow = 0;
  if (role === 'owner') {
    const anchor = page.first ? `:${page.first.at}:${page.first.id}` : '';
    page.rows.forEach((o, n) => {
      const data = `${CANCEL_PREFIX}${o.clientOrderId}${anchor}`;
      if (Buffer.byteLength(data) > 64) return; // too long for a button; /panic still reaches it
      if (inRow === 2) {
        keyboard.row();
        inRow = 0;
      }
      keyboard.text(`✖ ${page.before + n + 1}. ${o.symbol}`, data);
      inRow++;
    });
  }
  return addPageRow(keyboard, 'o', page, ORDERS_PAGE_SIZE, ['Older', 'Newer']);
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
    if (arg !== '' && !/^\d{1,3}$/.test(arg)) {
      await replyHtml(ctx, `Usage: /trades [count], e.g. /trades 20 (at most 50 per page).`);
      return;
    }
    const size = arg === '' ? TRADES_PAGE_SIZE : Math.min(50, Math.max(1, Number(arg)));
    const page = await app.getTrades({ kind: 'first' }, size);
    await replyHtml(ctx, formatTrades(page, clock.now(), timeZone), tradesKeyboard(page, size));
  });

  composer.command('orders', async (ctx) => {
    const page = await app.getOpenOrders({ kind: 'first' }, ORDERS_PAGE_SIZE);
    await replyHtml(ctx, formatOrders(page, clock.now()), ordersKeyboard(page, ctx.role));
  });

  // ◀ ▶ of /trades and /orders: the same message shows the page the button points at.
  composer.callbackQuery(PAGE_DATA, async (ctx) => {
    const parsed = parsePageData(ctx.callbackQuery.data);
    if (!parsed) return answerTap(ctx);
    await answerTap(ctx);
    if (parsed.list === 't') {
      const page = await app.getTrades(parsed.cursor, parsed.size);
      await editHtml(ctx, formatTrades(page, clock.now(), timeZone), tradesKeyboard(page, parsed.size));
    } else {
      const page = await app.getOpenOrders(parsed.cursor, ORDERS_PAGE_SIZE);
      await editHtml(ctx, formatOrders(page, clock.now()), ordersKeyboard(page, ctx.role));
    }
  });

  composer.callbackQuery(CANCEL_DATA, async (ctx) => {
    const id = ctx.match[1]!;
    const r = await app.cancelOrder(id, ctx.actor);
    switch (r.status) {
      case 'cancelled':
        await answerTap(ctx, 'Cancelled');
        await replyHtml(
          ctx,
          `✖ ${b(`Cancelled: ${r.order.side === 'BUY' ? 'buy' : 'sell'} ${formatQty(r.order.quantity, r.precision?.stepSize)} on ${r.order.symbol}`)}. ` +
            escapeHtml(
              r.order.executedQty.isZero()
                ? 'Nothing of it was filled.'
                : `${formatQty(r.order.executedQty, r.precision?.stepSize)} had been filled before; that part stays.`,
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
    // Show the same page again, so the cancelled order's button disappears.
    const at = ctx.match[2];
    const cursor =
      at === undefined
        ? ({ kind: 'first' } as const)
        : ({ kind: 'from', key: { at: Number(at), id: Number(ctx.match[3]) } } as const);
    const page = await app.getOpenOrders(cursor, ORDERS_PAGE_SIZE);
    await editHtml(ctx, formatOrders(page, clock.now()), ordersKeyboard(page, ctx.role));
  });

  return composer;
}
