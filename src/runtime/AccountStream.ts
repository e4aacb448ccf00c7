/**
 * Account data from the user stream, applied through the same code REST answers go through:
 * - a deal is written to the fill ledger by the one insert REST-synced fills use (deduplicated
 *   by symbol + trade id, so a fill seen by both is recorded once) and priced at once;
 * - an order update moves the order row like a query's answer (`OrderExecutor.applyReported`),
 *   which announces newly executed quantity once. An update showing more executed than the
 *   ledger holds waits up to `graceMs` for its deal (MEXC pushes both, in either order), so the
 *   announcement carries the real fee; if the deal does not come, the update is applied anyway
 *   and the fills are read over REST as before;
 * - a deal whose order update does not come within `graceMs` makes the order be followed over
 *   REST at once;
 * - a balance goes into the latest known balances (what the chat shows).
 * Events are handled one at a time in arrival order. Every deal and order update received is
 * remembered for {@link StreamAudit}, which reports what REST found that the stream missed.
 */
import type { Balance, ExchangeOrder, Fill, OrderType } from '../domain/market.js';
import { sumDec } from '../domain/money.js';
import type { BalanceUpdate, DealUpdate, OrderUpdate, UserStream } from '../exchange/stream/streamTypes.js';
import type { FillStore } from '../exchange/fillSync.js';
import type { OrderFillsLookup } from '../execution/FillAnnouncer.js';
import type { OrderExecutor } from '../execution/OrderExecutor.js';
import type { OrderRecord, OrderRepository } from '../persistence/OrderRepository.js';
import type { Logger } from '../common/logger.js';
import type { StreamAudit } from './StreamAudit.js';

/** Where the consumer records, prices, applies and shows what the user stream pushes. */
export interface AccountStreamOptions {
  readonly stream: UserStream;
  /** The fill ledger's one insert (FillRepository): new fills only, by symbol + trade id. */
  readonly ledger: Pick<FillStore, 'insertFills'>;
  /** Fixes the prices of fills just recorded (FillPricer), before they are announced. */
  readonly pricer: { recordRecent(): Promise<unknown> };
  readonly orders: Pick<OrderRepository, 'get'>;
  readonly executor: Pick<OrderExecutor, 'applyReported' | 'follow' | 'ledgerCovers'>;
  /** The recorded fills of one order (as the executor reads them). */
  readonly fillsOf: OrderFillsLookup;
  /** The latest known balances the chat answers from. */
  readonly balances: { applyBalances(updates: readonly Balance[]): void };
  readonly audit: Pick<StreamAudit, 'sawDeal' | 'sawOrder'>;
  readonly logger: Logger;
  /** How long an order update waits for its deal, and a deal for its order update. Default 1 s. */
  readonly graceMs?: number;
}

/** A deal as the fill ledger stores it. */
export function fillOfDeal(u: DealUpdate): Fill {
  return {
    symbol: u.symbol,
    tradeId: u.tradeId,
    orderId: u.orderId,
    ...(u.clientOrderId === undefined ? {} : { clientOrderId: u.clientOrderId }),
    side: u.side,
    price: u.price,
    qty: u.quantity,
    quoteQty: u.quoteQuantity,
    commission: u.commission,
    commissionAsset: u.commissionAsset,
    time: u.timeMs,
    isMaker: u.isMaker,
  };
}

/** An order update as a query would have answered it. */
export function exchangeOrderOf(u: OrderUpdate & { readonly type: OrderType }): ExchangeOrder {
  return {
    symbol: u.symbol,
    orderId: u.orderId,
    ...(u.clientOrderId === undefined ? {} : { clientOrderId: u.clientOrderId }),
    side: u.side,
    type: u.type,
    price: u.price,
    origQty: u.quantity,
    executedQty: u.executedQuantity,
    cummulativeQuoteQty: u.cumulativeQuote,
    status: u.status,
    time: u.timeMs,
    updateTime: u.timeMs,
  };
}

const WHY = 'reported by the account stream';

/** Applies the user stream's deals, order updates and balances; see the module comment. */
export class AccountStream {
  readonly #o: AccountStreamOptions;
  readonly #graceMs: number;
  readonly #detach: (() => void)[] = [];
  /** Order updates waiting for their deals, by client order id. */
  readonly #waitingForDeal = new Map<string, { state: ExchangeOrder; timer: NodeJS.Timeout }>();
  /** Deals waiting for their order updates, by client order id. */
  readonly #waitingForUpdate = new Map<string, NodeJS.Timeout>();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: AccountStreamOptions) {
    this.#o = options;
    this.#graceMs = options.graceMs ?? 1_000;
    this.#detach.push(
      options.stream.onDeal((u) => this.#enqueue('deal', () => this.#onDeal(u))),
      options.stream.onOrder((u) => this.#enqueue('order', () => this.#onOrder(u))),
      options.stream.onBalance((u) => this.#enqueue('balance', () => this.#onBalance(u))),
    );
  }

  /** Resolves once every event received so far is handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Stops listening; waiting updates are dropped (REST tracking follows those orders). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const detach of this.#detach.splice(0)) detach();
    for (const { timer } of this.#waitingForDeal.values()) clearTimeout(timer);
    for (const timer of this.#waitingForUpdate.values()) clearTimeout(timer);
    this.#waitingForDeal.clear();
    this.#waitingForUpdate.clear();
    await this.#queue;
  }

  #enqueue(kind: string, handle: () => Promise<void> | void): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await handle();
      } catch (error) {
        // REST tracking and reconciliation still bring the ledger and the orders up to date.
        this.#o.logger.error({ err: error, kind }, 'user stream update not applied');
      }
    });
  }

  async #onDeal(u: DealUpdate): Promise<void> {
    this.#o.audit.sawDeal(u.symbol, u.tradeId);
    const added = this.#o.ledger.insertFills([fillOfDeal(u)]);
    if (added > 0) await this.#o.pricer.recordRecent();
    const cid = u.clientOrderId;
    const order = cid === undefined ? undefined : this.#o.orders.get(cid);
    if (!order || order.finalAt !== undefined) return;
    const waiting = this.#waitingForDeal.get(order.clientOrderId);
    if (waiting && (await this.#o.executor.ledgerCovers(order, waiting.state.executedQty))) {
      clearTimeout(waiting.timer);
      this.#waitingForDeal.delete(order.clientOrderId);
      await this.#o.executor.applyReported(waiting.state, WHY);
      return;
    }
    if (!waiting) this.#expectUpdate(order);
  }

  /** Follows the order over REST if its own update does not show this deal within the grace. */
  #expectUpdate(order: OrderRecord): void {
    const cid = order.clientOrderId;
    if (this.#waitingForUpdate.has(cid)) return;
    const timer = setTimeout(() => {
      this.#waitingForUpdate.delete(cid);
      this.#enqueue('follow', async () => {
        const now = this.#o.orders.get(cid);
        if (!now || now.finalAt !== undefined) return;
        const recorded = sumDec(
          (await this.#o.fillsOf(now))
            .filter((f) => f.clientOrderId === cid || f.orderId === now.exchangeOrderId)
            .map((f) => f.qty),
        );
        if (recorded.greaterThan(now.executedQty)) await this.#o.executor.follow(cid);
      });
    }, this.#graceMs);
    timer.unref();
    this.#waitingForUpdate.set(cid, timer);
  }

  async #onOrder(u: OrderUpdate): Promise<void> {
    this.#o.audit.sawOrder(u.clientOrderId ?? u.orderId, u.status);
    // Fill-or-kill is never one of the bot's orders; the reconciler reports foreign ones.
    if (u.type === 'FILL_OR_KILL' || u.clientOrderId === undefined) return;
    const order = this.#o.orders.get(u.clientOrderId);
    if (!order || order.finalAt !== undefined) return;
    const state = exchangeOrderOf({ ...u, type: u.type });
    const cid = order.clientOrderId;
    const pendingFollow = this.#waitingForUpdate.get(cid);
    if (pendingFollow) {
      clearTimeout(pendingFollow);
      this.#waitingForUpdate.delete(cid);
    }
    const grew = state.executedQty.greaterThan(order.executedQty);
    if (grew && !(await this.#o.executor.ledgerCovers(order, state.executedQty))) {
      // Keep the newest state; its deal (or the grace) decides when it is applied.
      const previous = this.#waitingForDeal.get(cid);
      if (previous) clearTimeout(previous.timer);
      const timer = setTimeout(() => {
        const entry = this.#waitingForDeal.get(cid);
        if (!entry) return;
        this.#waitingForDeal.delete(cid);
        this.#enqueue('order', async () => {
          await this.#o.executor.applyReported(entry.state, WHY);
        });
      }, this.#graceMs);
      timer.unref();
      this.#waitingForDeal.set(cid, { state, timer });
      return;
    }
    const waiting = this.#waitingForDeal.get(cid);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.#waitingForDeal.delete(cid);
    }
    await this.#o.executor.applyReported(state, WHY);
  }

  #onBalance(u: BalanceUpdate): void {
    this.#o.balances.applyBalances([{ asset: u.asset, free: u.free, locked: u.locked }]);
  }
}
