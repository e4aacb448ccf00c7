import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type ExchangeErrorKind, isExchangeError } from '../../src/domain/errors.js';
import type { Balance, BookTop, OrderRequest, SymbolRules } from '../../src/domain/market.js';
import { Decimal, dec, maxDec, quantize, toWire, ZERO } from '../../src/domain/money.js';
import type { ExchangePort } from '../../src/exchange/ExchangePort.js';

/** Decimal equality with both values in the failure message. */
export function expectDec(actual: Decimal | undefined, expected: Decimal, why: string): void {
  expect(actual === undefined ? 'undefined' : toWire(actual), why).toBe(toWire(expected));
}

/**
 * Asserts that `actual` is the fee the rules set on `value` at `rate`: the exact product, or that
 * product rounded (either way: MEXC's direction is unpublished) to the symbol's published fee
 * decimals (`quoteCommissionPrecision`), as the exchange states fee amounts.
 */
export function expectFee(
  actual: Decimal | undefined,
  fee: { readonly value: Decimal; readonly rate: Decimal; readonly rules: SymbolRules },
  why: string,
): void {
  const exact = fee.value.times(fee.rate);
  const places = fee.rules.feeDecimals;
  const allowed = new Set([toWire(exact)]);
  if (places !== undefined) {
    allowed.add(toWire(exact.toDecimalPlaces(places, Decimal.ROUND_DOWN)));
    allowed.add(toWire(exact.toDecimalPlaces(places, Decimal.ROUND_UP)));
  }
  const got = actual === undefined ? 'undefined' : toWire(actual);
  expect([...allowed], `${why}: ${got} is not ${toWire(fee.value)} × ${toWire(fee.rate)}`).toContain(got);
}

/** Awaits `promise` and asserts it rejected with an ExchangeError of `kind`. */
export async function expectRejected(promise: Promise<unknown>, kind: ExchangeErrorKind, why: string) {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    expect.fail(
      `${why}: expected a ${kind} rejection, but it resolved with ${JSON.stringify(outcome.resolved)}`,
    );
  }
  const { error } = outcome;
  expect(isExchangeError(error), `${why}: rejected with an ExchangeError, got ${String(error)}`).toBe(true);
  expect(isExchangeError(error) ? error.kind : undefined, `${why} (${String(error)})`).toBe(kind);
}

/** Free and locked amounts of one asset; an asset the exchange does not list counts as zero. */
export function balanceOf(
  balances: readonly Balance[],
  asset: string,
): { free: Decimal; locked: Decimal; total: Decimal } {
  const b = balances.find((x) => x.asset === asset);
  const free = b?.free ?? ZERO;
  const locked = b?.locked ?? ZERO;
  return { free, locked, total: free.plus(locked) };
}

const RUN_TAG = randomUUID().replace(/-/g, '').slice(0, 10);
let sequence = 0;

/** A fresh client order id, unique across runs and harnesses (≤ 32 characters, MEXC's charset). */
export function newClientOrderId(): string {
  sequence += 1;
  return `ct${RUN_TAG}${sequence.toString(36)}`;
}

/**
 * What the contract tests know about the tradable symbol once the book is pinned: its rules,
 * the pinned book top, and helpers to build prices and order sizes that meet the rules.
 */
export interface ContractMarket {
  readonly rules: SymbolRules;
  readonly base: string;
  readonly quote: string;
  /** The pinned best bid; the ask is {@link SPREAD_TICKS} ticks above. */
  readonly bid: Decimal;
  readonly ask: Decimal;
  /** `n` ticks, as a price difference. */
  ticks(n: number): Decimal;
  /** A step-aligned quantity worth `multiple` × the base order value at `price`, meeting every minimum. */
  qtyAt(price: Decimal, multiple?: number): Decimal;
  /** An order request with a fresh client order id. */
  request(fields: Omit<OrderRequest, 'clientOrderId' | 'symbol'>): OrderRequest;
}

export const SPREAD_TICKS = 10;

/** Pins the book of the tradable symbol around its current bid and derives the {@link ContractMarket}. */
export async function pinMarket(options: {
  port: ExchangePort;
  setBookTop: (symbol: string, top: { bid: string; ask: string }) => Promise<void> | void;
  symbol: string;
}): Promise<ContractMarket> {
  const { port, symbol } = options;
  const rules = (await port.getRules()).get(symbol);
  if (!rules) throw new Error(`harness: no rules for the tradable symbol ${symbol}`);
  const current: BookTop | undefined = (await port.getBookTops()).get(symbol);
  if (!current || current.bid.lessThanOrEqualTo(ZERO)) {
    throw new Error(`harness: ${symbol} needs a book top with a positive bid before the tests start`);
  }
  const ticks = (n: number) => rules.tickSize.times(n);
  const bid = quantize(current.bid, rules.tickSize, 'down');
  const ask = bid.plus(ticks(SPREAD_TICKS));
  await options.setBookTop(symbol, { bid: toWire(bid), ask: toWire(ask) });
  const baseValue = rules.minNotional.greaterThan(ZERO) ? rules.minNotional.times(3) : dec(10);
  const qtyAt = (price: Decimal, multiple = 1) =>
    maxDec(
      quantize(baseValue.times(multiple).div(price), rules.stepSize, 'up'),
      quantize(maxDec(rules.minQty, rules.stepSize), rules.stepSize, 'up'),
    );
  return {
    rules,
    base: rules.baseAsset,
    quote: rules.quoteAsset,
    bid,
    ask,
    ticks,
    qtyAt,
    request: (fields) => ({ symbol, clientOrderId: newClientOrderId(), ...fields }),
  };
}
