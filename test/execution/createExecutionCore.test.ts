import { afterEach, describe, expect, it } from 'vitest';
import { EventBus, type BotEvent } from '../../src/domain/events.js';
import { dec } from '../../src/domain/money.js';
import { createExecutionCore, type ExecutionCore } from '../../src/execution/createExecutionCore.js';
import type { Db } from '../../src/persistence/db.js';
import { JobRunRepository } from '../../src/persistence/JobRunRepository.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';
import type { StrategyDefinition } from '../../src/strategies/contract.js';
import { KillSwitch } from '../../src/execution/panic.js';
import { createStrategies } from '../../src/strategies/index.js';
import { dcaReference } from '../helpers/dcaReference.js';
import { completeHistory, noHistoryBefore } from '../helpers/completeHistory.js';
import { DEFAULT_RULES } from '../helpers/executionHarness.js';
import { FakeExchange } from '../helpers/FakeExchange.js';
import { testDb } from '../helpers/testDb.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

interface World {
  db: Db;
  clock: ManualClock;
  settings: SettingsStore;
  exchange: FakeExchange;
  events: BotEvent[];
  core: ExecutionCore;
  runs: JobRunRepository;
}

let w: World | undefined;
afterEach(async () => {
  await w?.core.stop(0);
  w?.db.close();
  w = undefined;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function world(strategies: StrategyDefinition<any>[]): World {
  const db = testDb();
  const clock = new ManualClock(T0);
  const settings = new SettingsStore(db, clock);
  const bus = new EventBus();
  const events: BotEvent[] = [];
  bus.on((e) => events.push(e));
  const exchange = new FakeExchange({
    clock,
    rules: DEFAULT_RULES,
    balances: { USDC: '1000', USDT: '500', BTC: '0.1' },
    books: { BTCUSDC: ['60000', '60010'], USDCUSDT: ['0.9998', '1.0001'] },
  });
  const core = createExecutionCore({
    bus,
    clock,
    db,
    exchange,
    logger: silentLogger(),
    settings,
    strategies,
    positions: () => new Map(),
    recentFills: () => [],
    syncFills: async () => {},
    unattributedFills: () => [],
    history: completeHistory,
    historyBefore: noHistoryBefore,
    // No fill is ever recorded here.
    fillsOf: async () => [],
    realisedPnl: () => undefined,
    timers: false,
  });
  w = { db, clock, settings, exchange, events, core, runs: new JobRunRepository(db) };
  return w;
}

describe('execution core, wired', () => {
  it('gives each job its own stuck limit, from seconds of work to a cold scan', () => {
    const { core } = world(createStrategies());
    const limits = Object.fromEntries(core.scheduler.health().map((j) => [j.id, j.stuckAfterMs / 1000]));
    expect(limits).toEqual({
      reconcile: 600,
      'orders.track': 180,
      'orders.watch': 60,
      accumulate: 300,
      'take-profit': 300,
      scanner: 720,
      'alt-profit': 300,
      'split-balance': 300,
      'core-balance': 300,
    });
  });

  it('runs no strategy before the start-up reconciliation has settled every order', async () => {
    const { core, runs, exchange } = world([dcaReference()]);
    core.orders.createPending({
      clientOrderId: 'apac_crash',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      baseAsset: 'BTC',
      quoteAsset: 'USDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('59000'),
      quantity: dec('0.0003'),
      reason: 'placed just before a crash',
      createdAt: T0 - 1000,
    });
    await exchange.placeOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec('59000'),
      quantity: dec('0.0003'),
      clientOrderId: 'apac_crash',
    });
    const placedBefore = exchange.placeCalls.length;
    expect(await core.scheduler.runNow('accumulate')).toMatchObject({ status: 'ran', outcome: 'skipped' });
    expect(runs.last('accumulate')?.summary).toMatch(/waiting for a successful reconciliation/);
    expect(exchange.placeCalls.length, 'no order before reconciliation').toBe(placedBefore);

    const report = await core.start();
    expect(report.ready).toBe(true);
    expect(core.orders.get('apac_crash')?.status, 'adopted from the exchange').toBe('NEW');
    expect(await core.scheduler.runNow('accumulate')).toMatchObject({ status: 'ran', outcome: 'ok' });
    expect(runs.last('accumulate')?.summary, 'its own open buy is respected').toMatch(
      /a buy is already open/,
    );
  });

  it('a chat action and a strategy on the same asset take turns on the keyed lock', async () => {
    const { core, exchange } = world([dcaReference()]);
    await core.start();
    const log: string[] = [];
    exchange.onPlace = (request) => log.push(`exchange:${request.clientOrderId.slice(0, 4)}`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const chat = core.locks.withLock(['BTC'], async () => {
      log.push('chat:start');
      await held;
      const r = await core.executor.execute({
        kind: 'order',
        origin: 'manual',
        symbol: 'BTCUSDC',
        side: 'SELL',
        type: 'LIMIT',
        price: dec('61000'),
        quantity: dec('0.01'),
        reason: 'owner sells from chat',
        allowLoss: true,
      });
      log.push(`chat:${r.status}`);
    });
    const strategy = core.scheduler.runNow('accumulate');
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(log, 'the strategy waits for the chat action').toEqual(['chat:start']);
    release();
    await Promise.all([chat, strategy]);
    expect(log).toEqual(['chat:start', 'exchange:apmn', 'chat:placed', 'exchange:apac']);
  });

  it('contains a throwing strategy: error row and alert, and other jobs go on', async () => {
    const broken: StrategyDefinition = {
      id: 'alt-profit',
      needs: { tickers: false },
      schedule: () => ({ kind: 'interval', everyMs: 120_000 }),
      decide: () => {
        throw new Error('division by zero in alt-profit');
      },
    };
    const { core, runs, events } = world([broken, dcaReference()]);
    await core.start();
    const ran = await core.scheduler.runDue(T0);
    expect(ran).toContain('alt-profit');
    expect(ran).toContain('accumulate');
    expect(runs.last('alt-profit')).toMatchObject({
      outcome: 'error',
      error: 'division by zero in alt-profit',
    });
    expect(runs.last('accumulate')?.outcome).toBe('ok');
    expect(events.some((e) => e.type === 'alert' && e.key === 'job:alt-profit')).toBe(true);
  });

  it('runs core-balance soon after a take-profit fill', async () => {
    const { core, exchange, clock } = world([dcaReference({ id: 'core-balance' })]);
    await core.start();
    await core.scheduler.runDue(T0);
    expect(core.scheduler.status().find((s) => s.id === 'core-balance')?.nextRunAt).toBe(T0 + 60_000);
    const sell = await core.executor.execute({
      kind: 'order',
      origin: 'take-profit',
      symbol: 'BTCUSDC',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('61000'),
      quantity: dec('0.01'),
      reason: 'take profit',
      minSellPrice: dec('60000'),
    });
    if (sell.status !== 'placed') throw new Error('not placed');
    clock.advance(1_000);
    exchange.fill(sell.order.clientOrderId, '0.01');
    await core.executor.track();
    expect(core.scheduler.status().find((s) => s.id === 'core-balance')?.nextRunAt, 'brought forward').toBe(
      T0 + 6_000,
    );
  });

  it('the kill switch over the core cancels, pauses, and the scheduler then skips strategies', async () => {
    const { core, clock, runs } = world([dcaReference()]);
    await core.start();
    await core.scheduler.runDue(T0);
    expect(core.orders.listNonFinal()).toHaveLength(1);
    const killSwitch = new KillSwitch({
      sleep: async () => {},
      deps: {
        executor: core.executor,
        events: core.publisher,
        orders: core.orders,
        pauses: core.pauses,
        waitIdle: (ms) => core.scheduler.waitIdle(ms),
      },
    });
    expect(killSwitch.engage('owner').open).toBe(1);
    await killSwitch.settled();
    expect(core.orders.listNonFinal()).toHaveLength(0);
    expect(core.pauses.isPaused('accumulate')).toBe(true);
    clock.advance(60_000);
    const ran = await core.scheduler.tick();
    expect(ran, 'order tracking still runs; the strategy does not').not.toContain('accumulate');
    expect(runs.last('accumulate')?.startedAt).toBe(T0);
  });
});
