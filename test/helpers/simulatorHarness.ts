/**
 * The real MEXC client wired to the built-in simulator over loopback HTTP, for integration
 * tests: one shared clock for the market, the server, the client and its rate limiter, so the
 * whole exchange layer runs on test-controlled time.
 *
 * Time modes: `auto` (default) — every sleep (limiter waits, backoff) moves the manual clock at
 * once, so tests run instantly and deterministically; `manual` — sleeps wait until the test calls
 * `time.advance()`, to assert that nothing is sent before a given moment.
 */
import { afterEach } from 'vitest';
import { MexcClient, type MexcClientOptions } from '../../src/exchange/mexc/MexcClient.js';
import { RateLimiter, type RateLimiterOptions } from '../../src/exchange/rateLimiter.js';
import {
  startSimulator,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../../src/exchange/simulator/index.js';
import type { ManualClock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';
import { FakeTime } from './fakeTime.js';

/** 2026-01-05 12:00:30 UTC: mid-minute, so the current candle is partly revealed. */
export const SIM_T0 = Date.UTC(2026, 0, 5, 12, 0, 30);

export interface SimHarnessOptions {
  /** Simulator options (seed 11 and 10 altcoins unless given; the clock is always the harness clock). */
  readonly sim?: Partial<Omit<SimulatorOptions, 'clock' | 'startTime'>>;
  readonly start?: number;
  /** `auto`: sleeps advance the clock at once (default); `manual`: sleeps wait for `time.advance()`. */
  readonly time?: 'auto' | 'manual';
  readonly limiter?: RateLimiterOptions;
  readonly client?: Partial<MexcClientOptions>;
}

export interface SimHarness {
  readonly sim: SimulatorHandle;
  readonly time: FakeTime;
  /** The clock shared by simulator, client and limiter. */
  readonly clock: ManualClock;
  readonly limiter: RateLimiter;
  readonly client: MexcClient;
  /** Another client on the same simulator, clock and limiter (e.g. with a wrong secret). */
  newClient(overrides?: Partial<MexcClientOptions>): MexcClient;
  close(): Promise<void>;
}

/** Starts a simulator on a manual clock and a MexcClient + RateLimiter against it. */
export async function startSimHarness(options: SimHarnessOptions = {}): Promise<SimHarness> {
  const time = new FakeTime(options.start ?? SIM_T0);
  const clock = time.clock;
  const sim = await startSimulator({
    seed: 11,
    speed: 1,
    altcoins: 10,
    ...options.sim,
    clock,
    startTime: clock.now(),
  });
  const sleep = options.time === 'manual' ? time.sleep : time.autoSleep;
  const limiter = new RateLimiter({ clock, sleep, ...options.limiter });
  const newClient = (overrides: Partial<MexcClientOptions> = {}) =>
    new MexcClient({
      baseUrl: sim.url,
      apiKey: sim.credentials.apiKey,
      apiSecret: sim.credentials.apiSecret,
      clock,
      logger: silentLogger(),
      limiter,
      sleep,
      random: () => 0.5,
      timeoutMs: 5_000,
      ...options.client,
      ...overrides,
    });
  return {
    sim,
    time,
    clock,
    limiter,
    client: newClient(),
    newClient,
    close: () => sim.close(),
  };
}

/**
 * Registers an afterEach that closes every harness started through the returned function, so a
 * failing test never leaves a server open.
 */
export function useSimHarness(): (options?: SimHarnessOptions) => Promise<SimHarness> {
  const open: SimHarness[] = [];
  afterEach(async () => {
    const closing = open.splice(0);
    await Promise.all(closing.map((h) => h.close()));
  });
  return async (options) => {
    const harness = await startSimHarness(options);
    open.push(harness);
    return harness;
  };
}
