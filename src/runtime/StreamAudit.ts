/**
 * What the user stream missed: REST stays the source of truth (reconciliation and order tracking
 * keep running, less often while the stream is live), and this audit compares what they recorded
 * with what the stream delivered. A fill in the ledger, or an order that reached a final state,
 * well inside a stretch when the stream was live but never delivered by it, is reported once: a
 * warning in the log and a `stream.missed` audit event. Fills and orders near the edges of a live
 * stretch (`marginMs`) are not judged: the stream may deliver them a little before or after.
 */
import type { AuditEntry } from '../domain/events.js';
import { FINAL_EXCHANGE_STATUSES, type ExchangeOrderStatus } from '../domain/market.js';
import type { UserStream } from '../exchange/stream/streamTypes.js';
import type { FillRepository } from '../persistence/FillRepository.js';
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';

/** What one audit found missing. */
export interface StreamAuditReport {
  /** `SYMBOL#tradeId` of each fill REST recorded that the stream never delivered. */
  readonly missedFills: readonly string[];
  /** Client order ids whose final state the stream never delivered. */
  readonly missedOrders: readonly string[];
}

interface Stretch {
  readonly from: number;
  to?: number;
}

/** How long delivered ids and live stretches are remembered. */
const KEEP_MS = 24 * 60 * 60_000;

/** Remembers what the user stream delivered and reports what it missed; see the module comment. */
export class StreamAudit {
  readonly #clock: Clock;
  readonly #fills: Pick<FillRepository, 'listFills'>;
  readonly #orders: Pick<OrderRepository, 'listFinalSince'>;
  readonly #events: { audit(entry: AuditEntry): void };
  readonly #logger: Logger;
  readonly #marginMs: number;
  readonly #deals = new Map<string, number>();
  readonly #finalOrders = new Map<string, number>();
  readonly #reported = new Set<string>();
  readonly #stretches: Stretch[] = [];
  readonly #detach: () => void;

  constructor(options: {
    readonly stream: Pick<UserStream, 'status' | 'onStatus'>;
    readonly clock: Clock;
    readonly fills: Pick<FillRepository, 'listFills'>;
    readonly orders: Pick<OrderRepository, 'listFinalSince'>;
    readonly events: { audit(entry: AuditEntry): void };
    readonly logger: Logger;
    /** Default 10 s. */
    readonly marginMs?: number;
  }) {
    this.#clock = options.clock;
    this.#fills = options.fills;
    this.#orders = options.orders;
    this.#events = options.events;
    this.#logger = options.logger;
    this.#marginMs = options.marginMs ?? 10_000;
    this.#onState(options.stream.status().state === 'live');
    this.#detach = options.stream.onStatus((s) => this.#onState(s.state === 'live'));
  }

  /** Whether the user stream is live now. */
  isLive(): boolean {
    const last = this.#stretches.at(-1);
    return last !== undefined && last.to === undefined;
  }

  /** A deal the stream delivered. */
  sawDeal(symbol: string, tradeId: string): void {
    this.#deals.set(`${symbol}#${tradeId}`, this.#clock.now());
  }

  /** An order update the stream delivered (by client order id, or exchange id without one). */
  sawOrder(id: string, status: ExchangeOrderStatus): void {
    if (FINAL_EXCHANGE_STATUSES.has(status)) this.#finalOrders.set(id, this.#clock.now());
  }

  /** Compares the ledger and the orders with what the stream delivered since `since` (local ms). */
  check(since: number): StreamAuditReport {
    const now = this.#clock.now();
    this.#prune(now);
    const missedFills: string[] = [];
    for (const fill of this.#fills.listFills({ since })) {
      const key = `${fill.symbol}#${fill.tradeId}`;
      if (this.#deals.has(key) || this.#reported.has(key) || !this.#judged(fill.time, now)) continue;
      this.#reported.add(key);
      missedFills.push(key);
    }
    const missedOrders: string[] = [];
    for (const order of this.#orders.listFinalSince(since)) {
      // Only orders the exchange finished (not refusals recorded before sending).
      const finished = (FINAL_EXCHANGE_STATUSES as ReadonlySet<string>).has(order.status);
      if (order.exchangeOrderId === undefined || !finished) continue;
      const key = order.clientOrderId;
      if (this.#finalOrders.has(key) || this.#finalOrders.has(order.exchangeOrderId)) continue;
      if (this.#reported.has(key) || !this.#judged(order.finalAt!, now)) continue;
      this.#reported.add(key);
      missedOrders.push(key);
    }
    if (missedFills.length > 0 || missedOrders.length > 0) {
      const message =
        `the account stream missed ${missedFills.length} fill(s) and ${missedOrders.length} order update(s) ` +
        `that the REST reconciliation found: ${[...missedFills, ...missedOrders].slice(0, 10).join(', ')}`;
      this.#logger.warn({ missedFills, missedOrders }, message);
      this.#events.audit({
        type: 'stream.missed',
        severity: 'warning',
        message,
        data: { missedFills, missedOrders },
      });
    }
    return { missedFills, missedOrders };
  }

  /** Stops following the stream's state. */
  close(): void {
    this.#detach();
  }

  /** Whether `time` lies well inside a live stretch that has lasted well past it. */
  #judged(time: number, now: number): boolean {
    const m = this.#marginMs;
    return this.#stretches.some((s) => time >= s.from + m && time <= (s.to ?? now) - m);
  }

  #onState(live: boolean): void {
    const now = this.#clock.now();
    const last = this.#stretches.at(-1);
    const open = last !== undefined && last.to === undefined;
    if (live && !open) this.#stretches.push({ from: now });
    else if (!live && open) last.to = now;
  }

  #prune(now: number): void {
    const oldest = now - KEEP_MS;
    for (const map of [this.#deals, this.#finalOrders]) {
      for (const [key, at] of map) if (at < oldest) map.delete(key);
    }
    while (this.#stretches.length > 0 && (this.#stretches[0]!.to ?? now) < oldest) this.#stretches.shift();
  }
}
