/**
 * Reconciliation: at startup and periodically, BEFORE any strategy runs, bring the database
 * in line with the exchange.
 *
 * 1. Settle every non-final order by client id (PENDING rows from a crash included: found → adopt
 *    the exchange's state; not found beyond the grace period → REJECTED, never re-sent).
 * 2. Sync fills through the injected `syncFills` for every symbol the bot traded or holds, those
 *    with non-final orders first. Symbols without history yet are read in the background (see
 *    HistorySync): reconciliation does not wait for a month of trades.
 * 3. Detect foreign activity: open orders whose client id the bot never recorded, and fills no
 *    bot order explains since the bot first started (older trades are the account's history).
 *    Each raises one critical alert (recorded in `foreign_activity`).
 *
 * Strategy jobs check {@link Reconciler.isReady} and wait until a reconciliation has succeeded
 * (every non-final order settled); each asset's ledger is awaited separately, when traded.
 */
import type { OrderSide } from '../domain/market.js';
import type { Decimal } from '../domain/money.js';
import { ZERO } from '../domain/money.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type { ForeignActivityRepository } from '../persistence/ForeignActivityRepository.js';
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { Clock } from '../common/clock.js';
import type { KeyedLock } from '../common/KeyedLock.js';
import type { Logger } from '../common/logger.js';
import { looksLikeBotClientOrderId } from './clientOrderId.js';
import type { EventPublisher } from './EventPublisher.js';
import type { OrderExecutor } from './OrderExecutor.js';

/** The fields of a recorded fill the reconciler reports on (FillRepository rows fit structurally). */
export interface ForeignFillView {
  readonly symbol: string;
  readonly tradeId: string;
  readonly side: OrderSide;
  readonly qty: Decimal;
  readonly price: Decimal;
  readonly time: number;
}

/** Syncs account fills of these symbols into the fill ledger, those in `first` ahead of the rest. */
export type SyncFillsFn = (
  symbols: readonly string[],
  options?: { readonly first?: readonly string[] },
) => Promise<unknown>;
/** Recorded fills since `since` that no bot order explains. */
export type UnattributedFillsFn = (
  since: number,
) => readonly ForeignFillView[] | Promise<readonly ForeignFillView[]>;

/** The exchange, repositories and fill sync the reconciler works through. */
export interface ReconcilerOptions {
  readonly clock: Clock;
  readonly events: EventPublisher;
  readonly exchange: ExchangePort;
  readonly executor: OrderExecutor;
  readonly foreign: ForeignActivityRepository;
  readonly locks: KeyedLock;
  readonly logger: Logger;
  readonly orders: OrderRepository;
  readonly syncFills: SyncFillsFn;
  readonly unattributedFills: UnattributedFillsFn;
  /** More symbols to watch (e.g. configured strategy symbols). */
  readonly extraSymbols?: () => readonly string[];
  /** Symbols the bot ordered on within this window are watched. Default 30 days. */
  readonly historyMs?: number;
  /** How far back foreign fills are looked for. Default 7 days. */
  readonly foreignFillLookbackMs?: number;
  /** When the bot first started: fills before it are history, never foreign activity. */
  readonly historyBefore: () => number;
  /** Settling passes while PENDING/UNKNOWN orders remain. Default 3. */
  readonly settleRounds?: number;
  readonly settleRoundDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one reconciliation settled, synced and found foreign, for the job log and /status. */
export interface ReconcileReport {
  readonly ordersChecked: number;
  /** Orders still PENDING or UNKNOWN after settling. */
  readonly unresolved: number;
  readonly symbols: readonly string[];
  readonly foreignOrders: number;
  readonly foreignFills: number;
  /** Whether strategies may run (every order query answered). */
  readonly ready: boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Brings the database in line with the exchange before strategies may trade, and again periodically. */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  #lastSuccessAt?: number;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
  }

  /** True once a reconciliation has fully succeeded in this process. */
  isReady(): boolean {
    return this.#lastSuccessAt !== undefined;
  }

  get lastSuccessAt(): number | undefined {
    return this.#lastSuccessAt;
  }

  async reconcile(): Promise<ReconcileReport> {
    const { clock, executor, orders } = this.#o;
    // 1. Settle every non-final order by client id.
    let checked = 0;
    let errors = 0;
    const rounds = this.#o.settleRounds ?? 3;
    for (let round = 0; round < rounds; round++) {
      if (round > 0) await (this.#o.sleep ?? realSleep)(this.#o.settleRoundDelayMs ?? 1_000);
      const report = await executor.track();
      checked += report.checked;
      errors = report.errors;
      if (!orders.listNonFinal().some((o) => o.status === 'PENDING' || o.status === 'UNKNOWN')) break;
    }
    const unresolved = orders
      .listNonFinal()
      .filter((o) => o.status === 'PENDING' || o.status === 'UNKNOWN').length;

    // 2. Fills of every symbol the bot traded or holds.
    const symbols = await this.#watchedSymbols();
    await this.#o.syncFills(symbols, { first: [...new Set(orders.listNonFinal().map((o) => o.symbol))] });

    // 3. Foreign activity.
    const foreignOrders = await this.#foreignOrders(symbols);
    const foreignFills = await this.#foreignFills(clock.now());

    const ready = errors === 0;
    if (ready) this.#lastSuccessAt = clock.now();
    else this.#o.logger.warn({ errors }, 'reconciliation incomplete: some orders could not be queried');
    return { ordersChecked: checked, unresolved, symbols, foreignOrders, foreignFills, ready };
  }

  async #watchedSymbols(): Promise<string[]> {
    const { clock, exchange, orders } = this.#o;
    const symbols = new Set(orders.symbolsSince(clock.now() - (this.#o.historyMs ?? 30 * 86_400_000)));
    for (const o of orders.listNonFinal()) symbols.add(o.symbol);
    const [balances, rules] = await Promise.all([exchange.getBalances(), exchange.getRules()]);
    const held = new Set(balances.filter((b) => b.free.plus(b.locked).greaterThan(ZERO)).map((b) => b.asset));
    for (const r of rules.values()) {
      if (held.has(r.baseAsset) && (r.quoteAsset === 'USDT' || r.quoteAsset === 'USDC'))
        symbols.add(r.symbol);
    }
    for (const s of this.#o.extraSymbols?.() ?? []) symbols.add(s);
    return [...symbols].sort();
  }

  async #foreignOrders(symbols: readonly string[]): Promise<number> {
    const { clock, events, exchange, executor, foreign, locks, orders } = this.#o;
    if (symbols.length === 0) return 0;
    let found = 0;
    for (const open of await exchange.getOpenOrders(symbols)) {
      const cid = open.clientOrderId;
      const known = cid !== undefined ? orders.get(cid) : undefined;
      if (known) {
        if (known.finalAt !== undefined) {
          // The bot had given it up (e.g. REJECTED as never sent) but the exchange has it: adopt.
          await locks.withLock([known.baseAsset], () =>
            executor.applyExchangeState(known, open, 'found open'),
          );
          events.audit({
            type: 'order.adopted',
            severity: 'warning',
            origin: known.origin,
            symbol: known.symbol,
            message: `${cid} was ${known.status} in the database but is open on the exchange; adopted`,
          });
        }
        continue;
      }
      const detail =
        `${open.side} ${open.origQty.toFixed()} ${open.symbol} @ ${open.price.toFixed()} ` +
        `(exchange order ${open.orderId}${cid ? `, client id ${cid}` : ''})`;
      if (
        !foreign.recordOnce({
          kind: 'order',
          key: open.orderId,
          symbol: open.symbol,
          detail,
          firstSeen: clock.now(),
        })
      ) {
        continue;
      }
      found += 1;
      const hint = looksLikeBotClientOrderId(cid)
        ? ' It carries the bot’s id format but this database never recorded it (another instance or an old database?).'
        : '';
      events.publish({
        type: 'alert',
        severity: 'critical',
        key: `foreign-order:${open.orderId}`,
        message: `Foreign open order on the account, not placed by the bot: ${detail}.${hint}`,
      });
    }
    return found;
  }

  async #foreignFills(now: number): Promise<number> {
    const { clock, events, foreign } = this.#o;
    let found = 0;
    const since = Math.max(now - (this.#o.foreignFillLookbackMs ?? 7 * 86_400_000), this.#o.historyBefore());
    for (const fill of await this.#o.unattributedFills(since)) {
      const detail = `${fill.side} ${fill.qty.toFixed()} ${fill.symbol} @ ${fill.price.toFixed()} at ${new Date(fill.time).toISOString()} (trade ${fill.tradeId})`;
      if (
        !foreign.recordOnce({
          kind: 'fill',
          key: fill.tradeId,
          symbol: fill.symbol,
          detail,
          firstSeen: clock.now(),
        })
      ) {
        continue;
      }
      found += 1;
      events.publish({
        type: 'alert',
        severity: 'critical',
        key: `foreign-fill:${fill.symbol}:${fill.tradeId}`,
        message: `Trade on the account that no bot order explains: ${detail}`,
      });
    }
    return found;
  }
}
