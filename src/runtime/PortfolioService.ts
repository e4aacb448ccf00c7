/**
 * Positions, realised PnL and valuation for the running process, computed by the pure portfolio
 * functions from the fills table and the exchange's balances and prices. Positions are memoised
 * on the fills table's state (count and last insert), so the six strategies, the chat and the
 * reports share one computation per change instead of replaying every fill on every call.
 */
import type { Balance, BookTop } from '../domain/market.js';
import { type Decimal, ZERO } from '../domain/money.js';
import { reconcileHoldings } from '../domain/portfolio/costBasis.js';
import { costAssetOf, makeToCostAsset } from '../domain/portfolio/conversion.js';
import type { Position } from '../domain/portfolio/position.js';
import { positionsFromFills, type Realisation } from '../domain/portfolio/positions.js';
import { valuePortfolio, type PortfolioValuation } from '../domain/portfolio/valuation.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type { CostBasisRepository } from '../persistence/CostBasisRepository.js';
import type { Db } from '../persistence/db.js';
import type { FillRepository, StoredFill } from '../persistence/FillRepository.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** Book tops and mid prices of one moment, shared by every figure computed from it. */
export interface MarketView {
  readonly balances: readonly Balance[];
  /** Mid price by symbol. */
  readonly prices: ReadonlyMap<string, Decimal>;
  readonly usdcUsdt: Decimal | undefined;
}

/** The fills, cost basis rows, exchange and clock the portfolio figures come from. */
export interface PortfolioServiceOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly exchange: ExchangePort;
  readonly fills: FillRepository;
  readonly costBasis: CostBasisRepository;
  readonly logger: Logger;
}

/** Mid prices from book tops (the bid alone when there is no ask), for valuing holdings. */
export function midPrices(tops: ReadonlyMap<string, BookTop>): Map<string, Decimal> {
  const prices = new Map<string, Decimal>();
  for (const [symbol, top] of tops) {
    if (top.bid.greaterThan(ZERO) && top.ask.greaterThan(ZERO))
      prices.set(symbol, top.bid.plus(top.ask).div(2));
    else if (top.bid.greaterThan(ZERO)) prices.set(symbol, top.bid);
    else if (top.ask.greaterThan(ZERO)) prices.set(symbol, top.ask);
  }
  return prices;
}

/** Positions, realised PnL and valuation for the running bot, recomputed only when fills change. */
export class PortfolioService {
  readonly #o: PortfolioServiceOptions;
  #memo: { key: string; fills: readonly StoredFill[] } | undefined;
  #last: ReadonlyMap<string, Position> = new Map();
  #realised: { fills: readonly StoredFill[]; at: number; list: readonly Realisation[] } | undefined;
  #warned = new Set<string>();

  constructor(options: PortfolioServiceOptions) {
    this.#o = options;
  }

  /** Balances, mid prices and USDCUSDT of this moment. */
  async market(): Promise<MarketView> {
    const [balances, tops] = await Promise.all([
      this.#o.exchange.getBalances(),
      this.#o.exchange.getBookTops(),
    ]);
    const prices = midPrices(tops);
    return { balances, prices, usdcUsdt: prices.get('USDCUSDT') };
  }

  /** Every recorded fill, re-read only when the fills table changed. */
  allFills(): readonly StoredFill[] {
    const state = this.#o.db.prepare('SELECT COUNT(*) AS n, MAX(recorded_at) AS m FROM fills').get() as {
      n: number;
      m: number | null;
    };
    const key = `${state.n}:${state.m ?? 0}`;
    if (this.#memo?.key !== key) this.#memo = { key, fills: this.#o.fills.listFills() };
    return this.#memo.fills;
  }

  /** Positions from fills, completed with cost bases for holdings the fills cannot explain. */
  async positions(view?: MarketView): Promise<ReadonlyMap<string, Position>> {
    const market = view ?? (await this.market());
    const toCostAsset = makeToCostAsset({ prices: market.prices, usdcUsdt: market.usdcUsdt });
    const { positions, warnings } = positionsFromFills(this.allFills(), { costAssetOf, toCostAsset });
    const reconciled = reconcileHoldings({
      positions,
      balances: market.balances,
      basis: this.#o.costBasis.all(),
      prices: market.prices,
      usdcUsdt: market.usdcUsdt,
      now: this.#o.clock.now(),
    });
    for (const row of reconciled.newRows) this.#o.costBasis.recordFirstSeen(row);
    for (const w of [...warnings, ...reconciled.warnings]) {
      // The same history gives the same warnings on every run: log each once.
      if (this.#warned.has(w)) continue;
      this.#warned.add(w);
      this.#o.logger.warn({ warning: w }, 'portfolio');
    }
    this.#last = reconciled.positions;
    return reconciled.positions;
  }

  /** The positions of the latest computation, for synchronous callers (fill notifications). */
  lastPositions(): ReadonlyMap<string, Position> {
    return this.#last;
  }

  /**
   * Realised PnL of sells at or after `since`, per cost asset. The realisations are replayed once
   * per change of the fills table (and at most once a minute for the conversion prices), so /pnl's
   * three windows and the report share one replay; only book tops are read, never balances.
   */
  async realisedSince(since: number): Promise<Map<string, Decimal>> {
    const totals = new Map<string, Decimal>();
    for (const r of await this.#realisations()) {
      if (r.time >= since) totals.set(r.costAsset, (totals.get(r.costAsset) ?? ZERO).plus(r.pnl));
    }
    return totals;
  }

  async #realisations(): Promise<readonly Realisation[]> {
    const fills = this.allFills();
    const now = this.#o.clock.now();
    const cached = this.#realised;
    if (cached && cached.fills === fills && now - cached.at < 60_000) return cached.list;
    const prices = midPrices(await this.#o.exchange.getBookTops());
    const list: Realisation[] = [];
    positionsFromFills(fills, {
      costAssetOf,
      toCostAsset: makeToCostAsset({ prices, usdcUsdt: prices.get('USDCUSDT') }),
      onRealised: (r) => list.push(r),
    });
    this.#realised = { fills, at: now, list };
    return list;
  }

  /** The whole portfolio valued in USDC, with the alts/core split. */
  async valuation(view?: MarketView): Promise<PortfolioValuation> {
    const market = view ?? (await this.market());
    const positions = await this.positions(market);
    return valuePortfolio({
      balances: market.balances,
      prices: market.prices,
      usdcUsdt: market.usdcUsdt,
      positions,
    });
  }
}
