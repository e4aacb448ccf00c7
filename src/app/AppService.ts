/**
 * The implementation of {@link AppApi} over SQLite, the settings store and the core's ports
 * ({@link AppDeps}). Pausing, exclusions and settings go through SettingsStore so every
 * change is versioned with its actor and strategies see it on their next run.
 */
import { STABLECOINS } from '../domain/market.js';
import { dec } from '../domain/money.js';
import { costAssetOf } from '../domain/portfolio/conversion.js';
import { STRATEGY_IDS, type StrategyId } from '../domain/strategy.js';
import { OPEN_ORDER_STATUSES } from '../persistence/OrderRepository.js';
import type { AppApi } from './AppApi.js';
import type { AppDeps } from './AppDeps.js';
import {
  queryOpenOrders,
  queryOpenOrdersPage,
  queryOrder,
  queryTradeCounts,
  queryTradesPage,
} from '../persistence/chatQueries.js';
import { ScanRepository } from '../persistence/ScanRepository.js';
import type {
  Actor,
  BalancesView,
  CancelOrderResult,
  ChartRange,
  ChartResult,
  ConfirmationView,
  CostBasisResult,
  ListPageView,
  OpenOrderView,
  Page,
  PageCursor,
  SymbolPrecision,
  PauseResult,
  PauseTarget,
  PnlAssetView,
  PnlView,
  DailyReportResult,
  ReportView,
  ResolveOutcome,
  RunScanResult,
  ScanView,
  StatusView,
  SymbolListResult,
  TradeView,
  UnexplainedHoldingView,
  WhyView,
} from './appViews.js';
import { buildStatus, type StatusSnapshot } from './statusView.js';
import { errorText, parseSymbol } from './appText.js';
import { SettingsApiImpl } from './SettingsApiImpl.js';
import { WhatIfApiImpl } from './WhatIfApiImpl.js';
import { balancesViewOf, pnlViewOf } from './snapshotViews.js';

const DAY_MS = 86_400_000;
/** Rows of one page of /trades or /orders: a phone screen, at most 50. */
const pageSize = (size: number): number => Math.max(1, Math.min(50, Math.floor(size)));

/**
 * Answers the chat's use cases from the database, the settings store and the core's ports; the one {@link
 * AppApi} the process runs.
 */
export class AppService implements AppApi {
  readonly settings: SettingsApiImpl;
  readonly whatIf: WhatIfApiImpl;
  readonly #deps: AppDeps;
  readonly #scans: ScanRepository;
  #scanInFlight: Promise<ScanView> | undefined;

  constructor(deps: AppDeps) {
    this.#deps = deps;
    this.#scans = new ScanRepository(deps.db);
    this.settings = new SettingsApiImpl(deps.settings, deps.confirmations, deps.clock);
    this.whatIf = new WhatIfApiImpl({ runner: deps.whatIf, settings: deps.settings, clock: deps.clock });
  }

  async getStatus(): Promise<StatusView> {
    return buildStatus(this.#deps, await this.#snapshot());
  }

  async getBalances(): Promise<BalancesView> {
    const snapshot = await this.#snapshot();
    return snapshot.ok
      ? this.#withAssetStep(balancesViewOf(snapshot.value, this.#deps.timeZone))
      : { available: false, reason: snapshot.reason };
  }

  /**
   * Adds to each coin's line the step of its pair with its cost asset, the pair /pnl reads, so
   * one holding is written with the same decimals in /balance, /pnl and the fill notices.
   * Stablecoins stay money (two decimals).
   */
  async #withAssetStep(view: BalancesView): Promise<BalancesView> {
    if (!view.available) return view;
    const pair = (asset: string) => `${asset}${costAssetOf(asset)}`;
    const coins = view.lines.filter((l) => l.group !== 'stable').map((l) => pair(l.asset));
    const precision = await this.#precisions(coins);
    const lines = view.lines.map((l) => {
      const stepSize = l.group === 'stable' ? undefined : precision.get(pair(l.asset))?.stepSize;
      return stepSize ? { ...l, stepSize } : l;
    });
    return { ...view, lines };
  }

  async getPnl(): Promise<PnlView> {
    const snapshot = await this.#snapshot();
    if (!snapshot.ok) return { available: false, reason: snapshot.reason };
    const view = await this.#withPairPrecision(pnlViewOf(snapshot.value, this.#deps.timeZone));
    // Costs of assets whose history is still being read are provisional: say so.
    const note = this.#deps.historyNote();
    return note && view.available ? { ...view, warnings: [note, ...view.warnings] } : view;
  }

  /** Holdings the fills cannot explain, for the "set its cost" prompt of /pnl and /cost. */
  async getUnexplainedHoldings(): Promise<readonly UnexplainedHoldingView[]> {
    try {
      return await this.#deps.portfolio.unexplained();
    } catch (error) {
      this.#deps.logger.warn({ err: error }, 'unexplained holdings unavailable');
      return [];
    }
  }

  /** Adds to each position the precision of its pair with its cost asset (`PEPE` → `PEPEUSDT`). */
  async #withPairPrecision(view: PnlView): Promise<PnlView> {
    if (!view.available) return view;
    const pair = (a: PnlAssetView) => `${a.asset}${a.costAsset}`;
    const precision = await this.#precisions(view.assets.map(pair));
    return { ...view, assets: view.assets.map((a) => ({ ...a, precision: precision.get(pair(a)) })) };
  }

  /** One portfolio snapshot, or why there is none (the exchange did not answer). */
  async #snapshot(): Promise<StatusSnapshot> {
    try {
      return { ok: true, value: await this.#deps.portfolio.snapshot() };
    } catch (error) {
      return { ok: false, reason: `portfolio unavailable: ${errorText(error)}` };
    }
  }

  getTrades(cursor: PageCursor, size: number): Promise<ListPageView<TradeView>> {
    return this.#withPrecision(queryTradesPage(this.#deps.db, cursor, pageSize(size)), 'fill');
  }

  getOpenOrders(cursor: PageCursor, size: number): Promise<ListPageView<OpenOrderView>> {
    return this.#withPrecision(queryOpenOrdersPage(this.#deps.db, cursor, pageSize(size)), 'order');
  }

  /** Adds the exchange's precision of the page's symbols, and logs the rows it had to leave out. */
  async #withPrecision<T extends { readonly symbol: string }>(
    page: Page<T>,
    what: string,
  ): Promise<ListPageView<T>> {
    if (page.skipped > 0) this.#deps.logger.warn({ skipped: page.skipped }, `malformed ${what} rows skipped`);
    return { ...page, precision: await this.#precisions(page.rows.map((r) => r.symbol)) };
  }

  /**
   * The exchange's precision of `symbols` (those it lists). Without the exchange's rules the
   * answer is still worth giving: its numbers then follow their magnitude.
   */
  async #precisions(symbols: Iterable<string>): Promise<Map<string, SymbolPrecision>> {
    const precision = new Map<string, SymbolPrecision>();
    try {
      const rules = await this.#deps.symbols();
      for (const symbol of symbols) {
        const r = rules.get(symbol);
        if (r) precision.set(symbol, { tickSize: r.tickSize, stepSize: r.stepSize });
      }
    } catch (error) {
      this.#deps.logger.warn(
        { err: error },
        'exchange rules unavailable; numbers shown without symbol precision',
      );
    }
    return precision;
  }

  async cancelOrder(clientOrderId: string, actor: Actor): Promise<CancelOrderResult> {
    const order = queryOrder(this.#deps.db, clientOrderId);
    if (!order) return { status: 'not-found' };
    if (!(OPEN_ORDER_STATUSES as readonly string[]).includes(order.status)) {
      return { status: 'already-final', orderStatus: order.status };
    }
    try {
      const result = await this.#deps.cancelOrder(clientOrderId, actor);
      this.#deps.logger.info({ clientOrderId, actor, status: result.status }, 'order cancelled from chat');
      const precision = (await this.#precisions([order.symbol])).get(order.symbol);
      return { status: 'cancelled', order: { ...order, status: result.status }, precision };
    } catch (error) {
      return { status: 'failed', error: errorText(error) };
    }
  }

  pause(target: PauseTarget, actor: Actor): PauseResult {
    return this.#setPaused(target, true, actor);
  }

  resume(target: PauseTarget, actor: Actor): PauseResult {
    return this.#setPaused(target, false, actor);
  }

  #setPaused(target: PauseTarget, paused: boolean, actor: Actor): PauseResult {
    const { pauses, settings } = this.#deps;
    const { changed } = paused ? pauses.pause(target, actor) : pauses.resume(target, actor);
    const stillStopped: { id: StrategyId; why: 'paused' | 'disabled' }[] = [];
    if (!paused) {
      for (const id of target === 'all' ? STRATEGY_IDS : [target]) {
        if (pauses.isPaused(id)) stillStopped.push({ id, why: 'paused' });
        else if (!settings.get(`${id}.enabled`)) stillStopped.push({ id, why: 'disabled' });
      }
    }
    return { target, paused, changed, stillStopped };
  }

  exclude(text: string): Promise<SymbolListResult> {
    return this.#proposeExclusions(text, true);
  }

  include(text: string): Promise<SymbolListResult> {
    return this.#proposeExclusions(text, false);
  }

  async #proposeExclusions(text: string, add: boolean): Promise<SymbolListResult> {
    const current = this.#deps.settings.get('exclusions');
    const parsed = parseSymbol(text);
    if (!parsed.ok)
      return { status: 'refused', error: `${parsed.error}. Nothing changed.`, exclusions: current };
    const name = parsed.symbol;
    let symbols: readonly string[];
    let asset: string | undefined;
    if (current.includes(name)) {
      // An excluded symbol can always be included again, even one the exchange no longer lists.
      symbols = [name];
    } else {
      const known = await this.#deps.symbols();
      if (known.has(name)) symbols = [name];
      else {
        const isAsset = [...known.values()].some((s) => s.baseAsset === name);
        if (!isAsset) {
          return {
            status: 'refused',
            error: `${name} is neither a symbol nor an asset on the exchange, so nothing changed. Check the spelling (symbols look like PEPEUSDT).`,
            exclusions: current,
          };
        }
        asset = name;
        symbols = [...known]
          .filter(([symbol, s]) => s.baseAsset === name && (add || current.includes(symbol)))
          .map(([symbol]) => symbol)
          .sort();
      }
    }
    const changed = symbols.filter((s) => current.includes(s) !== add);
    if (changed.length === 0) return { status: 'unchanged', symbols, exclusions: current };
    const next = add ? [...current, ...changed] : current.filter((s) => !changed.includes(s));
    // The one confirm screen of setting changes: the owner sees old → new and may replay it first.
    const proposal = this.settings.proposeChange('exclusions', next.length === 0 ? 'none' : next.join(','));
    if (!proposal.ok) return { status: 'refused', error: proposal.error, exclusions: current };
    return {
      status: 'proposed',
      ...(asset === undefined ? {} : { asset }),
      changed,
      proposal,
      exclusions: current,
    };
  }

  getScan(): ScanView {
    const scan = this.#scans.latestFinished();
    if (!scan) return { available: false };
    // Exclusions apply from the moment they are set: a symbol excluded after the scan is no leader.
    const excluded = new Set(this.#deps.settings.get('exclusions'));
    return {
      available: true,
      scanId: scan.id,
      ...scan,
      leaders: scan.leaders.filter((s) => !excluded.has(s)),
      minScore: this.#deps.settings.get('scanner.minScore'),
      top: this.#scans.topVerdicts(scan.id, 10).map((v) => ({
        ...v,
        excluded: excluded.has(v.symbol),
      })),
    };
  }

  runScan(): RunScanResult {
    const port = this.#deps.runScan;
    if (this.#scanInFlight) return { status: 'already-running' };
    const done = port()
      .then(() => this.getScan())
      .finally(() => {
        this.#scanInFlight = undefined;
      });
    this.#scanInFlight = done;
    // The caller may not wait for it; a failure must still be seen.
    done.catch((error: unknown) => this.#deps.logger.error({ err: error }, 'scan from chat failed'));
    return { status: 'started', done };
  }

  why(text: string): WhyView {
    const parsed = parseSymbol(text);
    const symbol = parsed.ok ? parsed.symbol : text.trim().slice(0, 30);
    const scanned = this.#scans.latestFinished() !== undefined;
    if (!parsed.ok) return { found: false, symbol, scanned };
    const v = this.#scans.latestVerdict(symbol);
    if (!v) return { found: false, symbol, scanned };
    return {
      found: true,
      symbol,
      scanId: v.scanId,
      scanAt: v.scanAt,
      score: v.score,
      passed: v.passed,
      minScore: this.#deps.settings.get('scanner.minScore'),
      excluded: this.#deps.settings.get('exclusions').includes(symbol),
      gates: v.gates ?? [],
      raw: v.gates ? undefined : v.raw.slice(0, 500),
    };
  }

  async getReport(): Promise<ReportView> {
    const now = this.#deps.clock.now();
    // One snapshot for every figure of the report, so they agree with each other.
    const snapshot = await this.#snapshot();
    const status = await buildStatus(this.#deps, snapshot);
    const pnl: PnlView = snapshot.ok
      ? pnlViewOf(snapshot.value, this.#deps.timeZone)
      : { available: false, reason: snapshot.reason };
    const balances: BalancesView = snapshot.ok
      ? balancesViewOf(snapshot.value, this.#deps.timeZone)
      : { available: false, reason: snapshot.reason };
    return { at: now, status, pnl, balances, trades24h: queryTradeCounts(this.#deps.db, now - DAY_MS) };
  }

  async getDailyReport(): Promise<DailyReportResult> {
    try {
      return { available: true, ...(await this.#deps.dailyReport()) };
    } catch (error) {
      return { available: false, reason: `report failed: ${errorText(error)}` };
    }
  }

  async getChart(range: ChartRange): Promise<ChartResult> {
    try {
      return { available: true, png: await this.#deps.renderChart(range), range };
    } catch (error) {
      return { available: false, reason: `chart failed: ${errorText(error)}` };
    }
  }

  requestPanic(actor: Actor): ConfirmationView {
    const open = queryOpenOrders(this.#deps.db).length;
    const cancel =
      open === 0
        ? 'no open order to cancel'
        : `cancel ${open === 1 ? 'the 1 open order' : `all ${open} open orders`}`;
    const record = this.#deps.confirmations.create({
      kind: 'panic',
      payload: JSON.stringify({ requestedBy: actor }),
      summary: `Kill switch: pause every strategy (${cancel})`,
    });
    return { id: record.id, kind: record.kind, summary: record.summary, expiresAt: record.expiresAt };
  }

  async resolveConfirmation(
    ref: string,
    decision: 'confirm' | 'skip',
    actor: Actor,
  ): Promise<ResolveOutcome> {
    const r = await this.#deps.confirmations.resolve(ref, decision, actor, this.#deps.clock.now());
    switch (r.status) {
      case 'confirmed':
        return { status: 'done', summary: r.summary, detail: r.detail };
      case 'failed':
        this.#deps.logger.error({ confirmation: r.id, detail: r.detail }, 'confirmed action failed');
        return { status: 'failed', summary: r.summary, error: r.detail };
      case 'skipped':
        return { status: 'skipped', summary: r.summary };
      case 'expired':
        return { status: 'expired', summary: r.summary };
      case 'already-resolved':
        return { status: 'already-resolved', summary: r.summary, outcome: r.outcome };
      case 'unknown':
        return { status: 'unknown' };
    }
  }

  /**
   * The owner's cost basis of a holding the fills cannot explain: `asset` such as BTC, `priceText`
   * the price per unit in its cost currency (USDC for BTC/ETH, USDT for altcoins). Bad input is
   * answered and changes nothing; the change is versioned with `actor`.
   */
  async setCostBasis(asset: string, priceText: string, actor: Actor): Promise<CostBasisResult> {
    const a = asset.trim().toUpperCase();
    if (!/^[A-Z0-9]{1,15}$/.test(a))
      return { ok: false, error: `"${asset.trim().slice(0, 20)}" is not an asset such as BTC` };
    if (STABLECOINS.has(a)) return { ok: false, error: `${a} is cash: it has no cost basis` };
    const text = priceText.trim().replace(/_/g, '');
    if (!/^\d+(\.\d+)?$/.test(text))
      return {
        ok: false,
        error: `"${priceText.trim().slice(0, 20)}" is not a price: write it like 61000 or 0.0000123`,
      };
    const price = dec(text);
    if (!price.greaterThan(0)) return { ok: false, error: 'the price must be above 0' };
    const r = await this.#deps.portfolio.setOwnerBasis(a, price, actor);
    return {
      ok: true,
      asset: a,
      price,
      costAsset: r.costAsset,
      qty: r.qty,
      ...(r.previous ? { previous: r.previous } : {}),
    };
  }
}
