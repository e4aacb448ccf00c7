/**
 * Fault injection for tests: failures, hanging requests, orders executed but answered with a
 * 5xx, rate-limit storms and clock skew. Internal to the simulator; driven through
 * `SimulatorHandle.faults`.
 */

interface Match {
  readonly method: string | undefined;
  readonly path: string;
  remaining: number;
}

interface FailRule extends Match {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

function matches(rule: Match, method: string, path: string): boolean {
  return rule.remaining > 0 && rule.path === path && (rule.method === undefined || rule.method === method);
}

function positiveCount(count: number | undefined): number {
  const n = count ?? 1;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`fault count must be a positive integer, got ${count}`);
  return n;
}

/** Which WebSocket connections a stream fault applies to: public market streams, user streams, or both. */
export type StreamScope = 'market' | 'user' | 'all';

/** The failures a test has asked the simulator to inject, consulted by the request pipeline. */
export class Faults {
  #fails: FailRule[] = [];
  #timeouts: Match[] = [];
  #acceptThenFail: { status: number; remaining: number } | undefined;
  #storm: { until: number; retryAfterSec: number } | undefined;
  skewMs = 0;
  /** Streams that neither answer nor push (open and new connections alike) until reset. */
  readonly silentStreams = new Set<'market' | 'user'>();

  silenceStreams(scope: StreamScope): void {
    if (scope !== 'user') this.silentStreams.add('market');
    if (scope !== 'market') this.silentStreams.add('user');
  }

  failNext(opts: {
    method?: string;
    path: string;
    status: number;
    code?: number;
    msg?: string;
    count?: number;
  }): void {
    this.#fails.push({
      method: opts.method?.toUpperCase(),
      path: opts.path,
      remaining: positiveCount(opts.count),
      status: opts.status,
      code: opts.code ?? opts.status,
      msg: opts.msg ?? `Injected failure (HTTP ${opts.status})`,
    });
  }

  timeoutNext(opts: { method?: string; path: string; count?: number }): void {
    this.#timeouts.push({
      method: opts.method?.toUpperCase(),
      path: opts.path,
      remaining: positiveCount(opts.count),
    });
  }

  acceptThenFail(opts: { status?: number; count?: number }): void {
    this.#acceptThenFail = { status: opts.status ?? 503, remaining: positiveCount(opts.count) };
  }

  rateLimitStorm(opts: { durationMs: number; retryAfterSec: number }, now: number): void {
    this.#storm = { until: now + opts.durationMs, retryAfterSec: opts.retryAfterSec };
  }

  /** The storm's Retry-After while it lasts. */
  storm(now: number): number | undefined {
    if (this.#storm && now < this.#storm.until) return this.#storm.retryAfterSec;
    return undefined;
  }

  takeTimeout(method: string, path: string): boolean {
    const rule = this.#timeouts.find((r) => matches(r, method, path));
    if (!rule) return false;
    rule.remaining--;
    return true;
  }

  takeFailure(method: string, path: string): { status: number; code: number; msg: string } | undefined {
    const rule = this.#fails.find((r) => matches(r, method, path));
    if (!rule) return undefined;
    rule.remaining--;
    return { status: rule.status, code: rule.code, msg: rule.msg };
  }

  /** For a successfully executed POST /api/v3/order: the 5xx status to answer with instead, if armed. */
  takeAcceptThenFail(): number | undefined {
    const rule = this.#acceptThenFail;
    if (!rule || rule.remaining <= 0) return undefined;
    rule.remaining--;
    return rule.status;
  }

  reset(): void {
    this.#fails = [];
    this.#timeouts = [];
    this.#acceptThenFail = undefined;
    this.#storm = undefined;
    this.skewMs = 0;
    this.silentStreams.clear();
  }
}
