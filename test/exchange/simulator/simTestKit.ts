/**
 * Test helpers for the simulator suites: start a simulator on a manual clock, and talk to it
 * over raw HTTP with a tiny MEXC signer (deliberately independent of the project's MEXC client).
 */
import { createHmac } from 'node:crypto';
import { ManualClock } from '../../../src/common/clock.js';
import {
  startSimulator,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../../../src/exchange/simulator/index.js';

/** 2026-01-01 12:00:30 UTC: mid-minute, so the current candle is partly revealed. */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 30);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestSim {
  sim: SimulatorHandle;
  clock: ManualClock;
  get<T = unknown>(path: string, params?: Record<string, string | number>): Promise<Answer<T>>;
  signed<T = unknown>(
    method: string,
    path: string,
    params?: Record<string, string | number>,
    opts?: { timestamp?: number; apiKey?: string | null; secret?: string; body?: string; signature?: string },
  ): Promise<Answer<T>>;
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

async function answer<T>(response: Response): Promise<Answer<T>> {
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

/** A simulator on a ManualClock at {@link T0} with 10 altcoins unless overridden. */
export async function startTestSim(options: Partial<SimulatorOptions> = {}): Promise<TestSim> {
  const clock = new ManualClock(options.startTime ?? T0);
  const sim = await startSimulator({ seed: 7, speed: 1, clock, altcoins: 10, ...options });
  const query = (params: Record<string, string | number>) =>
    new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return {
    sim,
    clock,
    async get(path, params = {}) {
      const qs = query(params);
      return answer(await fetch(`${sim.url}${path}${qs ? `?${qs}` : ''}`));
    },
    async signed(method, path, params = {}, opts = {}) {
      const qs = query({ ...params, timestamp: opts.timestamp ?? clock.now() });
      const body = opts.body ?? '';
      const signature = opts.signature ?? sign(opts.secret ?? sim.credentials.apiSecret, qs + body);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const apiKey = opts.apiKey === undefined ? sim.credentials.apiKey : opts.apiKey;
      if (apiKey !== null) headers['X-MEXC-APIKEY'] = apiKey;
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(`${sim.url}${path}?${qs}&signature=${signature}`, {
        method,
        headers,
        ...(body ? { body } : {}),
      });
      return answer(response);
    },
  };
}

/** Decimals after the point of a decimal string. */
export function decimals(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
