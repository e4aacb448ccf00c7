/**
 * Where and at what price a strategy may trade: tradability plus the owner's blocks,
 * the core BTC/ETH markets with their USDT fallback, and holdings valued in USDC or USDT.
 */
import {
  CORE_ASSETS,
  STABLECOINS,
  isTradable,
  type BookTop,
  type CoreAsset,
  type OrderSide,
  type SymbolRules,
} from '../../domain/market.js';
import { ZERO, type Decimal } from '../../domain/money.js';
import type { StrategySnapshot } from '../contract.js';

/** A symbol a strategy may send `side` orders to, with its rules and book. */
export interface Market {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly rules: SymbolRules;
  readonly book: BookTop;
}

/** A market the strategy may trade now, or why it may not. */
export type MarketLookup =
  { readonly ok: true; readonly market: Market } | { readonly ok: false; readonly reason: string };

/**
 * Checks that `symbol` accepts `side` orders from the bot now: rules known and tradable, not
 * excluded or blocked (10007), side allowed, and a two-sided book to price against.
 */
export function lookupMarket(snapshot: StrategySnapshot, symbol: string, side: OrderSide): MarketLookup {
  const rules = snapshot.rules.get(symbol);
  if (!rules) return { ok: false, reason: `${symbol} is not listed` };
  if (snapshot.blockedSymbols.has(symbol)) return { ok: false, reason: `${symbol} is excluded or blocked` };
  if (!isTradable(rules)) {
    const why = !rules.apiTradable
      ? 'not API-tradable'
      : !rules.isSpotTradingAllowed
        ? 'spot trading not allowed'
        : `status ${rules.status}`;
    return { ok: false, reason: `${symbol} is not tradable (${why})` };
  }
  if (
    (rules.tradeSide === 'BUY_ONLY' && side === 'SELL') ||
    (rules.tradeSide === 'SELL_ONLY' && side === 'BUY')
  ) {
    return {
      ok: false,
      reason: `${symbol} allows ${rules.tradeSide === 'BUY_ONLY' ? 'buys' : 'sells'} only`,
    };
  }
  const book = snapshot.bookTops.get(symbol);
  if (!book || book.bid.lessThanOrEqualTo(ZERO) || book.ask.lessThanOrEqualTo(ZERO)) {
    return { ok: false, reason: `${symbol} has no order book price` };
  }
  return {
    ok: true,
    market: { symbol, baseAsset: rules.baseAsset, quoteAsset: rules.quoteAsset, rules, book },
  };
}

/** A core market: `BTCUSDC`, or `BTCUSDT` when the USDC market is not usable (`fallbackReason`). */
export type CoreMarketLookup =
  | { readonly ok: true; readonly market: Market; readonly fallbackReason?: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The market to trade a core asset on: `<asset>USDC`, else `<asset>USDT` with the reason the
 * USDC market was skipped, so the strategy can say why it traded on USDT.
 */
export function coreMarket(snapshot: StrategySnapshot, asset: CoreAsset, side: OrderSide): CoreMarketLookup {
  const primary = lookupMarket(snapshot, `${asset}USDC`, side);
  if (primary.ok) return primary;
  const fallback = lookupMarket(snapshot, `${asset}USDT`, side);
  if (fallback.ok) return { ok: true, market: fallback.market, fallbackReason: primary.reason };
  return { ok: false, reason: `${primary.reason}; ${fallback.reason}` };
}

/** Converts a quote amount of `quoteAsset` (USDC or USDT) to USDC at `snapshot.usdcUsdt`. */
export function toUsdc(snapshot: StrategySnapshot, amount: Decimal, quoteAsset: string): Decimal {
  return quoteAsset === 'USDT' ? amount.div(snapshot.usdcUsdt) : amount;
}

/** Converts a USDC amount into `quoteAsset` (USDC or USDT) at `snapshot.usdcUsdt`. */
export function fromUsdc(snapshot: StrategySnapshot, amountUsdc: Decimal, quoteAsset: string): Decimal {
  return quoteAsset === 'USDT' ? amountUsdc.times(snapshot.usdcUsdt) : amountUsdc;
}

/** Free plus locked quantity of an asset (zero when not held). */
export function heldQty(snapshot: StrategySnapshot, asset: string): Decimal {
  const b = snapshot.balances.get(asset);
  return b ? b.free.plus(b.locked) : ZERO;
}

/** Free quantity of an asset (zero when not held). */
export function freeQty(snapshot: StrategySnapshot, asset: string): Decimal {
  return snapshot.balances.get(asset)?.free ?? ZERO;
}

/** Headroom (free minus open buys minus reserve) of a stablecoin quote. */
export function headroomOf(snapshot: StrategySnapshot, quoteAsset: string): Decimal {
  if (quoteAsset === 'USDC') return snapshot.headroom.usdc;
  if (quoteAsset === 'USDT') return snapshot.headroom.usdt;
  return ZERO;
}

/**
 * The bid of a core asset in USDC, for valuation: `<asset>USDC`'s bid, else `<asset>USDT`'s
 * bid converted at `usdcUsdt`. Valuation works even where trading is blocked.
 */
export function coreBidUsdc(snapshot: StrategySnapshot, asset: CoreAsset): Decimal | undefined {
  const usdc = snapshot.bookTops.get(`${asset}USDC`);
  if (usdc && usdc.bid.greaterThan(ZERO)) return usdc.bid;
  const usdt = snapshot.bookTops.get(`${asset}USDT`);
  if (usdt && usdt.bid.greaterThan(ZERO)) return usdt.bid.div(snapshot.usdcUsdt);
  return undefined;
}

/** True for BTC and ETH. */
export function isCoreAsset(asset: string): asset is CoreAsset {
  return (CORE_ASSETS as readonly string[]).includes(asset);
}

/** Altcoins: anything held that is neither a core asset nor a stablecoin. */
export function isAltAsset(asset: string): boolean {
  return !isCoreAsset(asset) && !STABLECOINS.has(asset);
}

/** One held altcoin valued at its `<asset>USDT` bid. */
export interface AltHolding {
  readonly asset: string;
  readonly symbol: string;
  readonly qty: Decimal;
  readonly bid: Decimal;
  readonly valueUsdt: Decimal;
}

/**
 * Every held altcoin with a `<asset>USDT` bid, largest value first. Holdings without a price
 * are returned in `unpriced` so callers can say so rather than silently drop them.
 */
export function altHoldings(snapshot: StrategySnapshot): {
  readonly priced: readonly AltHolding[];
  readonly unpriced: readonly string[];
} {
  const priced: AltHolding[] = [];
  const unpriced: string[] = [];
  for (const [asset, balance] of snapshot.balances) {
    if (!isAltAsset(asset)) continue;
    const qty = balance.free.plus(balance.locked);
    if (qty.lessThanOrEqualTo(ZERO)) continue;
    const symbol = `${asset}USDT`;
    const book = snapshot.bookTops.get(symbol);
    if (!book || book.bid.lessThanOrEqualTo(ZERO)) {
      unpriced.push(asset);
      continue;
    }
    priced.push({ asset, symbol, qty, bid: book.bid, valueUsdt: qty.times(book.bid) });
  }
  priced.sort((a, b) => b.valueUsdt.comparedTo(a.valueUsdt));
  return { priced, unpriced };
}

/**
 * Converts an amount between USDC and USDT at `usdcUsdt` (identity for the same asset). Used
 * to express a USDC average cost in a USDT market's prices and back.
 */
export function convertStable(
  snapshot: StrategySnapshot,
  amount: Decimal,
  from: string,
  to: string,
): Decimal {
  if (from === to) return amount;
  if (from === 'USDC' && to === 'USDT') return amount.times(snapshot.usdcUsdt);
  if (from === 'USDT' && to === 'USDC') return amount.div(snapshot.usdcUsdt);
  throw new RangeError(`cannot convert ${from} to ${to}: only USDC and USDT are supported`);
}
