import { afterEach, describe, expect, it } from 'vitest';
import { EventBus, type OrderView } from '../../src/domain/events.js';
import { dec } from '../../src/domain/money.js';
import { ManualClock } from '../../src/common/clock.js';
import { HealthServer, type HealthChecks, type JobHealth } from '../../src/ops/HealthServer.js';
import { BotMetrics, type LimiterStats } from '../../src/ops/metrics.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

let servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function order(overrides: Partial<OrderView> = {}): OrderView {
  return {
    clientOrderId: 'ap-1',
    origin: 'accumulate',
    symbol: 'BTCUSDC',
    side: 'BUY',
    type: 'LIMIT',
    price: dec('60000'),
    quantity: dec('0.0005'),
    reason: 'test',
    ...overrides,
  };
}

/** Reads one sample value from Prometheus text, e.g. `autopilot_orders_placed_total{origin="scanner"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Metrics without process metrics over a limiter that reports `stats` (nothing sent by default) and an empty outbox. */
function quietMetrics(stats: LimiterStats = { totalWeight: 0, totalRequests: 0, count429: 0 }): BotMetrics {
  return new BotMetrics({
    defaultMetrics: false,
    limiter: { stats: () => stats },
    notificationQueueLength: () => 0,
  });
}

async function start(options: { checks: HealthChecks; metrics?: BotMetrics; clock: ManualClock }) {
  const server = new HealthServer({
    port: 'ephemeral',
    clock: options.clock,
    checks: options.checks,
    metrics: options.metrics ?? quietMetrics(),
  });
  servers.push(server);
  const port = await server.start();
  expect(port, 'bound to a port').toBeGreaterThan(0);
  return { server, base: `http://127.0.0.1:${port}` };
}

describe('HealthServer /metrics', () => {
  it('serves order, API and queue figures fed by bus events and limiter stats', async () => {
    const clock = new ManualClock(T0);
    let limiter: LimiterStats = { totalWeight: 0, totalRequests: 0, count429: 0 };
    let queue = 0;
    const metrics = new BotMetrics({
      clock,
      limiter: { stats: () => limiter },
      notificationQueueLength: () => queue,
    });
    const bus = new EventBus();
    const detach = metrics.attach(bus);
    const { base } = await start({
      clock,
      metrics,
      checks: { schedulerAlive: () => true, lastExchangeOkAt: () => clock.now(), jobs: () => [] },
    });

    bus.emit({ type: 'order.placed', order: order() });
    bus.emit({
      type: 'order.placed',
      order: order({ clientOrderId: 'ap-2', origin: 'scanner', symbol: 'SOLUSDT' }),
    });
    clock.advance(90_000);
    const fill = {
      qty: dec('0.0005'),
      avgPrice: dec('60000'),
      quoteQty: dec('30'),
      fee: dec('0.03'),
      feeAsset: 'USDC',
    };
    bus.emit({ type: 'order.filled', order: order(), ...fill, partial: false });
    bus.emit({
      type: 'order.filled',
      order: order({ clientOrderId: 'ap-3', origin: 'take-profit', side: 'SELL' }),
      ...fill,
      realisedPnl: dec('1.5'),
      placedAt: T0 - 30_000,
      partial: false,
    });
    bus.emit({
      type: 'order.filled',
      order: order({ clientOrderId: 'ap-4', origin: 'take-profit', side: 'SELL' }),
      ...fill,
      realisedPnl: dec('-0.5'),
      partial: true,
    });
    bus.emit({
      type: 'order.refused',
      origin: 'scanner',
      symbol: 'XUSDT',
      side: 'BUY',
      code: 'reserve',
      why: 'reserve',
    });
    limiter = { totalWeight: 42, totalRequests: 7, count429: 1 };
    queue = 3;

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type'), 'Prometheus text format').toMatch(/^text\/plain/);
    const text = await response.text();
    expect(sample(text, 'autopilot_orders_placed_total{origin="accumulate"}')).toBe(1);
    expect(sample(text, 'autopilot_orders_placed_total{origin="scanner"}')).toBe(1);
    expect(sample(text, 'autopilot_orders_filled_total{origin="accumulate"}')).toBe(1);
    expect(
      sample(text, 'autopilot_orders_filled_total{origin="take-profit"}'),
      'partial fill not counted',
    ).toBe(1);
    expect(sample(text, 'autopilot_orders_rejected_total{origin="scanner",code="reserve"}')).toBe(1);
    expect(sample(text, 'autopilot_api_weight_used_total'), 'limiter weight').toBe(42);
    expect(sample(text, 'autopilot_api_requests_total')).toBe(7);
    expect(sample(text, 'autopilot_api_rate_limited_total'), '429s').toBe(1);
    expect(sample(text, 'autopilot_notification_queue_length')).toBe(3);
    expect(sample(text, 'autopilot_realised_pnl_trades_total{quote="USDC"}'), 'both PnL fills').toBe(2);
    expect(sample(text, 'autopilot_realised_pnl{quote="USDC"}'), 'a sum: 1.5 - 0.5').toBe(1);
    expect(text, 'no average computed in the bot').not.toMatch(/per_trade/);
    expect(sample(text, 'autopilot_order_fill_seconds_count{origin="accumulate"}')).toBe(1);
    expect(
      sample(text, 'autopilot_order_fill_seconds_sum{origin="accumulate"}'),
      'placed→filled on the clock',
    ).toBe(90);
    expect(
      sample(text, 'autopilot_order_fill_seconds_sum{origin="take-profit"}'),
      'placedAt from the event',
    ).toBe(120);
    expect(text, 'default process metrics under their standard names').toMatch(
      /^process_cpu_user_seconds_total /m,
    );
    expect(text, 'no app prefix on process metrics').not.toMatch(/^autopilot_process_/m);

    // Cumulative limiter figures turn into increments; a restarted limiter does not go negative.
    limiter = { totalWeight: 50, totalRequests: 9, count429: 1 };
    const again = await (await fetch(`${base}/metrics`)).text();
    expect(sample(again, 'autopilot_api_weight_used_total')).toBe(50);
    expect(sample(again, 'autopilot_api_requests_total')).toBe(9);

    detach();
    bus.emit({ type: 'order.placed', order: order({ clientOrderId: 'ap-9' }) });
    const after = await (await fetch(`${base}/metrics`)).text();
    expect(sample(after, 'autopilot_orders_placed_total{origin="accumulate"}'), 'detached').toBe(1);
  });

  it('keeps registries apart: two instances never collide', async () => {
    const a = quietMetrics({ totalWeight: 3, totalRequests: 1, count429: 0 });
    const b = quietMetrics();
    expect(sample(await a.text(), 'autopilot_api_weight_used_total'), 'a counted').toBe(3);
    expect(sample(await b.text(), 'autopilot_api_weight_used_total'), 'b untouched').toBe(0);
  });
});

describe('HealthServer /healthz', () => {
  it('flips to 503 when the exchange goes quiet and back to 200 when it answers', async () => {
    const clock = new ManualClock(T0);
    let exchangeOkAt: number | undefined = T0;
    const { base } = await start({
      clock,
      checks: {
        schedulerAlive: () => true,
        schedulerLastTickAt: () => clock.now() - 1_000,
        lastExchangeOkAt: () => exchangeOkAt,
        jobs: () => [{ id: 'accumulate', lastOkAt: T0 - MIN }],
      },
    });

    const ok = await fetch(`${base}/healthz`);
    expect(ok.status, 'healthy').toBe(200);
    const body = (await ok.json()) as { status: string; checks: { jobs: { list: JobHealth[] } } };
    expect(body.status).toBe('ok');
    expect(body.checks.jobs.list[0], 'last successful run listed').toMatchObject({
      id: 'accumulate',
      lastOkAt: T0 - MIN,
    });

    clock.advance(6 * MIN);
    const stale = await fetch(`${base}/healthz`);
    expect(stale.status, 'exchange silent for 6 min').toBe(503);
    const staleBody = (await stale.json()) as { failing: string[]; checks: { exchange: { detail: string } } };
    expect(staleBody.failing, 'names the failing check').toEqual(['exchange']);
    expect(staleBody.checks.exchange.detail).toMatch(/no answer for 360 s/);

    exchangeOkAt = clock.now();
    expect((await fetch(`${base}/healthz`)).status, 'answered again').toBe(200);

    exchangeOkAt = undefined;
    expect((await fetch(`${base}/healthz`)).status, 'never answered').toBe(503);
  });

  it('an exchange not asked yet is fine for the start-up grace, counted from the start even once it is over', async () => {
    const clock = new ManualClock(T0);
    const { base } = await start({
      clock,
      checks: {
        schedulerAlive: () => true,
        lastExchangeOkAt: () => undefined,
        jobs: () => [],
        // Started, and the start is over: the first jobs take turns and none asked the exchange yet.
        startup: () => undefined,
        startedAt: () => T0,
      },
    });
    const early = await fetch(`${base}/healthz`);
    const earlyBody = (await early.json()) as { status: string; checks: { exchange: { detail: string } } };
    expect(early.status).toBe(200);
    expect(earlyBody.checks.exchange.detail).toBe('no answer yet (starting)');

    clock.advance(MIN + 1);
    const late = await fetch(`${base}/healthz`);
    const lateBody = (await late.json()) as { failing: string[]; checks: { exchange: { detail: string } } };
    expect(late.status, 'a minute without any answer').toBe(503);
    expect(lateBody.failing).toEqual(['exchange']);
    expect(lateBody.checks.exchange.detail).toBe('no successful exchange call yet');
  });

  it('fails when the scheduler is down or stale, or a job is stuck, naming each', async () => {
    const clock = new ManualClock(T0);
    let alive = true;
    let lastTick = T0;
    let jobs: JobHealth[] = [];
    const { server } = await start({
      clock,
      checks: {
        schedulerAlive: () => alive,
        schedulerLastTickAt: () => lastTick,
        lastExchangeOkAt: () => clock.now(),
        jobs: () => jobs,
      },
    });
    expect(server.health().status).toBe('ok');

    jobs = [
      { id: 'scanner', runningSinceMs: T0 - 20 * MIN },
      { id: 'accumulate', runningSinceMs: T0 - MIN },
      { id: 'long-scan', runningSinceMs: T0 - 20 * MIN, stuckAfterMs: 60 * MIN },
    ];
    const stuck = server.health();
    expect(stuck.failing).toEqual(['jobs']);
    expect(stuck.checks.jobs.stuck, 'only the job past its limit').toEqual(['scanner']);

    jobs = [];
    lastTick = T0 - 3 * MIN;
    expect(server.health().failing, 'scheduler heartbeat stale').toEqual(['scheduler']);
    alive = false;
    expect(server.health().checks.scheduler.detail).toBe('scheduler is not running');
  });

  it('reports a throwing check as failing instead of crashing', async () => {
    const clock = new ManualClock(T0);
    const { base } = await start({
      clock,
      checks: {
        schedulerAlive: () => true,
        lastExchangeOkAt: () => {
          throw new Error('client not ready');
        },
        jobs: () => [],
      },
    });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(
      ((await response.json()) as { checks: { exchange: { detail: string } } }).checks.exchange.detail,
    ).toBe('check failed: client not ready');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const clock = new ManualClock(T0);
    const { base } = await start({
      clock,
      checks: { schedulerAlive: () => true, lastExchangeOkAt: () => T0, jobs: () => [] },
    });
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz/x`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('stays off with port 0 and closes cleanly', async () => {
    const server = new HealthServer({
      port: 0,
      clock: new ManualClock(T0),
      checks: { schedulerAlive: () => true, lastExchangeOkAt: () => T0, jobs: () => [] },
      metrics: quietMetrics(),
    });
    expect(await server.start(), 'HTTP_PORT=0 means off').toBeUndefined();
    expect(server.port).toBeUndefined();
    await server.close();
  });
});

describe('/healthz named states: late jobs fail, a degraded Telegram link does not', () => {
  it('fails naming a job not taken up within twice its period; shows a 409 conflict as degraded with 200', async () => {
    const clock = new ManualClock(T0);
    let link = {
      state: 'conflict',
      since: T0 - 5_000,
      detail: '409 Conflict: terminated by other getUpdates request',
    };
    let lastTrack = T0 - 15_000;
    const { server, base: url } = await start({
      clock,
      checks: {
        schedulerAlive: () => true,
        lastExchangeOkAt: () => clock.now(),
        jobs: () => [
          { id: 'orders.track', everyMs: 10_000, lastRunAt: lastTrack },
          { id: 'daily', everyMs: 86_400_000, lastRunAt: T0 - 3_600_000 },
        ],
        telegram: () => link,
      },
    });
    const degraded = await fetch(`${url}/healthz`);
    const body = (await degraded.json()) as {
      status: string;
      degraded: string[];
      checks: { telegram: { state: string } };
    };
    expect(degraded.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.degraded).toEqual(['telegram']);
    expect(body.checks.telegram.state).toBe('conflict');

    lastTrack = T0 - 20_001;
    link = { state: 'polling', since: T0, detail: '' };
    const late = await fetch(`${url}/healthz`);
    const lateBody = (await late.json()) as {
      failing: string[];
      checks: { jobs: { stale: string[]; detail: string } };
    };
    expect(late.status).toBe(503);
    expect(lateBody.failing).toEqual(['jobs']);
    expect(lateBody.checks.jobs.stale).toEqual(['orders.track']);
    expect(lateBody.checks.jobs.detail).toMatch(/orders\.track/);
    expect(server.health().degraded).toEqual([]);
  });
});

describe('/healthz stream states', () => {
  it('lists every stream; one that is not live degrades with 200 and says its data is polled', async () => {
    const clock = new ManualClock(T0);
    let user = { name: 'user', state: 'down', sinceMs: T0 - 4_000, lastMessageMs: T0 - 9_000 };
    const { base: url } = await start({
      clock,
      checks: {
        schedulerAlive: () => true,
        lastExchangeOkAt: () => clock.now(),
        jobs: () => [],
        streams: () => [{ name: 'bookTicker#1', state: 'live', sinceMs: T0 - 60_000 }, user],
      },
    });
    const read = async () => {
      const res = await fetch(`${url}/healthz`);
      return {
        status: res.status,
        body: (await res.json()) as {
          status: string;
          degraded: string[];
          checks: { streams?: { ok: boolean; detail: string; list: { name: string; state: string }[] } };
        },
      };
    };
    const down = await read();
    expect(down.status, 'trading goes on: polled meanwhile').toBe(200);
    expect(down.body.status).toBe('degraded');
    expect(down.body.degraded).toEqual(['streams']);
    expect(down.body.checks.streams?.detail).toBe('user down: polling their data meanwhile');
    expect(down.body.checks.streams?.list.map((s) => `${s.name} ${s.state}`)).toEqual([
      'bookTicker#1 live',
      'user down',
    ]);

    user = { ...user, state: 'live', sinceMs: T0 };
    const back = await read();
    expect(back.body.status).toBe('ok');
    expect(back.body.checks.streams?.ok).toBe(true);
  });

  it('shows no stream check with streams off', async () => {
    const clock = new ManualClock(T0);
    const { server } = await start({
      clock,
      checks: {
        schedulerAlive: () => true,
        lastExchangeOkAt: () => clock.now(),
        jobs: () => [],
        streams: () => [],
      },
    });
    expect(server.health().checks.streams).toBeUndefined();
    expect(server.health().status).toBe('ok');
  });
});
