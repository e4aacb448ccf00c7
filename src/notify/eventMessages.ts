/**
 * Turns domain events into chat messages: pure formatting, no I/O. Returns undefined for
 * events that are not worth a message (or switched off in settings).
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { BotEvent, OrderView, RefusalCode } from '../domain/events.js';
import type { Decimal } from '../domain/money.js';
import type { SymbolPrecision } from '../domain/market.js';
import { confirmationButtons } from '../telegram/callbackData.js';
import { b, escapeHtml, i } from '../telegram/format/html.js';
import {
  formatAmount,
  formatDuration,
  formatMoney,
  formatPrice,
  formatQty,
  formatSigned,
} from '../domain/format.js';

/** A chat message for one event, with its kind and urgency. */
export interface EventMessage {
  readonly kind: string;
  readonly text: string;
  readonly critical: boolean;
  /** Sent even in quiet hours (a confirmation that would expire while held). */
  readonly urgent?: boolean;
  readonly replyMarkup?: InlineKeyboardMarkup;
  /** Errors: one message per key per window, with a count of the repeats. */
  readonly dedupe?: { readonly key: string; readonly windowMs: number };
}

/** Settings and lookups that decide whether and how an event becomes a message. */
export interface EventContext {
  readonly now: number;
  /** Whether the strategy (or `manual`) places orders only after a confirmation. */
  readonly isConfirmMode: (origin: string) => boolean;
  readonly notifyFills: boolean;
  readonly notifyScanReports: boolean;
  /** The exchange's tick and step of a symbol, when its rules are known. */
  readonly precisionOf: (symbol: string) => SymbolPrecision | undefined;
}

const QUOTES = ['USDC', 'USDT'];

/**
 * A refusal in plain words, by its code: what happened (nothing was placed) and whether the
 * owner needs to do anything. The executor's own reason follows on the next line.
 */
const REFUSAL_WORDS: Readonly<Record<RefusalCode, { readonly what: string; readonly act: string }>> = {
  reserve: {
    what: 'the order would have spent the cash reserve, so nothing was placed',
    act: 'Nothing to do unless you want it to buy: add funds or lower the reserve.',
  },
  rules: {
    what: "the order did not fit the market's rules, so nothing was placed",
    act: 'Nothing to do: it tries again on its next run.',
  },
  'not-tradable': {
    what: 'the exchange does not let the API trade this symbol',
    act: 'Nothing to do: the symbol is skipped for a day.',
  },
  'in-profit': {
    what: 'the sell price was below cost plus fees, so nothing was sold',
    act: 'Nothing to do: it never sells at a loss unless you allow it.',
  },
  blocked: {
    what: 'the symbol is excluded or blocked, so nothing was placed',
    act: 'Nothing to do; /include allows an excluded symbol again.',
  },
  paused: {
    what: 'the strategy is paused, so nothing was placed',
    act: 'Nothing to do; /resume starts it again.',
  },
  exchange: {
    what: 'the exchange refused the order, so nothing was placed',
    act: 'Nothing to do if this is rare; look at /status if it repeats.',
  },
};
const MINUTE = 60_000;

/** Base and quote of a symbol for the quotes the bot trades (`BTCUSDC` → BTC, USDC). */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  return quote ? { base: symbol.slice(0, -quote.length), quote } : { base: symbol, quote: '' };
}

function orderLine(
  o: OrderView,
  qty: Decimal,
  price: Decimal | undefined,
  precision: SymbolPrecision | undefined,
): string {
  const { base } = splitSymbol(o.symbol);
  const verb = o.side === 'BUY' ? 'Buy' : 'Sell';
  const at = price ? ` @ ${formatPrice(price, precision?.tickSize)}` : '';
  return `${verb} ${formatQty(qty, precision?.stepSize)} ${base} on ${o.symbol}${at}`;
}

/** The chat message for an event, or undefined when it does not deserve one. */
export function eventMessage(event: BotEvent, ctx: EventContext): EventMessage | undefined {
  switch (event.type) {
    case 'order.filled': {
      if (!ctx.notifyFills) return undefined;
      const o = event.order;
      const { base, quote } = splitSymbol(o.symbol);
      const icon = o.side === 'BUY' ? '🟢' : '🔴';
      const verb = o.side === 'BUY' ? 'Bought' : 'Sold';
      const p = ctx.precisionOf(o.symbol);
      const lines = [
        `${icon} ${b(`${verb} ${formatQty(event.qty, p?.stepSize)} ${base}`)} on ${escapeHtml(o.symbol)}${event.partial ? ' (partial)' : ''}`,
        escapeHtml(
          `price ${formatPrice(event.avgPrice, p?.tickSize)} · value ${formatAmount(event.quoteQty, quote)} ${quote} · fee ${formatAmount(event.fee, event.feeAsset)} ${event.feeAsset}`,
        ),
      ];
      if (event.realisedPnl)
        lines.push(`realised ${b(`${formatSigned(event.realisedPnl)} ${event.realisedPnlAsset ?? quote}`)}`);
      if (event.headroomAfter)
        lines.push(escapeHtml(`free ${quote} above reserve: ${formatMoney(event.headroomAfter)}`));
      lines.push(`${b(o.origin)}: ${escapeHtml(o.reason)}`);
      return { kind: 'fill', text: lines.join('\n'), critical: false };
    }
    case 'order.placed': {
      const o = event.order;
      if (!ctx.isConfirmMode(o.origin)) return undefined;
      return {
        kind: 'order',
        text: `📨 ${b('Order placed')}: ${escapeHtml(orderLine(o, o.quantity, o.price, ctx.precisionOf(o.symbol)))}\n${b(o.origin)}: ${escapeHtml(o.reason)}`,
        critical: false,
      };
    }
    case 'order.refused': {
      const reserve = event.code === 'reserve';
      const words = REFUSAL_WORDS[event.code];
      const verb = event.side === 'BUY' ? 'buy' : 'sell';
      return {
        kind: 'refusal',
        text:
          `⛔ ${b(`${event.origin} did not ${verb} ${event.symbol}`)}: ${escapeHtml(words.what)}. ${i(words.act)}\n` +
          escapeHtml(`Why: ${event.why}`),
        critical: reserve,
        dedupe: { key: `refused:${event.origin}:${event.code}`, windowMs: (reserve ? 60 : 30) * MINUTE },
      };
    }
    case 'order.unknown':
      return {
        kind: 'alert',
        text: `❓ ${b('Order outcome unknown')}: ${escapeHtml(orderLine(event.order, event.order.quantity, event.order.price, ctx.precisionOf(event.order.symbol)))}\n${escapeHtml(event.why)}\n${i('Being reconciled by its client id; it will not be sent again.')}`,
        critical: false,
        dedupe: { key: `unknown:${event.order.clientOrderId}`, windowMs: 30 * MINUTE },
      };
    case 'order.cancelled':
      return undefined; // re-pricing cancels often; the chat hears about fills, not churn
    case 'intent.proposed': {
      return {
        kind: 'confirmation',
        text: `🤔 ${b(event.origin)} proposes:\n${escapeHtml(event.summary)}\n${i(`Expires in ${formatDuration(Math.max(0, event.expiresAt - ctx.now))}.`)}`,
        critical: false,
        urgent: true,
        replyMarkup: { inline_keyboard: [confirmationButtons(event.confirmationId)] },
      };
    }
    case 'intent.notified':
      return {
        kind: 'proposal',
        text: `📝 ${b(event.origin)} would: ${escapeHtml(event.summary)}`,
        critical: false,
      };
    case 'scan.report':
      if (!ctx.notifyScanReports) return undefined;
      return { kind: 'scan', text: `🔎 ${b('Scan report')}\n${escapeHtml(event.text)}`, critical: false };
    case 'alert': {
      const icon = event.severity === 'critical' ? '🚨' : event.severity === 'warning' ? '⚠️' : 'ℹ️';
      return {
        kind: 'alert',
        text: `${icon} ${escapeHtml(event.message)}`,
        critical: event.severity === 'critical',
        dedupe: { key: `alert:${event.key}`, windowMs: 30 * MINUTE },
      };
    }
  }
}
