/**
 * `/healthz` and `/metrics` on 127.0.0.1:HTTP_PORT. Loopback only: the figures are not
 * secret, but nothing on this port is meant for the internet.
 *
 * `/healthz` statuses (HTTP 200 for all but `failing`, which is 503):
 * - `starting`: the process is still starting (orders being reconciled, trade history being read
 *   in the background), nothing is wrong; the `startup` check says how far it has come. A
 *   scheduler not started yet is expected then, not a failure; an exchange not asked yet is
 *   expected for `startupExchangeGraceMs` from the start's beginning, also once it is over (the
 *   first jobs take turns after it).
 * - `ok`: the scheduler is alive, the exchange answered recently, no job has been running for too
 *   long and every job ran within twice its period.
 * - `degraded`: the Telegram link is in conflict or unreachable, or a live stream is not live (its
 *   data is polled meanwhile); restarting the process would not fix it, so it keeps 200, named in
 *   `degraded`. The `streams` check lists every stream connection's state.
 * - `failing`: a named check failed (scheduler dead, exchange unreachable, a job stuck or stale).
 * The JSON body also lists each job's last successful run.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';

/** One scheduled job as the health check sees it. */
export interface JobHealth {
  readonly id: string;
  /** When the current run started (Unix ms); absent when idle. */
  readonly runningSinceMs?: number;
  /** When the last successful run ended (Unix ms). */
  readonly lastOkAt?: number;
  /** Overrides the server's `jobStuckMs` for this job (e.g. a long scan). */
  readonly stuckAfterMs?: number;
  /** When the scheduler last took the job up (ran it, or skipped it as paused). */
  readonly lastRunAt?: number;
  /** The job's period; with `lastRunAt`, a job not taken up within twice this is stale. */
  readonly everyMs?: number;
}

/** The link to the chat service as the health check sees it. */
export interface LinkHealth {
  /** `polling` is healthy; anything else is degraded (e.g. `conflict`, `unreachable`). */
  readonly state: string;
  readonly since: number;
  readonly detail?: string;
}

/** Read at every `/healthz` request. */
export interface HealthChecks {
  /** The job scheduler is started and not stopped. */
  readonly schedulerAlive: () => boolean;
  /** Last scheduler heartbeat (Unix ms); checked against `schedulerStaleMs` when given. */
  readonly schedulerLastTickAt?: () => number | undefined;
  /** Last successful exchange answer (Unix ms). */
  readonly lastExchangeOkAt: () => number | undefined;
  readonly jobs: () => readonly JobHealth[];
  /** While the process is starting: since when and how far it has come; undefined once started. */
  readonly startup?: () => StartupState | undefined;
  /**
   * When this process's start began (Unix ms), still known once the start is over: the exchange
   * not asked yet is expected for `startupExchangeGraceMs` from then, as the first jobs take
   * turns after the start and not every one asks it.
   */
  readonly startedAt?: () => number | undefined;
  /** The Telegram link; absent in console mode. A state other than `polling`/`starting` degrades. */
  readonly telegram?: () => LinkHealth | undefined;
  /**
   * Every live stream connection; empty or absent with streams off. One that is neither `live`
   * nor `off` degrades: its data is polled meanwhile, so trading goes on.
   */
  readonly streams?: () => readonly StreamHealth[];
}

/** One stream connection as the health check sees it (the stream client's status). */
export interface StreamHealth {
  readonly name: string;
  /** off, connecting, live, quiet or down. */
  readonly state: string;
  readonly sinceMs: number;
  readonly lastMessageMs?: number;
}

/** A start-up still in progress, as `/healthz` reports it. */
export interface StartupState {
  /** When the start began (Unix ms). */
  readonly since: number;
  /** E.g. "trade history: 3 of 5 symbols, about 20 s left". */
  readonly detail: string;
}

/**
 * How old the exchange's last answer, the scheduler's heartbeat and a running job may be before health fails.
 */
export interface HealthLimits {
  /** Exchange silence that counts as unreachable; default 5 minutes. */
  readonly exchangeStaleMs: number;
  /** Scheduler heartbeat age that counts as dead; default 2 minutes. */
  readonly schedulerStaleMs: number;
  /** Run length that counts as stuck; default 15 minutes. */
  readonly jobStuckMs: number;
  /** How long a start may go without any exchange answer before the exchange counts as unreachable; default 1 minute. */
  readonly startupExchangeGraceMs: number;
}

/** Five minutes of exchange silence, two of scheduler silence, fifteen for one job run. */
export const DEFAULT_HEALTH_LIMITS: HealthLimits = {
  exchangeStaleMs: 5 * 60_000,
  schedulerStaleMs: 2 * 60_000,
  jobStuckMs: 15 * 60_000,
  startupExchangeGraceMs: 60_000,
};

/** What `/metrics` serves; {@link BotMetrics} fits. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

/** The checks, clock, address and limits of the health and metrics server. */
export interface HealthServerOptions {
  readonly checks: HealthChecks;
  readonly clock: Clock;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly limits?: Partial<HealthLimits>;
  readonly logger?: Logger;
  readonly metrics: MetricsSource;
  /** Removes secrets from every body served (error details may quote them). */
  readonly redact?: (text: string) => string;
  /** HTTP_PORT: 0 turns the server off; `ephemeral` picks a free port (tests). */
  readonly port: number | 'ephemeral';
}

/** One health check's verdict with a line saying why. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** The `/healthz` body. */
export interface HealthReport {
  readonly status: 'ok' | 'starting' | 'degraded' | 'failing';
  readonly failing: readonly string[];
  /** Checks that are not ok but do not fail the process (answered with 200). */
  readonly degraded: readonly string[];
  readonly now: number;
  readonly checks: {
    /** Present while starting. */
    readonly startup?: CheckResult & { readonly since: number };
    readonly scheduler: CheckResult & { readonly lastTickAt?: number };
    readonly exchange: CheckResult & { readonly lastOkAt?: number; readonly ageMs?: number };
    readonly jobs: CheckResult & {
      readonly stuck: readonly string[];
      /** Jobs not taken up within twice their period. */
      readonly stale: readonly string[];
      readonly list: readonly {
        readonly id: string;
        readonly runningForMs?: number;
        readonly lastOkAt?: number;
        readonly lastRunAt?: number;
      }[];
    };
    readonly telegram?: CheckResult & LinkHealth;
    /** Present with streams on. */
    readonly streams?: CheckResult & { readonly list: readonly StreamHealth[] };
  };
}

/** Loopback HTTP server for health and metrics. */
export class HealthServer {
  readonly #opts: HealthServerOptions;
  readonly #limits: HealthLimits;
  #server: Server | undefined;

  constructor(options: HealthServerOptions) {
    this.#opts = options;
    this.#limits = { ...DEFAULT_HEALTH_LIMITS, ...options.limits };
  }

  /** Starts listening. Resolves to the bound port, or undefined when HTTP_PORT is 0 (off). */
  async start(): Promise<number | undefined> {
    const { port, host = '127.0.0.1' } = this.#opts;
    if (port === 0) return undefined;
    if (this.#server) return this.port;
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port === 'ephemeral' ? 0 : port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#opts.logger?.info({ host, port: this.port }, 'health and metrics listening');
    return this.port;
  }

  /** The bound port while listening. */
  get port(): number | undefined {
    const address = this.#server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  /** Evaluates every check at `now` (what `/healthz` returns). */
  health(now: number = this.#opts.clock.now()): HealthReport {
    const startup = guard(() => this.#opts.checks.startup?.());
    const starting = startup instanceof Error ? undefined : startup;
    const scheduler = this.#schedulerCheck(now, starting);
    const exchange = this.#exchangeCheck(now, starting);
    const jobs = this.#jobsCheck(now);
    const telegram = this.#telegramCheck();
    const streams = this.#streamsCheck();
    const degraded = [
      ...(telegram && !telegram.ok ? ['telegram'] : []),
      ...(streams && !streams.ok ? ['streams'] : []),
    ];
    const failing = (
      [
        ['scheduler', scheduler],
        ['exchange', exchange],
        ['jobs', jobs],
      ] as const
    )
      .filter(([, c]) => !c.ok)
      .map(([name]) => name);
    return {
      status:
        failing.length > 0 ? 'failing' : degraded.length > 0 ? 'degraded' : starting ? 'starting' : 'ok',
      failing,
      degraded,
      now,
      checks: {
        ...(starting ? { startup: { ok: true, detail: starting.detail, since: starting.since } } : {}),
        scheduler,
        exchange,
        jobs,
        ...(telegram ? { telegram } : {}),
        ...(streams ? { streams } : {}),
      },
    };
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const redact = this.#opts.redact ?? ((text: string) => text);
    const send = (r: ServerResponse, status: number, type: string, body: string) =>
      sendRaw(r, status, type, redact(body));
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path !== '/healthz' && path !== '/metrics') return send(res, 404, 'text/plain', 'not found\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return send(res, 405, 'text/plain', 'method not allowed\n');
      }
      if (path === '/healthz') {
        const report = this.health();
        return send(
          res,
          report.status === 'failing' ? 503 : 200,
          'application/json',
          `${JSON.stringify(report)}\n`,
        );
      }
      const text = await this.#opts.metrics.text();
      return send(res, 200, this.#opts.metrics.contentType, text);
    } catch (error) {
      this.#opts.logger?.error({ err: error, path }, 'health server request failed');
      return send(res, 500, 'text/plain', 'internal error\n');
    }
  }

  #schedulerCheck(now: number, starting: StartupState | undefined): HealthReport['checks']['scheduler'] {
    const { schedulerAlive, schedulerLastTickAt } = this.#opts.checks;
    const alive = guard(() => schedulerAlive());
    if (alive instanceof Error) return { ok: false, detail: `check failed: ${alive.message}` };
    if (!alive && starting) return { ok: true, detail: 'starts after the order reconciliation' };
    if (!alive) return { ok: false, detail: 'scheduler is not running' };
    if (!schedulerLastTickAt) return { ok: true, detail: 'running' };
    const last = guard(() => schedulerLastTickAt());
    if (last instanceof Error) return { ok: false, detail: `check failed: ${last.message}` };
    if (last === undefined) return { ok: false, detail: 'running but has not ticked yet' };
    const age = now - last;
    return age > this.#limits.schedulerStaleMs
      ? { ok: false, detail: `last tick ${seconds(age)} ago`, lastTickAt: last }
      : { ok: true, detail: `last tick ${seconds(age)} ago`, lastTickAt: last };
  }

  #exchangeCheck(now: number, starting: StartupState | undefined): HealthReport['checks']['exchange'] {
    const last = guard(() => this.#opts.checks.lastExchangeOkAt());
    if (last instanceof Error) return { ok: false, detail: `check failed: ${last.message}` };
    const began = starting?.since ?? guard(() => this.#opts.checks.startedAt?.());
    if (
      last === undefined &&
      typeof began === 'number' &&
      now - began <= this.#limits.startupExchangeGraceMs
    ) {
      return { ok: true, detail: 'no answer yet (starting)' };
    }
    if (last === undefined) return { ok: false, detail: 'no successful exchange call yet' };
    const ageMs = now - last;
    const ok = ageMs <= this.#limits.exchangeStaleMs;
    return {
      ok,
      detail: ok
        ? `answered ${seconds(ageMs)} ago`
        : `no answer for ${seconds(ageMs)} (limit ${seconds(this.#limits.exchangeStaleMs)})`,
      lastOkAt: last,
      ageMs,
    };
  }

  #jobsCheck(now: number): HealthReport['checks']['jobs'] {
    const jobs = guard(() => this.#opts.checks.jobs());
    if (jobs instanceof Error)
      return { ok: false, detail: `check failed: ${jobs.message}`, stuck: [], stale: [], list: [] };
    const stuck: string[] = [];
    const stale: string[] = [];
    const list = jobs.map((job) => {
      const runningForMs = job.runningSinceMs === undefined ? undefined : now - job.runningSinceMs;
      if (runningForMs !== undefined && runningForMs > (job.stuckAfterMs ?? this.#limits.jobStuckMs)) {
        stuck.push(job.id);
      }
      if (
        runningForMs === undefined &&
        job.lastRunAt !== undefined &&
        job.everyMs !== undefined &&
        now - job.lastRunAt > 2 * job.everyMs
      ) {
        stale.push(job.id);
      }
      return { id: job.id, runningForMs, lastOkAt: job.lastOkAt, lastRunAt: job.lastRunAt };
    });
    const problems = [
      ...(stuck.length > 0 ? [`stuck: ${stuck.join(', ')}`] : []),
      ...(stale.length > 0 ? [`not run within twice their period: ${stale.join(', ')}`] : []),
    ];
    return {
      ok: problems.length === 0,
      detail: problems.length === 0 ? `${jobs.length} jobs, none stuck or late` : problems.join('; '),
      stuck,
      stale,
      list,
    };
  }

  #streamsCheck(): HealthReport['checks']['streams'] {
    const list = guard(() => this.#opts.checks.streams?.());
    if (list === undefined) return undefined;
    if (list instanceof Error) return { ok: false, detail: `stream check failed: ${list.message}`, list: [] };
    if (list.length === 0) return undefined;
    const behind = list.filter((s) => s.state !== 'live' && s.state !== 'off');
    return {
      ok: behind.length === 0,
      detail:
        behind.length === 0
          ? `${list.filter((s) => s.state === 'live').length} stream(s) live`
          : `${behind.map((s) => `${s.name} ${s.state}`).join(', ')}: polling their data meanwhile`,
      list,
    };
  }

  #telegramCheck(): HealthReport['checks']['telegram'] {
    const read = this.#opts.checks.telegram;
    if (!read) return undefined;
    const link = guard(() => read());
    if (link instanceof Error)
      return { ok: false, state: 'unknown', since: 0, detail: `check failed: ${link.message}` };
    if (!link) return undefined;
    const ok = link.state === 'polling' || link.state === 'starting';
    return { ok, ...link, detail: link.detail ?? link.state };
  }
}

function guard<T>(fn: () => T): T | Error {
  try {
    return fn();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function sendRaw(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
