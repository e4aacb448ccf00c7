/**
 * The whole bot on the built-in simulator for scenario tests: {@link createRuntime} with a
 * ManualClock shared by the simulator and the bot, no timers (the test drives the scheduler),
 * paper trading, a silent-but-recording logger and the console chat on dummy streams.
 *
 * Time only moves when the test moves it: {@link RuntimeHarness.advance} steps the clock and runs
 * every due job at each step; requests waiting for rate budget advance the clock themselves
 * (see the `sleep` given to the runtime), as a scan really takes a few seconds.
 *
 * @example
 * const h = await startRuntimeHarness({ only: ['accumulate'] });
 * await h.advance(5 * 60_000);
 * expect(h.orders({ origin: 'accumulate' })).toHaveLength(1);
 * await h.stop();
 */
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { STABLECOINS, type OrderSide, type SymbolRules } from '../../src/domain/market.js';
import { type Decimal, dec, ZERO } from '../../src/domain/money.js';
import type { SimulatorHandle } from '../../src/exchange/simulator/index.js';
import type { ExecutionResult } from '../../src/execution/OrderExecutor.js';
import type { RunNowResult } from '../../src/jobs/Scheduler.js';
import { FillRepository, type StoredFill } from '../../src/persistence/FillRepository.js';
import type { OrderRecord } from '../../src/persistence/OrderRepository.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { ManualClock } from '../../src/common/clock.js';
import { STRATEGY_IDS, type StrategyId } from '../../src/domain/strategy.js';
import type { OrderIntent } from '../../src/domain/intent.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A Monday 00:00 UTC: daily caps reset at the start, and a week ends on Sunday night. */
export const HARNESS_START = Date.UTC(2026, 2, 2);

export interface RuntimeHarnessOptions {
  /** Ordinary USDT altcoins in the simulator (default 40: enough for a scanner universe, fast to start). */
  readonly altcoins?: number;
  /** SIM_SEED (default 7). */
  readonly seed?: number;
  /** Clock start (default {@link HARNESS_START}). */
  readonly start?: number;
  /** PAPER_BALANCES (default `USDC=1000,USDT=500`). */
  readonly paperBalances?: string;
  /** Only these strategies stay enabled; the others are switched off before the start. Default: all six. */
  readonly only?: readonly StrategyId[];
  /** Settings written before the start, as the owner would type them (`/set key value`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** DATABASE_PATH (default `:memory:`). */
  readonly databasePath?: string;
}

/** A log record the harness kept: every warning and error, and every executor refusal. */
export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A fill of the paper exchange (its own ledger, before the bot syncs it into `fills`). */
export interface PaperFill {
  readonly tradeId: string;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly quoteQty: Decimal;
  readonly commission: Decimal;
  readonly time: number;
}

/** An order as the paper exchange accepted it. */
export interface PaperOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: string;
  readonly price?: Decimal;
  readonly origQty: Decimal;
  readonly executedQty: Decimal;
  readonly status: string;
  readonly time: number;
}

export interface OrderFilter {
  readonly origin?: string;
  readonly symbol?: string;
  readonly side?: OrderSide;
  /** Only orders with a row id above this (incremental reads in long runs). */
  readonly afterId?: number;
}

export interface AdvanceOptions {
  readonly stepMs?: number;
  readonly onStep?: (ran: readonly string[], now: number) => void | Promise<void>;
}

export interface RuntimeHarness {
  readonly runtime: Runtime;
  readonly clock: ManualClock;
  readonly sim: SimulatorHandle;
  /** Warnings, errors and `order refused` records, oldest first. */
  readonly logs: LogRecord[];
  now(): number;
  /**
   * Moves the clock forward by `ms` in steps of `stepMs` (default one minute) and runs every job
   * due at each step. `onStep` runs after each step's jobs. Returns the ids of every job that ran.
   * `advance(ms, stepMs)` is short for `advance(ms, { stepMs })`.
   */
  advance(ms: number, options?: number | AdvanceOptions): Promise<string[]>;
  /** Runs the jobs due now. */
  runDue(): Promise<string[]>;
  /** Runs one job now through the scheduler (paused or disabled strategies are not run). */
  run(jobId: string): Promise<RunNowResult>;
  /** Runs the reconciliation now: order states settled and fills synced into `fills`. */
  reconcile(): Promise<void>;
  /**
   * Pins a symbol's book top in the simulator, then moves the clock past the bot's short book-top
   * cache so the next snapshot sees the pinned prices. Prices must be on the symbol's tick.
   */
  pin(symbol: string, bid: string, ask: string): Promise<void>;
  release(symbol: string): void;
  /** Pins a symbol's book where the simulated market has it now; returns that top. */
  pinHere(symbol: string): Promise<{ readonly bid: Decimal; readonly ask: Decimal }>;
  /** The exchange rules of a symbol as the bot sees them. */
  rules(symbol: string): Promise<SymbolRules>;
  /** Writes a setting as the owner would (`/set`); throws when the value is refused. */
  set(key: string, value: string): void;
  /**
   * Places an order for the owner through the real executor (origin `manual`, IMMEDIATE_OR_CANCEL
   * at the touch), then reconciles so its fills are recorded. Used to give the account positions
   * the way a real account gets them.
   */
  trade(input: {
    readonly symbol: string;
    readonly side: OrderSide;
    readonly quoteAmount?: Decimal;
    readonly quantity?: Decimal;
  }): Promise<OrderRecord>;
  /** Sends an intent to the real executor (with the symbol's current book top). */
  execute(intent: OrderIntent): Promise<ExecutionResult>;
  orders(filter?: OrderFilter): OrderRecord[];
  fills(filter?: { readonly origin?: string; readonly symbol?: string }): StoredFill[];
  paperOrders(): PaperOrder[];
  paperFills(): PaperFill[];
  /** Free and locked paper balance of an asset (zero when absent). */
  balance(asset: string): { readonly free: Decimal; readonly locked: Decimal };
  /** Summary lines of a job's recorded runs, oldest first. */
  runSummaries(jobId: string): string[];
  /** Executor refusals logged since the start, optionally of one origin and code. */
  refusals(filter?: { readonly origin?: string; readonly code?: string }): LogRecord[];
  stop(): Promise<void>;
}

interface PaperOrderRow {
  client_order_id: string;
  symbol: string;
  side: OrderSide;
  type: string;
  price: string | null;
  orig_qty: string;
  executed_qty: string;
  status: string;
  time: number;
}

interface PaperFillRow {
  trade_id: string;
  symbol: string;
  client_order_id: string | null;
  side: OrderSide;
  price: string;
  qty: string;
  quote_qty: string;
  commission: string;
  time: number;
}

/** Starts the whole bot on a fresh simulator; call `stop()` in afterEach. */
export async function startRuntimeHarness(options: RuntimeHarnessOptions = {}): Promise<RuntimeHarness> {
  const clock = new ManualClock(options.start ?? HARNESS_START);
  const logs: LogRecord[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        // Info lines are kept only for refusals: paper fills and syncs would flood a long run.
        if (line.startsWith('{"level":30') && !line.includes('"msg":"order refused"')) return;
        logs.push(JSON.parse(line) as LogRecord);
      },
    },
  );
  const config = loadConfig({
    DATABASE_PATH: options.databasePath ?? ':memory:',
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    SIM_SEED: String(options.seed ?? 7),
    PAPER_BALANCES: options.paperBalances ?? 'USDC=1000,USDT=500',
    // The manual clock jumps minutes at a time while streams push in wall time: a scan right
    // after a jump would read tops pushed before it. These scenarios poll; test/runtime/streams
    // covers the streams in real time.
    STREAMS: 'off',
  });
  const runtime = await createRuntime({
    config,
    logger,
    clock,
    timers: false,
    input: new PassThrough(),
    output: new Writable({ write: (_chunk, _encoding, done) => done() }),
    simulator: { altcoins: options.altcoins ?? 40 },
    // A request waiting for rate budget waits for clock time: let that time pass.
    sleep: (ms) => {
      clock.advance(Math.max(0, ms));
      return Promise.resolve();
    },
  });
  const sim = runtime.simulator;
  if (!sim) throw new Error('the harness needs the built-in simulator');

  const set = (key: string, value: string) => {
    const result = runtime.settings.set(key, value, 'test');
    if (!result.ok) throw new Error(`setting ${key}=${value} refused: ${result.error}`);
  };
  const only = options.only;
  if (only) for (const id of STRATEGY_IDS) if (!only.includes(id)) set(`${id}.enabled`, 'off');
  for (const [key, value] of Object.entries(options.settings ?? {})) set(key, value);

  let stopped = false;
  try {
    const started = await runtime.start();
    if (!started.reconciled) throw new Error('start-up reconciliation failed');
  } catch (error) {
    await runtime.stop();
    throw error;
  }

  const { db } = runtime;
  const fillRepo = new FillRepository({ db, clock, assetsOf: (s) => runtime.market.assetsOf(s) });
  const reconcile = async () => {
    const r = await runtime.core.scheduler.runNow('reconcile', { force: true });
    if (r.status !== 'ran' || r.outcome !== 'ok') throw new Error(`reconcile failed: ${JSON.stringify(r)}`);
  };
  const execute = async (intent: OrderIntent) => {
    const tops = await runtime.exchange.getBookTops();
    return runtime.core.executor.execute(intent, { bookTop: tops.get(intent.symbol) });
  };

  const harness: RuntimeHarness = {
    runtime,
    clock,
    sim,
    logs,
    now: () => clock.now(),
    async advance(ms, options = {}) {
      const stepOptions: AdvanceOptions = typeof options === 'number' ? { stepMs: options } : options;
      const stepMs = stepOptions.stepMs ?? MINUTE;
      if (!(stepMs > 0)) throw new RangeError(`stepMs must be positive, got ${stepMs}`);
      const end = clock.now() + ms;
      const ran: string[] = [];
      while (clock.now() < end) {
        clock.set(Math.min(end, clock.now() + stepMs));
        const ids = await runtime.core.scheduler.runDue(clock.now());
        ran.push(...ids);
        await stepOptions.onStep?.(ids, clock.now());
      }
      return ran;
    },
    runDue: () => runtime.core.scheduler.runDue(clock.now()),
    run: (jobId) => runtime.core.scheduler.runNow(jobId),
    reconcile,
    async pin(symbol, bid, ask) {
      sim.market.setBookTop(symbol, { bid, ask });
      // The runtime shares all-symbol book tops for 2 s of clock time.
      clock.advance(2_500);
    },
    release: (symbol) => sim.market.release(symbol),
    async pinHere(symbol) {
      const top = sim.market.bookTop(symbol);
      await harness.pin(symbol, top.bid, top.ask);
      return { bid: dec(top.bid), ask: dec(top.ask) };
    },
    async rules(symbol) {
      const rules = (await runtime.exchange.getRules()).get(symbol);
      if (!rules) throw new Error(`no rules for ${symbol}`);
      return rules;
    },
    set,
    async trade(input) {
      const tops = await runtime.exchange.getBookTops();
      const top = tops.get(input.symbol);
      if (!top) throw new Error(`no book top for ${input.symbol}`);
      const result = await runtime.core.executor.execute(
        {
          kind: 'order',
          origin: 'manual',
          symbol: input.symbol,
          side: input.side,
          type: 'IMMEDIATE_OR_CANCEL',
          price: input.side === 'BUY' ? top.ask : top.bid,
          ...(input.quantity ? { quantity: input.quantity } : { quoteAmount: input.quoteAmount ?? ZERO }),
          reason: 'scenario set-up by the owner',
          allowLoss: true,
        },
        { bookTop: top },
      );
      if (result.status !== 'placed') throw new Error(`set-up trade not placed: ${JSON.stringify(result)}`);
      if (!result.order.executedQty.greaterThan(ZERO))
        throw new Error(`set-up trade did not fill: ${result.order.status}`);
      await reconcile();
      return result.order;
    },
    execute,
    orders(filter = {}) {
      const rows = db
        .prepare<[number], { client_order_id: string }>(
          'SELECT client_order_id FROM orders WHERE id > ? ORDER BY id',
        )
        .all(filter.afterId ?? 0);
      return rows
        .map((r) => runtime.core.orders.get(r.client_order_id)!)
        .filter(
          (o) =>
            (filter.origin === undefined || o.origin === filter.origin) &&
            (filter.symbol === undefined || o.symbol === filter.symbol) &&
            (filter.side === undefined || o.side === filter.side),
        );
    },
    fills(filter = {}) {
      return fillRepo
        .listFills(filter.symbol ? { symbol: filter.symbol } : {})
        .filter((f) => filter.origin === undefined || f.origin === filter.origin);
    },
    paperOrders() {
      return db
        .prepare<[], PaperOrderRow>(
          'SELECT client_order_id, symbol, side, type, price, orig_qty, executed_qty, status, time FROM paper_orders ORDER BY rowid',
        )
        .all()
        .map((r) => ({
          clientOrderId: r.client_order_id,
          symbol: r.symbol,
          side: r.side,
          type: r.type,
          ...(r.price === null ? {} : { price: dec(r.price) }),
          origQty: dec(r.orig_qty),
          executedQty: dec(r.executed_qty),
          status: r.status,
          time: r.time,
        }));
    },
    paperFills() {
      return db
        .prepare<[], PaperFillRow>(
          'SELECT trade_id, symbol, client_order_id, side, price, qty, quote_qty, commission, time FROM paper_fills ORDER BY rowid',
        )
        .all()
        .map((r) => ({
          tradeId: r.trade_id,
          symbol: r.symbol,
          clientOrderId: r.client_order_id ?? '',
          side: r.side,
          price: dec(r.price),
          qty: dec(r.qty),
          quoteQty: dec(r.quote_qty),
          commission: dec(r.commission),
          time: r.time,
        }));
    },
    balance(asset) {
      const row = db
        .prepare<[string], { free: string; locked: string }>(
          'SELECT free, locked FROM paper_balances WHERE asset = ?',
        )
        .get(asset);
      return row ? { free: dec(row.free), locked: dec(row.locked) } : { free: ZERO, locked: ZERO };
    },
    runSummaries(jobId) {
      return db
        .prepare<[string], { summary: string | null; error: string | null }>(
          'SELECT summary, error FROM job_runs WHERE job = ? ORDER BY id',
        )
        .all(jobId)
        .map((r) => r.error ?? r.summary ?? '');
    },
    refusals(filter = {}) {
      return logs.filter(
        (l) =>
          l.msg === 'order refused' &&
          (filter.origin === undefined || l.origin === filter.origin) &&
          (filter.code === undefined || l.code === filter.code),
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await runtime.stop();
    },
  };
  return harness;
}

/** The most traded ordinary altcoin of the simulated market. */
export async function topAltcoin(h: RuntimeHarness): Promise<string> {
  const rules = await h.runtime.exchange.getRules();
  const tickers = [...(await h.runtime.exchange.getTickers24h())].sort((a, b) =>
    b.quoteVolume.comparedTo(a.quoteVolume),
  );
  const alt = tickers.find((t) => {
    const r = rules.get(t.symbol);
    return (
      r?.quoteAsset === 'USDT' &&
      r.apiTradable &&
      r.isSpotTradingAllowed &&
      r.tradeSide === 'BOTH' &&
      !['BTC', 'ETH'].includes(r.baseAsset) &&
      !STABLECOINS.has(r.baseAsset) &&
      !/\d[LS]$/.test(r.baseAsset)
    );
  });
  if (!alt) throw new Error('no altcoin in the simulated market');
  return alt.symbol;
}
