/**
 * /status data: each strategy's state (scheduler port, or the last `job_runs` row), reserves and
 * headroom from live balances, open orders and every warning worth the owner's attention.
 */
import { ZERO, type Decimal } from '../domain/money.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import { STRATEGY_IDS } from '../domain/strategy.js';
import type { AppDeps } from './AppDeps.js';
import { countUnresolvedOrders, queryActiveBlocks, queryOpenOrders } from '../persistence/chatQueries.js';
import { JobRunRepository } from '../persistence/JobRunRepository.js';
import type { ReserveView, StatusView, StrategyStatusView } from './appViews.js';
import { dataAgeOf } from './snapshotViews.js';

/** The portfolio snapshot /status reads reserves and prices from, or why it has none. */
export type StatusSnapshot = { ok: true; value: PortfolioSnapshot } | { ok: false; reason: string };

/** /status from the scheduler, the database and one portfolio snapshot. */
export async function buildStatus(deps: AppDeps, snapshot: StatusSnapshot): Promise<StatusView> {
  const { db, settings, clock } = deps;
  const now = clock.now();
  const paused = settings.get('paused');
  const jobs = new Map(deps.jobs().map((j) => [j.id, j]));
  const lastRuns = new JobRunRepository(db).lastOfEach();
  const warnings: string[] = [];
  const strategies: StrategyStatusView[] = STRATEGY_IDS.map((id) => {
    const enabled = settings.get(`${id}.enabled`);
    const job = jobs.get(id);
    const last = lastRuns.get(id);
    const pausedHere = deps.pauses.isPaused(id);
    const state = job?.running ? 'running' : pausedHere ? 'paused' : enabled ? 'idle' : 'disabled';
    const lastOutcome = job?.lastOutcome ?? last?.outcome;
    if (lastOutcome === 'error')
      warnings.push(`${id}: last run failed${last?.error ? `: ${last.error}` : ''}`);
    return {
      id,
      enabled,
      mode: settings.get(`${id}.mode`),
      state,
      lastRunAt: job?.lastRunAt ?? last?.startedAt,
      nextRunAt: enabled && !pausedHere ? job?.nextRunAt : undefined,
      lastOutcome,
      lastSummary: job?.lastSummary ?? last?.summary ?? last?.error,
    };
  });
  if (paused) warnings.unshift('all strategies are paused (/resume all)');
  const reserveViews = reserves(deps, snapshot, warnings);
  const unresolved = countUnresolvedOrders(db);
  if (unresolved > 0) warnings.push(`${unresolved} order(s) with unknown outcome, being reconciled`);
  const blocks = queryActiveBlocks(db, now);
  if (blocks.length > 0) warnings.push(`blocked for now: ${blocks.map((b) => b.symbol).join(', ')}`);
  warnings.push(...deps.warnings());
  const market = snapshot.ok ? marketLine(snapshot.value) : undefined;
  return {
    timeZone: deps.timeZone,
    market,
    now,
    tradingMode: deps.tradingMode,
    exchange: deps.exchangeName,
    paused,
    strategies,
    reserves: reserveViews,
    openOrders: queryOpenOrders(db).length,
    warnings,
    streams: deps.streams().map((s) => ({ name: s.name, state: s.state, sinceMs: s.sinceMs })),
    ...(snapshot.ok ? { dataAge: dataAgeOf(snapshot.value, deps.timeZone) } : {}),
  };
}

function reserves(deps: AppDeps, snapshot: StatusSnapshot, warnings: string[]): ReserveView[] {
  const reserveOf = {
    USDC: deps.settings.get('reserve.usdc'),
    USDT: deps.settings.get('reserve.usdt'),
  };
  let free: Map<string, Decimal> | undefined;
  if (snapshot.ok) free = new Map(snapshot.value.market.balances.map((b) => [b.asset, b.free]));
  else warnings.push(snapshot.reason);
  return (['USDC', 'USDT'] as const).map((asset) => {
    const f = free ? (free.get(asset) ?? ZERO) : undefined;
    const reserve = reserveOf[asset];
    if (f && f.lessThan(reserve)) warnings.push(`free ${asset} is below its reserve`);
    return { asset, reserve, free: f, headroom: f?.minus(reserve) };
  });
}

const MARKET_SYMBOLS = ['BTCUSDC', 'ETHUSDC', 'USDCUSDT'] as const;

/** The core markets' prices of the snapshot (the prices every valuation of it used). */
function marketLine(snapshot: PortfolioSnapshot): StatusView['market'] {
  return MARKET_SYMBOLS.flatMap((symbol) => {
    const price = snapshot.market.prices.get(symbol);
    return price ? [{ symbol, price }] : [];
  });
}
