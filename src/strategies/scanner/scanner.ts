/**
 * `scanner`: finds USDT altcoins in a dip with turning momentum and buys the best few.
 *
 * `prepare` loads 15-minute klines for the universe's head through the long-lived
 * {@link KlineCache} and analyses every candidate, one per turn of the event loop so a scan of
 * 80 symbols never holds the process (a `/status` or a fill waits for one symbol at most);
 * `decide` is pure: it ranks the verdicts, keeps each gate's verdict and numbers in
 * `decision.scan` (for /why, /scan and other strategies' `scanLeaders`) and emits near-market
 * buys.
 *
 * Choices made here, beyond the settings:
 * - Buys are IMMEDIATE_OR_CANCEL limits at the best ask: near-market like a market order
 *   (which MEXC disables on some symbols), but never resting on the book or paying through it.
 * - The scanner opens NEW positions only: a leader already held (worth at least
 *   `alt-profit.minPositionUsdt`) is left to `alt-profit`'s capped top-ups.
 * - An alt position is a held altcoin worth at least `alt-profit.minPositionUsdt`; dust does
 *   not count against `maxPositions`.
 * - The per-symbol cooldown counts scanner buy fills of that symbol.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { OrderType } from '../../domain/market.js';
import { ZERO } from '../../domain/money.js';
import type { Decision, SettingsReader, StrategyDefinition, StrategySnapshot } from '../contract.js';
import type { Intent } from '../../domain/intent.js';
import type { ScanSummary, ScanVerdict } from '../../domain/scan.js';
import { cooldownLeftMs, HOUR_MS, openOrdersOf } from '../common/fills.js';
import { formatDuration, formatNumber } from '../../domain/format.js';
import { inactiveReason } from '../common/guard.js';
import { altHoldings, lookupMarket } from '../common/markets.js';
import { preflight } from '../common/preflight.js';
import { analyseSymbol, verdictSummary } from './analyseSymbol.js';
import { KlineCache, type KlineRefresh } from './KlineCache.js';
import { buildUniverse, type Universe } from './universe.js';

const ID = 'scanner';

/** What `prepare` hands to `decide`. */
export interface ScannerExtra {
  readonly universe: Universe;
  readonly klines: KlineRefresh;
  /** Every candidate's verdict, in universe order, from the same snapshot and settings. */
  readonly verdicts: readonly ScanVerdict[];
}

/** Analyses every candidate, yielding to the event loop before each one. */
async function analyseCandidates(
  universe: Universe,
  klines: KlineRefresh,
  now: number,
  settings: SettingsReader,
): Promise<ScanVerdict[]> {
  const verdicts: ScanVerdict[] = [];
  for (const entry of universe.candidates) {
    await nextTurn();
    const failure = klines.failures.get(entry.symbol);
    verdicts.push(
      analyseSymbol({
        entry,
        series: klines.series.get(entry.symbol),
        ...(failure === undefined ? {} : { failure }),
        now,
        settings,
      }),
    );
  }
  return verdicts;
}

/** The scan summary of the prepared verdicts, without any buying. */
function summariseScan(extra: ScannerExtra): ScanSummary {
  const { verdicts } = extra;
  // Stable sort keeps the volume rank among equal scores.
  const leaders = verdicts
    .filter((v) => v.passed)
    .sort((a, b) => b.score - a.score)
    .map((v) => v.symbol);
  const analysed = extra.universe.candidates.filter(
    (c) => extra.klines.series.has(c.symbol) && !extra.klines.failures.has(c.symbol),
  ).length;
  return {
    universe: extra.universe.eligible.length,
    analysed,
    leaders,
    verdicts,
    requests: extra.klines.requests,
    // Klines cost weight 1 per request; the tickers come with the snapshot.
    weight: extra.klines.requests,
  };
}

function scanNotes(scan: ScanSummary, extra: ScannerExtra): string[] {
  const rejected = Object.entries(extra.universe.rejected)
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${n} ${code}`)
    .join(', ');
  const notes = [
    `universe ${scan.universe} symbols${rejected ? ` (filtered out: ${rejected})` : ''}; analysed ${scan.analysed} with ${scan.requests ?? 0} kline requests; ${scan.leaders.length} passed${scan.leaders.length > 0 ? `: ${scan.leaders.slice(0, 10).join(', ')}` : ''}`,
  ];
  if (extra.klines.failures.size > 0) {
    notes.push(`klines failed for ${[...extra.klines.failures.keys()].join(', ')}`);
  }
  return notes;
}

function buyReason(verdict: ScanVerdict): string {
  const signals = verdict.gates
    .filter((g) => (g.points ?? 0) > 0)
    .map((g) => `${g.gate} ${g.value ?? ''} (${g.limit ?? ''})`)
    .join('; ');
  return `score ${verdict.score}: ${signals}`;
}

/** One scanner decision: the scan summary plus at most `maxBuysPerScan` IOC buys. */
export function decideScanner(
  snapshot: StrategySnapshot,
  settings: SettingsReader,
  extra: ScannerExtra | undefined,
): Decision {
  if (!extra) return { intents: [], notes: ['no scan data: klines were not loaded before deciding'] };
  const scan = summariseScan(extra);
  const notes = scanNotes(scan, extra);
  const inactive = inactiveReason(ID, settings);
  if (inactive) return { intents: [], notes: [inactive, ...notes], scan };

  const maxBuys = settings.get('scanner.maxBuysPerScan');
  const orderUsdt = settings.get('scanner.orderUsdt');
  const maxPositions = settings.get('scanner.maxPositions');
  const dust = settings.get('alt-profit.minPositionUsdt');
  const held = new Set(
    altHoldings(snapshot)
      .priced.filter((h) => h.valueUsdt.greaterThanOrEqualTo(dust))
      .map((h) => h.symbol),
  );
  const cooldownMs = settings.get('scanner.cooldownHours') * HOUR_MS;
  let headroom = snapshot.headroom.usdt;
  const intents: Intent[] = [];
  const verdictBySymbol = new Map(scan.verdicts.map((v) => [v.symbol, v]));

  for (const symbol of scan.leaders) {
    if (intents.length >= maxBuys) break;
    if (held.size + intents.length >= maxPositions) {
      notes.push(`${held.size} alt positions held, at most ${maxPositions}: no new buys`);
      break;
    }
    if (held.has(symbol)) {
      notes.push(`${symbol}: already held; top-ups are left to alt-profit`);
      continue;
    }
    if (openOrdersOf(snapshot, ID, { symbols: [symbol] }).length > 0) {
      notes.push(`${symbol}: a scanner order is still open`);
      continue;
    }
    const left = cooldownLeftMs({
      fills: snapshot.recentFills,
      match: (f) => f.origin === ID && f.side === 'BUY' && f.symbol === symbol,
      cooldownMs,
      now: snapshot.now,
    });
    if (left > 0) {
      notes.push(`${symbol}: bought recently, cooldown ${formatDuration(left, { roundUp: true })} left`);
      continue;
    }
    if (headroom.lessThan(orderUsdt)) {
      notes.push(
        `${symbol}: USDT headroom ${formatNumber(headroom.greaterThan(ZERO) ? headroom : ZERO)} is below the order ${formatNumber(orderUsdt)} USDT (reserve ${formatNumber(settings.get('reserve.usdt'))} USDT kept)`,
      );
      break;
    }
    const lookup = lookupMarket(snapshot, symbol, 'BUY');
    if (!lookup.ok) {
      notes.push(`${symbol}: ${lookup.reason}`);
      continue;
    }
    const { market } = lookup;
    const intent: Intent = {
      kind: 'order',
      origin: ID,
      symbol,
      side: 'BUY',
      type: OrderType.ImmediateOrCancel,
      price: market.book.ask,
      quoteAmount: orderUsdt,
      reason: `${symbol} ${buyReason(verdictBySymbol.get(symbol)!)}; ask ${formatNumber(market.book.ask)}; buy ${formatNumber(orderUsdt)} USDT (IOC at the ask)`,
    };
    const refused = preflight(intent, market.rules);
    if (refused) {
      notes.push(`${symbol}: order would be refused: ${refused}`);
      continue;
    }
    intents.push(intent);
    headroom = headroom.minus(orderUsdt);
  }
  if (scan.leaders.length === 0) {
    const best = [...scan.verdicts].sort((a, b) => b.score - a.score)[0];
    notes.push(best ? `nothing passed; best was ${verdictSummary(best)}` : 'no candidates to analyse');
  }
  return { intents, notes, scan };
}

/** The scanner definition plus the kline cache it keeps between scans. */
export type ScannerDefinition = StrategyDefinition<ScannerExtra | undefined> & {
  readonly klineCache: KlineCache;
};

/**
 * Creates the scanner. Pass `klineCache` to share or inspect the cache; otherwise a new one
 * is created. Keep the returned definition for the life of the process so the cache persists.
 */
export function createScanner(options: { readonly klineCache?: KlineCache } = {}): ScannerDefinition {
  const klineCache = options.klineCache ?? new KlineCache();
  return {
    id: ID,
    needs: { tickers: true },
    klineCache,
    schedule: (settings) => ({ kind: 'cron', expression: settings.get('scanner.cron') }),
    // A cold scan reads candles of every candidate at the limiter's background share: minutes,
    // but less than the quarter hour between two scans.
    stuckAfterMs: 12 * 60_000,
    async prepare({ snapshot, settings, klines }) {
      const universe = buildUniverse(snapshot, settings);
      const refreshed = await klineCache.refresh({
        source: klines,
        symbols: universe.candidates.map((c) => c.symbol),
        limit: settings.get('scanner.klineLimit'),
        now: snapshot.now,
      });
      const verdicts = await analyseCandidates(universe, refreshed, snapshot.now, settings);
      return { universe, klines: refreshed, verdicts };
    },
    decide: ({ snapshot, settings, extra }) => decideScanner(snapshot, settings, extra),
  };
}
