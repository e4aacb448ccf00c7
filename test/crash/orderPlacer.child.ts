/**
 * Crash-test child: the bot's execution core trading against the simulator until it is killed.
 * Run with `node --import tsx test/crash/orderPlacer.child.ts`; configured by environment:
 * CRASH_DB (SQLite file), CRASH_URL, CRASH_API_KEY, CRASH_API_SECRET, CRASH_SEED, and
 * CRASH_MODE = `place` (default: reconcile first, then trade forever) or `reconcile` (reconcile
 * until nothing is left PENDING or UNKNOWN, print `done`, exit 0), and CRASH_WAIT_GO = `1` to
 * hold after loading until the parent writes `go` on stdin.
 *
 * `place` runs two loops like the scheduler would: one places orders through
 * `OrderExecutor.execute` (resting LIMIT_MAKER buys and sells, crossing LIMIT buys and IOC sells
 * that fill at once) and cancels some; the other tracks orders and syncs fills. Lines on stdout
 * (`ready`, `placed <id>`, `unknown <id>`, plus the phase lines of crashBot.ts) let the parent
 * pick kill moments. Any unexpected exception exits 1, which the parent reports as a failure.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { dec, type Decimal } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { buildCrashBot, CRASH_SYMBOLS, say, type CrashBot } from './crashBot.js';
import { seededRng, type Rng } from './seeded.js';

const Env = z.object({
  CRASH_DB: z.string().min(1, 'CRASH_DB must name the SQLite file'),
  CRASH_URL: z.url('CRASH_URL must be the simulator URL'),
  CRASH_API_KEY: z.string().min(1),
  CRASH_API_SECRET: z.string().min(1),
  CRASH_SEED: z.coerce.number().int().default(1),
  CRASH_MODE: z.enum(['place', 'reconcile']).default('place'),
  CRASH_LOG_LEVEL: z.string().default('warn'),
  /** `1`: print `loaded` and wait for a `go` line on stdin before touching the database. */
  CRASH_WAIT_GO: z.enum(['0', '1']).default('0'),
});

/** Order sizes: a little above the simulator's 5 USDC minimum notional. */
const SIZES: Record<(typeof CRASH_SYMBOLS)[number], readonly [string, number]> = {
  BTCUSDC: ['0.0001', 3],
  ETHUSDC: ['0.003', 3],
};

function fail(error: unknown): never {
  process.stderr.write(
    `crash child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}

/** The next order (or cancel) of the mix. */
async function placeOne(bot: CrashBot, rng: Rng): Promise<void> {
  const symbol = rng.pick(CRASH_SYMBOLS);
  const rules = bot.rules.get(symbol);
  if (!rules) throw new Error(`${symbol} missing from the exchange rules`);
  const roll = rng.next();
  if (roll < 0.15) {
    const open = bot.orders.listOpen().filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');
    if (open.length === 0) return;
    const victim = rng.pick(open);
    const result = await bot.executor.cancel(victim.clientOrderId, 'crash test cancel');
    say(`cancelled ${victim.clientOrderId} ${result.status}`);
    return;
  }
  const top = (await bot.exchange.getBookTops()).get(symbol);
  if (!top) throw new Error(`no book top for ${symbol}`);
  const [unit, maxUnits] = SIZES[symbol];
  const small = dec(unit).times(rng.int(1, maxUnits));
  // Larger than the displayed top size: fills partly at once, the rest rests or is cancelled.
  const big = (topQty: Decimal) => topQty.times(rng.int(12, 20)).div(10);
  const ticks = (n: number): Decimal => rules.tickSize.times(n);
  const buy = { kind: 'order' as const, symbol, origin: 'accumulate' as const, side: 'BUY' as const };
  const sell = { kind: 'order' as const, symbol, origin: 'take-profit' as const, side: 'SELL' as const };
  let intent: OrderIntent;
  if (roll < 0.45) {
    const ttl = rng.chance(0.4) ? { ttlMs: rng.int(1_000, 4_000), repriceOnExpiry: rng.chance(0.5) } : {};
    const price = top.bid.minus(ticks(rng.int(0, 4)));
    intent = { ...buy, ...ttl, type: 'LIMIT_MAKER', price, quantity: small, reason: 'resting buy' };
  } else if (roll < 0.57) {
    const ttl = rng.chance(0.3) ? { ttlMs: rng.int(1_000, 4_000) } : {};
    const price = top.ask.plus(ticks(rng.int(0, 4)));
    intent = { ...sell, ...ttl, type: 'LIMIT_MAKER', price, quantity: small, reason: 'resting sell' };
  } else if (roll < 0.82) {
    const quantity = roll < 0.75 ? small : big(top.askQty);
    intent = { ...buy, type: 'LIMIT', price: top.ask, quantity, reason: 'crossing buy' };
  } else {
    const quantity = roll < 0.94 ? small : big(top.bidQty);
    intent = {
      ...sell,
      type: 'IMMEDIATE_OR_CANCEL',
      price: top.bid,
      quantity,
      reason: 'immediate sell',
      allowLoss: true,
    };
  }
  const result = await bot.executor.execute(intent);
  if (result.status === 'placed' || result.status === 'unknown') {
    say(`placed ${result.order.clientOrderId} ${result.order.status}`);
  } else {
    say(`${result.status} ${result.reason}`);
  }
}

async function placeLoop(bot: CrashBot, rng: Rng): Promise<never> {
  for (;;) {
    await placeOne(bot, rng);
    await sleep(rng.int(0, 40));
  }
}

/** What the scheduler's `orders.track` and `reconcile` jobs do, back to back. */
async function trackLoop(bot: CrashBot, rng: Rng): Promise<never> {
  for (let round = 1; ; round++) {
    say('track');
    await bot.executor.track();
    if (round % 2 === 0) {
      await bot.syncFills(CRASH_SYMBOLS);
      say('synced');
    }
    if (round % 7 === 0) {
      await bot.reconciler.reconcile();
      say('reconciled');
    }
    await sleep(rng.int(50, 200));
  }
}

/** Start-up reconciliation: repeated until it succeeds, before anything trades. */
async function reconcileUntil(bot: CrashBot, settled: boolean): Promise<void> {
  for (let attempt = 1; attempt <= 30; attempt++) {
    const report = await bot.reconciler.reconcile();
    say(`reconcile ready=${report.ready} unresolved=${report.unresolved} checked=${report.ordersChecked}`);
    if (report.ready && (!settled || report.unresolved === 0)) return;
    await sleep(500);
  }
  throw new Error('reconciliation did not settle after 30 attempts');
}

/**
 * Resolves at the first `go` line on stdin. Stdin closing means the parent is gone: before `go`
 * that is an error, after it the child exits, so no orphan keeps trading.
 */
function goSignal(): Promise<void> {
  return new Promise((resolve, reject) => {
    let started = false;
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (started || line.trim() !== 'go') return;
      started = true;
      resolve();
    });
    lines.on('close', () => {
      if (!started) reject(new Error('stdin closed before go'));
      else process.exit(3);
    });
  });
}

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) throw new Error(`bad environment: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  if (env.CRASH_WAIT_GO === '1') {
    say('loaded');
    await goSignal();
  }
  const bot = await buildCrashBot({
    dbPath: env.CRASH_DB,
    baseUrl: env.CRASH_URL,
    apiKey: env.CRASH_API_KEY,
    apiSecret: env.CRASH_API_SECRET,
    logLevel: env.CRASH_LOG_LEVEL,
  });
  bot.bus.on((event) => {
    if (event.type === 'order.unknown') say(`unknown ${event.order.clientOrderId}`);
  });
  say('started');
  if (env.CRASH_MODE === 'reconcile') {
    await reconcileUntil(bot, true);
    bot.db.close();
    say('done');
    process.exit(0);
  }
  await reconcileUntil(bot, false);
  say('ready');
  const rng = seededRng(env.CRASH_SEED);
  await Promise.all([placeLoop(bot, rng), trackLoop(bot, seededRng(env.CRASH_SEED ^ 0x5bd1e995))]);
}

main().catch(fail);
