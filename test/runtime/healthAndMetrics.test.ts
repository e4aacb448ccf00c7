import { createServer } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { ManualClock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function metricValue(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels}`) && !l.startsWith('#'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

describe('health and metrics of a running bot', () => {
  it('counts orders and API weight after a simulated trading run, and /healthz fails when the exchange stops answering', async () => {
    const port = await freePort();
    const clock = new ManualClock(Date.UTC(2026, 10, 24, 9, 0));
    const config = loadConfig({ DATABASE_PATH: ':memory:', HTTP_PORT: String(port), LOG_LEVEL: 'silent' });
    runtime = await createRuntime({
      config,
      logger: silentLogger(),
      clock,
      // Waits (rate limits, retry backoff) pass on the manual clock at once.
      sleep: async (ms) => {
        clock.advance(ms);
        await new Promise((resolve) => setImmediate(resolve));
      },
      timers: false,
      input: new PassThrough(),
      output: new Writable({ write: (_chunk, _enc, done) => done() }),
      simulator: { altcoins: 30 },
    });
    const started = await runtime.start();
    expect(started.healthPort).toBe(port);
    expect(started.reconciled).toBe(true);

    // Thirty simulated minutes of scheduled runs: accumulate buys BTC/ETH with USDC.
    for (let minute = 0; minute < 30; minute++) {
      clock.advance(60_000);
      await runtime.core.scheduler.runDue(clock.now());
    }

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(
      metricValue(metrics, 'autopilot_orders_placed_total', '{origin="accumulate"}'),
      metrics.slice(0, 400),
    ).toBeGreaterThan(0);
    expect(metricValue(metrics, 'autopilot_api_weight_used_total')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'autopilot_api_requests_total')).toBeGreaterThan(0);

    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(healthy.status, await healthy.clone().text()).toBe(200);

    // The exchange goes away: every request now fails, and after the staleness limit /healthz says so.
    await runtime.simulator!.close();
    for (let minute = 0; minute < 7; minute++) {
      clock.advance(60_000);
      await runtime.core.scheduler.runDue(clock.now());
    }
    const unhealthy = await fetch(`http://127.0.0.1:${port}/healthz`);
    const body = (await unhealthy.json()) as { failing?: string[] };
    expect(unhealthy.status).toBe(503);
    expect(JSON.stringify(body.failing)).toMatch(/exchange/);
  });
});
