/**
 * A typed in-memory fake of {@link ExchangePort} with MEXC-like order states,
 * locked balances, fills and scripted failures: an order accepted but answered with 503, −2013 for
 * a fresh order, partial fills, 10007 not-tradable, insufficient funds, invalid orders.
 */
import type {
  Balance,
  BookTop,
  Candle,
  Depth,
  ExchangeOrder,
  ExchangeOrderStatus,
  Fill,
  OrderAck,
  OrderRequest,
  SymbolRules,
  Ticker24h,
} from '../../src/domain/market.js';
import { ExchangeError } from '../../src/domain/errors.js';
import { dec, type Decimal, ZERO } from '../../src/domain/money.js';
import type { ExchangePort, FillQuery, OrderRef } from '../../src/exchange/ExchangePort.js';
import type { Clock } from '../../src/common/clock.js';

/** What the next placeOrder call does instead of succeeding normally. */
export type PlaceScript =
  /** The exchange stores the order, but the answer is a 503 (outcome unknown). */
  | { readonly kind: 'accept-then-503' }
  /** The request times out before reaching the exchange (outcome unknown, nothing stored). */
  | { readonly kind: 'timeout-unsent' }
  /** The exchange refuses with this error; nothing stored. */
  | { readonly kind: 'reject'; readonly error: ExchangeError };

interface FakeOrder {
  symbol: string;
  orderId: string;
  clientOrderId?: string;
  side: 'BUY' | 'SELL';
  type: OrderRequest['type'];
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  cummulativeQuoteQty: Decimal;
  status: ExchangeOrderStatus;
  time: number;
  updateTime: number;
  /** getOrder answers "does not exist" this many more times (MEXC −2013 right after create). */
  hiddenQueries: number;
}

export class FakeExchange implements ExchangePort {
  readonly name = 'fake';
  readonly #clock: Clock;
  readonly #rules = new Map<string, SymbolRules>();
  readonly #books = new Map<string, BookTop>();
  readonly #balances = new Map<string, { free: Decimal; locked: Decimal }>();
  readonly #orders = new Map<string, FakeOrder>();
  readonly #fills: Fill[] = [];
  #nextId = 1;

  /** Every placeOrder request, in order (including failed ones). */
  readonly placeCalls: OrderRequest[] = [];
  readonly cancelCalls: OrderRef[] = [];
  getOrderCalls = 0;
  refreshRulesCalls = 0;
  /** Scripted outcomes for the next placeOrder calls. */
  readonly placeScripts: PlaceScript[] = [];
  /** Called at the start of placeOrder, before anything else: lets a test look at the world as the exchange sees the request. */
  onPlace?: (request: OrderRequest) => void;
  /** How many "does not exist" answers a freshly created order gives before it is visible. */
  hideNewOrdersFor = 0;
  /** Answer "does not exist" with a −2013 error instead of undefined (as an adapter may). */
  notFoundThrows = false;
  /** Errors thrown by the next getOrder calls (network trouble while querying). */
  readonly getOrderErrors: ExchangeError[] = [];
  /** Symbols that answer 10007 to orders. */
  readonly notTradable = new Set<string>();
  /** Fee rate charged on fills, in the quote asset. */
  feeRate: Decimal = ZERO;

  constructor(options: {
    readonly clock: Clock;
    readonly rules: readonly SymbolRules[];
    readonly balances?: Readonly<Record<string, string>>;
    readonly books?: Readonly<Record<string, readonly [string, string]>>;
  }) {
    this.#clock = options.clock;
    for (const r of options.rules) this.#rules.set(r.symbol, r);
    for (const [asset, free] of Object.entries(options.balances ?? {})) {
      this.#balances.set(asset, { free: dec(free), locked: ZERO });
    }
    for (const [symbol, [bid, ask]] of Object.entries(options.books ?? {})) this.setBook(symbol, bid, ask);
  }

  // ---- test controls -------------------------------------------------------------------------

  setBook(symbol: string, bid: string, ask: string): void {
    this.#books.set(symbol, {
      symbol,
      bid: dec(bid),
      bidQty: dec('1000'),
      ask: dec(ask),
      askQty: dec('1000'),
    });
  }

  setBalance(asset: string, free: string, locked = '0'): void {
    this.#balances.set(asset, { free: dec(free), locked: dec(locked) });
  }

  balance(asset: string): { free: Decimal; locked: Decimal } {
    return this.#balances.get(asset) ?? { free: ZERO, locked: ZERO };
  }

  /** The exchange's own view of an order, for assertions. */
  order(clientOrderId: string): ExchangeOrder | undefined {
    const o = this.#orders.get(clientOrderId);
    return o ? snapshot(o) : undefined;
  }

  orderCount(): number {
    return this.#orders.size;
  }

  /** An order the bot did not place (e.g. the owner on the website). */
  addForeignOrder(input: {
    symbol: string;
    side: 'BUY' | 'SELL';
    price: string;
    qty: string;
    clientOrderId?: string;
  }): string {
    const orderId = `F${this.#nextId++}`;
    const now = this.#clock.now();
    this.#orders.set(input.clientOrderId ?? orderId, {
      symbol: input.symbol,
      orderId,
      clientOrderId: input.clientOrderId,
      side: input.side,
      type: 'LIMIT',
      price: dec(input.price),
      origQty: dec(input.qty),
      executedQty: ZERO,
      cummulativeQuoteQty: ZERO,
      status: 'NEW',
      time: now,
      updateTime: now,
      hiddenQueries: 0,
    });
    return orderId;
  }

  /** Fills `qty` of an open order at `price` (default: its limit price). */
  fill(clientOrderId: string, qty: string, price?: string): Fill {
    const o = this.#orders.get(clientOrderId);
    if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED'))
      throw new Error(`${clientOrderId} is not open`);
    const q = dec(qty);
    const p = price ? dec(price) : o.price;
    if (o.executedQty.plus(q).greaterThan(o.origQty)) throw new Error('overfill');
    const rules = this.#rules.get(o.symbol)!;
    const quote = q.times(p);
    const fee = quote.times(this.feeRate);
    if (o.side === 'BUY') {
      this.#move(rules.quoteAsset, {
        locked: q.times(o.price).neg(),
        free: q.times(o.price.minus(p)).minus(fee),
      });
      this.#move(rules.baseAsset, { free: q });
    } else {
      this.#move(rules.baseAsset, { locked: q.neg() });
      this.#move(rules.quoteAsset, { free: quote.minus(fee) });
    }
    o.executedQty = o.executedQty.plus(q);
    o.cummulativeQuoteQty = o.cummulativeQuoteQty.plus(quote);
    o.status = o.executedQty.equals(o.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = this.#clock.now();
    const fill: Fill = {
      symbol: o.symbol,
      tradeId: `T${this.#nextId++}`,
      orderId: o.orderId,
      clientOrderId: o.clientOrderId,
      side: o.side,
      price: p,
      qty: q,
      quoteQty: quote,
      commission: fee,
      commissionAsset: rules.quoteAsset,
      time: this.#clock.now(),
      isMaker: o.type === 'LIMIT_MAKER',
    };
    this.#fills.push(fill);
    return fill;
  }

  /** Cancels an order as if from the exchange side (risk control, owner on the website). */
  cancelFromExchange(clientOrderId: string): void {
    const o = this.#orders.get(clientOrderId);
    if (o) this.#cancel(o);
  }

  /** Forgets an order entirely (the exchange lost it). */
  forget(clientOrderId: string): void {
    this.#orders.delete(clientOrderId);
  }

  // ---- ExchangePort --------------------------------------------------------------------------

  async getRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return new Map(this.#rules);
  }

  async refreshRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    this.refreshRulesCalls += 1;
    return new Map(this.#rules);
  }

  async getTickers24h(): Promise<readonly Ticker24h[]> {
    return [...this.#books.values()].map((b) => ({
      symbol: b.symbol,
      lastPrice: b.bid,
      openPrice: b.bid,
      highPrice: b.ask,
      lowPrice: b.bid,
      bidPrice: b.bid,
      askPrice: b.ask,
      volume: dec('1000'),
      quoteVolume: b.bid.times(1000),
      priceChangeFraction: ZERO,
      closeTime: this.#clock.now(),
    }));
  }

  async getBookTops(): Promise<ReadonlyMap<string, BookTop>> {
    return new Map(this.#books);
  }

  async getPrices(): Promise<ReadonlyMap<string, Decimal>> {
    return new Map([...this.#books].map(([s, b]) => [s, b.bid.plus(b.ask).div(2)]));
  }

  async getKlines(): Promise<readonly Candle[]> {
    return [];
  }

  async getDepth(symbol: string): Promise<Depth> {
    const b = this.#books.get(symbol);
    return {
      symbol,
      bids: b ? [{ price: b.bid, qty: b.bidQty }] : [],
      asks: b ? [{ price: b.ask, qty: b.askQty }] : [],
    };
  }

  async getBalances(): Promise<readonly Balance[]> {
    return [...this.#balances].map(([asset, b]) => ({ asset, free: b.free, locked: b.locked }));
  }

  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    this.onPlace?.(request);
    this.placeCalls.push(request);
    const script = this.placeScripts.shift();
    if (script?.kind === 'reject') throw script.error;
    if (script?.kind === 'timeout-unsent') {
      throw new ExchangeError('timeout after 10000 ms', {
        kind: 'unknown-outcome',
        endpoint: 'POST /api/v3/order',
      });
    }
    const rules = this.#rules.get(request.symbol);
    if (!rules) throw new ExchangeError('Invalid symbol.', { kind: 'invalid-order', code: 30014 });
    if (this.notTradable.has(request.symbol)) {
      throw new ExchangeError('symbol not support api', {
        kind: 'not-tradable',
        code: 10007,
        symbol: request.symbol,
      });
    }
    if (this.#orders.has(request.clientOrderId)) {
      throw new ExchangeError('duplicate client order id', { kind: 'invalid-order', code: 33333 });
    }
    const price = request.price ?? this.#books.get(request.symbol)?.ask ?? ZERO;
    if (request.side === 'BUY') {
      const cost = request.quantity.times(price);
      if (this.balance(rules.quoteAsset).free.lessThan(cost)) {
        throw new ExchangeError('Oversold', { kind: 'insufficient-funds', code: 30004 });
      }
      this.#move(rules.quoteAsset, { free: cost.neg(), locked: cost });
    } else {
      if (this.balance(rules.baseAsset).free.lessThan(request.quantity)) {
        throw new ExchangeError('Oversold', { kind: 'insufficient-funds', code: 30005 });
      }
      this.#move(rules.baseAsset, { free: request.quantity.neg(), locked: request.quantity });
    }
    const now = this.#clock.now();
    const order: FakeOrder = {
      symbol: request.symbol,
      orderId: `C01__${this.#nextId++}`,
      clientOrderId: request.clientOrderId,
      side: request.side,
      type: request.type,
      price,
      origQty: request.quantity,
      executedQty: ZERO,
      cummulativeQuoteQty: ZERO,
      status: 'NEW',
      time: now,
      updateTime: now,
      hiddenQueries: this.hideNewOrdersFor,
    };
    this.#orders.set(request.clientOrderId, order);
    if (request.type === 'IMMEDIATE_OR_CANCEL' || request.type === 'MARKET') this.#matchImmediate(order);
    if (script?.kind === 'accept-then-503') {
      throw new ExchangeError('503 Service Unavailable', { kind: 'unknown-outcome', httpStatus: 503 });
    }
    return {
      symbol: request.symbol,
      orderId: order.orderId,
      clientOrderId: request.clientOrderId,
      transactTime: now,
    };
  }

  async getOrder(ref: OrderRef): Promise<ExchangeOrder | undefined> {
    this.getOrderCalls += 1;
    const error = this.getOrderErrors.shift();
    if (error) throw error;
    const o = this.#orders.get(ref.clientOrderId);
    const absent = () => {
      if (this.notFoundThrows)
        throw new ExchangeError('Order does not exist.', { kind: 'not-found', code: -2013 });
      return undefined;
    };
    if (!o || o.symbol !== ref.symbol) return absent();
    if (o.hiddenQueries > 0) {
      o.hiddenQueries -= 1;
      return absent();
    }
    return snapshot(o);
  }

  async cancelOrder(ref: OrderRef): Promise<ExchangeOrder | undefined> {
    this.cancelCalls.push(ref);
    const o = this.#orders.get(ref.clientOrderId);
    if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) {
      throw new ExchangeError('Unknown order sent.', { kind: 'not-found', code: -2011 });
    }
    this.#cancel(o);
    return snapshot(o);
  }

  async getOpenOrders(symbols: readonly string[]): Promise<readonly ExchangeOrder[]> {
    return [...this.#orders.values()]
      .filter((o) => symbols.includes(o.symbol) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))
      .map(snapshot);
  }

  async exchangeTime(): Promise<number> {
    return this.#clock.now();
  }

  async getFills(query: FillQuery): Promise<readonly Fill[]> {
    return this.#fills.filter(
      (f) => f.symbol === query.symbol && f.time >= query.startTime && f.time < query.endTime,
    );
  }

  // ---- internals -----------------------------------------------------------------------------

  #matchImmediate(o: FakeOrder): void {
    const book = this.#books.get(o.symbol);
    const crosses =
      book &&
      (o.side === 'BUY' ? book.ask.lessThanOrEqualTo(o.price) : book.bid.greaterThanOrEqualTo(o.price));
    if (book && crosses && o.clientOrderId) {
      this.fill(o.clientOrderId, o.origQty.toFixed(), (o.side === 'BUY' ? book.ask : book.bid).toFixed());
    } else {
      this.#cancel(o);
    }
  }

  #cancel(o: FakeOrder): void {
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') return;
    const rules = this.#rules.get(o.symbol);
    const left = o.origQty.minus(o.executedQty);
    if (rules && o.clientOrderId) {
      if (o.side === 'BUY')
        this.#move(rules.quoteAsset, { free: left.times(o.price), locked: left.times(o.price).neg() });
      else this.#move(rules.baseAsset, { free: left, locked: left.neg() });
    }
    o.status = o.executedQty.isZero() ? 'CANCELED' : 'PARTIALLY_CANCELED';
    o.updateTime = this.#clock.now();
  }

  #move(asset: string, delta: { free?: Decimal; locked?: Decimal }): void {
    const b = this.balance(asset);
    this.#balances.set(asset, {
      free: b.free.plus(delta.free ?? ZERO),
      locked: b.locked.plus(delta.locked ?? ZERO),
    });
  }
}

function snapshot(o: FakeOrder): ExchangeOrder {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    side: o.side,
    type: o.type,
    price: o.price,
    origQty: o.origQty,
    executedQty: o.executedQty,
    cummulativeQuoteQty: o.cummulativeQuoteQty,
    status: o.status,
    time: o.time,
    updateTime: o.updateTime,
  };
}
