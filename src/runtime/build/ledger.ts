/**
 * Build step 4, the fill ledger and the one portfolio service: the fills table, the background
 * read of trade history, the pricer that fixes each fill's valuation prices when it is recorded,
 * owner cost bases, the portfolio service every figure comes from, and the latest known market
 * the chat answers from.
 */
import type { Config } from '../../config/config.js';
import type { ExchangePort } from '../../exchange/ExchangePort.js';
import { FillPricer } from '../../exchange/fillPricing.js';
import { HistorySync, type HistoryProgress } from '../../execution/HistorySync.js';
import type { SyncFillsFn } from '../../execution/Reconciler.js';
import { CostBasisRepository } from '../../persistence/CostBasisRepository.js';
import type { Db } from '../../persistence/db.js';
import { FillRepository } from '../../persistence/FillRepository.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { LatestKnown } from '../LatestKnown.js';
import type { MonitoredExchange } from '../MonitoredExchange.js';
import { exchangeMarketReader, PortfolioService } from '../PortfolioService.js';

/** The ledger's parts, and the one way fills are recorded (`recordFills`). */
export interface LedgerStep {
  readonly fills: FillRepository;
  readonly history: HistorySync;
  readonly portfolio: PortfolioService;
  /** What the chat answers from: never waits long on the exchange (strategies read live). */
  readonly latest: LatestKnown;
  /** Fixes each recorded fill's valuation prices (also for fills the account stream records). */
  readonly pricer: FillPricer;
  /**
   * Records the account's fills of these symbols and fixes their prices before anyone announces
   * or values them: the one fill-recording path of the process.
   */
  readonly recordFills: SyncFillsFn;
}

/** Builds the ledger over the exchange orders go to (the paper exchange's fills in paper mode). */
export function buildLedger(o: {
  readonly config: Pick<Config, 'tzReports'>;
  readonly db: Db;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  readonly market: MonitoredExchange;
  readonly exchange: ExchangePort;
}): LedgerStep {
  const { db, clock, logger, market, exchange } = o;
  const fills = new FillRepository({ db, clock, assetsOf: (symbol) => market.assetsOf(symbol) });
  const history = new HistorySync({
    exchange,
    store: fills,
    clock,
    sleep: o.sleep,
    logger: logger.child({ module: 'history' }),
    baseOf: (symbol) => market.assetsOf(symbol)?.base,
  });
  const portfolio = new PortfolioService({
    clock,
    market: exchangeMarketReader(exchange, clock),
    fills,
    costBasis: new CostBasisRepository({ db, clock }),
    logger,
    timeZone: o.config.tzReports,
    historyPending: () => history.progress()?.pendingAssets ?? [],
  });
  const pricer = new FillPricer({ exchange, store: fills, clock, logger });
  const recordFills: SyncFillsFn = async (symbols, options) => {
    const result = await history.sync(symbols, options);
    await pricer.recordRecent();
    // While a month of history is being read, its fills are priced from their candles in the
    // background (a fresh fill must not wait for them); afterwards before anything is announced.
    if (history.progress()) void pricer.recordPending();
    else await pricer.recordPending();
    return result;
  };
  const latest = new LatestKnown({ inner: exchangeMarketReader(exchange, clock) });
  return { fills, history, portfolio, latest, pricer, recordFills };
}

/** "trade history: 3 of 5 symbols, about 20 s left" while history is being read, for /status and /healthz. */
export function historyProgressLine(progress: HistoryProgress | undefined): string | undefined {
  if (!progress) return undefined;
  const seconds = Math.max(1, Math.ceil(progress.remainingMs / 1000));
  return `trade history: ${progress.done} of ${progress.total} symbols, about ${seconds} s left`;
}

/** The /pnl note while some assets' history is still being read: their figures are provisional. */
export function historyPendingNote(progress: HistoryProgress | undefined): string | undefined {
  const pending = progress?.pendingAssets;
  return pending?.length
    ? `trade history of ${pending.join(', ')} still being read: their average cost and PnL are provisional`
    : undefined;
}
