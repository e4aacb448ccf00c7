/**
 * The process-wide request budget for the exchange: ONE instance is shared by every request the
 * process sends (market data, account, orders, server time), so strategies, jobs and chat
 * commands cannot together exceed MEXC's limits.
 *
 * Three mechanisms, all of which make a request wait (never drop it):
 * - a weighted rolling window (default 250 weight per 10 s);
 * - request-rate caps over a rolling second: all requests, order writes, account reads;
 * - a global pause after the exchange says "too many requests" (429) or bans/blocks the IP
 *   (418, or a 403 from the WAF), during which nothing at all is sent.
 *
 * A request counts from the moment it is granted. Until its sender reports its answer
 * ({@link RequestGrant.done}) it counts as sent *now*, at every instant; from then on as sent at
 * the moment the answer came. MEXC saw it at some time between grant and answer, so the windows
 * never under-count: a request held up between its grant and the wire (an event-loop stall while
 * its connection opens) can no longer reach MEXC together with the next second's grants, which is
 * how stamping at the grant let 20–22 requests land in one second at a 15/s setting. The price is
 * the round trip: a request blocks its slot until its answer, then for the window after it.
 * The safety margin is in the defaults: 15 requests per second where MEXC allows 20, 250 weight
 * per 10 s where it allows 300.
 *
 * Urgent requests (order cancels: the kill switch, expiring orders) queue ahead of every other
 * waiting request, so when a pause ends they are the first to go. Background requests (reading
 * months of trade history) go only when nothing else waits and a reserve stays free (a quarter
 * of the budget, or twice what other requests used in the window), so trading and chat never
 * queue behind them.
 *
 * Time and sleeping are injected so tests drive it with a fake clock.
 *
 * @see https://www.mexc.com/api-docs/spot-v3/general-info (LIMITS)
 */
import { type Clock, systemClock } from '../common/clock.js';

/** Which per-second cap a request counts against, besides the overall one. */
export const RequestKind = {
  /** Market data, server time, order queries. */
  General: 'general',
  /** Order placement and cancellation. */
  Order: 'order',
  /** Account snapshot (MEXC: 2 calls/s). */
  Account: 'account',
} as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];

/**
 * What the limiter needs to know about a request: its weight and which per-second budget it counts against.
 */
export interface RateLimitedRequest {
  /** The endpoint's weight (see mexcEndpoints.ts). */
  readonly weight: number;
  readonly kind: RequestKind;
  /** Goes ahead of every non-urgent waiting request (still FIFO among urgent ones). */
  readonly urgent?: boolean;
  /** Goes only when no other request waits and a reserve of the budget stays free (see {@link BACKGROUND_RESERVE}). */
  readonly background?: boolean;
}

/** The least share of the weight budget background requests leave free for everything else. */
export const BACKGROUND_RESERVE = 0.25;

/** The limits the request budget enforces, with a clock and sleep injectable for tests. */
export interface RateLimiterOptions {
  readonly clock?: Clock;
  /** Injected for tests; defaults to a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Weight allowed per rolling 10 s. Default 250: MEXC publishes 300 per 10 s per IP (the figure
   * ccxt and gocryptotrader enforce) and "500 per 10 s per endpoint"; staying ~17 % under the
   * lower figure leaves room for weights we may under-count (MEXC changes them unannounced) and for
   * clock drift between our window and theirs, because repeated 429s escalate to IP bans.
   */
  readonly weightPer10s?: number;
  /** All requests per rolling second. Default 15 (MEXC support: ≤ 20/s). */
  readonly maxRequestsPerSecond?: number;
  /** Order creates + cancels per rolling second. Default 10 (MEXC: 12/s). */
  readonly maxOrdersPerSecond?: number;
  /** Account requests per rolling second. Default 2 (MEXC docs: 2/s). */
  readonly maxAccountPerSecond?: number;
  /**
   * Pause after a 429 that carries no Retry-After. Default 60 s; doubles on repeats. A 429 with
   * Retry-After N pauses N seconds plus jitter instead (doubling as well on repeats).
   */
  readonly rateLimitPauseMs?: number;
  /** Upper bound of the random delay added to a Retry-After, so clients do not return in step. Default 1 s. */
  readonly retryAfterJitterMs?: number;
  /** Jitter source in [0, 1); injected by tests. */
  readonly random?: () => number;
  /** Upper bound of the growing 429 pause. Default 30 min. */
  readonly maxRateLimitPauseMs?: number;
  /** Minimum pause after 418 or a WAF 403. Default 10 min (MEXC FAQ: access resumes after 10 min). */
  readonly banPauseMs?: number;
}

/** An urgent request waiting for a pause to end (so the owner can be told when it goes). */
export interface UrgentWaitEvent {
  /** Clock ms when the pause ends and the urgent requests go first. */
  readonly pausedUntil: number;
  /** Urgent requests now waiting. */
  readonly queued: number;
}

/** Why the limiter stopped all traffic. */
export interface PauseEvent {
  /** 429, 418 or 403. */
  readonly httpStatus: number;
  readonly pauseMs: number;
  /** Time (clock ms) before which nothing is sent. */
  readonly pausedUntil: number;
  /** How many 429s in a row led here (1 for the first). */
  readonly streak: number;
  /** True for bans/blocks (418/403): the owner should be told. */
  readonly alert: boolean;
}

/** Counters of the request budget, for metrics and benchmarks. */
export interface RateLimiterStats {
  readonly totalRequests: number;
  readonly totalWeight: number;
  /** Weight spent in the current rolling 10 s window. */
  readonly weightInWindow: number;
  readonly weightPer10s: number;
  /** Requests granted whose answer has not come yet. */
  readonly inFlight: number;
  readonly count429: number;
  readonly countBans: number;
  /** Requests waiting for budget right now. */
  readonly queued: number;
  /** Clock ms until which everything is paused, or undefined when not paused. */
  readonly pausedUntil: number | undefined;
}

const WINDOW_MS = 10_000;
const SECOND_MS = 1_000;
/** A 429 more than this long after the previous one starts a new streak. */
const STREAK_RESET_MS = 15 * 60_000;

interface Sent {
  /** When it was granted; once answered, when the answer came. */
  at: number;
  /** Granted and not answered yet: counts as sent at every instant until then. */
  pending: boolean;
  readonly weight: number;
  readonly kind: RequestKind;
  readonly background: boolean;
}

interface Waiter extends RateLimitedRequest {
  readonly resolve: (grant: RequestGrant) => void;
}

/**
 * A granted request. Its sender reports the answer ({@link done}), or that the request never
 * left ({@link cancel}); until then it holds its place in every window at the current instant.
 */
export interface RequestGrant {
  /** Its answer (or failure) came: from now on it counts as sent at this instant. Idempotent. */
  done(): void;
  /** It never left the process: its budget is given back. Idempotent; ignored after {@link done}. */
  cancel(): void;
}

/** A request's place in the windows: when it counts as sent, as of the moment of the question. */
interface Stamp {
  readonly at: number;
  readonly sent: Sent;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Weighted, rate-capped, pausable FIFO gate in front of every exchange request.
 *
 * @example
 * const limiter = new RateLimiter({ weightPer10s: config.mexc.weightPer10s });
 * const grant = await limiter.reserve({ weight: 10, kind: 'general' });
 * try { await sendExchangeInfo(); } finally { grant.done(); }
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #weightPer10s: number;
  readonly #caps: Readonly<Record<RequestKind | 'all', number>>;
  readonly #rateLimitPauseMs: number;
  readonly #maxRateLimitPauseMs: number;
  readonly #banPauseMs: number;
  readonly #retryAfterJitterMs: number;
  readonly #random: () => number;

  #sent: Sent[] = [];
  #queue: Waiter[] = [];
  #background: Waiter[] = [];
  #pumping = false;
  /** Resolved by the next answer (or cancel) of a pending request; see {@link RateLimiter.#settled}. */
  #settledSignal: Promise<void> | undefined;
  #signalSettled: (() => void) | undefined;
  /** Cuts the pump's wait short when a request arrives while it waits for a background one. */
  #wake: (() => void) | undefined;
  #pausedUntil = 0;
  #streak = 0;
  #last429At = Number.NEGATIVE_INFINITY;
  #totalRequests = 0;
  #totalWeight = 0;
  #count429 = 0;
  #countBans = 0;
  readonly #pauseListeners = new Set<(event: PauseEvent) => void>();
  readonly #urgentListeners = new Set<(event: UrgentWaitEvent) => void>();

  constructor(options: RateLimiterOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? realSleep;
    this.#weightPer10s = options.weightPer10s ?? 250;
    this.#caps = {
      all: options.maxRequestsPerSecond ?? 15,
      general: Number.POSITIVE_INFINITY,
      order: options.maxOrdersPerSecond ?? 10,
      account: options.maxAccountPerSecond ?? 2,
    };
    this.#rateLimitPauseMs = options.rateLimitPauseMs ?? 60_000;
    this.#maxRateLimitPauseMs = options.maxRateLimitPauseMs ?? 30 * 60_000;
    this.#banPauseMs = options.banPauseMs ?? 10 * 60_000;
    this.#retryAfterJitterMs = options.retryAfterJitterMs ?? 1_000;
    this.#random = options.random ?? Math.random;
    if (!(this.#weightPer10s > 0)) throw new RangeError('weightPer10s must be positive');
  }

  /**
   * Resolves when the request may be sent and stamps it as sent at that very moment: only for
   * requests that take no time (budget models, unit tests). Real senders use {@link reserve}.
   */
  async acquire(request: RateLimitedRequest): Promise<void> {
    (await this.reserve(request)).done();
  }

  /**
   * Resolves when the request may be sent, with a grant its sender must settle: {@link
   * RequestGrant.done} when the answer (or a network failure) came, {@link RequestGrant.cancel}
   * when it never left. Waits, never drops.
   */
  reserve(request: RateLimitedRequest): Promise<RequestGrant> {
    return new Promise<RequestGrant>((resolve) => {
      const waiter = { ...request, resolve };
      if (request.urgent) {
        const firstNormal = this.#queue.findIndex((w) => !w.urgent);
        this.#queue.splice(firstNormal < 0 ? this.#queue.length : firstNormal, 0, waiter);
        this.#wake?.();
        const now = this.#clock.now();
        if (this.#pausedUntil > now) {
          const event = {
            pausedUntil: this.#pausedUntil,
            queued: this.#queue.filter((w) => w.urgent).length,
          };
          for (const listener of this.#urgentListeners) listener(event);
        }
      } else if (request.background) {
        this.#background.push(waiter);
      } else {
        this.#queue.push(waiter);
        this.#wake?.();
      }
      void this.#pump();
    });
  }

  /**
   * Reports a rate-limit answer from the exchange and pauses ALL requests.
   * 429 with Retry-After: that long plus up to a second of jitter, doubled for each further 429
   * of a streak. 429 without it: the floor (60 s), doubled likewise. Both capped (30 min).
   * 418 / WAF 403: at least 10 minutes, and listeners are told to alert the owner.
   * Returns the pause length in ms.
   */
  reportRateLimit(report: { readonly httpStatus: number; readonly retryAfterMs?: number }): number {
    const now = this.#clock.now();
    const advised = report.retryAfterMs !== undefined && report.retryAfterMs > 0 ? report.retryAfterMs : 0;
    const isBan = report.httpStatus !== 429;
    let pauseMs: number;
    if (isBan) {
      this.#countBans += 1;
      pauseMs = Math.max(advised, this.#banPauseMs);
    } else {
      this.#count429 += 1;
      this.#streak = now - this.#last429At > STREAK_RESET_MS ? 1 : this.#streak + 1;
      this.#last429At = now;
      const base =
        advised > 0
          ? advised + Math.floor(this.#random() * this.#retryAfterJitterMs)
          : this.#rateLimitPauseMs;
      pauseMs = Math.min(base * 2 ** (this.#streak - 1), this.#maxRateLimitPauseMs);
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + pauseMs);
    const event: PauseEvent = {
      httpStatus: report.httpStatus,
      pauseMs,
      pausedUntil: this.#pausedUntil,
      streak: isBan ? 0 : this.#streak,
      alert: isBan,
    };
    for (const listener of this.#pauseListeners) listener(event);
    return pauseMs;
  }

  /** Subscribes to pauses (metrics, owner alerts when `event.alert`). Returns an unsubscribe function. */
  onPause(listener: (event: PauseEvent) => void): () => void {
    this.#pauseListeners.add(listener);
    return () => this.#pauseListeners.delete(listener);
  }

  /** Subscribes to urgent requests queued during a pause. Returns an unsubscribe function. */
  onUrgentWait(listener: (event: UrgentWaitEvent) => void): () => void {
    this.#urgentListeners.add(listener);
    return () => this.#urgentListeners.delete(listener);
  }

  /** Counters for /metrics and benchmarks. */
  stats(): RateLimiterStats {
    const now = this.#clock.now();
    this.#prune(now);
    return {
      totalRequests: this.#totalRequests,
      totalWeight: this.#totalWeight,
      weightInWindow: this.#sent.reduce((sum, s) => sum + s.weight, 0),
      inFlight: this.#sent.filter((s) => s.pending).length,
      weightPer10s: this.#weightPer10s,
      count429: this.#count429,
      countBans: this.#countBans,
      queued: this.#queue.length + this.#background.length,
      pausedUntil: this.#pausedUntil > now ? this.#pausedUntil : undefined,
    };
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      // FIFO (urgent ones first): a heavy request is not starved by light ones queued behind it.
      for (let head = this.#next(); head !== undefined; head = this.#next()) {
        const now = this.#clock.now();
        const background = this.#queue.length === 0;
        const share = background ? this.#backgroundShare() : 1;
        const waitMs = this.#waitMs(head, now, share, true);
        if (waitMs > 0) {
          // Requests still waiting for their answer hold their place until it comes, which no
          // timer can tell: wait for one to settle, or for the answered ones to leave the window.
          const answeredMs = this.#waitMs(head, now, share, false);
          const waits: Promise<void>[] = [];
          if (answeredMs < waitMs) waits.push(this.#settled());
          if (answeredMs > 0) waits.push(this.#sleep(answeredMs));
          // A foreground request arriving meanwhile must not wait for the background one.
          if (background)
            waits.push(
              new Promise<void>((resolve) => {
                this.#wake = resolve;
              }),
            );
          await Promise.race(waits);
          this.#wake = undefined;
          continue;
        }
        (background ? this.#background : this.#queue).shift();
        const sent: Sent = { at: now, pending: true, weight: head.weight, kind: head.kind, background };
        this.#sent.push(sent);
        this.#totalRequests += 1;
        this.#totalWeight += head.weight;
        head.resolve(this.#grant(sent));
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Resolves at the next answer (or cancel) of a pending request. */
  #settled(): Promise<void> {
    return (this.#settledSignal ??= new Promise<void>((resolve) => {
      this.#signalSettled = () => {
        this.#settledSignal = undefined;
        this.#signalSettled = undefined;
        resolve();
      };
    }));
  }

  #grant(sent: Sent): RequestGrant {
    return {
      done: () => {
        if (!sent.pending) return;
        sent.pending = false;
        sent.at = Math.max(sent.at, this.#clock.now());
        this.#signalSettled?.();
      },
      cancel: () => {
        if (!sent.pending) return;
        sent.pending = false;
        const i = this.#sent.indexOf(sent);
        if (i >= 0) this.#sent.splice(i, 1);
        this.#totalRequests -= 1;
        this.#totalWeight -= sent.weight;
        this.#signalSettled?.();
      },
    };
  }

  /**
   * When each request counts as sent at `now`, oldest first: a pending one at `now`, or, without
   * `withPending`, not at all (to tell how long the answered ones alone hold a request back).
   */
  #stamps(now: number, withPending: boolean): Stamp[] {
    const stamps: Stamp[] = [];
    for (const sent of this.#sent) {
      if (!sent.pending) stamps.push({ at: sent.at, sent });
      else if (withPending) stamps.push({ at: now, sent });
    }
    // Answers come out of grant order; the windows need send order.
    return stamps.sort((a, b) => a.at - b.at);
  }

  /**
   * The share of the budget background requests may fill: everything but a reserve of at least
   * {@link BACKGROUND_RESERVE}, and twice what other requests used in the window, so busy
   * trading slows the history down instead of the other way round.
   */
  #backgroundShare(): number {
    let foreground = 0;
    for (const s of this.#sent) if (!s.background) foreground += s.weight;
    return 1 - Math.min(1, Math.max(BACKGROUND_RESERVE, (2 * foreground) / this.#weightPer10s));
  }

  #next(): Waiter | undefined {
    return this.#queue[0] ?? this.#background[0];
  }

  /**
   * How long `request` must still wait at `now` (0 = may go) within `share` of the weight budget,
   * counting the pending requests at `now` or, without `withPending`, leaving them out.
   */
  #waitMs(request: RateLimitedRequest, now: number, share: number, withPending: boolean): number {
    this.#prune(now);
    let wait = this.#pausedUntil - now;
    const stamps = this.#stamps(now, withPending);

    // Weighted window: wait until enough of the oldest entries have left it. A single request
    // heavier than the whole budget goes alone into an empty window rather than never.
    let inWindow = 0;
    for (const s of stamps) inWindow += s.sent.weight;
    let excess = inWindow + request.weight - this.#weightPer10s * share;
    for (const s of stamps) {
      if (excess <= 0) break;
      excess -= s.sent.weight;
      wait = Math.max(wait, s.at + WINDOW_MS - now);
    }

    wait = Math.max(
      wait,
      secondCapWait(stamps, now, this.#caps.all, () => true),
    );
    if (request.kind !== RequestKind.General) {
      wait = Math.max(
        wait,
        secondCapWait(stamps, now, this.#caps[request.kind], (s) => s.kind === request.kind),
      );
    }
    return wait;
  }

  /** Forgets answered requests older than the window; pending ones stay whatever their age. */
  #prune(now: number): void {
    if (this.#sent.some((s) => !s.pending && s.at <= now - WINDOW_MS))
      this.#sent = this.#sent.filter((s) => s.pending || s.at > now - WINDOW_MS);
  }
}

/** Wait so that at most `cap` matching requests fall in any rolling second (`stamps` oldest first). */
function secondCapWait(
  stamps: readonly Stamp[],
  now: number,
  cap: number,
  matches: (s: Sent) => boolean,
): number {
  const recent = stamps.filter((s) => s.at > now - SECOND_MS && matches(s.sent));
  if (recent.length < cap) return 0;
  const oldestThatMustExpire = recent[recent.length - cap];
  return oldestThatMustExpire === undefined ? 0 : oldestThatMustExpire.at + SECOND_MS - now;
}
