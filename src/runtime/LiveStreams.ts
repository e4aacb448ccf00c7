/**
 * The bot's side of the live streams: which symbols are in play, and where every stream's data
 * goes. Book tops feed {@link LiveStreams.book} (read through `MonitoredExchange.getBookTops`), the
 * core markets' mini tickers feed {@link LiveStreams.volumes} (read by the strategy runner for
 * `accumulate`'s 24 h average instead of the all-symbol 24 h ticker), candles feed the scanner's
 * kline cache ({@link StreamKlines}), and with live trading the user stream's
 * deals, order updates and balances go through {@link AccountStream}, audited by
 * {@link StreamAudit}. Each kind of data falls back to REST polling on its own while its stream
 * is not `live`; with streams off (STREAMS=off) nothing here exists and everything polls.
 *
 * The `streams` job (every 5 minutes, and after every scan and order change) refreshes the
 * symbols in play and runs the audit.
 */
import type { BotEvent } from '../domain/events.js';
import type { Balance, BookTop, SymbolRules, Volume24h } from '../domain/market.js';
import { CORE_MARKETS, STABLECOINS } from '../domain/market.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type { MarketStream, StreamStatus, UserStream } from '../exchange/stream/streamTypes.js';
import type { JobSpec } from '../jobs/Scheduler.js';
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import { KlineCache } from '../strategies/scanner/KlineCache.js';
import { AccountStream, type AccountStreamOptions } from './AccountStream.js';
import { StreamAudit } from './StreamAudit.js';
import { StreamBalances } from './StreamBalances.js';
import { StreamLatest } from './StreamLatest.js';
import { StreamKlines } from './StreamKlines.js';

/** Always in play when listed: the core markets, the stablecoin pair and MX (fees paid in MX). */
const CORE_SYMBOLS = [...CORE_MARKETS, 'USDCUSDT', 'MXUSDT'] as const;

/** Id of the job that refreshes the symbols in play and audits the user stream. */
export const STREAMS_JOB = 'streams';

/**
 * The symbols whose book tops the bot needs: the core markets, every held asset's USDT and USDC
 * market, the symbols of non-final orders and the scan candidates; only listed ones.
 */
export function symbolsInPlay(input: {
  readonly rules: ReadonlyMap<string, SymbolRules>;
  readonly balances: readonly Balance[];
  readonly orderSymbols: Iterable<string>;
  readonly candidates: Iterable<string>;
}): Set<string> {
  const wanted = new Set<string>([...CORE_SYMBOLS, ...input.orderSymbols, ...input.candidates]);
  for (const b of input.balances) {
    if (STABLECOINS.has(b.asset) || b.free.plus(b.locked).isZero()) continue;
    wanted.add(`${b.asset}USDT`);
    wanted.add(`${b.asset}USDC`);
  }
  return new Set([...wanted].filter((symbol) => input.rules.has(symbol)));
}

/** What the account consumer is attached to, once the execution core exists. */
export type AccountInputs = Omit<AccountStreamOptions, 'stream' | 'audit' | 'logger'> & {
  readonly fills: ConstructorParameters<typeof StreamAudit>[0]['fills'];
  readonly finalOrders: Pick<OrderRepository, 'listFinalSince'>;
  readonly events: ConstructorParameters<typeof StreamAudit>[0]['events'];
  /**
   * Follows every open order over REST at once (the tracking sweep). Called whenever the account
   * stream becomes live: it never replays what happened while it was away.
   */
  readonly catchUp: () => void;
};

/** Where the symbols in play are read from. */
export interface InPlaySources {
  readonly market: Pick<ExchangePort, 'getRules'>;
  /** The latest known balances (the chat's view, kept current by the user stream). */
  readonly balances: () => readonly Balance[] | undefined;
  readonly orders: Pick<OrderRepository, 'listNonFinal'>;
}

/** The live streams and their consumers; see the module comment. */
export class LiveStreams {
  /** Streamed book tops of the symbols in play (absent with streams off). */
  readonly book?: StreamLatest<BookTop>;
  /** Streamed rolling 24 h volumes of the listed core markets (absent with streams off). */
  readonly volumes?: StreamLatest<Volume24h>;
  /** The account's balances from the account stream while it is live (REST otherwise). */
  readonly balances: StreamBalances;
  /** The scanner's candles, fed by the kline stream while it is live (REST otherwise). */
  readonly klineCache = new KlineCache();
  readonly #market?: MarketStream;
  #user?: UserStream;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #klines?: StreamKlines;
  #account?: AccountStream;
  #audit?: StreamAudit;
  #sources?: InPlaySources;
  #auditedUntil: number;
  #refreshing: Promise<void> | undefined;
  #detachUser: (() => void) | undefined;

  constructor(options: {
    /** The market stream; absent with streams off. */
    readonly market?: MarketStream;
    readonly clock: Clock;
    readonly logger: Logger;
  }) {
    this.#market = options.market;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#auditedUntil = options.clock.now();
    this.balances = new StreamBalances({ clock: options.clock });
    if (options.market) {
      const market = options.market;
      const common = {
        clock: options.clock,
        onStatus: (fn: (s: StreamStatus) => void) => market.onStatus(fn),
        statuses: () => market.statuses(),
      };
      this.book = new StreamLatest<BookTop>({
        ...common,
        name: 'bookTicker',
        listen: (fn) =>
          market.onBookTicker((u) =>
            fn(u.symbol, {
              symbol: u.symbol,
              bid: u.bidPrice,
              bidQty: u.bidQty,
              ask: u.askPrice,
              askQty: u.askQty,
            }),
          ),
        follow: (symbols) => market.setBookTickerSymbols(symbols),
      });
      this.volumes = new StreamLatest<Volume24h>({
        ...common,
        name: 'miniTicker',
        listen: (fn) =>
          market.onMiniTicker((u) =>
            fn(u.symbol, { symbol: u.symbol, volume: u.volume, quoteVolume: u.quoteVolume }),
          ),
        follow: (symbols) => market.setMiniTickerSymbols(symbols),
      });
      this.#klines = new StreamKlines({ stream: options.market, cache: this.klineCache, interval: '15m' });
    }
    // A scan changes the candidates, and with them the symbols in play.
    this.klineCache.onRefresh(() => this.requestRefresh());
  }

  /**
   * Applies the account stream's data through the execution core (live trading with streams on
   * only: a paper account's orders never reach the exchange's stream).
   */
  attachAccount(user: UserStream, inputs: AccountInputs): void {
    this.#user = user;
    this.balances.follow(user);
    const { fills, finalOrders, events, catchUp, ...account } = inputs;
    let live = user.status().state === 'live';
    this.#detachUser = user.onStatus((s) => {
      const now = s.state === 'live';
      if (now && !live) catchUp();
      live = now;
    });
    this.#audit = new StreamAudit({
      stream: this.#user,
      clock: this.#clock,
      fills,
      orders: finalOrders,
      events,
      logger: this.#logger,
    });
    this.#account = new AccountStream({
      ...account,
      stream: this.#user,
      audit: this.#audit,
      logger: this.#logger,
    });
  }

  /** Where the symbols in play come from. */
  readSymbolsFrom(sources: InPlaySources): void {
    this.#sources = sources;
  }

  /** Re-reads the symbols in play soon after an order changes (a new holding, a new market). */
  onEvent(event: BotEvent): void {
    if (event.type === 'order.placed' || event.type === 'order.filled' || event.type === 'order.cancelled')
      this.requestRefresh();
  }

  /** Whether account data streams live now: order tracking then polls REST less often. */
  userLive(): boolean {
    return this.#user?.status().state === 'live';
  }

  /** Every stream connection's state for /status and /healthz; empty with streams off. */
  statuses(): readonly StreamStatus[] {
    return [...(this.#market?.statuses() ?? []), ...(this.#user ? [this.#user.status()] : [])];
  }

  /** Resolves once the account data received so far is applied (tests). */
  async idle(): Promise<void> {
    await this.#refreshing;
    await this.#account?.idle();
  }

  /** Refreshes the symbols in play in the background (one refresh at a time). */
  requestRefresh(): void {
    if (!this.book || !this.#sources || this.#refreshing) return;
    this.#refreshing = this.#refreshSymbols()
      .catch((error: unknown) => this.#logger.warn({ err: error }, 'symbols in play not refreshed'))
      .finally(() => (this.#refreshing = undefined));
  }

  /** The `streams` job: symbols in play, then the audit of what the user stream missed. */
  job(): JobSpec {
    return {
      id: STREAMS_JOB,
      schedule: () => ({ kind: 'interval', everyMs: 5 * 60_000 }),
      enabled: () => this.book !== undefined || this.#audit !== undefined,
      // Rules from the cache and two queries: seconds at most.
      stuckAfterMs: 2 * 60_000,
      run: async () => {
        if (this.book && this.#sources) await this.#refreshSymbols();
        const since = this.#auditedUntil - 60 * 60_000;
        this.#auditedUntil = this.#clock.now();
        const missed = this.#audit?.check(since);
        const live = this.statuses().filter((s) => s.state === 'live').length;
        return {
          outcome: 'ok',
          summary:
            `${this.book?.symbols().length ?? 0} symbols in play, ${live} of ${this.statuses().length} streams live` +
            (missed
              ? `, missed ${missed.missedFills.length} fills and ${missed.missedOrders.length} orders`
              : ''),
        };
      },
    };
  }

  /** Stops every consumer (the stream clients are closed by their owner). */
  async close(): Promise<void> {
    this.book?.close();
    this.volumes?.close();
    this.#klines?.close();
    this.#audit?.close();
    this.#detachUser?.();
    this.balances.close();
    await this.#account?.close();
    await this.#refreshing;
  }

  async #refreshSymbols(): Promise<void> {
    const sources = this.#sources!;
    const rules = await sources.market.getRules();
    this.volumes?.setSymbols(CORE_MARKETS.filter((symbol) => rules.has(symbol)));
    const symbols = symbolsInPlay({
      rules,
      balances: sources.balances() ?? [],
      orderSymbols: sources.orders.listNonFinal().map((o) => o.symbol),
      candidates: this.klineCache.symbols(),
    });
    this.book!.setSymbols(symbols);
  }
}
