/**
 * The one valuation and PnL service of the running process. Every figure the owner sees (/pnl,
 * /balance, /status, /report, the daily report, equity history, the chart headline, fill
 * notifications) is read from a {@link PortfolioSnapshot} it computes with the pure functions of
 * `domain/portfolio`, so two of them taken from one snapshot always agree to the cent.
 *
 * Balances and prices come through a {@link MarketReader}: the exchange by default, or any cache
 * of the latest known state. Positions and realised PnL come from the running snapshot
 * ({@link RunningPnl}): the fills after it are replayed on top once per change of the ledger (a
 * fill or a fill's prices recorded), so the strategies, the chat and the reports share one replay
 * and none of them grows with the length of the history.
 */
import { midPrices } from '../domain/market.js';
import { ZERO, type Decimal } from '../domain/money.js';
import { reconcileHoldings } from '../domain/portfolio/costBasis.js';
import { costAssetOf, makeToCostAsset, type ConversionRates } from '../domain/portfolio/conversion.js';
import type { Position } from '../domain/portfolio/position.js';
import { realisedPnlOfSell, type FillReplay, type SellPnl } from '../domain/portfolio/realisedPnl.js';
import { portfolioSnapshot, type MarketView, type PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import { localDayStart } from '../common/timeZone.js';
import type { CostBasisChange, CostBasisRepository } from '../persistence/CostBasisRepository.js';
import type { CostBasisRow } from '../domain/portfolio/costBasis.js';
import { RunningPnl, type RunningPnlLedger } from './RunningPnl.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';

export type { MarketView } from '../domain/portfolio/snapshot.js';

/** Rates before any market view was read: only fills with recorded prices can be converted. */
const NO_MARKET: ConversionRates = { prices: new Map(), usdcUsdt: undefined };

/** Where the balances and prices of the moment come from: the exchange, or a cache of them. */
export interface MarketReader {
  market(): Promise<MarketView>;
}

/** A {@link MarketReader} that asks the exchange: balances and book tops (mid prices), read together. */
export function exchangeMarketReader(
  exchange: Pick<ExchangePort, 'getBalances' | 'getBookTops'>,
  clock: Clock,
): MarketReader {
  return {
    async market() {
      const [balances, tops] = await Promise.all([exchange.getBalances(), exchange.getBookTops()]);
      const prices = midPrices(tops);
      return { balances, prices, usdcUsdt: prices.get('USDCUSDT'), at: clock.now() };
    },
  };
}

/** What the service needs. */
export interface PortfolioServiceOptions {
  readonly clock: Clock;
  readonly market: MarketReader;
  /** The fill ledger: the running PnL snapshot is built from it and follows its changes. */
  readonly fills: RunningPnlLedger;
  readonly costBasis: CostBasisRepository;
  readonly logger: Logger;
  /** IANA zone of reports: "today" in /pnl starts at midnight there. */
  readonly timeZone: string;
  /** Assets whose trade history is still being read: their first-seen cost is not recorded yet. */
  readonly historyPending: () => readonly string[];
}

/** The order a fill notification is about. */
export interface SellRef {
  readonly symbol: string;
  readonly exchangeOrderId?: string;
}

/** What setting an owner cost basis did. */
export interface OwnerBasisResult {
  readonly asset: string;
  readonly price: Decimal;
  readonly costAsset: string;
  /** The holding the fills cannot explain, when the basis was set. */
  readonly qty: Decimal;
  /** The basis it replaced, if any. */
  readonly previous?: { readonly price: Decimal; readonly costAsset: string; readonly source: string };
}

/** Computes portfolio snapshots; see the module comment. */
export class PortfolioService {
  readonly #o: PortfolioServiceOptions;
  readonly #running: RunningPnl;
  #lastMarket: MarketView | undefined;
  #warned = new Set<string>();

  constructor(options: PortfolioServiceOptions) {
    this.#o = options;
    this.#running = new RunningPnl({ ledger: options.fills, logger: options.logger, clock: options.clock });
  }

  /** Balances and prices of this moment, from the market reader. */
  async market(): Promise<MarketView> {
    const view = await this.#o.market.market();
    this.#lastMarket = view;
    return view;
  }

  /**
   * The portfolio at one instant: every view the owner gets is read from one of these. First-seen
   * cost bases it notices are recorded; its warnings are logged once each.
   */
  async snapshot(view?: MarketView): Promise<PortfolioSnapshot> {
    const market = view ?? (await this.market());
    const now = this.#o.clock.now();
    const snapshot = portfolioSnapshot({
      replay: this.#replayFor(market),
      basis: this.#o.costBasis.all(),
      market,
      now,
      dayStartMs: localDayStart(now, this.#o.timeZone),
    });
    this.#recordFirstSeen(snapshot.newBasisRows);
    for (const w of snapshot.warnings) {
      // The same history gives the same warnings on every call: log each once.
      if (this.#warned.has(w)) continue;
      this.#warned.add(w);
      this.#o.logger.warn({ warning: w }, 'portfolio');
    }
    return snapshot;
  }

  /**
   * Positions with unexplained holdings at their cost basis, for the strategies: the positions a
   * snapshot of the same market view holds, without valuing the rest.
   */
  async positions(view?: MarketView): Promise<ReadonlyMap<string, Position>> {
    const market = view ?? (await this.market());
    const r = this.#reconcile(market);
    this.#recordFirstSeen(r.newRows);
    return r.positions;
  }

  /**
   * Records first-seen cost bases, except for assets whose history is still being read: their
   * holding only looks unexplained, and today's price would become its cost for good.
   */
  #recordFirstSeen(rows: readonly CostBasisRow[]): void {
    const pending = new Set(this.#o.historyPending());
    for (const row of rows) if (!pending.has(row.asset)) this.#o.costBasis.recordFirstSeen(row);
  }

  /**
   * Realised PnL of `qty` sold by a sell order, from its recorded fills (the executor records them
   * before announcing), for its fill notification: the same replay /pnl reads, so the two agree.
   * When `qty` is only part of what the recorded fills sold, the PnL is pro rata. Undefined when
   * none of its fills is recorded yet.
   */
  realisedOfSell(
    order: SellRef,
    qty?: Decimal,
  ): { readonly pnl: Decimal; readonly asset: string } | undefined {
    if (order.exchangeOrderId === undefined) return undefined;
    const sell: SellPnl | undefined = realisedPnlOfSell(
      this.#replayFor(this.#lastMarket),
      { symbol: order.symbol, orderId: order.exchangeOrderId },
      { costAssetOf, toCostAsset: this.#toCostAsset(this.#lastMarket) },
    );
    if (sell === undefined || sell.qty.isZero()) return undefined;
    const pnl = qty !== undefined && sell.qty.greaterThan(qty) ? sell.pnl.times(qty).div(sell.qty) : sell.pnl;
    return { pnl, asset: sell.costAsset };
  }

  /**
   * Sets the owner's cost basis of an asset (versioned with who and when, the old value kept in
   * history). The price is per unit in the asset's cost currency (USDC for BTC/ETH, USDT else).
   */
  async setOwnerBasis(asset: string, price: Decimal, actor: string): Promise<OwnerBasisResult> {
    const market = await this.market();
    const costAsset = costAssetOf(asset);
    const replay = this.#replayFor(market);
    const held = market.balances
      .filter((b) => b.asset === asset)
      .reduce((sum, b) => sum.plus(b.free).plus(b.locked), ZERO);
    const explained = replay.positions.get(asset)?.qty ?? ZERO;
    const qty = held.greaterThan(explained) ? held.minus(explained) : ZERO;
    const change: CostBasisChange = this.#o.costBasis.setOwnerBasis({ asset, price, costAsset, qty }, actor);
    this.#o.logger.info({ asset, price: price.toFixed(), costAsset, actor }, 'cost basis set by the owner');
    return {
      asset,
      price,
      costAsset,
      qty,
      ...(change.previous ? { previous: change.previous } : {}),
    };
  }

  /**
   * Holdings the fills cannot explain, for the chat's "set its cost?" prompt: reconciles without
   * recording anything.
   */
  async unexplained(): Promise<{ readonly asset: string; readonly qty: Decimal; readonly source: string }[]> {
    return [...this.#reconcile(await this.market()).positions.values()]
      .filter((p) => p.basisQty !== undefined)
      .map((p) => ({ asset: p.asset, qty: p.basisQty!, source: p.costBasisSource }));
  }

  /** The fills' positions completed with cost bases for what they cannot explain (nothing recorded). */
  #reconcile(market: MarketView): ReturnType<typeof reconcileHoldings> {
    return reconcileHoldings({
      positions: this.#replayFor(market).positions,
      balances: market.balances,
      basis: this.#o.costBasis.all(),
      prices: market.prices,
      ...(market.usdcUsdt !== undefined ? { usdcUsdt: market.usdcUsdt } : {}),
      now: this.#o.clock.now(),
    });
  }

  #toCostAsset(market: MarketView | undefined) {
    return makeToCostAsset(this.#ratesOf(market));
  }

  /** A market view's prices as conversion rates (the view itself: the replay is cached by it). */
  #ratesOf(market: MarketView | undefined): ConversionRates {
    return market ?? NO_MARKET;
  }

  /**
   * The running snapshot with the fills after it. A fill whose prices are not recorded yet is
   * valued at the market's prices, so while one exists the replay is redone for a newer market view.
   */
  #replayFor(market: MarketView | undefined): FillReplay {
    return this.#running.replay(this.#ratesOf(market));
  }
}
