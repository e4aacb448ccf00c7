/**
 * MEXC spot v3 REST adapter behind {@link ExchangePort}: the live exchange, and the built-in
 * simulator (same wire protocol). Layering: MexcHttp (axios, signing, limiter, retries, errors)
 * → mexcSchemas (zod wire types) → mexcMapper (domain types with Decimal) → this port.
 *
 * The public side works without keys; private methods throw an `auth` ExchangeError naming the
 * missing environment variables.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/introduction
 */
import { ExchangeError, ExchangeErrorKind, isExchangeError } from '../../domain/errors.js';
import {
  type Balance,
  type BookTop,
  type Candle,
  type Depth,
  type ExchangeOrder,
  type Fill,
  INTERVAL_MS,
  type OrderAck,
  type OrderRequest,
  type SymbolRules,
  type Ticker24h,
} from '../../domain/market.js';
import { dec, type Decimal, toWire } from '../../domain/money.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { mapInTurns } from '../../common/turns.js';
import type { ExchangePort, FillQuery, KlineQuery, OrderRef } from '../ExchangePort.js';
import type { RateLimiter } from '../rateLimiter.js';
import { RulesCache } from '../RulesCache.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry.js';
import { collectFillsInWindows, MY_TRADES_LIMIT } from './fillWindows.js';
import { MexcHttp } from './MexcHttp.js';
import { mexcPayloadError } from './mexcErrors.js';
import { MEXC_ENDPOINTS as E } from './mexcEndpoints.js';
import * as map from './mexcMapper.js';
import * as S from './mexcSchemas.js';
import { formatZodError } from './mexcSchemas.js';
import { ServerTime } from './serverTime.js';

/** Address, optional API keys, clock, logger and request budget of the MEXC client. */
export interface MexcClientOptions {
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The process-wide limiter shared with every other exchange request. */
  readonly limiter: RateLimiter;
  /** Per-attempt HTTP timeout. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** MEXC `recvWindow`. Default 5000 (MEXC recommends ≤ 5000). */
  readonly recvWindow?: number;
  /** Age after which getRules() reloads. Default 1 h. */
  readonly rulesTtlMs?: number;
  /** Retries of idempotent reads. Default 3 attempts, 300 ms base delay. */
  readonly retry?: RetryPolicy;
  /** Server-time offset refresh period. Default 5 min. */
  readonly timeRefreshMs?: number;
  /** Backoff sleep; injected by tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); injected by tests. */
  readonly random?: () => number;
}

/** Maximum kline rows per request (MEXC's practical cap). */
export const MAX_KLINES = 500;

/**
 * @example
 * const mexc = new MexcClient({ baseUrl, apiKey, apiSecret, clock: systemClock, logger, limiter });
 * const rules = await mexc.getRules();
 */
export class MexcClient implements ExchangePort {
  readonly name = 'mexc';
  readonly #http: MexcHttp;
  readonly #serverTime: ServerTime;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #rules: RulesCache;

  constructor(options: MexcClientOptions) {
    this.#clock = options.clock;
    this.#logger = options.logger.child({ module: 'mexc' });
    this.#rules = new RulesCache({
      clock: options.clock,
      load: () => this.#loadRules(),
      ttlMs: options.rulesTtlMs ?? 60 * 60_000,
    });
    this.#serverTime = new ServerTime({
      clock: options.clock,
      logger: this.#logger,
      refreshMs: options.timeRefreshMs,
      fetchServerTime: async () => {
        let sentAt = this.#clock.now();
        const { serverTime } = await this.#http.call({
          endpoint: E.time,
          schema: S.MexcServerTime,
          onSent: (at) => (sentAt = at),
        });
        return { serverTime, sentAt };
      },
    });
    this.#http = new MexcHttp({
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      baseUrl: options.baseUrl,
      clock: options.clock,
      limiter: options.limiter,
      logger: this.#logger,
      random: options.random ?? Math.random,
      recvWindow: options.recvWindow ?? 5000,
      resyncTime: () => this.#serverTime.resync(),
      retry: options.retry ?? DEFAULT_RETRY,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      syncTime: () => this.#serverTime.ready(),
      timestamp: () => this.#serverTime.stamp(),
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  /**
   * Stops talking to MEXC at shutdown: cuts the requests in flight and sends none after (see
   * MexcHttp.close). The stream clients are closed by their owners.
   */
  close(): void {
    this.#http.close();
  }

  /** Current server-time offset (ms), for /status; undefined before the first signed call. */
  get serverTimeOffsetMs(): number | undefined {
    return this.#serverTime.offsetMs;
  }

  getRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#rules.get();
  }

  refreshRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    return this.#rules.refresh();
  }

  async #loadRules(): Promise<ReadonlyMap<string, SymbolRules>> {
    // Both lists together: tradability needs the API whitelist as much as the listing.
    const [info, defaults] = await Promise.all([
      this.#http.call({ endpoint: E.exchangeInfo, schema: S.MexcExchangeInfo }),
      this.#http.call({ endpoint: E.defaultSymbols, schema: S.MexcDefaultSymbols }),
    ]);
    const { rules, rejected } = await map.mapExchangeInfo(info.symbols, defaults.data);
    if (rejected.length > 0) {
      this.#logger.warn(
        { count: rejected.length, first: rejected.slice(0, 5) },
        'exchangeInfo symbols skipped',
      );
    }
    return rules;
  }

  async getTickers24h(): Promise<readonly Ticker24h[]> {
    const rows = await this.#http.call({ endpoint: E.ticker24hAll, schema: S.MexcTicker24hList });
    return mapInTurns(rows, map.mapTicker24h);
  }

  async getBookTops(): Promise<ReadonlyMap<string, BookTop>> {
    const rows = await this.#http.call({ endpoint: E.bookTickerAll, schema: S.MexcBookTickerList });
    const tops = await mapInTurns(rows, map.mapBookTop);
    return new Map(tops.map((top) => [top.symbol, top]));
  }

  async getPrices(): Promise<ReadonlyMap<string, Decimal>> {
    const rows = await this.#http.call({ endpoint: E.tickerPriceAll, schema: S.MexcPriceList });
    const prices = await mapInTurns(rows, (row) =>
      row.price === undefined ? undefined : ([row.symbol, dec(row.price)] as const),
    );
    return new Map(prices);
  }

  /**
   * Last price of one symbol, or undefined when MEXC has none (`""` before the first trade).
   * Costs as much weight as the all-symbol list, so strategies read prices
   * from the snapshot; this is for one-off look-ups.
   */
  async getPrice(symbol: string): Promise<Decimal | undefined> {
    const row = await this.#http.call({
      endpoint: E.tickerPrice,
      params: { symbol },
      schema: S.MexcPrice,
      symbol,
    });
    if (row.symbol !== symbol) {
      throw mexcPayloadError({
        endpoint: E.tickerPrice,
        problem: `asked for ${symbol}, got the price of ${row.symbol}`,
        symbol,
      });
    }
    return row.price === undefined ? undefined : dec(row.price);
  }

  /**
   * Candles ascending by openTime, deduplicated. MEXC ignores a lone startTime (and returns the
   * latest candles), so a start is always sent with an end: `end = start + limit × interval`,
   * clamped to the caller's end. The candle opening exactly at endTime is excluded, matching the
   * port's exclusive end. With neither bound, the latest `limit` candles.
   *
   * @see https://github.com/ccxt/ccxt/issues/17483
   */
  async getKlines(query: KlineQuery): Promise<readonly Candle[]> {
    const limit = Math.max(1, Math.min(query.limit ?? MAX_KLINES, MAX_KLINES));
    const span = limit * INTERVAL_MS[query.interval];
    let { startTime, endTime } = query;
    if (startTime !== undefined) endTime = Math.min(endTime ?? Number.POSITIVE_INFINITY, startTime + span);
    else if (endTime !== undefined) startTime = endTime - span;
    const rows = await this.#http.call({
      endpoint: E.klines,
      params: { symbol: query.symbol, interval: query.interval, startTime, endTime, limit },
      schema: S.MexcKlineList,
      symbol: query.symbol,
      background: query.background,
    });
    const candles = map.mapKlines(rows);
    if (startTime === undefined || endTime === undefined) return candles;
    const [from, to] = [startTime, endTime];
    return candles.filter((c) => c.openTime >= from && c.openTime < to);
  }

  async getDepth(symbol: string, limit = 100): Promise<Depth> {
    const depth = await this.#http.call({
      endpoint: E.depth,
      params: { symbol, limit },
      schema: S.MexcDepth,
      symbol,
    });
    return map.mapDepth(symbol, depth);
  }

  /** Non-zero and zero balances as MEXC lists them; an asset not listed holds 0. */
  async getBalances(): Promise<readonly Balance[]> {
    return map.mapBalances(await this.#http.call({ endpoint: E.account, schema: S.MexcAccount }));
  }

  /**
   * Sends the (already rounded) order once. Amounts go out as plain decimal strings. A timeout or
   * 5xx throws `unknown-outcome`: resolve it with getOrder by client id, never by re-sending.
   */
  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    const isMarket = request.type === 'MARKET';
    if (!isMarket && request.price === undefined) {
      throw new ExchangeError(`POST /api/v3/order: ${request.type} order needs a price`, {
        kind: ExchangeErrorKind.InvalidOrder,
        endpoint: 'POST /api/v3/order',
        symbol: request.symbol,
      });
    }
    try {
      const ack = await this.#http.call({
        endpoint: E.newOrder,
        params: {
          symbol: request.symbol,
          side: request.side,
          type: request.type,
          quantity: toWire(request.quantity),
          price: isMarket || request.price === undefined ? undefined : toWire(request.price),
          newClientOrderId: request.clientOrderId,
        },
        schema: S.MexcNewOrderResponse,
        symbol: request.symbol,
      });
      return map.mapOrderAck(ack, request, this.#clock.now());
    } catch (error) {
      // Rules may have changed under us: make the next getRules() reload them.
      if (
        isExchangeError(error, ExchangeErrorKind.InvalidOrder) ||
        isExchangeError(error, ExchangeErrorKind.NotTradable)
      ) {
        this.#rules.invalidate();
      }
      throw error;
    }
  }

  async getOrder(ref: OrderRef): Promise<ExchangeOrder | undefined> {
    try {
      const order = await this.#http.call({
        endpoint: E.queryOrder,
        params: { symbol: ref.symbol, origClientOrderId: ref.clientOrderId },
        schema: S.MexcOrder,
        symbol: ref.symbol,
      });
      return this.#mapOrLog(order);
    } catch (error) {
      // −2013: unknown to MEXC (also transiently right after create; the caller decides).
      if (isExchangeError(error, ExchangeErrorKind.NotFound)) return undefined;
      throw error;
    }
  }

  /** Cancels by client id. −2011/30026 (finished or unknown order) throw `not-found`. */
  async cancelOrder(ref: OrderRef): Promise<ExchangeOrder | undefined> {
    const answer = await this.#http.call({
      endpoint: E.cancelOrder,
      params: { symbol: ref.symbol, origClientOrderId: ref.clientOrderId },
      schema: S.MexcCancelResponse,
      symbol: ref.symbol,
    });
    // Live replies may be partial ({symbol, orderId, price, origQty, type, side}).
    const full = S.MexcOrder.safeParse(answer);
    return full.success ? this.#mapOrLog(full.data) : undefined;
  }

  /** One request per symbol (MEXC requires `symbol`). */
  async getOpenOrders(symbols: readonly string[]): Promise<readonly ExchangeOrder[]> {
    const out: ExchangeOrder[] = [];
    for (const symbol of symbols) {
      const orders = await this.#http.call({
        endpoint: E.openOrders,
        params: { symbol },
        schema: S.MexcOrderList,
        symbol,
      });
      for (const order of orders) {
        const mapped = this.#mapOrLog(order);
        if (mapped) out.push(mapped);
      }
    }
    return out;
  }

  /**
   * Pages myTrades (see {@link collectFillsInWindows}). Rows are checked one by one: a malformed
   * row is skipped with a warning naming it, and the rest of its page is kept.
   */
  async getFills(query: FillQuery): Promise<readonly Fill[]> {
    const { symbol, orders = [] } = query;
    // Order times are the bot's; a margin covers the offset between its clock and the exchange's.
    const marginMs = Math.abs(this.#serverTime.offsetMs ?? 0) + 60_000;
    return collectFillsInWindows({
      startTime: query.startTime,
      endTime: query.endTime,
      fetchWindow: async (start, end, orderId) => {
        const rows = await this.#http.call({
          endpoint: E.myTrades,
          params: { symbol, orderId, startTime: start, endTime: end, limit: MY_TRADES_LIMIT },
          schema: S.MexcTradeRows,
          symbol,
          background: query.background,
        });
        return { rows: rows.length, fills: rows.flatMap((row) => this.#fillOrSkip(symbol, row)) };
      },
      orderIdsIn: (start, end) =>
        orders
          .filter((o) => o.from - marginMs < end && (o.to === undefined || o.to + marginMs >= start))
          .map((o) => o.orderId),
      onFullMinimalWindow: (start, end, orderId) =>
        this.#logger.error(
          { symbol, start, end, orderId },
          'myTrades still full for one order in a one-second window; fills may be missing',
        ),
    });
  }

  /** The exchange's clock: local time plus the measured server-time offset. */
  exchangeTime(): Promise<number> {
    return this.#serverTime.now();
  }

  /** A new user-data stream listen key, valid for 60 minutes unless extended. */
  async createListenKey(): Promise<string> {
    return (await this.#http.call({ endpoint: E.createListenKey, schema: S.MexcListenKey })).listenKey;
  }

  /**
   * Extends a listen key to 60 minutes from now. Throws a non-temporary ExchangeError when the
   * exchange no longer knows the key (expired or deleted): the caller then creates a new one.
   */
  async extendListenKey(listenKey: string): Promise<void> {
    await this.#http.call({ endpoint: E.extendListenKey, params: { listenKey }, schema: S.MexcListenKey });
  }

  /** Closes a listen key (on stop), so it does not count against the account's 60 keys. */
  async deleteListenKey(listenKey: string): Promise<void> {
    await this.#http.call({ endpoint: E.deleteListenKey, params: { listenKey }, schema: S.MexcListenKey });
  }

  #fillOrSkip(symbol: string, row: unknown): Fill[] {
    const parsed = S.MexcTrade.safeParse(row);
    if (parsed.success) return [map.mapFill(parsed.data)];
    const fields = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
    this.#logger.warn(
      {
        symbol,
        tradeId: fields.id,
        orderId: fields.orderId,
        time: fields.time,
        problem: formatZodError(parsed.error),
      },
      `myTrades row ${symbol} #${String(fields.id ?? '?')} skipped: malformed`,
    );
    return [];
  }

  #mapOrLog(order: S.MexcOrder): ExchangeOrder | undefined {
    const mapped = map.mapOrder(order);
    if (!mapped)
      this.#logger.warn({ symbol: order.symbol, type: order.type }, 'order of an unsupported type ignored');
    return mapped;
  }
}
