/**
 * /status data: each strategy's state (scheduler port, or the last `job_runs` row), reserves and
 * headroom from live balances, open orders and every warning worth the owner's attention.
 */
import { ZERO, type Decimal } from '../domain/money.js';
import { STRATEGY_IDS } from '../domain/strategy.js';
import type { AppDeps } from './AppDeps.js';
import { countUnresolvedOrders, queryActiveBlocks, queryLastRuns, queryOpenOrders } from './appQueries.js';
import type { ReserveView, StatusView, StrategyStatusView } from './appViews.js';
import { errorText } from './appText.js';

export async function buildStatus(deps: AppDeps): Promise<StatusView> {
  const { db, settings, clock } = deps;
  const now = clock.now();
  const paused = settings.get('paused');
  const jobs = new Map((deps.jobs?.() ?? []).map((j) => [j.id, j]));
  const lastRuns = queryLastRuns(db);
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
  const reserveViews = await reserves(deps, warnings);
  const unresolved = countUnresolvedOrders(db);
  if (unresolved > 0) warnings.push(`${unresolved} order(s) with unknown outcome, being reconciled`);
  const blocks = queryActiveBlocks(db, now);
  if (blocks.length > 0) warnings.push(`blocked for now: ${blocks.map((b) => b.symbol).join(', ')}`);
  warnings.push(...(deps.warnings?.() ?? []));
  const market = await marketLine(deps);
  return {
    market,
    now,
    tradingMode: deps.tradingMode,
    exchange: deps.exchangeName,
    paused,
    strategies,
    reserves: reserveViews,
    openOrders: queryOpenOrders(db).length,
    warnings,
  };
}

async function reserves(deps: AppDeps, warnings: string[]): Promise<ReserveView[]> {
  const reserveOf = {
    USDC: deps.settings.get('reserve.usdc'),
    USDT: deps.settings.get('reserve.usdt'),
  };
  let free: Map<string, Decimal> | undefined;
  if (deps.balances) {
    try {
      free = new Map((await deps.balances()).map((b) => [b.asset, b.free]));
    } catch (error) {
      warnings.push(`balances unavailable: ${errorText(error)}`);
    }
  }
  return (['USDC', 'USDT'] as const).map((asset) => {
    const f = free ? (free.get(asset) ?? ZERO) : undefined;
    const reserve = reserveOf[asset];
    if (f && f.lessThan(reserve)) warnings.push(`free ${asset} is below its reserve`);
    return { asset, reserve, free: f, headroom: f?.minus(reserve) };
  });
}

const MARKET_SYMBOLS = ['BTCUSDC', 'ETHUSDC', 'USDCUSDT'] as const;

async function marketLine(deps: AppDeps): Promise<StatusView['market']> {
  if (!deps.prices) return undefined;
  try {
    const prices = await deps.prices();
    return MARKET_SYMBOLS.flatMap((symbol) => {
      const price = prices.get(symbol);
      return price ? [{ symbol, price }] : [];
    });
  } catch {
    // /status must answer even when the exchange does not; the warnings already say so.
    return undefined;
  }
}
