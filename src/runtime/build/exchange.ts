/**
 * Build step 3, the exchange: the shared rate limiter, the MEXC client (to MEXC or the simulator,
 * with the simulator's generated credentials added to the log redactor), its monitor (which keeps
 * every closed candle it fetches in the candle store), and what orders go to: the paper exchange over that market, or the live client itself.
 */
import type { Config } from '../../config/config.js';
import type { ExchangePort } from '../../exchange/ExchangePort.js';
import type { BookTop } from '../../domain/market.js';
import { MexcClient } from '../../exchange/mexc/MexcClient.js';
import type { ListenKeyApi } from '../../exchange/mexc/stream/MexcUserStream.js';
import { PaperExchange } from '../../exchange/paper/PaperExchange.js';
import { RateLimiter } from '../../exchange/rateLimiter.js';
import type { SimulatorEndpoint } from '../../exchange/simulator/index.js';
import { CandleRepository } from '../../persistence/CandleRepository.js';
import type { Db } from '../../persistence/db.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { SecretRedactor } from '../../common/redact.js';
import { MonitoredExchange } from '../MonitoredExchange.js';
import type { StreamBalances } from '../StreamBalances.js';
import type { StreamLatest } from '../StreamLatest.js';

/** The limiter, the monitored market client and the exchange orders go to. */
export interface ExchangeStep {
  readonly limiter: RateLimiter;
  /** The MEXC client (talking to MEXC or the simulator), monitored: market data and, live, orders. */
  readonly market: MonitoredExchange;
  /** What orders go to: the paper exchange or the live client. */
  readonly exchange: ExchangePort;
  /** The client's listen-key calls, for the account stream. */
  readonly listenKeys: ListenKeyApi;
  /** The candle store: every closed candle the market fetched, kept for replays. */
  readonly candles: CandleRepository;
  /**
   * Exercises the signed path once, so a bad key is reported at start rather than at the first
   * order. Live, a refusal stops the start; paper only logs it (orders never use the key).
   */
  verifyCredentials(): Promise<void>;
  /**
   * At shutdown, once jobs and chat have stopped: cuts the MEXC requests still in flight (a
   * background read the chat stopped waiting for) and sends no more.
   */
  close(): void;
}

/** Builds the client for the configured exchange and the adapter for the configured trading mode. */
export function buildExchange(o: {
  readonly config: Pick<Config, 'mexc' | 'tradingMode' | 'paperBalances'>;
  readonly db: Db;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  readonly redactor: SecretRedactor;
  readonly simulator: SimulatorEndpoint | undefined;
  /** Book tops streamed for the symbols in play (absent with streams off, and in a backtest). */
  readonly book?: StreamLatest<BookTop> | undefined;
  /** Balances from the account stream (absent in a backtest; unused unless live with streams on). */
  readonly balances?: StreamBalances;
}): ExchangeStep {
  const { config, clock, logger } = o;
  const limiter = new RateLimiter({ clock, sleep: o.sleep, weightPer10s: config.mexc.weightPer10s });
  const credentials = o.simulator
    ? o.simulator.credentials
    : { apiKey: config.mexc.apiKey, apiSecret: config.mexc.apiSecret };
  o.redactor.add(credentials.apiKey, credentials.apiSecret);
  const client = new MexcClient({
    baseUrl: o.simulator ? o.simulator.url : config.mexc.baseUrl,
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    clock,
    sleep: o.sleep,
    logger, // the client names its own module ('mexc')
    limiter,
  });
  const candles = new CandleRepository(o.db);
  const market = new MonitoredExchange({
    inner: client,
    clock,
    candles,
    logger: logger.child({ module: 'candles' }),
    ...(o.balances ? { balances: o.balances } : {}),
    ...(o.book ? { book: o.book } : {}),
  });
  const exchange: ExchangePort =
    config.tradingMode === 'paper'
      ? new PaperExchange({
          db: o.db,
          market,
          clock,
          initialBalances: config.paperBalances,
          logger: logger.child({ module: 'paper' }),
        })
      : market;
  return {
    limiter,
    market,
    exchange,
    listenKeys: client,
    candles,
    close: () => client.close(),
    async verifyCredentials() {
      if (!credentials.apiKey || !credentials.apiSecret) return;
      try {
        await client.getBalances();
        logger.info('signed request accepted by the exchange');
      } catch (error) {
        logger.error({ err: error }, 'signed request refused: check MEXC_API_KEY and MEXC_API_SECRET');
        if (config.tradingMode === 'live') throw error;
      }
    },
  };
}
