/**
 * Paper trading: an {@link ExchangePort} whose public side is real market data (the MEXC
 * client, on MEXC or on the built-in simulator) and whose private side — balances, orders,
 * fills — is simulated here and persisted in SQLite, so a paper account survives restarts.
 *
 * It is its own adapter, never a flag inside the live client, and it answers like MEXC: the
 * same validations, the same error kinds (with MEXC's codes), the same order statuses, fees
 * from the symbol rules charged in the quote asset. Funds are held when
 * an order is accepted and settled when it fills. Resting orders are matched lazily against
 * the current book tops at the start of every private call, and by {@link PaperExchange.matchRestingOrders}.
 *
 * @example
 * const exchange = new PaperExchange({ clock: systemClock, db, initialBalances, market: mexcClient });
 */
import { ExchangeError } from '../../domain/errors.js';
import {
  type Balance,
  type BookTop,
  type ExchangeOrder,
  type ExchangeOrderStatus,
  type Fill,
  FINAL_EXCHANGE_STATUSES,
  type OrderAck,
  type OrderRequest,
  type SymbolRules,
} from '../../domain/market.js';
import { type Decimal, ONE, toWire, ZERO } from '../../domain/money.js';
import type { Db } from '../../persistence/db.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { ExchangePort, FillQuery, KlineQuery, OrderRef } from '../ExchangePort.js';
import { checkNotional, checkOrderShape, invalid, MexcCode, paperError } from './paperOrderChecks.js';
import { bookTopFillModel, type PaperFillModel, planArrival } from './paperMatching.js';
import { type PaperOrder, PaperStore } from './PaperStore.js';

/** The public-data half of an exchange, which the paper exchange trades against. */
export type MarketData = Pick<
  ExchangePort,
  'getRules' | 'refreshRules' | 'getTickers24h' | 'getBookTops' | 'getPrices' | 'getKlines' | 'getDepth'
>;

/** The public market data, database and starting balances a paper account runs on. */
export interface PaperExchangeOptions {
  readonly clock: Clock;
  /** A migrated database; the paper account lives in its `paper_*` tables. */
  readonly db: Db;
  /** Starting balances, written only when the paper account has no balances yet. */
  readonly initialBalances: ReadonlyMap<string, Decimal>;
  readonly logger?: Logger;
  readonly market: MarketData;
  /** How orders meet the market (default: the book tops of the moment; a replay passes its candle model). */
  readonly fillModel?: PaperFillModel;
}

/** One execution of an order against the book. */
interface Execution {
  readonly qty: Decimal;
  readonly price: Decimal;
  readonly isMaker: boolean;
  readonly feeRate: Decimal;
  /** Settle from the funds held for the order (a resting fill) rather than from free funds (a fill on arrival). */
  readonly fromHeld: boolean;
}

/** MEXC's answer to a cancel of an unknown or finished order. */
const UNKNOWN_ORDER_CODE = -2011;

function toExchangeOrder(order: PaperOrder): ExchangeOrder {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    side: order.side,
    type: order.type,
    // MEXC reports "0" as the price of a market order.
    price: order.price ?? ZERO,
    origQty: order.origQty,
    executedQty: order.executedQty,
    cummulativeQuoteQty: order.cummulativeQuoteQty,
    status: order.status,
    time: order.time,
    updateTime: order.updateTime,
  };
}

/** Trades on a simulated private account over real market data, answering exactly like the live exchange. */
export class PaperExchange implements ExchangePort {
  readonly name = 'paper';
  readonly #market: MarketData;
  readonly #clock: Clock;
  readonly #store: PaperStore;
  readonly #logger: Logger | undefined;
  readonly #fills: PaperFillModel;

  constructor(options: PaperExchangeOptions) {
    this.#market = options.market;
    this.#fills = options.fillModel ?? bookTopFillModel;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#store = new PaperStore(options.db);
    if (this.#store.seedBalances(options.initialBalances)) {
      this.#logger?.info(
        { balances: Object.fromEntries([...options.initialBalances].map(([a, v]) => [a, toWire(v)])) },
        'paper account opened with initial balances',
      );
    }
  }

  getRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#market.getRules();
  }
  refreshRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#market.refreshRules();
  }
  getTickers24h() {
    return this.#market.getTickers24h();
  }
  getBookTops(): Promise<ReadonlyMap<string, BookTop>> {
    return this.#market.getBookTops();
  }
  getPrices(): Promise<ReadonlyMap<string, Decimal>> {
    return this.#market.getPrices();
  }
  getKlines(query: KlineQuery) {
    return this.#market.getKlines(query);
  }
  getDepth(symbol: string, limit?: number) {
    return this.#market.getDepth(symbol, limit);
  }

  /** Balances with anything free or held; like MEXC, assets at zero are left out. */
  async getBalances(): Promise<readonly Balance[]> {
    await this.matchRestingOrders();
    return this.#store.balances().filter((b) => !b.free.isZero() || !b.locked.isZero());
  }

  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    const [rules, tops] = await Promise.all([this.#market.getRules(), this.#market.getBookTops()]);
    this.#matchAgainst(tops);
    return this.#store.transaction(() =>
      this.#place(request, rules.get(request.symbol), this.#fills.arrivalTop(request.symbol, tops)),
    );
  }

  async getOrder(ref: OrderRef): Promise<ExchangeOrder | undefined> {
    await this.matchRestingOrders();
    const order = this.#store.orderByClientId(ref.clientOrderId);
    return order && order.symbol === ref.symbol ? toExchangeOrder(order) : undefined;
  }

  async cancelOrder(ref: OrderRef): Promise<ExchangeOrder | undefined> {
    await this.matchRestingOrders();
    return this.#store.transaction(() => {
      const order = this.#store.orderByClientId(ref.clientOrderId);
      if (!order || order.symbol !== ref.symbol || FINAL_EXCHANGE_STATUSES.has(order.status)) {
        throw new ExchangeError(
          `cancel: order ${ref.clientOrderId} on ${ref.symbol} is unknown or already finished (paper, as MEXC ${UNKNOWN_ORDER_CODE})`,
          { kind: 'not-found', code: UNKNOWN_ORDER_CODE, symbol: ref.symbol },
        );
      }
      const canceled = this.#release(order, order.executedQty.isZero() ? 'CANCELED' : 'PARTIALLY_CANCELED');
      this.#logger?.info(
        { symbol: order.symbol, clientOrderId: order.clientOrderId },
        'paper order canceled',
      );
      return toExchangeOrder(canceled);
    });
  }

  async getOpenOrders(symbols: readonly string[]): Promise<readonly ExchangeOrder[]> {
    await this.matchRestingOrders();
    const wanted = new Set(symbols);
    return this.#store
      .openOrders()
      .filter((o) => wanted.has(o.symbol))
      .map(toExchangeOrder);
  }

  /** Paper fills are stamped with the local clock, so that is the exchange's time here. */
  async exchangeTime(): Promise<number> {
    return this.#clock.now();
  }

  async getFills(query: FillQuery): Promise<readonly Fill[]> {
    await this.matchRestingOrders();
    return this.#store.fills(query.symbol, query.startTime, query.endTime);
  }

  /**
   * Fills every resting order the current book tops have reached. The scheduler calls it so
   * paper orders fill even while nothing queries the account; returns how many orders filled.
   */
  async matchRestingOrders(): Promise<number> {
    // Book tops are fetched only when something can fill, so an idle account costs no requests.
    if (this.#store.openOrders().length === 0) return 0;
    return this.#matchAgainst(await this.#market.getBookTops());
  }

  #matchAgainst(tops: ReadonlyMap<string, BookTop>): number {
    return this.#store.transaction(() => {
      let filled = 0;
      // Re-read inside the transaction: a concurrent call may have filled or cancelled since.
      for (const order of this.#store.openOrders()) {
        if (order.price === undefined) continue;
        const price = this.#fills.restingFill(
          { symbol: order.symbol, side: order.side, price: order.price, time: order.time },
          tops,
        );
        if (price === undefined) continue;
        const qty = order.origQty.minus(order.executedQty);
        const done = this.#execute(order, {
          qty,
          price,
          isMaker: true,
          feeRate: order.makerFee,
          fromHeld: true,
        });
        this.#store.updateOrder({ ...done, status: 'FILLED' });
        filled += 1;
      }
      return filled;
    });
  }

  #place(request: OrderRequest, maybeRules: SymbolRules | undefined, top: BookTop | undefined): OrderAck {
    const rules = checkOrderShape(request, maybeRules);
    const { symbol, side, quantity, clientOrderId } = request;
    if (this.#store.orderByClientId(clientOrderId)) {
      throw invalid(undefined, symbol, `client order id ${clientOrderId} was already used`);
    }
    const plan = planArrival(request, rules, top);
    checkNotional(rules, quantity, plan.valuationPrice);
    const [asset, required] =
      side === 'BUY'
        ? [rules.quoteAsset, quantity.times(plan.valuationPrice).times(ONE.plus(plan.reserveFeeRate))]
        : [rules.baseAsset, quantity];
    const { free } = this.#store.balance(asset);
    if (free.lessThan(required)) {
      throw paperError(
        'insufficient-funds',
        MexcCode.InsufficientBalance,
        symbol,
        `${side} ${toWire(quantity)} ${symbol} needs ${toWire(required)} ${asset}, free is ${toWire(free)}`,
      );
    }

    const now = this.#clock.now();
    let order: PaperOrder = {
      orderId: `PAPER-${now}-${this.#store.nextOrderSequence()}`,
      clientOrderId,
      symbol,
      baseAsset: rules.baseAsset,
      quoteAsset: rules.quoteAsset,
      side,
      type: request.type,
      price: request.type === 'MARKET' ? undefined : request.price,
      origQty: quantity,
      executedQty: ZERO,
      cummulativeQuoteQty: ZERO,
      status: 'NEW',
      makerFee: rules.makerFee,
      locked: ZERO,
      time: now,
      updateTime: now,
    };
    this.#store.insertOrder(order);
    for (const part of plan.taker) {
      order = this.#execute(order, {
        ...part,
        isMaker: false,
        feeRate: rules.takerFee,
        fromHeld: false,
      });
    }
    const remaining = order.origQty.minus(order.executedQty);
    let status: ExchangeOrderStatus;
    if (remaining.isZero()) status = 'FILLED';
    else if (!plan.rests) status = order.executedQty.isZero() ? 'CANCELED' : 'PARTIALLY_CANCELED';
    else {
      status = order.executedQty.isZero() ? 'NEW' : 'PARTIALLY_FILLED';
      order = { ...order, locked: this.#hold(order, remaining) };
    }
    this.#store.updateOrder({ ...order, status });
    this.#logger?.info(
      { symbol, side, type: request.type, clientOrderId, quantity: toWire(quantity), status },
      'paper order accepted',
    );
    return { symbol, orderId: order.orderId, clientOrderId, transactTime: now };
  }

  /** Moves the funds for a resting remainder from free to held; returns the amount held. */
  #hold(order: PaperOrder, remaining: Decimal): Decimal {
    if (order.side === 'SELL') {
      this.#store.adjustBalance(order.baseAsset, { free: remaining.neg(), locked: remaining });
      return remaining;
    }
    const amount = remaining.times(order.price!).times(ONE.plus(order.makerFee));
    this.#store.adjustBalance(order.quoteAsset, { free: amount.neg(), locked: amount });
    return amount;
  }

  /** Returns an order's held funds to free and finishes it with `status`. */
  #release(order: PaperOrder, status: ExchangeOrderStatus): PaperOrder {
    const asset = order.side === 'BUY' ? order.quoteAsset : order.baseAsset;
    this.#store.adjustBalance(asset, { free: order.locked, locked: order.locked.neg() });
    const finished = { ...order, locked: ZERO, status, updateTime: this.#clock.now() };
    this.#store.updateOrder(finished);
    return finished;
  }

  /** Records one fill and settles both assets; returns the order with the execution added (status unchanged). */
  #execute(order: PaperOrder, execution: Execution): PaperOrder {
    const { qty, price, isMaker, feeRate, fromHeld } = execution;
    const now = this.#clock.now();
    const quoteQty = qty.times(price);
    const commission = quoteQty.times(feeRate);
    const remaining = order.origQty.minus(order.executedQty);
    // Held funds for this part of the order: all of them when the remainder fills in full.
    const released = !fromHeld
      ? ZERO
      : qty.equals(remaining)
        ? order.locked
        : order.locked.times(qty).div(remaining);
    if (order.side === 'BUY') {
      const cost = quoteQty.plus(commission);
      this.#store.adjustBalance(order.quoteAsset, { free: released.minus(cost), locked: released.neg() });
      this.#store.adjustBalance(order.baseAsset, { free: qty });
    } else {
      this.#store.adjustBalance(order.baseAsset, fromHeld ? { locked: released.neg() } : { free: qty.neg() });
      this.#store.adjustBalance(order.quoteAsset, { free: quoteQty.minus(commission) });
    }
    const fill: Fill = {
      symbol: order.symbol,
      tradeId: `PAPER-T-${now}-${this.#store.nextTradeSequence()}`,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      side: order.side,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset: order.quoteAsset,
      time: now,
      isMaker,
    };
    this.#store.insertFill(fill);
    this.#logger?.info(
      {
        symbol: order.symbol,
        clientOrderId: order.clientOrderId,
        side: order.side,
        qty: toWire(qty),
        price: toWire(price),
        commission: toWire(commission),
        isMaker,
      },
      'paper fill',
    );
    return {
      ...order,
      executedQty: order.executedQty.plus(qty),
      cummulativeQuoteQty: order.cummulativeQuoteQty.plus(quoteQty),
      locked: order.locked.minus(released),
      updateTime: now,
    };
  }
}
