/**
 * Prometheus metrics on a private prom-client registry (never the global default, so tests
 * and a second instance do not collide): orders placed / filled / rejected per strategy, API
 * weight and requests, 429s, realised PnL with the count of fills that realised it (a dashboard
 * divides the two for an average), order-to-fill time, the notification queue length, plus
 * prom-client's default process metrics under their standard names (`process_cpu_seconds_total`,
 * no prefix) so stock Node.js dashboards work.
 *
 * Order figures come from the {@link EventBus} via {@link BotMetrics.attach}; API figures from the
 * rate limiter's cumulative counts, read at scrape time (every request goes through it).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BotEvent, EventBus } from '../domain/events.js';
import { ZERO, type Decimal } from '../domain/money.js';
import type { RateLimiterStats } from '../exchange/rateLimiter.js';
import { systemClock, type Clock } from '../common/clock.js';

/** The rate limiter's cumulative figures /metrics exports (requests, weight, 429/418 answers). */
export type LimiterStats = Pick<RateLimiterStats, 'totalRequests' | 'totalWeight' | 'count429'>;

/** The clock, process metrics switch and request-stats source of the metrics registry. */
export interface BotMetricsOptions {
  /** Times order-to-fill when events carry no `placedAt`; default the system clock. */
  readonly clock?: Clock;
  /** Collect prom-client's process metrics (CPU, memory, event loop); default true. */
  readonly defaultMetrics?: boolean;
  /** The exchange client's rate limiter, read at every scrape. */
  readonly limiter: { stats(): LimiterStats };
  /** Pending messages in the outbox, read at every scrape. */
  readonly notificationQueueLength: () => number;
  /** Prefix of the bot's own metric names (not of the default process metrics); default `autopilot_`. */
  readonly prefix?: string;
}

/** Orders whose placement time is remembered for the fill histogram; older ones are dropped. */
const MAX_TRACKED_ORDERS = 10_000;

/** The bot's metrics and the registry `/metrics` serves. */
export class BotMetrics {
  readonly registry = new Registry();
  readonly #clock: Clock;
  readonly #placed: Counter<'origin'>;
  readonly #filled: Counter<'origin'>;
  readonly #rejected: Counter<'origin' | 'code'>;
  readonly #weight: Counter;
  readonly #requests: Counter;
  readonly #rateLimited: Counter;
  readonly #pnlTrades: Counter<'quote'>;
  readonly #pnlTotal: Gauge<'quote'>;
  readonly #fillSeconds: Histogram<'origin'>;
  readonly #placedAt = new Map<string, number>();
  // Running sums stay decimal; numbers appear only in the exported sample values.
  readonly #pnl = new Map<string, Decimal>();

  constructor(options: BotMetricsOptions) {
    const prefix = options.prefix ?? 'autopilot_';
    const registers = [this.registry];
    this.#clock = options.clock ?? systemClock;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.#placed = new Counter({
      name: `${prefix}orders_placed_total`,
      help: 'Orders sent to the exchange, by strategy (origin)',
      labelNames: ['origin'],
      registers,
    });
    this.#filled = new Counter({
      name: `${prefix}orders_filled_total`,
      help: 'Orders completely filled, by strategy (origin)',
      labelNames: ['origin'],
      registers,
    });
    this.#rejected = new Counter({
      name: `${prefix}orders_rejected_total`,
      help: 'Orders refused before or by the exchange, by strategy (origin) and reason code',
      labelNames: ['origin', 'code'],
      registers,
    });

    const limiter = options.limiter;
    const seen = { totalWeight: 0, totalRequests: 0, count429: 0 };
    // Turns a cumulative figure into counter increments; a smaller figure means the source restarted.
    const follow = (counter: Counter, key: keyof typeof seen) => {
      const current = limiter.stats()[key];
      const delta = current >= seen[key] ? current - seen[key] : current;
      seen[key] = current;
      if (delta > 0) counter.inc(delta);
    };
    this.#weight = new Counter({
      name: `${prefix}api_weight_used_total`,
      help: 'MEXC request weight spent',
      registers,
      collect: () => follow(this.#weight, 'totalWeight'),
    });
    this.#requests = new Counter({
      name: `${prefix}api_requests_total`,
      help: 'MEXC REST requests sent',
      registers,
      collect: () => follow(this.#requests, 'totalRequests'),
    });
    this.#rateLimited = new Counter({
      name: `${prefix}api_rate_limited_total`,
      help: 'MEXC answers with HTTP 429 or 418',
      registers,
      collect: () => follow(this.#rateLimited, 'count429'),
    });

    this.#pnlTrades = new Counter({
      name: `${prefix}realised_pnl_trades_total`,
      help: 'Fills that realised PnL (sells), by quote asset',
      labelNames: ['quote'],
      registers,
    });
    // A gauge, not a counter: PnL goes down as well as up. Average per trade = this / trades_total.
    this.#pnlTotal = new Gauge({
      name: `${prefix}realised_pnl`,
      help: 'Realised PnL since start (sum over fills), in the quote asset',
      labelNames: ['quote'],
      registers,
    });
    this.#fillSeconds = new Histogram({
      name: `${prefix}order_fill_seconds`,
      help: 'Time from sending an order to its complete fill (average = sum / count)',
      labelNames: ['origin'],
      buckets: [1, 5, 15, 60, 300, 900, 3_600, 4 * 3_600, 24 * 3_600],
      registers,
    });

    const queue = options.notificationQueueLength;
    new Gauge({
      name: `${prefix}notification_queue_length`,
      help: 'Notifications waiting in the outbox',
      registers,
      collect() {
        this.set(queue());
      },
    });
  }

  /** Follows order events on `bus`. Returns a function that stops following. */
  attach(bus: EventBus): () => void {
    return bus.on((event) => this.observeEvent(event));
  }

  /** Updates the order metrics from one event (what {@link attach} does per event). */
  observeEvent(event: BotEvent): void {
    switch (event.type) {
      case 'order.placed':
        this.#placed.inc({ origin: event.order.origin });
        this.#rememberPlacement(event.order.clientOrderId, this.#clock.now());
        break;
      case 'order.filled': {
        const { origin, clientOrderId, symbol } = event.order;
        if (event.realisedPnl) this.#observePnl(event.realisedPnlAsset ?? quoteOf(symbol), event.realisedPnl);
        if (event.partial) break;
        this.#filled.inc({ origin });
        const placedAt = event.placedAt ?? this.#placedAt.get(clientOrderId);
        this.#placedAt.delete(clientOrderId);
        if (placedAt !== undefined) {
          this.#fillSeconds.observe({ origin }, Math.max(0, this.#clock.now() - placedAt) / 1000);
        }
        break;
      }
      case 'order.cancelled':
        this.#placedAt.delete(event.order.clientOrderId);
        break;
      case 'order.refused':
        this.#rejected.inc({ origin: event.origin, code: event.code });
        break;
      default:
        break;
    }
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #rememberPlacement(clientOrderId: string, at: number): void {
    if (this.#placedAt.size >= MAX_TRACKED_ORDERS) {
      const oldest = this.#placedAt.keys().next();
      if (!oldest.done) this.#placedAt.delete(oldest.value);
    }
    this.#placedAt.set(clientOrderId, at);
  }

  #observePnl(quote: string, pnl: Decimal): void {
    const sum = (this.#pnl.get(quote) ?? ZERO).plus(pnl);
    this.#pnl.set(quote, sum);
    this.#pnlTrades.inc({ quote });
    this.#pnlTotal.set({ quote }, sum.toNumber());
  }
}

/** The quote asset of the bot's symbols (`BTCUSDC` → `USDC`); `other` for anything else. */
function quoteOf(symbol: string): string {
  for (const quote of ['USDC', 'USDT']) if (symbol.endsWith(quote)) return quote;
  return 'other';
}
