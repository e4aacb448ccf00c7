/**
 * The built-in MEXC market simulator: a loopback HTTP server speaking the
 * MEXC spot v3 subset the bot uses, and its WebSocket streams at `/ws` on the same port, with a seeded market, matching, balances, fees, signature
 * checks, rate limiting and fault injection. `npm start` uses it with zero configuration; tests
 * and benchmarks drive it through the returned handle.
 *
 * @example
 * const sim = await startSimulator({ seed: 1, speed: 60 });
 * // point the MEXC client at sim.url with sim.credentials, share sim.clock with the bot
 * await sim.close();
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import { Account } from './Account.js';
import { Faults } from './Faults.js';
import { ListenKeys } from './ListenKeys.js';
import { Market } from './Market.js';
import { matchBook, matchMinute } from './matching.js';
import { RateLimiter } from './RateLimiter.js';
import { handleRequest } from './requestHandler.js';
import { SimClock } from './SimClock.js';
import { createSimulatorHandle, type SimulatorHandle } from './SimulatorHandle.js';
import { Stats } from './Stats.js';
import { StreamServer } from './StreamServer.js';

export type { SimulatorHandle } from './SimulatorHandle.js';

/**
 * How to start a simulator: seed, speed, port, clock, keys, starting balances, weight limit, listing size.
 */
export interface SimulatorOptions {
  /** Seed of every random choice (prices, volumes, quirks). */
  seed: number;
  /** Clock multiplier of the default SimClock (60 = one simulated minute per second). */
  speed: number;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** Market and server time. Default: a SimClock starting at `startTime` running at `speed`. */
  clock?: Clock;
  /** Market start (ms). Default: the clock's current time (or the real time for the default clock). */
  startTime?: number;
  /** Accepted API key and secret. Default: random ones, returned in the handle. */
  credentials?: { apiKey: string; apiSecret: string };
  /** Starting free balances. Default `{ USDC: '1000', USDT: '500' }`. */
  initialBalances?: Record<string, string>;
  /** IP weight budget per rolling 10 s (default 500). */
  weightPer10s?: number;
  /** Requests allowed per rolling second, refused with 429 beyond (MEXC: 20). Default: no limit. */
  requestsPerSecond?: number;
  /** Number of ordinary USDT altcoins (default 300); core pairs, stablecoin pairs and leveraged tokens come on top. */
  altcoins?: number;
  /** Clock time after which the WebSocket server cuts a connection (MEXC: 24 h, the default). */
  maxStreamConnectionMs?: number;
}

const optionsSchema = z.object({
  seed: z.number().int('seed must be an integer'),
  speed: z.number().positive('speed must be > 0').max(100_000),
  port: z.number().int().min(0).max(65_535).optional(),
  clock: z
    .custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function', 'clock needs now()')
    .optional(),
  startTime: z.number().int().positive().optional(),
  credentials: z.object({ apiKey: z.string().min(1), apiSecret: z.string().min(1) }).optional(),
  initialBalances: z
    .record(z.string().regex(/^[A-Z0-9]+$/, 'asset names are upper case'), z.string().regex(/^\d+(\.\d+)?$/))
    .optional(),
  weightPer10s: z.number().int().positive().optional(),
  requestsPerSecond: z.number().int().positive().optional(),
  altcoins: z.number().int().min(0).max(2000).optional(),
  maxStreamConnectionMs: z.number().int().positive().optional(),
});

/** Starts the simulator on 127.0.0.1. Close it with `handle.close()`. */
export async function startSimulator(options: SimulatorOptions): Promise<SimulatorHandle> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new TypeError(`invalid simulator options: ${problems.join('; ')}`);
  }
  const opts = parsed.data;
  const clock = opts.clock ?? new SimClock({ speed: opts.speed, start: opts.startTime ?? Date.now() });
  const startTime = opts.startTime ?? clock.now();
  const market = new Market({ seed: opts.seed, altcoins: opts.altcoins ?? 300, startTime });
  const account = new Account({
    seed: opts.seed,
    balances: opts.initialBalances ?? { USDC: '1000', USDT: '500' },
  });
  market.onMinute = (rt, minute) => matchMinute({ account, market, rt, minute });
  const credentials = opts.credentials ?? {
    apiKey: `mx0vgl${randomBytes(12).toString('hex')}`,
    apiSecret: randomBytes(16).toString('hex'),
  };
  const faults = new Faults();
  const limiter = new RateLimiter(opts.weightPer10s ?? 500, opts.requestsPerSecond);
  const stats = new Stats();
  const hanging = new Set<ServerResponse>();
  const listenKeys = new ListenKeys();
  const deps = { core: { market, account, listenKeys }, clock, credentials, faults, limiter, stats, hanging };

  const server = createServer((req, res) => void handleRequest(deps, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const streams = new StreamServer({
    server,
    clock,
    market,
    account,
    listenKeys,
    faults,
    maxConnectionMs: opts.maxStreamConnectionMs,
  });

  return createSimulatorHandle({
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    credentials,
    clock,
    market,
    account,
    faults,
    stats,
    streams,
    listenKeys,
    onPin: (rt, now) => matchBook({ account, market, rt, now }),
    close: async () => {
      await streams.close();
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  });
}
