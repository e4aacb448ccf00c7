/**
 * The simulated account: balances with locks, orders and fills. Internal to the simulator.
 *
 * All amounts are Decimal. A BUY locks its quote notional plus the worst-case fee (fees are
 * charged in the quote asset on both sides, as on MEXC); a SELL locks its base
 * quantity. Fills consume the lock; a finished order releases whatever is left.
 */
import { createHash } from 'node:crypto';
import type { ExchangeOrderStatus, OrderSide } from '../../domain/market.js';
import { Decimal, ZERO, dec, toWire } from '../../domain/money.js';
import type { SymbolSpec } from './universe.js';

/** The order types the simulator accepts. */
export type SimOrderType = 'LIMIT' | 'LIMIT_MAKER' | 'IMMEDIATE_OR_CANCEL' | 'FILL_OR_KILL' | 'MARKET';

/** One order on the simulated account, with its fills so far and current status. */
export interface SimOrder {
  readonly spec: SymbolSpec;
  readonly orderId: string;
  readonly clientOrderId: string | null;
  readonly side: OrderSide;
  readonly type: SimOrderType;
  /** Limit price; undefined for MARKET. */
  readonly price: Decimal | undefined;
  origQty: Decimal;
  readonly origQuoteOrderQty: Decimal;
  executedQty: Decimal;
  cummulativeQuoteQty: Decimal;
  status: ExchangeOrderStatus;
  readonly time: number;
  updateTime: number;
  readonly lockAsset: string;
  lockRemaining: Decimal;
}

/** One fill on the simulated account, as myTrades reports it. */
export interface SimTrade {
  readonly symbol: string;
  readonly id: string;
  readonly orderId: string;
  readonly clientOrderId: string | null;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly quoteQty: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
  readonly spec: SymbolSpec;
}

/**
 * One change of the account, reported the moment it happens so the user stream can push it:
 * an order placed, filled or ended; a fill; an asset's new free and locked amounts.
 */
export type AccountChange =
  | { readonly kind: 'order'; readonly order: SimOrder; readonly time: number }
  | { readonly kind: 'trade'; readonly trade: SimTrade }
  | {
      readonly kind: 'balance';
      readonly asset: string;
      readonly free: Decimal;
      readonly locked: Decimal;
      readonly time: number;
    };

interface BalanceEntry {
  free: Decimal;
  locked: Decimal;
}

/** Decimals of commissions: at least 8, so a 0.05 % fee on a small order does not round away. */
export function commissionDecimals(spec: SymbolSpec): number {
  return Math.max(spec.pricePrecision, 8);
}

/** The fee of a fill, rounded up (the exchange never under-charges). */
export function feeFor(spec: SymbolSpec, quoteQty: Decimal, rate: Decimal): Decimal {
  return quoteQty.times(rate).toDecimalPlaces(commissionDecimals(spec), Decimal.ROUND_UP);
}

/**
 * The simulated account: balances with locks, orders and fills, changed only by order placement, matching and
 * cancels.
 */
export class Account {
  readonly #seed: number;
  readonly #balances = new Map<string, BalanceEntry>();
  readonly #orders = new Map<string, SimOrder>();
  readonly #byClientId = new Map<string, SimOrder>();
  readonly #open = new Map<string, Set<SimOrder>>();
  readonly #trades: SimTrade[] = [];
  #orderSeq = 0;
  #tradeSeq = 0;
  /** Told of every change (the stream server); unset when nobody listens. */
  onChange: ((change: AccountChange) => void) | undefined;

  constructor(opts: { seed: number; balances: Record<string, string> }) {
    this.#seed = opts.seed;
    for (const [asset, free] of Object.entries(opts.balances)) this.setFree(asset, free);
  }

  #entry(asset: string): BalanceEntry {
    let entry = this.#balances.get(asset);
    if (!entry) {
      entry = { free: ZERO, locked: ZERO };
      this.#balances.set(asset, entry);
    }
    return entry;
  }

  balance(asset: string): { readonly free: Decimal; readonly locked: Decimal } {
    return this.#balances.get(asset) ?? { free: ZERO, locked: ZERO };
  }

  /** Non-empty balances, sorted by asset. */
  balances(): { asset: string; free: Decimal; locked: Decimal }[] {
    return [...this.#balances.entries()]
      .filter(([, b]) => !b.free.isZero() || !b.locked.isZero())
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([asset, b]) => ({ asset, free: b.free, locked: b.locked }));
  }

  setFree(asset: string, free: string | Decimal, time?: number): void {
    const amount = dec(free);
    if (amount.isNegative())
      throw new RangeError(`balance of ${asset} cannot be negative: ${toWire(amount)}`);
    this.#entry(asset).free = amount;
    if (time !== undefined) this.#balanceChanged(time, asset);
  }

  #balanceChanged(time: number, ...assets: string[]): void {
    if (!this.onChange) return;
    for (const asset of new Set(assets)) {
      const { free, locked } = this.balance(asset);
      this.onChange({ kind: 'balance', asset, free, locked, time });
    }
  }

  clientIdTaken(clientOrderId: string): boolean {
    return this.#byClientId.has(clientOrderId);
  }

  /** Registers a new order and locks `lockAmount` of `lockAsset` (the caller checked the balance). */
  open(
    fields: Omit<
      SimOrder,
      'orderId' | 'executedQty' | 'cummulativeQuoteQty' | 'status' | 'updateTime' | 'lockRemaining'
    > & {
      lockAmount: Decimal;
    },
  ): SimOrder {
    const { lockAmount, ...rest } = fields;
    this.#orderSeq++;
    const order: SimOrder = {
      ...rest,
      orderId: `C02__${600_000_000_000_000_000n + BigInt(Math.abs(this.#seed) % 1000) * 1_000_000_000n + BigInt(this.#orderSeq)}`,
      executedQty: ZERO,
      cummulativeQuoteQty: ZERO,
      status: 'NEW',
      updateTime: fields.time,
      lockRemaining: lockAmount,
    };
    const entry = this.#entry(order.lockAsset);
    entry.free = entry.free.minus(lockAmount);
    entry.locked = entry.locked.plus(lockAmount);
    this.#orders.set(order.orderId, order);
    if (order.clientOrderId !== null) this.#byClientId.set(order.clientOrderId, order);
    let set = this.#open.get(order.spec.symbol);
    if (!set) {
      set = new Set();
      this.#open.set(order.spec.symbol, set);
    }
    set.add(order);
    this.onChange?.({ kind: 'order', order, time: order.time });
    this.#balanceChanged(order.time, order.lockAsset);
    return order;
  }

  /** Executes `qty` of `order` at `price`; fees in the quote asset. */
  fill(order: SimOrder, fill: { price: Decimal; qty: Decimal; isMaker: boolean; time: number }): SimTrade {
    const { spec } = order;
    const quoteQty = fill.price.times(fill.qty);
    const commission = feeFor(spec, quoteQty, fill.isMaker ? spec.makerFee : spec.takerFee);
    const base = this.#entry(spec.baseAsset);
    const quote = this.#entry(spec.quoteAsset);
    if (order.side === 'BUY') {
      const cost = quoteQty.plus(commission);
      const fromLock = Decimal.min(cost, order.lockRemaining);
      order.lockRemaining = order.lockRemaining.minus(fromLock);
      quote.locked = quote.locked.minus(fromLock);
      // Only per-fill fee rounding can exceed the lock, by a few units of the last decimal.
      quote.free = quote.free.minus(cost.minus(fromLock));
      base.free = base.free.plus(fill.qty);
    } else {
      order.lockRemaining = order.lockRemaining.minus(fill.qty);
      base.locked = base.locked.minus(fill.qty);
      quote.free = quote.free.plus(quoteQty).minus(commission);
    }
    order.executedQty = order.executedQty.plus(fill.qty);
    order.cummulativeQuoteQty = order.cummulativeQuoteQty.plus(quoteQty);
    order.updateTime = fill.time;
    order.status = order.executedQty.greaterThanOrEqualTo(order.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
    this.#tradeSeq++;
    const trade: SimTrade = {
      symbol: spec.symbol,
      id: createHash('sha256').update(`${this.#seed}:${this.#tradeSeq}`).digest('hex').slice(0, 32),
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      price: fill.price,
      qty: fill.qty,
      quoteQty,
      commission,
      commissionAsset: spec.quoteAsset,
      time: fill.time,
      isBuyer: order.side === 'BUY',
      isMaker: fill.isMaker,
      spec,
    };
    this.#trades.push(trade);
    if (order.status === 'FILLED') this.#close(order, 'FILLED', fill.time);
    // The order MEXC's user stream follows: the deal, the order's new state, then balances.
    this.onChange?.({ kind: 'trade', trade });
    this.onChange?.({ kind: 'order', order, time: fill.time });
    this.#balanceChanged(fill.time, spec.baseAsset, spec.quoteAsset);
    return trade;
  }

  /** Ends an order (cancel, IOC remainder, fill) and releases what is still locked. */
  #close(order: SimOrder, status: ExchangeOrderStatus, time: number): void {
    const entry = this.#entry(order.lockAsset);
    entry.locked = entry.locked.minus(order.lockRemaining);
    entry.free = entry.free.plus(order.lockRemaining);
    order.lockRemaining = ZERO;
    order.status = status;
    order.updateTime = time;
    this.#open.get(order.spec.symbol)?.delete(order);
  }

  /** Cancels the unfilled rest: CANCELED, or PARTIALLY_CANCELED after a partial fill. */
  cancel(order: SimOrder, time: number): void {
    this.#close(order, order.executedQty.isZero() ? 'CANCELED' : 'PARTIALLY_CANCELED', time);
    this.onChange?.({ kind: 'order', order, time });
    this.#balanceChanged(time, order.lockAsset);
  }

  isOpen(order: SimOrder): boolean {
    return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
  }

  openOrders(symbol: string): SimOrder[] {
    return [...(this.#open.get(symbol) ?? [])];
  }

  hasOpenOrders(symbol: string): boolean {
    return (this.#open.get(symbol)?.size ?? 0) > 0;
  }

  byOrderId(orderId: string): SimOrder | undefined {
    return this.#orders.get(orderId);
  }

  byClientOrderId(clientOrderId: string): SimOrder | undefined {
    return this.#byClientId.get(clientOrderId);
  }

  allOrders(): SimOrder[] {
    return [...this.#orders.values()];
  }

  /**
   * Adds a fill from before the simulation (an account's existing trade history): listed by
   * myTrades like any other, with its own filled order id and the taker fee in the quote asset.
   * Balances are not touched (the caller sets them to what the history left).
   */
  addPastTrade(
    spec: SymbolSpec,
    past: { side: 'BUY' | 'SELL'; price: Decimal; qty: Decimal; time: number },
  ): SimTrade {
    this.#orderSeq++;
    this.#tradeSeq++;
    const quoteQty = past.price.times(past.qty);
    const trade: SimTrade = {
      symbol: spec.symbol,
      id: createHash('sha256').update(`${this.#seed}:${this.#tradeSeq}`).digest('hex').slice(0, 32),
      orderId: `C02__${500_000_000_000_000_000n + BigInt(this.#orderSeq)}`,
      clientOrderId: null,
      price: past.price,
      qty: past.qty,
      quoteQty,
      commission: feeFor(spec, quoteQty, spec.takerFee),
      commissionAsset: spec.quoteAsset,
      time: past.time,
      isBuyer: past.side === 'BUY',
      isMaker: false,
      spec,
    };
    this.#trades.push(trade);
    return trade;
  }

  allTrades(): readonly SimTrade[] {
    return this.#trades;
  }
}
