/**
 * Build step 2b, the live streams (STREAMS=on, the default): the market stream's client (MEXC's
 * WebSocket at MEXC_WS_URL, or the built-in simulator's) and the bot's consumers of it
 * ({@link LiveStreams}): streamed book tops for the exchange step, the scanner's kline cache for the
 * core step. With live trading, {@link connectStreams} adds the account stream (its listen key kept
 * by the MEXC client) once the core exists. With STREAMS=off there is no client and everything is
 * polled over REST.
 */
import type { Config } from '../../config/config.js';
import { MexcMarketStream } from '../../exchange/mexc/stream/MexcMarketStream.js';
import { type ListenKeyApi, MexcUserStream } from '../../exchange/mexc/stream/MexcUserStream.js';
import type { StreamTiming } from '../../exchange/mexc/stream/StreamConnection.js';
import type { SimulatorEndpoint } from '../../exchange/simulator/index.js';
import { TRACK_JOB } from '../../execution/jobs.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { SecretRedactor } from '../../common/redact.js';
import { LiveStreams } from '../LiveStreams.js';
import type { MonitoredExchange } from '../MonitoredExchange.js';
import type { CoreStep } from './core.js';
import type { LedgerStep } from './ledger.js';

/** The stream consumers and the clients behind them. */
export interface StreamsStep {
  readonly streams: LiveStreams;
  /** Where the streams connect: the simulator's WebSocket or MEXC_WS_URL. */
  readonly url: string;
  /** The market stream client (absent with streams off); it connects once symbols are set. */
  readonly market?: MexcMarketStream;
}

/** Builds the market stream's client and consumers; nothing connects yet. */
export function buildStreams(o: {
  readonly config: Pick<Config, 'streams' | 'mexc'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly simulator: SimulatorEndpoint | undefined;
  /** Keep-alive and quiet-detection timing (tests make it fast); default the client's. */
  readonly timing?: Partial<StreamTiming>;
}): StreamsStep {
  const url = o.simulator ? o.simulator.wsUrl : o.config.mexc.wsUrl;
  const logger = o.logger.child({ module: 'streams' });
  const market = o.config.streams
    ? new MexcMarketStream({ url, clock: o.clock, logger, ...(o.timing ? { timing: o.timing } : {}) })
    : undefined;
  const streams = new LiveStreams({ ...(market ? { market } : {}), clock: o.clock, logger });
  return { streams, url, ...(market ? { market } : {}) };
}

/** The account stream's client and its stop, when there is one. */
export interface AccountStreamClient {
  readonly user?: MexcUserStream;
  /** Stops the consumers, then the clients (deleting the listen key). */
  close(): Promise<void>;
}

/**
 * Connects the stream consumers to the core. With live trading and streams on, the account
 * stream's deals go into the ledger through its one insert, order updates through the executor,
 * balances into the latest known view. The symbols in play are read from the latest balances and
 * the open orders. Nothing connects until `user.start()`.
 */
export function connectStreams(o: {
  readonly config: Pick<Config, 'streams' | 'tradingMode'>;
  readonly step: StreamsStep;
  readonly speed: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The MEXC client's listen-key calls (through the shared rate limiter). */
  readonly listenKeys: ListenKeyApi;
  /** Keeps every listen key out of the logs. */
  readonly redactor: SecretRedactor;
  readonly market: MonitoredExchange;
  readonly ledger: LedgerStep;
  readonly core: CoreStep;
  readonly timing?: Partial<StreamTiming>;
}): AccountStreamClient {
  const { streams } = o.step;
  const { ledger } = o;
  const { core, bus } = o.core;
  // A paper account's orders never reach the exchange, so its stream has nothing to say.
  const user =
    o.config.streams && o.config.tradingMode === 'live'
      ? new MexcUserStream({
          url: o.step.url,
          listenKeys: o.listenKeys,
          clock: o.clock,
          logger: o.logger.child({ module: 'streams' }),
          speed: o.speed,
          redactor: o.redactor,
          ...(o.timing ? { timing: o.timing } : {}),
        })
      : undefined;
  if (user) {
    streams.attachAccount(user, {
      ledger: ledger.fills,
      pricer: ledger.pricer,
      orders: core.orders,
      executor: core.executor,
      fillsOf: (order) => ledger.fills.fillsOfOrder(order),
      balances: ledger.latest,
      fills: ledger.fills,
      finalOrders: core.orders,
      events: core.publisher,
      catchUp: () => core.scheduler.requestSoon(TRACK_JOB, 0),
    });
  }
  streams.readSymbolsFrom({
    market: o.market,
    balances: () => ledger.latest.balances(),
    orders: core.orders,
  });
  const detach = bus.on((event) => streams.onEvent(event));
  return {
    ...(user ? { user } : {}),
    async close() {
      detach();
      await streams.close();
      o.step.market?.close();
      await user?.close();
    },
  };
}
