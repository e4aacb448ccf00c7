/**
 * Build step 2b, the live streams (STREAMS=on, the default): the market stream's client (MEXC's
 * WebSocket at MEXC_WS_URL, or the built-in simulator's) and the bot's consumers of it
 * ({@link LiveStreams}): streamed book tops for the exchange step, the scanner's kline cache for the
 * core step. With live trading, {@link connectAccountStream} adds the account stream once the core
 * exists. With STREAMS=off there is no client and everything is polled over REST.
 */
import type { Config } from '../../config/config.js';
import type { MarketStream, UserStream } from '../../exchange/stream/streamTypes.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { LiveStreams } from '../LiveStreams.js';
import type { MonitoredExchange } from '../MonitoredExchange.js';
import type { CoreStep } from './core.js';
import type { LedgerStep } from './ledger.js';

/** The stream consumers, and the clients' start and stop. */
export interface StreamsStep {
  readonly streams: LiveStreams;
}

/** Builds the market stream's consumers (and its client with streams on); nothing connects yet. */
export function buildStreams(o: {
  readonly config: Pick<Config, 'streams' | 'mexc'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The market stream client; absent with streams off. */
  readonly market?: MarketStream;
}): StreamsStep {
  const streams = new LiveStreams({
    ...(o.market ? { market: o.market } : {}),
    clock: o.clock,
    logger: o.logger.child({ module: 'streams' }),
  });
  return { streams };
}

/**
 * Connects the account stream to the core (live trading with streams on): deals into the ledger
 * through its one insert, order updates through the executor, balances into the latest known
 * view, and the symbols in play read from the latest balances and the open orders.
 */
export function connectStreams(o: {
  readonly streams: LiveStreams;
  readonly user?: UserStream;
  readonly market: MonitoredExchange;
  readonly ledger: LedgerStep;
  readonly core: CoreStep;
}): () => void {
  const { streams, ledger } = o;
  const { core, bus } = o.core;
  if (o.user) {
    streams.attachAccount(o.user, {
      ledger: ledger.fills,
      pricer: ledger.pricer,
      orders: core.orders,
      executor: core.executor,
      fillsOf: (order) => ledger.fills.fillsOfOrder(order),
      balances: ledger.latest,
      fills: ledger.fills,
      finalOrders: core.orders,
      events: core.publisher,
    });
  }
  streams.readSymbolsFrom({
    market: o.market,
    balances: () => ledger.latest.balances(),
    orders: core.orders,
  });
  return bus.on((event) => streams.onEvent(event));
}
