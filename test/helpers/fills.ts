import type { OrderSide } from '../../src/domain/market.js';
import { dec } from '../../src/domain/money.js';
import type { PositionFill } from '../../src/domain/portfolio/positions.js';

export interface FillSpec {
  readonly side: OrderSide;
  readonly price: string;
  readonly qty: string;
  readonly symbol?: string;
  /** Defaults to price × qty. */
  readonly quoteQty?: string;
  readonly fee?: string;
  readonly feeAsset?: string;
  readonly tradeId?: string;
  readonly orderId?: string;
  readonly clientOrderId?: string;
  readonly time?: number;
  readonly origin?: string;
}

const QUOTES = ['USDT', 'USDC', 'BTC'];
export const T0 = Date.UTC(2026, 0, 1);

/** Splits a symbol on a known quote asset (test symbols only). */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  if (quote === undefined) throw new Error(`test symbol without a known quote: ${symbol}`);
  return { base: symbol.slice(0, -quote.length), quote };
}

let counter = 0;

/** A position fill from readable strings; ids and times are sequential unless given. */
export function makeFill(spec: FillSpec): PositionFill {
  counter += 1;
  const symbol = spec.symbol ?? 'BTCUSDC';
  const { base, quote } = splitSymbol(symbol);
  const price = dec(spec.price);
  const qty = dec(spec.qty);
  return {
    symbol,
    baseAsset: base,
    quoteAsset: quote,
    tradeId: spec.tradeId ?? String(counter),
    orderId: spec.orderId ?? `o${counter}`,
    ...(spec.clientOrderId !== undefined ? { clientOrderId: spec.clientOrderId } : {}),
    ...(spec.origin !== undefined ? { origin: spec.origin } : {}),
    side: spec.side,
    price,
    qty,
    quoteQty: spec.quoteQty !== undefined ? dec(spec.quoteQty) : price.times(qty),
    commission: dec(spec.fee ?? '0'),
    commissionAsset: spec.feeAsset ?? (spec.fee !== undefined ? quote : ''),
    time: spec.time ?? T0 + counter * 1000,
    isMaker: false,
  };
}

/** Builds fills in order with strictly increasing times and trade ids. */
export function sequence(specs: readonly FillSpec[]): PositionFill[] {
  return specs.map((spec, i) =>
    makeFill({ tradeId: String(1000 + i), time: T0 + i * 60_000, orderId: `o${1000 + i}`, ...spec }),
  );
}
