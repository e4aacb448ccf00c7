/**
 * Runs one strategy once: builds a fresh {@link StrategySnapshot}, calls
 * `prepare` (if any) and `decide`, stores the scan the decision carries, and routes the intents by
 * the strategy's live `mode` setting:
 * - `auto`: orders go to the executor, cancels to `executor.cancel`;
 * - `confirm`: orders become one-time confirmations (`intent.proposed`); cancels go straight through;
 * - `notify`: nothing is placed; `intent.notified` says what would have been done.
 * Exceptions from the strategy propagate to the scheduler, which records and reports them.
 */
import type { Balance, BookTop, SymbolRules, Ticker24h, Volume24h } from '../domain/market.js';
import { type Decimal, ZERO } from '../domain/money.js';
import { prepareOrder } from '../domain/orderRules.js';
import type { Position } from '../domain/portfolio/position.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { ScanRepository } from '../persistence/ScanRepository.js';
import type { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import type { SymbolBlockRepository } from '../persistence/SymbolBlockRepository.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { AttributedFill, CancelIntent, OrderIntent } from '../domain/intent.js';
import type {
  Decision,
  KlineSource,
  SettingsReader,
  StrategyDefinition,
  StrategySnapshot,
} from '../strategies/contract.js';
import type { StrategyMode } from '../domain/strategy.js';
import type { ConfirmationStore } from './ConfirmationStore.js';
import { describeIntent } from './describeIntent.js';
import type { EventPublisher } from './EventPublisher.js';
import { headroom, reserveFor } from './headroom.js';
import type { CancelResult, ExecutionResult, OrderExecutor } from './OrderExecutor.js';

/** Positions by base asset from all recorded fills plus cost-basis overrides (positionsFromFills). */
export type PositionsFn = () => ReadonlyMap<string, Position> | Promise<ReadonlyMap<string, Position>>;
/** Recorded fills since `since`, with the strategy that caused them (FillRepository.recentAttributedFills). */
export type RecentFillsFn = (since: number) => readonly AttributedFill[] | Promise<readonly AttributedFill[]>;

/** The exchange, repositories, executor, confirmations and settings a strategy run needs. */
export interface StrategyRunnerOptions {
  readonly blocks: SymbolBlockRepository;
  readonly clock: Clock;
  readonly confirmations: ConfirmationStore;
  readonly events: EventPublisher;
  readonly exchange: ExchangePort;
  readonly executor: OrderExecutor;
  readonly logger: Logger;
  readonly orders: OrderRepository;
  readonly positions: PositionsFn;
  readonly recentFills: RecentFillsFn;
  readonly scans: ScanRepository;
  readonly settings: SettingsReader;
  readonly state: StrategyStateRepository;
  /** Candle source for `prepare` (default: the exchange). */
  readonly klines?: KlineSource;
  /**
   * Which assets' fill ledgers are complete (HistorySync). The snapshot names the assets whose
   * history is still being read, so strategies decide nothing on their provisional cost; an order
   * a strategy still produces on such an asset waits (its cooldowns are not known yet), in every
   * mode; and that asset's history is read next. Absent: every ledger is complete.
   */
  readonly ledgers?: LedgerReadiness;
  /**
   * The core markets' rolling 24 h volumes from the market stream, for strategies that need only
   * those (`needs.coreVolumes`). Absent (streams off, replay), or not live: the REST 24 h tickers.
   */
  readonly volumes?: Volume24hFeed;
}

/** Streamed rolling 24 h volumes; implemented by the runtime's stream store (`LiveStreams.volumes`). */
export interface Volume24hFeed {
  /** Every followed symbol's volumes while the stream is live and knows them all; else undefined. */
  latest(): ReadonlyMap<string, Volume24h> | undefined;
  /** Takes a REST read's values for symbols the stream has not pushed since the read started. */
  seed(values: ReadonlyMap<string, Volume24h>, readStartedAt: number): void;
}

/** Which assets' fill ledgers are complete; implemented by HistorySync. */
export interface LedgerReadiness {
  isReady(asset: string): boolean;
  /** Reads this asset's history next. */
  prioritise(asset: string): void;
}

/**
 * What became of one intent of a decision: its order or cancel result, or that it was proposed or only
 * reported.
 */
export type IntentOutcome =
  | { readonly kind: 'order'; readonly intent: OrderIntent; readonly result: ExecutionResult }
  | {
      readonly kind: 'cancel';
      readonly intent: CancelIntent;
      readonly result: CancelResult | { status: 'not-own' };
    }
  | { readonly kind: 'proposed'; readonly intent: OrderIntent; readonly id?: string; readonly note: string }
  | { readonly kind: 'waiting'; readonly intent: OrderIntent; readonly asset: string }
  | {
      readonly kind: 'notified';
      readonly intent: OrderIntent | CancelIntent;
      readonly summary: string;
      readonly sent: boolean;
    };

/** What one strategy run decided and what became of each intent, for the job log. */
export interface StrategyRunReport {
  readonly strategy: string;
  readonly mode: StrategyMode;
  readonly notes: readonly string[];
  readonly outcomes: readonly IntentOutcome[];
  readonly scanId?: number;
  /** One line for job_runs and /status. */
  readonly summary: string;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Runs one strategy: builds its snapshot, asks for a decision and routes the intents by the strategy's mode.
 */
export class StrategyRunner {
  readonly #o: StrategyRunnerOptions;

  constructor(options: StrategyRunnerOptions) {
    this.#o = options;
  }

  /** Everything a strategy may look at, read fresh. */
  async buildSnapshot(needs: StrategyDefinition['needs'], now: number): Promise<StrategySnapshot> {
    const { exchange, orders, settings } = this.#o;
    // The all-symbol 24 h ticker weighs 40: a strategy that needs only the core markets' volumes
    // reads them from the stream while it is live.
    const streamedVolumes = needs.coreVolumes && !needs.tickers ? this.#o.volumes?.latest() : undefined;
    const readTickers = needs.tickers || (needs.coreVolumes === true && streamedVolumes === undefined);
    // Orders before fills: the executor records an order's fills before marking it filled, so an
    // order that has left this list is already in the fills read below (no cooldown is missed).
    const open = orders.listNonFinal();
    const openBuys = orders.openBuyNotionalByQuote();
    const [balanceList, rules, bookTops, tickerList, positions, recentFills] = await Promise.all([
      exchange.getBalances(),
      exchange.getRules(),
      exchange.getBookTops(),
      readTickers ? exchange.getTickers24h() : Promise.resolve([] as readonly Ticker24h[]),
      this.#o.positions(),
      this.#o.recentFills(now - WEEK_MS),
    ]);
    const balances = new Map<string, Balance>(balanceList.map((b) => [b.asset, b]));
    const tickers = new Map(tickerList.map((t) => [t.symbol, t]));
    if (readTickers) this.#o.volumes?.seed(tickers, now);
    const headroomOf = (quote: string): Decimal =>
      headroom({
        free: balances.get(quote)?.free ?? ZERO,
        openBuys: openBuys.get(quote) ?? ZERO,
        reserve: reserveFor(quote, settings),
      });
    return {
      now,
      balances,
      positions,
      bookTops,
      tickers,
      volumes24h: streamedVolumes ?? tickers,
      rules,
      blockedSymbols: new Set([
        ...settings.get('exclusions'),
        ...this.#o.blocks.active(now).map((b) => b.symbol),
      ]),
      openOrders: open.map((o) => ({
        clientOrderId: o.clientOrderId,
        origin: o.origin,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        price: o.price ?? ZERO,
        quantity: o.quantity,
        executedQty: o.executedQty,
        createdAt: o.createdAt,
      })),
      recentFills,
      usdcUsdt: await this.#usdcUsdt(bookTops),
      headroom: { usdc: headroomOf('USDC'), usdt: headroomOf('USDT') },
      scanLeaders: this.#o.scans.latest()?.leaders ?? [],
      historyPending: this.#historyPending([...balances.keys(), ...positions.keys()]),
    };
  }

  /** One run of `definition`: snapshot → prepare → decide → store scan → route intents. */
  async run<TExtra>(definition: StrategyDefinition<TExtra>): Promise<StrategyRunReport> {
    const { clock, settings } = this.#o;
    const startedAt = clock.now();
    const snapshot = await this.buildSnapshot(definition.needs, startedAt);
    const extra = definition.prepare
      ? await definition.prepare({ snapshot, settings, klines: this.#o.klines ?? this.#o.exchange })
      : (undefined as TExtra);
    const decision = definition.decide({ snapshot, settings, extra });
    // What the strategy left alone for want of history is read next.
    for (const asset of decision.waiting ?? []) this.#o.ledgers?.prioritise(asset);
    const scanId = decision.scan
      ? this.#o.scans.insert(decision.scan, { startedAt, endedAt: clock.now() })
      : undefined;
    const mode = settings.get(`${definition.id}.mode`);
    const outcomes: IntentOutcome[] = [];
    for (const intent of decision.intents) {
      // A strategy speaks only for itself.
      if (intent.origin !== definition.id) {
        throw new Error(`${definition.id} produced an intent for ${intent.origin}`);
      }
      outcomes.push(await this.#route(intent, mode, snapshot));
    }
    return {
      strategy: definition.id,
      mode,
      notes: decision.notes,
      outcomes,
      scanId,
      summary: summarise(mode, decision, outcomes),
    };
  }

  async #route(
    intent: OrderIntent | CancelIntent,
    mode: StrategyMode,
    snapshot: StrategySnapshot,
  ): Promise<IntentOutcome> {
    const { confirmations, executor, orders } = this.#o;
    // Any order on an asset whose history is still being read waits, reported or not: its
    // cooldowns and daily caps count fills that are not in the ledger yet.
    const asset = intent.kind === 'order' ? snapshot.rules.get(intent.symbol)?.baseAsset : undefined;
    if (
      intent.kind === 'order' &&
      asset !== undefined &&
      this.#o.ledgers &&
      !this.#o.ledgers.isReady(asset)
    ) {
      this.#o.ledgers.prioritise(asset);
      return { kind: 'waiting', intent, asset };
    }
    if (mode === 'notify') return this.#notify(intent, snapshot);
    if (intent.kind === 'cancel') {
      const own = orders.get(intent.clientOrderId);
      if (!own || own.origin !== intent.origin)
        return { kind: 'cancel', intent, result: { status: 'not-own' } };
      return { kind: 'cancel', intent, result: await executor.cancel(intent.clientOrderId, intent.reason) };
    }
    if (mode === 'auto') {
      return {
        kind: 'order',
        intent,
        result: await executor.execute(intent, { bookTop: snapshot.bookTops.get(intent.symbol) }),
      };
    }
    const proposed = await confirmations.proposeOrder(intent);
    if (proposed.status === 'proposed')
      return { kind: 'proposed', intent, id: proposed.id, note: 'asked for confirmation' };
    if (proposed.status === 'duplicate')
      return { kind: 'proposed', intent, id: proposed.id, note: 'already waiting for confirmation' };
    return { kind: 'proposed', intent, note: `not proposed: ${proposed.reason}` };
  }

  /** Reports what would be done; the same symbol and side at most once per confirmTtlMin. */
  #notify(intent: OrderIntent | CancelIntent, snapshot: StrategySnapshot): IntentOutcome {
    const { events, settings, state } = this.#o;
    const summary =
      intent.kind === 'cancel'
        ? `would cancel ${intent.clientOrderId} on ${intent.symbol}: ${intent.reason}`
        : this.#describe(intent, snapshot);
    const key =
      intent.kind === 'cancel'
        ? `notified:cancel:${intent.clientOrderId}`
        : `notified:${intent.symbol}:${intent.side}`;
    const last = Number(state.get(intent.origin, key) ?? Number.NEGATIVE_INFINITY);
    const windowMs = settings.get('confirmTtlMin') * 60_000;
    if (snapshot.now - last < windowMs) return { kind: 'notified', intent, summary, sent: false };
    state.set(intent.origin, key, String(snapshot.now), snapshot.now);
    events.publish({ type: 'intent.notified', origin: intent.origin, summary });
    return { kind: 'notified', intent, summary, sent: true };
  }

  #describe(intent: OrderIntent, snapshot: StrategySnapshot): string {
    const rules: SymbolRules | undefined = snapshot.rules.get(intent.symbol);
    const prepared = rules ? prepareOrder(intent, rules) : undefined;
    if (!rules || !prepared?.ok) {
      const why = prepared && !prepared.ok ? prepared.reason : 'symbol not listed';
      return `would ${intent.side} ${intent.symbol} but the order is not valid (${why}). Why: ${intent.reason}`;
    }
    return `would ${describeIntent({
      intent,
      rules,
      prepared,
      quoteFree: snapshot.balances.get(rules.quoteAsset)?.free ?? ZERO,
      openBuys: this.#o.orders.openBuyNotionalByQuote().get(rules.quoteAsset) ?? ZERO,
      reserve: reserveFor(rules.quoteAsset, this.#o.settings),
    })}`;
  }

  /** The assets among `assets` whose trade history is still being read. */
  #historyPending(assets: readonly string[]): ReadonlySet<string> {
    const { ledgers } = this.#o;
    return new Set(ledgers ? assets.filter((a) => !ledgers.isReady(a)) : []);
  }

  async #usdcUsdt(bookTops: ReadonlyMap<string, BookTop>): Promise<Decimal> {
    const top = bookTops.get('USDCUSDT');
    if (top && top.bid.greaterThan(ZERO) && top.ask.greaterThan(ZERO)) return top.bid.plus(top.ask).div(2);
    const last = (await this.#o.exchange.getPrices()).get('USDCUSDT');
    if (last && last.greaterThan(ZERO)) return last;
    // Never assumed 1:1: without a price the run cannot value USDT against USDC.
    throw new Error('USDCUSDT price unavailable: cannot convert USDT to USDC');
  }
}

function summarise(mode: StrategyMode, decision: Decision, outcomes: readonly IntentOutcome[]): string {
  const { notes } = decision;
  const count = (pred: (o: IntentOutcome) => boolean) => outcomes.filter(pred).length;
  const parts: string[] = [];
  const placed = count((o) => o.kind === 'order' && o.result.status === 'placed');
  const refused = count((o) => o.kind === 'order' && o.result.status === 'refused');
  const failed = count(
    (o) => o.kind === 'order' && (o.result.status === 'failed' || o.result.status === 'unknown'),
  );
  const cancelled = count((o) => o.kind === 'cancel' && o.result.status === 'cancelled');
  const proposed = count((o) => o.kind === 'proposed' && o.id !== undefined);
  const notified = count((o) => o.kind === 'notified');
  const waiting = [
    ...new Set([
      ...(decision.waiting ?? []),
      ...outcomes.flatMap((o) => (o.kind === 'waiting' ? [o.asset] : [])),
    ]),
  ];
  if (placed) parts.push(`${placed} placed`);
  if (refused) parts.push(`${refused} refused`);
  if (failed) parts.push(`${failed} failed`);
  if (cancelled) parts.push(`${cancelled} cancelled`);
  if (proposed) parts.push(`${proposed} awaiting confirmation`);
  if (notified) parts.push(`${notified} notified`);
  if (waiting.length) parts.push(`waiting for the trade history of ${waiting.join(', ')}`);
  const head = parts.length ? parts.join(', ') : 'no orders';
  const tail = notes.length ? `; ${notes.slice(0, 3).join('; ')}` : '';
  return `${mode}: ${head}${tail}`.slice(0, 500);
}
