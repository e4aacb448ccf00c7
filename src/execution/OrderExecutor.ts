/**
 * The one place that places and cancels orders, live and paper alike.
 *
 * `execute(intent)` under the asset's keyed lock: rules → blocks → in-profit guard → reserve check
 * (docs/safety-rules.md) → persist PENDING with a fresh client order id → send → NEW. Every external effect
 * is preceded by the state that explains it, so a crash at any await leaves a row the reconciler can resolve
 * by client id. Expected outcomes are values ({@link ExecutionResult}), never exceptions.
 *
 * `track()` follows every non-final order (see {@link OrderTracker}); `cancel()` cancels by client id.
 */
import type { BookTop, ExchangeOrder, OrderRequest, SymbolRules } from '../domain/market.js';
import { isExchangeError } from '../domain/errors.js';
import { type Decimal, ONE, ZERO } from '../domain/money.js';
import { buyFeeRate, checkPriceBand, prepareOrder } from '../domain/orderRules.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type { OrderRecord, OrderRepository } from '../persistence/OrderRepository.js';
import type { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import type { SymbolBlockRepository } from '../persistence/SymbolBlockRepository.js';
import type { Clock } from '../common/clock.js';
import type { KeyedLock } from '../common/KeyedLock.js';
import type { Logger } from '../common/logger.js';
import type { OrderIntent } from '../domain/intent.js';
import type { OrderOrigin } from '../domain/strategy.js';
import type { SettingsReader } from '../strategies/contract.js';
import { newClientOrderId } from './clientOrderId.js';
import type { EventPublisher } from './EventPublisher.js';
import { FillAnnouncer, orderView, type OrderFillsLookup, type RealisedPnlFn } from './FillAnnouncer.js';
import type {
  CancelResult,
  ExecuteOptions,
  ExecutionRefusalCode,
  ExecutionResult,
  ReserveNumbers,
} from './executionTypes.js';
import { headroom, reserveFor } from './headroom.js';
import { OrderTracker, type TrackReport } from './OrderTracker.js';
import { queryOrder } from './queryOrder.js';
import { pegFor, type Peg } from './repricePeg.js';
import { RefusalReporter } from './RefusalReporter.js';
import { formatNumber, formatPrice } from '../domain/format.js';

export type {
  CancelResult,
  ExecuteOptions,
  ExecutionFailureCode,
  ExecutionRefusalCode,
  ExecutionResult,
  ReserveNumbers,
} from './executionTypes.js';

/** The repositories, exchange, lock, settings and hooks the executor works through. */
export interface OrderExecutorOptions {
  readonly blocks: SymbolBlockRepository;
  readonly clock: Clock;
  readonly events: EventPublisher;
  readonly exchange: ExchangePort;
  readonly locks: KeyedLock;
  readonly logger: Logger;
  readonly orders: OrderRepository;
  /** Live settings: reserve.usdc, reserve.usdt, exclusions. */
  readonly settings: SettingsReader;
  readonly state: StrategyStateRepository;
  /** Fills of an order, for the fee in `order.filled` (default: estimated from the fee rate). */
  readonly fillsOf?: OrderFillsLookup;
  /** Realised PnL of a sell fill, for `order.filled`. */
  readonly realisedPnl?: RealisedPnlFn;
  /**
   * Records the account's fills of a symbol in the fill ledger. Called before an order row shows
   * newly executed quantity, so whoever sees the order filled also sees its fills: cooldowns and
   * daily caps are read from fills, and an order that is neither open nor in the fills would let
   * a strategy buy or sell again at once.
   */
  readonly recordFills?: (symbol: string) => Promise<unknown>;
  /**
   * Runs before an order is recorded and sent: a symbol traded for the first time gets its fill
   * history started (HistorySync.beforeOrder), so its first fill is recorded with one short read.
   */
  readonly beforeOrder?: (symbol: string) => Promise<void>;
  /** Strategy orders of a paused strategy are refused (closes the race with /pause and /panic). */
  readonly isPaused?: (origin: OrderOrigin) => boolean;
  readonly newClientOrderId?: (origin: OrderOrigin, now: number) => string;
  /** Wall-clock sleep between unknown-outcome queries. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Delays before each query that resolves an unknown outcome right after sending. Default 0.5, 1, 2, 4 s. */
  readonly resolveDelaysMs?: readonly number[];
  /** How long a 10007 answer blocks a symbol. Default 24 h. */
  readonly notTradableBlockMs?: number;
  /** Throttle window of refusal reports. Default 1 h. */
  readonly refusalReportWindowMs?: number;
  /** Time since sending before "not found" may mean anything. Default 60 s. */
  readonly notFoundGraceMs?: number;
  /** Consecutive not-found answers needed as well. Default 3. */
  readonly notFoundMinCount?: number;
}

/** Assets with a reserve setting. */
const RESERVED_ASSETS: ReadonlySet<string> = new Set(['USDC', 'USDT']);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Checks, records and sends every order and cancel the bot makes, so each is traceable by client order id.
 */
export class OrderExecutor {
  readonly #o: OrderExecutorOptions;
  readonly #refusals: RefusalReporter;
  readonly #fills: FillAnnouncer;
  readonly #tracker: OrderTracker;

  constructor(options: OrderExecutorOptions) {
    this.#o = options;
    this.#refusals = new RefusalReporter({
      clock: options.clock,
      events: options.events,
      logger: options.logger,
      state: options.state,
      windowMs: options.refusalReportWindowMs,
    });
    this.#fills = new FillAnnouncer({
      events: options.events,
      fillsOf: options.fillsOf,
      headroomAfter: (quote) => this.headroomOf(quote),
      logger: options.logger,
      orders: options.orders,
      realisedPnl: options.realisedPnl,
    });
    this.#tracker = new OrderTracker({ ...options, executor: this });
  }

  /** Places an order for `intent`, or says why not. Never throws for expected outcomes. */
  async execute(intent: OrderIntent, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    let rules: SymbolRules | undefined;
    try {
      rules = (await this.#o.exchange.getRules()).get(intent.symbol);
    } catch (error) {
      return { status: 'failed', code: 'exchange', reason: `exchange rules unavailable: ${message(error)}` };
    }
    if (!rules) return this.#refuse(intent, 'rules', `${intent.symbol} is not listed on the exchange`);
    // Buys also lock the quote asset: two buys spending the same USDC must not both pass the reserve check.
    const keys = intent.side === 'BUY' ? [rules.baseAsset, rules.quoteAsset] : [rules.baseAsset];
    const symbolRules = rules;
    return this.#o.locks.withLock(keys, () => this.#executeLocked(intent, symbolRules, options));
  }

  /** Cancels one of the bot's orders by client id and applies the final state. */
  async cancel(clientOrderId: string, reason: string): Promise<CancelResult> {
    const order = this.#o.orders.get(clientOrderId);
    if (!order) return { status: 'unknown-order', clientOrderId };
    return this.#o.locks.withLock([order.baseAsset], () => this.cancelLocked(clientOrderId, reason));
  }

  /**
   * Follows every non-final order once: applies exchange updates, announces fills and
   * cancellations once, cancels orders past their TTL and re-places them when asked, resolves
   * PENDING/UNKNOWN orders and marks LOST ones. Run it often (the `orders.track` job).
   */
  track(): Promise<TrackReport> {
    return this.#tracker.track();
  }

  /** Whether any of the bot's orders is working on the exchange (NEW or PARTIALLY_FILLED). */
  hasWorkingOrders(): boolean {
    return this.#o.orders.listNonFinal().some((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');
  }

  /** The quick look at working orders between sweeps (the `orders.watch` job); see OrderTracker.watch. */
  watch(): ReturnType<OrderTracker['watch']> {
    return this.#tracker.watch();
  }

  /** Free quote balance minus open buys and the reserve, read fresh from the exchange. */
  async headroomOf(quoteAsset: string): Promise<Decimal> {
    const balances = await this.#o.exchange.getBalances();
    const free = balances.find((b) => b.asset === quoteAsset)?.free ?? ZERO;
    const openBuys = this.#o.orders.openBuyNotionalByQuote().get(quoteAsset) ?? ZERO;
    return headroom({ free, openBuys, reserve: reserveFor(quoteAsset, this.#o.settings) });
  }

  /**
   * Internal. Applies an exchange report to an order row and announces what changed (fills once,
   * cancellation once). Callers hold the asset lock.
   */
  async applyExchangeState(order: OrderRecord, state: ExchangeOrder, why: string): Promise<OrderRecord> {
    if (
      this.#o.recordFills &&
      state.executedQty.greaterThan(order.executedQty) &&
      // Fills the user stream already recorded need no myTrades read.
      !(await this.ledgerCovers(order, state.executedQty))
    ) {
      try {
        await this.#o.recordFills(order.symbol);
      } catch (error) {
        this.#o.logger.warn(
          { err: error, symbol: order.symbol },
          'fills not recorded yet; the next reconciliation syncs them',
        );
      }
    }
    const { changed, before, after } = this.#o.orders.applyUpdate(
      order.clientOrderId,
      state,
      this.#o.clock.now(),
    );
    await this.announcePending(after);
    const cancelled = (s: string) => s === 'CANCELED' || s === 'PARTIALLY_CANCELED';
    if (changed && cancelled(after.status) && !cancelled(before.status)) {
      this.#o.events.publish({ type: 'order.cancelled', order: orderView(after), why });
    }
    return this.#o.orders.get(order.clientOrderId) ?? after;
  }

  /**
   * Whether the fill ledger already holds fills of `order` for at least `executedQty` (through
   * `fillsOf`; false without it).
   */
  async ledgerCovers(order: OrderRecord, executedQty: Decimal): Promise<boolean> {
    if (!this.#o.fillsOf) return false;
    try {
      const fills = (await this.#o.fillsOf(order)).filter(
        (f) =>
          f.symbol === order.symbol &&
          (f.clientOrderId === order.clientOrderId ||
            (order.exchangeOrderId !== undefined && f.orderId === order.exchangeOrderId)),
      );
      return fills.reduce((sum, f) => sum.plus(f.qty), ZERO).greaterThanOrEqualTo(executedQty);
    } catch (error) {
      this.#o.logger.warn({ err: error, clientOrderId: order.clientOrderId }, 'fills of order unavailable');
      return false;
    }
  }

  /**
   * An order state the exchange pushed on its own (the user stream), applied under the order's
   * asset lock exactly like a query's answer: fills announced once, a cancellation once. Returns
   * the updated row, or undefined for an order the bot does not know (the reconciler reports those).
   */
  async applyReported(state: ExchangeOrder, why: string): Promise<OrderRecord | undefined> {
    const clientOrderId = state.clientOrderId;
    const listed = clientOrderId === undefined ? undefined : this.#o.orders.get(clientOrderId);
    if (!listed) return undefined;
    return this.#o.locks.withLock([listed.baseAsset], async () => {
      const order = this.#o.orders.get(listed.clientOrderId);
      if (!order || order.finalAt !== undefined) return order;
      return this.applyExchangeState(order, state, why);
    });
  }

  /** Follows one order now by client id, as the tracking sweep does (a hint that it changed). */
  follow(clientOrderId: string): Promise<void> {
    return this.#tracker.follow(clientOrderId);
  }

  /**
   * Internal. Announces the part of `order`'s executed quantity not announced yet (`order.filled`),
   * at most once. Callers hold the asset lock.
   */
  async announcePending(order: OrderRecord): Promise<boolean> {
    if (!order.executedQty.greaterThan(order.reportedQty)) return false;
    const rules = await this.#o.exchange
      .getRules()
      .then((r) => r.get(order.symbol))
      .catch(() => undefined);
    return this.#fills.announce(order, rules);
  }

  /** Internal. Cancel while holding the order's asset lock. */
  async cancelLocked(clientOrderId: string, reason: string): Promise<CancelResult> {
    const { exchange, orders } = this.#o;
    const order = orders.get(clientOrderId);
    if (!order) return { status: 'unknown-order', clientOrderId };
    if (order.finalAt !== undefined) return { status: 'not-open', order };
    const ref = { symbol: order.symbol, clientOrderId };
    let state: ExchangeOrder | undefined;
    try {
      state = (await exchange.cancelOrder(ref)) ?? (await queryOrder(exchange, ref));
    } catch (error) {
      if (!isExchangeError(error, 'not-found')) {
        this.#o.logger.warn({ err: error, clientOrderId }, 'cancel failed');
        return { status: 'failed', order, reason: message(error) };
      }
      // Finished (or never placed): find out how it ended instead of assuming.
      try {
        state = await queryOrder(exchange, ref);
      } catch (lookupError) {
        return { status: 'failed', order, reason: message(lookupError) };
      }
      if (!state) return { status: 'not-open', order };
    }
    if (!state) return { status: 'pending', order };
    const after = await this.applyExchangeState(order, state, reason);
    if (after.status === 'CANCELED' || after.status === 'PARTIALLY_CANCELED')
      return { status: 'cancelled', order: after };
    if (after.finalAt !== undefined) return { status: 'not-open', order: after };
    return { status: 'pending', order: after };
  }

  async #executeLocked(
    intent: OrderIntent,
    rules: SymbolRules,
    options: ExecuteOptions,
  ): Promise<ExecutionResult> {
    const { clock, orders, settings } = this.#o;
    const now = clock.now();
    if (intent.origin !== 'manual' && this.#o.isPaused?.(intent.origin)) {
      return this.#refuse(intent, 'paused', `${intent.origin} is paused`);
    }
    // A strategy switched off (`/pause <strategy>` does this) places nothing more, not even the
    // re-priced copy of an order that expired after it was switched off.
    if (intent.origin !== 'manual' && !settings.get(`${intent.origin}.enabled`)) {
      return this.#refuse(
        intent,
        'paused',
        `${intent.origin} is switched off (${intent.origin}.enabled off)`,
      );
    }
    if (settings.get('exclusions').includes(intent.symbol)) {
      return this.#refuse(intent, 'blocked', `${intent.symbol} is excluded by the owner`);
    }
    const block = this.#o.blocks.get(intent.symbol, now);
    if (block) {
      const until = new Date(block.until).toISOString();
      return this.#refuse(intent, 'blocked', `${intent.symbol} is blocked until ${until}: ${block.reason}`);
    }
    const prepared = prepareOrder(intent, rules);
    if (!prepared.ok) {
      return this.#refuse(
        intent,
        prepared.code === 'not-tradable' ? 'not-tradable' : 'rules',
        prepared.reason,
      );
    }
    if (options.bookTop && prepared.price) {
      const mid = options.bookTop.bid.plus(options.bookTop.ask).div(2);
      const outside = checkPriceBand(rules, intent.side, prepared.price, mid);
      if (outside) return this.#refuse(intent, 'rules', outside);
    }
    if (intent.side === 'SELL' && intent.minSellPrice && !intent.allowLoss) {
      const price = prepared.price ?? intent.price;
      if (price.lessThan(intent.minSellPrice)) {
        return this.#refuse(
          intent,
          'in-profit',
          `${intent.symbol}: sell price ${formatPrice(price, rules.tickSize)} is below ${formatPrice(intent.minSellPrice, rules.tickSize)} (average cost plus both fees)`,
        );
      }
    }
    // Reserve rule: what the order spends is the quote of a buy with the fee it may pay (fees are charged
    // in the quote), or the base of a sell (selling USDC on USDCUSDT spends USDC). Buys are always
    // checked; sells only when they spend a reserved asset.
    const spent =
      intent.side === 'BUY'
        ? {
            asset: rules.quoteAsset,
            amount: prepared.notional.times(ONE.plus(buyFeeRate(rules, intent.type))),
          }
        : { asset: rules.baseAsset, amount: prepared.quantity };
    if (intent.side === 'BUY' || RESERVED_ASSETS.has(spent.asset)) {
      let numbers: ReserveNumbers;
      try {
        numbers = await this.#reserveNumbers(spent.asset, spent.amount);
      } catch (error) {
        return { status: 'failed', code: 'exchange', reason: `balances unavailable: ${message(error)}` };
      }
      if (numbers.headroom.lessThan(numbers.notional)) {
        const a = numbers.asset;
        const why =
          `${intent.side === 'BUY' ? 'buying' : 'selling'} ${intent.symbol} for ${formatNumber(numbers.notional)} ${a}${intent.side === 'BUY' ? ' with fees' : ''} would leave ` +
          `${formatNumber(numbers.headroom.minus(numbers.notional).plus(numbers.reserve))} ${a} free after open buys, ` +
          `below the reserve of ${formatNumber(numbers.reserve)} ${a} ` +
          `(free ${formatNumber(numbers.free)}, open buy orders ${formatNumber(numbers.openBuys)}, headroom ${formatNumber(numbers.headroom)})`;
        return this.#refuse(intent, 'reserve', why, numbers);
      }
    }
    const peg = intent.repriceOnExpiry ? await this.#peg(intent, options.bookTop) : undefined;
    // Where the symbol's fill history starts, before its first order can fill (HistorySync).
    await this.#o.beforeOrder?.(intent.symbol);
    const clientOrderId = (this.#o.newClientOrderId ?? newClientOrderId)(intent.origin, now);
    // Persisted BEFORE the exchange sees it: a crash from here on leaves a row to resolve by client id.
    const order = orders.createPending({
      clientOrderId,
      origin: intent.origin,
      symbol: intent.symbol,
      baseAsset: rules.baseAsset,
      quoteAsset: rules.quoteAsset,
      side: intent.side,
      type: intent.type,
      price: prepared.price,
      quantity: prepared.quantity,
      reason: intent.reason,
      ttlMs: intent.ttlMs,
      repriceOnExpiry: intent.repriceOnExpiry,
      minSellPrice: intent.minSellPrice,
      allowLoss: intent.allowLoss,
      pegRef: peg?.ref,
      pegRatio: peg?.ratio,
      replaces: options.replaces,
      createdAt: now,
    });
    const request: OrderRequest = {
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      quantity: prepared.quantity,
      price: prepared.price,
      clientOrderId,
    };
    let ackOrderId: string;
    try {
      ackOrderId = (await this.#o.exchange.placeOrder(request)).orderId;
    } catch (error) {
      return this.#onPlaceError(order, error);
    }
    const placed = orders.markSent(clientOrderId, ackOrderId, clock.now());
    this.#o.events.publish({ type: 'order.placed', order: orderView(placed) });
    if (placed.type === 'IMMEDIATE_OR_CANCEL' || placed.type === 'MARKET') {
      // These end at once; settle now so the next snapshot does not see them as open.
      const settled = await this.#queryOnce(placed, 'immediate order settled');
      return { status: 'placed', order: settled ?? placed };
    }
    return { status: 'placed', order: placed };
  }

  async #onPlaceError(order: OrderRecord, error: unknown): Promise<ExecutionResult> {
    const { clock, orders } = this.#o;
    const why = message(error);
    const unknownOutcome =
      !isExchangeError(error) || error.kind === 'unknown-outcome' || error.kind === 'temporary';
    if (unknownOutcome) {
      // Maybe sent: never re-send; resolve by client id (a fresh order may be "not found" for seconds).
      const unknown = orders.markUnknown(order.clientOrderId, why, clock.now());
      this.#o.events.publish({ type: 'order.unknown', order: orderView(unknown), why });
      const resolved = await this.#resolveUnknown(unknown);
      if (resolved) return { status: 'placed', order: resolved };
      return {
        status: 'unknown',
        order: orders.get(order.clientOrderId) ?? unknown,
        reason: `${why}; the exchange has not confirmed it yet, tracking continues by client id`,
      };
    }
    const rejected = orders.markRejected(order.clientOrderId, why, clock.now());
    const refusal = { origin: order.origin, symbol: order.symbol, side: order.side };
    switch (error.kind) {
      case 'not-tradable': {
        const until = clock.now() + (this.#o.notTradableBlockMs ?? 24 * 3_600_000);
        this.#o.blocks.block(
          order.symbol,
          until,
          `exchange answered ${error.code ?? 'not tradable'}: ${why}`,
        );
        this.#o.events.publish({
          type: 'alert',
          severity: 'critical',
          key: `not-tradable:${order.symbol}`,
          message: `${order.symbol} is not API-tradable now (${why}); excluded for 24 h`,
        });
        this.#refusals.report({ ...refusal, code: 'not-tradable', why });
        return { status: 'failed', code: 'not-tradable', reason: why, order: rejected };
      }
      case 'insufficient-funds':
        this.#refusals.report({ ...refusal, code: 'exchange', why: `insufficient funds: ${why}` });
        return { status: 'failed', code: 'insufficient-funds', reason: why, order: rejected };
      case 'invalid-order':
        // The cached rules may be stale: reload them so the next order is rounded right.
        await this.#o.exchange.refreshRules().catch((e: unknown) => {
          this.#o.logger.warn({ err: e }, 'rules refresh failed');
        });
        this.#refusals.report({ ...refusal, code: 'rules', why: `exchange refused the order: ${why}` });
        return { status: 'failed', code: 'invalid-order', reason: why, order: rejected };
      case 'auth':
        this.#o.events.publish({
          type: 'alert',
          severity: 'critical',
          key: 'exchange-auth',
          message: `the exchange refused the API key: ${why}`,
        });
        return { status: 'failed', code: 'auth', reason: why, order: rejected };
      case 'rate-limited':
        return { status: 'failed', code: 'rate-limited', reason: why, order: rejected };
      case 'suspended':
        this.#refusals.report({ ...refusal, code: 'exchange', why: `trading suspended: ${why}` });
        return { status: 'failed', code: 'suspended', reason: why, order: rejected };
      default:
        this.#refusals.report({ ...refusal, code: 'exchange', why });
        return { status: 'failed', code: 'exchange', reason: why, order: rejected };
    }
  }

  async #resolveUnknown(order: OrderRecord): Promise<OrderRecord | undefined> {
    const sleep = this.#o.sleep ?? realSleep;
    for (const delay of this.#o.resolveDelaysMs ?? [500, 1_000, 2_000, 4_000]) {
      await sleep(delay);
      const resolved = await this.#queryOnce(order, 'resolved after an unclear answer');
      if (resolved) return resolved;
    }
    return undefined;
  }

  /** One query by client id: applies the state when found, counts a not-found otherwise. */
  async #queryOnce(order: OrderRecord, why: string): Promise<OrderRecord | undefined> {
    try {
      const state = await queryOrder(this.#o.exchange, {
        symbol: order.symbol,
        clientOrderId: order.clientOrderId,
      });
      if (!state) {
        this.#o.orders.recordNotFound(order.clientOrderId, this.#o.clock.now());
        return undefined;
      }
      const after = await this.applyExchangeState(order, state, why);
      if (order.status === 'UNKNOWN' && after.status !== 'UNKNOWN') {
        this.#o.events.audit({
          type: 'order.resolved',
          severity: 'info',
          origin: order.origin,
          symbol: order.symbol,
          message: `${order.clientOrderId} found on the exchange as ${after.status}`,
        });
      }
      return after;
    } catch (error) {
      this.#o.logger.warn({ err: error, clientOrderId: order.clientOrderId }, 'order query failed');
      return undefined;
    }
  }

  async #reserveNumbers(asset: string, notional: Decimal): Promise<ReserveNumbers> {
    const balances = await this.#o.exchange.getBalances();
    const free = balances.find((b) => b.asset === asset)?.free ?? ZERO;
    const openBuys = this.#o.orders.openBuyNotionalByQuote().get(asset) ?? ZERO;
    const reserve = reserveFor(asset, this.#o.settings);
    return { asset, free, openBuys, reserve, headroom: headroom({ free, openBuys, reserve }), notional };
  }

  /** The re-pricing peg from the caller's book top, or a fresh one. */
  async #peg(intent: OrderIntent, bookTop: BookTop | undefined): Promise<Peg | undefined> {
    let top = bookTop;
    if (!top) {
      try {
        top = (await this.#o.exchange.getBookTops()).get(intent.symbol);
      } catch (error) {
        this.#o.logger.warn({ err: error, symbol: intent.symbol }, 'book top unavailable for re-pricing peg');
      }
    }
    return top ? pegFor(intent.price, top) : undefined;
  }

  #refuse(
    intent: OrderIntent,
    code: ExecutionRefusalCode,
    reason: string,
    reserve?: ReserveNumbers,
  ): ExecutionResult {
    this.#refusals.report({
      origin: intent.origin,
      symbol: intent.symbol,
      side: intent.side,
      code,
      why: reason,
    });
    return { status: 'refused', code, reason, reserve };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
