/**
 * A new owner's first minute on a real account (the simulator in real time at its default
 * limits, `EXCHANGE=mexc`, live trading, a fresh database): BTC, ETH and three altcoins held,
 * each with a month of trades. Start-up must not wait for that month: the first strategy
 * decision comes within 10 s, `/status` answers within 2 s and shows the history progress, and
 * `/healthz` answers with a success status all along while the history is read.
 */
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { type FirstHourAccount, startFirstHourAccount } from '../helpers/firstHourAccount.js';

let account: FirstHourAccount | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.stop();
  await account?.close();
  runtime = undefined;
  account = undefined;
});

interface HealthSample {
  readonly atMs: number;
  readonly httpStatus: number;
  readonly status: string;
  readonly startup?: string;
}

describe('the first minute on an account with a month of history', () => {
  it('decides within 10 s, answers /status within 2 s with the history progress, /healthz healthy throughout', async () => {
    account = await startFirstHourAccount({ altcoins: 3, fillsPerSymbol: 40 });
    const output: string[] = [];
    const input = new PassThrough();
    const t0 = Date.now();
    runtime = await createRuntime({
      config: account.config,
      logger: pino({ level: 'silent' }),
      input,
      output: new Writable({
        write(chunk: Buffer, _encoding, done) {
          output.push(chunk.toString());
          done();
        },
      }),
    });
    const rt = runtime;
    const started = rt.start();
    // The owner types /status as soon as the bot is up.
    input.write('/status\n');

    const health: HealthSample[] = [];
    let statusAtMs: number | undefined;
    let decisionAtMs: number | undefined;
    const strategyJobs = new Set<string>(STRATEGY_IDS);
    const deadline = t0 + 15_000;
    while (Date.now() < deadline && (decisionAtMs === undefined || Date.now() - t0 < 12_000)) {
      const atMs = Date.now() - t0;
      if (statusAtMs === undefined && output.join('').includes('trade history:')) statusAtMs = atMs;
      if (
        decisionAtMs === undefined &&
        rt.core.scheduler.status().some((j) => strategyJobs.has(j.id) && j.lastRun?.outcome === 'ok')
      ) {
        decisionAtMs = atMs;
      }
      try {
        const response = await fetch(`http://127.0.0.1:${account.httpPort}/healthz`);
        const body = (await response.json()) as { status: string; checks: { startup?: { detail: string } } };
        health.push({
          atMs,
          httpStatus: response.status,
          status: body.status,
          startup: body.checks.startup?.detail,
        });
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await started;
    const progress = rt.core.scheduler.status().filter((j) => strategyJobs.has(j.id) && j.lastRun);

    const report = {
      statusMs: statusAtMs,
      firstDecisionMs: decisionAtMs,
      healthSamples: health.length,
      healthStatuses: [...new Set(health.map((h) => `${h.httpStatus} ${h.status}`))],
      lastStartup: health.at(-1)?.startup,
      runs: progress.map((j) => `${j.id}: ${j.lastRun?.summary ?? ''}`),
    };
    console.log(`first hour: ${JSON.stringify(report, null, 2)}`);

    expect(statusAtMs, '/status answered with the history progress').toBeDefined();
    expect(statusAtMs!, '/status within 2 s of start').toBeLessThanOrEqual(2_000);
    expect(decisionAtMs, 'a strategy decided').toBeDefined();
    expect(decisionAtMs!, 'first strategy decision within 10 s of start').toBeLessThanOrEqual(10_000);
    expect(health.length, '/healthz was sampled').toBeGreaterThan(20);
    expect(
      health.filter((h) => h.httpStatus !== 200),
      '/healthz a success status all along',
    ).toEqual([]);
    expect(
      health.some((h) => h.status === 'starting' && h.startup?.startsWith('trade history:')),
      '/healthz says it is starting, with the history progress',
    ).toBe(true);
  }, 40_000);
});
