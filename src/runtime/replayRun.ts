/**
 * One replay: the bot's real execution core — the six strategies, the one executor with every
 * safety check, order tracking and reconciliation, the fill ledger and the one valuation — built
 * on a private in-memory database and a manual clock, trading on a paper account over recorded
 * candles ({@link HistoricalMarket}, {@link CandleFillModel}). The clock steps one minute at a
 * time and every job due runs at each step, as in the scenario tests; nothing is shared with the
 * live process (its settings, orders and fills are never touched).
 *
 * It lives in `runtime/` because, like `createRuntime`, it is a composition of the bot's parts;
 * `replay/` holds the parts only a replay has. Deterministic: the same spec and candles give the
 * same orders and figures (no wall time, no randomness, one step at a time).
 */
import { EventBus } from '../domain/events.js';
import type { AttributedFill } from '../domain/intent.js';
import { dec, ZERO } from '../domain/money.js';
import { valuePortfolio } from '../domain/portfolio/valuation.js';
import { FillPricer } from '../exchange/fillPricing.js';
import { PaperExchange } from '../exchange/paper/PaperExchange.js';
import { createExecutionCore } from '../execution/createExecutionCore.js';
import { HistorySync } from '../execution/HistorySync.js';
import { TRACK_JOB, WATCH_JOB } from '../execution/jobs.js';
import { equityOf } from '../ops/EquityRecorder.js';
import { CostBasisRepository } from '../persistence/CostBasisRepository.js';
import { cacheStatements, openDatabase } from '../persistence/db.js';
import { FillRepository } from '../persistence/FillRepository.js';
import { migrate } from '../persistence/migrate.js';
import { CandleFillModel } from '../replay/CandleFillModel.js';
import type { CandleTape } from '../replay/CandleTape.js';
import { HistoricalMarket } from '../replay/HistoricalMarket.js';
import { maxDrawdownPct } from '../replay/replayMetrics.js';
import {
  type ReplayEquityPoint,
  type ReplayOutcome,
  type ReplaySpec,
  type ReplayTrade,
  rulesFromWire,
} from '../replay/replaySpec.js';
import { SettingsStore } from '../settings/SettingsStore.js';
import { ManualClock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { createStrategies } from '../strategies/index.js';
import { exchangeMarketReader, PortfolioService } from './PortfolioService.js';

/** Jobs that only follow the bot's orders: with none open, running them changes nothing. */
const ORDER_FOLLOWING_JOBS: ReadonlySet<string> = new Set([TRACK_JOB, WATCH_JOB]);

/** Who the replay's own records name as the actor (settings, cost bases). */
const REPLAY_ACTOR = 'replay';

/** Reported while a replay runs: the share of the span done. */
export type ReplayProgress = (fraction: number) => void;

/**
 * Runs one replay of `spec` over `tape` and returns what the bot did and ended with. Throws when a
 * setting of the spec is refused (the message names it).
 */
export async function runReplay(
  spec: ReplaySpec,
  tape: CandleTape,
  options: { readonly onProgress?: ReplayProgress; readonly logger?: Logger } = {},
): Promise<ReplayOutcome> {
  const wallStart = performance.now();
  const logger = options.logger ?? silentLogger();
  const clock = new ManualClock(spec.fromMs);
  const db = cacheStatements(openDatabase(':memory:'));
  try {
    migrate(db);
    const settings = new SettingsStore(db, clock);
    for (const [key, value] of Object.entries(spec.settings)) {
      const set = settings.set(key, value, REPLAY_ACTOR);
      if (!set.ok) throw new Error(`replay setting refused: ${set.error}`);
    }

    const rules = new Map(spec.rules.map((w) => [w.symbol, rulesFromWire(w)]));
    const market = new HistoricalMarket({
      clock,
      tape,
      rules,
      spreads: new Map(Object.entries(spec.spreads)),
    });
    const fillModel = new CandleFillModel({
      clock,
      tape,
      market,
      slippage: spec.slippage,
      resting: spec.restingFills ?? 'candle-range',
    });
    const startBalances = new Map(Object.entries(spec.start.balances).map(([a, q]) => [a, dec(q)]));
    const exchange = new PaperExchange({ db, market, clock, initialBalances: startBalances, fillModel });

    const assetsOf = (symbol: string) => {
      const r = rules.get(symbol);
      return r ? { base: r.baseAsset, quote: r.quoteAsset } : undefined;
    };
    const fills = new FillRepository({ db, clock, assetsOf });
    // A fresh account has no trade history to read: every ledger is complete from the start.
    for (const symbol of tape.symbols()) if (rules.has(symbol)) fills.setSyncCursor(symbol, spec.fromMs);
    fills.firstStartedAt(spec.fromMs);
    const history = new HistorySync({
      exchange,
      store: fills,
      clock,
      logger,
      baseOf: (symbol) => assetsOf(symbol)?.base,
    });
    const costBasis = new CostBasisRepository({ db, clock });
    for (const [asset, cost] of Object.entries(spec.start.costs)) {
      const qty = startBalances.get(asset);
      if (!qty || !qty.greaterThan(ZERO)) continue;
      costBasis.setOwnerBasis(
        { asset, price: dec(cost.price), costAsset: cost.costAsset, qty },
        REPLAY_ACTOR,
      );
    }
    const portfolio = new PortfolioService({
      clock,
      market: exchangeMarketReader(exchange, clock),
      fills,
      costBasis,
      logger,
      timeZone: spec.timeZone,
      historyPending: () => [],
    });
    const fillPrices = new FillPricer({ exchange, store: fills, clock, logger });

    const bus = new EventBus();
    const refusals: Record<string, number> = {};
    const refusalsByStrategy: Record<string, Record<string, number>> = {};
    bus.on((event) => {
      if (event.type !== 'order.refused') return;
      refusals[event.code] = (refusals[event.code] ?? 0) + 1;
      const mine = (refusalsByStrategy[event.origin] ??= {});
      mine[event.code] = (mine[event.code] ?? 0) + 1;
    });

    // Every strategy run reads the last week's fills; they change far less often than that.
    let recent: { key: string; since: number; fills: readonly AttributedFill[] } | undefined;
    const recentFills = (since: number): readonly AttributedFill[] => {
      const key = fills.changeKey();
      if (!recent || recent.key !== key || since < recent.since)
        recent = { key, since, fills: fills.recentAttributedFills(since) };
      return since === recent.since ? recent.fills : recent.fills.filter((f) => f.time >= since);
    };

    const core = createExecutionCore({
      bus,
      clock,
      db,
      exchange,
      logger,
      settings,
      strategies: createStrategies(),
      timers: false,
      recordJobRuns: false,
      positions: () => portfolio.positions(),
      recentFills,
      syncFills: async (symbols, syncOptions) => {
        const result = await history.sync(symbols, syncOptions);
        // No history is ever being read in a replay, so the full pass prices the fresh fills from
        // the book at once, as the live ledger's quick pass for fresh fills would.
        await fillPrices.recordPending();
        return result;
      },
      history,
      historyBefore: () => spec.fromMs,
      unattributedFills: () => [],
      fillsOf: async (order) =>
        fills
          .listFills({ symbol: order.symbol, since: order.createdAt - 60_000 })
          .filter((f) => f.clientOrderId === order.clientOrderId || f.orderId === order.exchangeOrderId),
      realisedPnl: ({ order, qty }) => portfolio.realisedOfSell(order, qty),
    });

    /**
     * The next instant to run: the next step, or — while no order of the bot can fill or change —
     * the next one at which a job other than order tracking is due (tracking nothing is a no-op),
     * so quiet stretches cost nothing. The result is the same as stepping every minute.
     */
    const nextStep = (t: number): number => {
      const next = t + spec.stepMs;
      if (core.orders.listNonFinal().length > 0) return next;
      let due = Math.min(nextSample, spec.toMs);
      for (const job of core.scheduler.nextRuns()) {
        if (job.nextRunAt !== undefined && !ORDER_FOLLOWING_JOBS.has(job.id))
          due = Math.min(due, job.nextRunAt);
      }
      const aligned = spec.fromMs + Math.ceil((due - spec.fromMs) / spec.stepMs) * spec.stepMs;
      return Math.max(next, aligned);
    };

    const started = await core.start();
    if (!started.ready) throw new Error('the replay could not reconcile its paper account');

    const equity: ReplayEquityPoint[] = [];
    const sample = async () => {
      const value = equityOf(await portfolio.snapshot());
      equity.push({
        at: clock.now(),
        totalUsdc: value.totalUsdc.toFixed(),
        coreUsdc: value.coreUsdc.toFixed(),
        altsUsdc: value.altsUsdc.toFixed(),
      });
    };
    await sample();
    const startValue = equity[0]!.totalUsdc;

    let steps = 0;
    let nextSample = spec.fromMs + spec.equityEveryMs;
    const span = Math.max(1, spec.toMs - spec.fromMs);
    let reported = -1;
    let t = spec.fromMs + spec.stepMs;
    while (t <= spec.toMs) {
      clock.set(t);
      await core.scheduler.runDue(t);
      steps += 1;
      if (t >= nextSample) {
        await sample();
        nextSample += spec.equityEveryMs;
      }
      const fraction = Math.floor(((t - spec.fromMs) / span) * 100);
      if (fraction !== reported) {
        reported = fraction;
        options.onProgress?.(fraction / 100);
      }
      t = nextStep(t);
    }
    await core.scheduler.runNow('reconcile', { force: true });
    const end = await portfolio.snapshot();
    if (equity.at(-1)?.at !== clock.now()) await sample();
    await core.stop(5_000);

    const orders = core.orders.listAll();
    const tradesByStrategy: Record<string, number> = {};
    for (const o of orders) {
      if (o.executedQty.greaterThan(ZERO)) tradesByStrategy[o.origin] = (tradesByStrategy[o.origin] ?? 0) + 1;
    }
    const trades: ReplayTrade[] = fills.listFills().map((f) => ({
      time: f.time,
      side: f.side,
      symbol: f.symbol,
      value: f.quoteQty.toFixed(),
    }));
    const hold = valuePortfolio({
      balances: [...startBalances].map(([asset, free]) => ({ asset, free, locked: ZERO })),
      prices: end.market.prices,
      usdcUsdt: end.market.usdcUsdt,
      positions: new Map(),
    });
    const coreStarts = ['BTCUSDC', 'ETHUSDC', 'USDCUSDT'].flatMap((s) => tape.span(s)?.from ?? []);
    return {
      fromMs: spec.fromMs,
      toMs: clock.now(),
      dataFromMs: Math.max(spec.fromMs, ...coreStarts),
      orders: orders.map((o) => ({
        origin: o.origin,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        quantity: o.quantity.toFixed(),
        ...(o.price === undefined ? {} : { price: o.price.toFixed() }),
        createdAt: o.createdAt,
        executedQty: o.executedQty.toFixed(),
        status: o.status,
      })),
      tradesByStrategy,
      refusals,
      refusalsByStrategy,
      realisedUsdc: end.realisedUsdc.all.toFixed(),
      unrealisedUsdc: end.valuation.totals.unrealisedUsdc.toFixed(),
      feesUsdc: end.feesUsdc.toFixed(),
      startValueUsdc: startValue,
      endValueUsdc: end.valuation.totals.totalUsdc.toFixed(),
      holdValueUsdc: hold.totals.totalUsdc.toFixed(),
      maxDrawdownPct: maxDrawdownPct(equity.map((p) => dec(p.totalUsdc))).toFixed(),
      equity,
      trades,
      steps,
      wallMs: Math.round(performance.now() - wallStart),
    };
  } finally {
    db.close();
  }
}
