/**
 * Turns the live process's state into a replay: the settings (with overrides, the live store is
 * only read), the holdings and their cost bases, the exchange rules and the spreads of the moment,
 * and the candles the span needs (local first, the missing ranges fetched at the rate limiter's
 * background priority). Shared by the chat's what-if and `npm run backtest`.
 */
import {
  CORE_ASSETS,
  STABLECOINS,
  type BookTop,
  type Candle,
  type SymbolRules,
  type Ticker24h,
} from '../domain/market.js';
import { ZERO } from '../domain/money.js';
import type { PortfolioSnapshot } from '../domain/portfolio/snapshot.js';
import { isStrategyId, STRATEGY_IDS } from '../domain/strategy.js';
import type { KlineQuery } from '../exchange/ExchangePort.js';
import type { CandleRepository } from '../persistence/CandleRepository.js';
import { backfillCandles } from '../replay/candleBackfill.js';
import { rulesToWire, type ReplaySpec, type StartPortfolio } from '../replay/replaySpec.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import { tapeRange } from './replayProcess.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Symbols whose minutes every replay needs: the core markets and the stablecoin rate. */
const CORE_SYMBOLS = ['BTCUSDC', 'ETHUSDC', 'BTCUSDT', 'ETHUSDT', 'USDCUSDT'];

/** A replay request the live settings refuse (a value, a strategy, the span): the message says why. */
export class ReplayRequestError extends Error {
  override readonly name = 'ReplayRequestError';
}

/** The longest span a replay covers: what the candle store keeps. */
export const MAX_REPLAY_DAYS = 30;

/** The live state a replay starts from. */
export interface ReplaySource {
  readonly settings: Pick<SettingsStore, 'list' | 'validate'>;
  /** The portfolio now: balances and the cost of each holding. */
  snapshot(): Promise<PortfolioSnapshot>;
  readonly market: {
    getRules(): Promise<ReadonlyMap<string, SymbolRules>>;
    getBookTops(): Promise<ReadonlyMap<string, BookTop>>;
    getTickers24h(): Promise<readonly Ticker24h[]>;
    getKlines(query: KlineQuery): Promise<readonly Candle[]>;
  };
  readonly candles: Pick<CandleRepository, 'openTimes' | 'keep' | 'symbols'>;
  readonly timeZone: string;
}

/** How a replay is asked for: span, overrides and which strategies run. */
export interface ReplayRequest {
  readonly days: number;
  /** Setting overrides, as the owner would type them (validated first). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Only these strategies run (the others are switched off); default: as configured. */
  readonly strategies?: readonly string[];
  /** Extra price move against taker orders, as a fraction. Default 0. */
  readonly slippage?: number;
  /** End of the span (default: the last whole minute). */
  readonly now: number;
}

/** The starting portfolio: every balance, and each holding's average cost. */
export function startPortfolioOf(snapshot: PortfolioSnapshot): StartPortfolio {
  const balances: Record<string, string> = {};
  const costs: Record<string, { price: string; costAsset: string }> = {};
  for (const b of snapshot.market.balances) {
    const qty = b.free.plus(b.locked);
    if (qty.greaterThan(ZERO)) balances[b.asset] = qty.toFixed();
  }
  for (const [asset, p] of snapshot.positions) {
    if (balances[asset] !== undefined && p.avgCost.greaterThan(ZERO))
      costs[asset] = { price: p.avgCost.toFixed(), costAsset: p.costAsset };
  }
  return { balances, costs };
}

/** Spread of every symbol as a fraction of its mid. */
export function spreadsOf(tops: ReadonlyMap<string, BookTop>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [symbol, top] of tops) {
    const bid = top.bid.toNumber();
    const ask = top.ask.toNumber();
    if (bid > 0 && ask > bid) out[symbol] = (ask - bid) / ((ask + bid) / 2);
  }
  return out;
}

/**
 * The strategies a setting belongs to: its prefix when that is a strategy id, else every one —
 * `exclusions` and the reserves bind every strategy, so their what-if replays all six.
 */
export function strategiesOfSetting(key: string): readonly string[] {
  const prefix = key.split('.')[0] ?? '';
  return isStrategyId(prefix) ? [prefix] : STRATEGY_IDS;
}

/**
 * Validates the request against the live settings and builds the spec (nothing is written).
 * Throws a {@link ReplayRequestError} whose message the owner can act on when a value, a strategy
 * or the span is refused.
 */
export async function buildReplaySpec(source: ReplaySource, request: ReplayRequest): Promise<ReplaySpec> {
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > MAX_REPLAY_DAYS) {
    throw new ReplayRequestError(
      `days must be a whole number from 1 to ${MAX_REPLAY_DAYS}, got ${request.days}`,
    );
  }
  const settings: Record<string, string> = {};
  for (const s of source.settings.list()) settings[s.key] = s.value;
  for (const [key, value] of Object.entries(request.overrides ?? {})) {
    const checked = source.settings.validate(key, value);
    if (!checked.ok) throw new ReplayRequestError(checked.error);
    settings[key] = checked.value;
  }
  if (request.strategies) {
    for (const id of request.strategies) {
      if (!isStrategyId(id))
        throw new Error(`unknown strategy "${id}"; strategies are ${STRATEGY_IDS.join(', ')}`);
    }
    for (const id of STRATEGY_IDS) if (!request.strategies.includes(id)) settings[`${id}.enabled`] = 'off';
  }
  // A replay never pauses: the live pause state is about now, not about the past. Nobody is there
  // to confirm a proposal either: confirm mode is replayed as if every proposal were confirmed.
  settings['paused'] = 'off';
  for (const id of STRATEGY_IDS) if (settings[`${id}.mode`] === 'confirm') settings[`${id}.mode`] = 'auto';
  const toMs = Math.floor(request.now / MINUTE_MS) * MINUTE_MS;
  const [rules, tops, snapshot] = await Promise.all([
    source.market.getRules(),
    source.market.getBookTops(),
    source.snapshot(),
  ]);
  return {
    fromMs: toMs - request.days * DAY_MS,
    toMs,
    stepMs: MINUTE_MS,
    settings,
    start: startPortfolioOf(snapshot),
    rules: [...rules.values()].map(rulesToWire),
    spreads: spreadsOf(tops),
    slippage: request.slippage ?? 0,
    timeZone: source.timeZone,
    equityEveryMs: request.days > 7 ? 60 * MINUTE_MS : 15 * MINUTE_MS,
  };
}

/** The markets whose minutes a replay needs: the core ones and those of held altcoins. */
function minuteSymbols(rules: ReadonlyMap<string, SymbolRules>, held: readonly string[]): string[] {
  const minutes = new Set(CORE_SYMBOLS.filter((s) => rules.has(s)));
  for (const asset of held) {
    if ((CORE_ASSETS as readonly string[]).includes(asset) || STABLECOINS.has(asset)) continue;
    for (const quote of ['USDT', 'USDC']) if (rules.has(`${asset}${quote}`)) minutes.add(`${asset}${quote}`);
  }
  return [...minutes].sort();
}

/**
 * Brings the candle store up to what `specs` need: one-minute candles of the core markets and of
 * held altcoins over the span, fifteen-minute candles (with the scanner's warm-up) of those and of
 * every symbol the scanner has looked at. Returns how many requests it made.
 */
export async function prepareCandles(
  source: ReplaySource,
  specs: readonly ReplaySpec[],
  now: number,
  onRequest?: (done: number) => void,
): Promise<number> {
  const rules = await source.market.getRules();
  const { from, to } = tapeRange(specs);
  const spanFrom = Math.min(...specs.map((s) => s.fromMs));
  const minutes = minuteSymbols(
    rules,
    specs.flatMap((s) => Object.keys(s.start.balances)),
  );
  const quarters = new Set([
    ...minutes,
    ...source.candles.symbols('15m', from, to).filter((s) => rules.has(s)),
  ]);
  // The scanner's universe today, in case it has not scanned (or kept candles) yet.
  if (specs.some((s) => s.settings['scanner.enabled'] === 'on')) {
    const head = Number(specs[0]!.settings['scanner.maxCandidates'] ?? 80);
    const tickers = [...(await source.market.getTickers24h())]
      .filter((t) => rules.get(t.symbol)?.quoteAsset === 'USDT')
      .sort((a, b) => b.quoteVolume.comparedTo(a.quoteVolume));
    for (const t of tickers.slice(0, head)) quarters.add(t.symbol);
  }
  let requests = 0;
  const count = () => {
    requests += 1;
    onRequest?.(requests);
  };
  await backfillCandles({
    store: source.candles,
    source: source.market,
    request: { symbols: minutes, interval: '1m', from: spanFrom, to, now },
    onRequest: count,
  });
  await backfillCandles({
    store: source.candles,
    source: source.market,
    request: { symbols: [...quarters].sort(), interval: '15m', from, to, now },
    onRequest: count,
  });
  return requests;
}
