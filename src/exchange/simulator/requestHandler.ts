/**
 * The HTTP pipeline of the simulator, in the order a request meets it: counting, rate-limit
 * storm, weight limit (429 + Retry-After), injected hang or failure, routing, market catch-up,
 * signature and timing checks, the handler, and the accept-then-fail fault. Internal.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../common/clock.js';
import { verifySigned } from './auth.js';
import type { Faults } from './Faults.js';
import { PUBLIC_ROUTES } from './publicRoutes.js';
import { type RateLimiter, requestWeight } from './RateLimiter.js';
import type { RouteTable, SimCore } from './routes.js';
import { SIGNED_ROUTES } from './signedRoutes.js';
import type { Stats } from './Stats.js';
import { type Reply, SimApiError, SimErrors } from './wire.js';

const ROUTES: RouteTable = { ...PUBLIC_ROUTES, ...SIGNED_ROUTES };
const MAX_BODY_BYTES = 1 << 20;

/**
 * Everything the request pipeline consults: market and account, clock, credentials, faults, limiter and
 * stats.
 */
export interface PipelineDeps {
  readonly core: SimCore;
  readonly clock: Clock;
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string };
  readonly faults: Faults;
  readonly limiter: RateLimiter;
  readonly stats: Stats;
  /** Responses deliberately never answered (timeout faults); destroyed on close. */
  readonly hanging: Set<ServerResponse>;
}

function send(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}

function tooMany(retryAfterSec: number): Reply {
  return {
    status: 429,
    body: { code: 429, msg: 'Too Many Requests' },
    headers: { 'retry-after': String(retryAfterSec) },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parameters from the query, plus url-encoded body parameters the query does not have (query wins). */
function paramsOf(rawQuery: string, body: string): URLSearchParams {
  const params = new URLSearchParams(rawQuery);
  if (body && !body.trimStart().startsWith('{')) {
    for (const [key, value] of new URLSearchParams(body)) if (!params.has(key)) params.set(key, value);
  }
  return params;
}

/** Answers one request (never throws). */
export async function handleRequest(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  const endpoint = `${method} ${path}`;
  deps.stats.request(endpoint);
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    send(res, SimErrors.parameter('request body too large').toReply());
    return;
  }
  const now = deps.clock.now();
  const storm = deps.faults.storm(now);
  if (storm !== undefined) {
    deps.stats.rejected();
    send(res, tooMany(storm));
    return;
  }
  const weight = requestWeight(endpoint, paramsOf(rawQuery, body));
  const booked = deps.limiter.take(weight, now);
  if (!booked.ok) {
    deps.stats.rejected();
    send(res, tooMany(booked.retryAfterSec));
    return;
  }
  deps.stats.weight(endpoint, weight);
  if (deps.faults.takeTimeout(method, path)) {
    deps.hanging.add(res);
    res.on('close', () => deps.hanging.delete(res));
    return;
  }
  const failure = deps.faults.takeFailure(method, path);
  if (failure) {
    send(res, { status: failure.status, body: { code: failure.code, msg: failure.msg } });
    return;
  }
  send(res, answer({ deps, endpoint, rawQuery, body, now, apiKeyHeader: req.headers['x-mexc-apikey'] }));
}

function answer(opts: {
  deps: PipelineDeps;
  endpoint: string;
  rawQuery: string;
  body: string;
  now: number;
  apiKeyHeader: string | string[] | undefined;
}): Reply {
  const { deps, endpoint, rawQuery, body, now } = opts;
  const route = ROUTES[endpoint];
  if (!route) return SimErrors.notFound().toReply();
  try {
    deps.core.market.advanceTo(now);
    const params = paramsOf(rawQuery, body);
    const serverTime = now + deps.faults.skewMs;
    if (route.signed) {
      const apiKeyHeader = Array.isArray(opts.apiKeyHeader) ? opts.apiKeyHeader[0] : opts.apiKeyHeader;
      verifySigned({ rawQuery, body, params, apiKeyHeader }, deps.credentials, serverTime);
    }
    const reply = route.handle(deps.core, { params, now, serverTime });
    if (endpoint === 'POST /api/v3/order' && reply.status === 200) {
      // The order stands; only the answer is lost (on MEXC a 5xx means the outcome is unknown).
      const status = deps.faults.takeAcceptThenFail();
      if (status !== undefined) return { status, body: { code: status, msg: 'Service Unavailable' } };
    }
    return reply;
  } catch (error) {
    if (error instanceof SimApiError) return error.toReply();
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { code: 500, msg: `Internal error: ${detail}` } };
  }
}
