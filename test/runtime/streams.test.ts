/**
 * The live streams end to end: the whole bot (`createRuntime`, live trading, `EXCHANGE=mexc` at
 * the built-in simulator, `MEXC_WS_URL` at its WebSocket) against the simulator in real time,
 * over real WebSocket connections. Resting buys are filled by moving the simulated market; the
 * fills must reach the ledger and the chat through the account stream, survive a dropped
 * connection and an expired listen key with nothing lost or doubled, and a silent stream must be
 * noticed and its data polled until it speaks again. Strategies are off: the orders are placed
 * directly, so every fill is one the test made. Stream timing is shortened (ping every 150 ms,
 * quiet after 500 ms) so each case takes a few seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { dec, toWire, type Decimal } from '../../src/domain/money.js';
import { startSimulator, type SimulatorHandle } from '../../src/exchange/simulator/index.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { createAccumulate } from '../../src/strategies/accumulate.js';

const SYMBOLS = ['BTCUSDC', 'ETHUSDC'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sim: SimulatorHandle | undefined;
let runtime: Runtime | undefined;
let dir: string | undefined;
afterAll(async () => {
  await runtime?.stop();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  runtime = undefined;
  sim = undefined;
  dir = undefined;
});

interface Announced {
  readonly cid: string;
  readonly at: number;
  readonly qty: Decimal;
  readonly inLedger: boolean;
}

/** The bot on a fresh simulator account, started, with every `order.filled` recorded. */
async function startBot() {
  sim = await startSimulator({ seed: 11, speed: 1, altcoins: 30 });
  sim.account.setBalance('USDC', '5000');
  sim.account.setBalance('USDT', '1000');
  dir = mkdtempSync(join(tmpdir(), 'autopilot-streams-'));
  const config = loadConfig({
    EXCHANGE: 'mexc',
    MEXC_BASE_URL: sim.url,
    MEXC_WS_URL: sim.wsUrl,
    MEXC_API_KEY: sim.credentials.apiKey,
    MEXC_API_SECRET: sim.credentials.apiSecret,
    TRADING_MODE: 'live',
    LIVE_TRADING_ACK: 'yes',
    DATABASE_PATH: join(dir, 'autopilot.db'),
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const rt = await createRuntime({
    config,
    logger: pino({ level: 'silent' }),
    input: new PassThrough(),
    output: new Writable({ write: (_chunk, _encoding, done) => done() }),
    streamTiming: { pingIntervalMs: 150, quietAfterMs: 500, deadAfterMs: 2_000, backoffBaseMs: 100 },
  });
  runtime = rt;
  for (const id of STRATEGY_IDS) rt.settings.set(`${id}.enabled`, 'off', 'test');
  // A new account: no trade history to read in the background (it would hold the stop up).
  const ledger = new FillRepository({ db: rt.db, clock: rt.clock, assetsOf: (x) => rt.market.assetsOf(x) });
  for (const symbol of SYMBOLS) ledger.setSyncCursor(symbol, rt.clock.now());
  const announced: Announced[] = [];
  rt.bus.on((event) => {
    if (event.type !== 'order.filled') return;
    const order = rt.core.orders.get(event.order.clientOrderId)!;
    announced.push({
      cid: order.clientOrderId,
      at: Date.now(),
      qty: event.qty,
      inLedger:
        rt.db.prepare('SELECT 1 FROM fills WHERE order_id = ?').get(order.exchangeOrderId ?? '') !==
        undefined,
    });
  });
  await rt.start();
  await waitFor(() => rt.app && userState(rt) === 'live', 'account stream live');
  return { rt, sim, announced };
}

function userState(rt: Runtime): string | undefined {
  return rt.health.health().checks.streams?.list.find((s) => s.name === 'user')?.state;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(25);
  }
}

/** `count` resting limit buys, spread over the symbols, each a step further below the bid; sent together. */
async function placeRestingBuys(rt: Runtime, s: SimulatorHandle, count: number) {
  const rules = await rt.exchange.getRules();
  const wanted = Array.from({ length: count }, (_, i) => {
    const symbol = SYMBOLS[i % SYMBOLS.length]!;
    const r = rules.get(symbol)!;
    const bid = dec(s.market.bookTop(symbol).bid);
    const price = bid.times(0.97 - 0.002 * Math.floor(i / SYMBOLS.length)).toNearest(r.tickSize, 1);
    return { symbol, price, tick: toWire(r.tickSize) };
  });
  const results = await Promise.all(
    wanted.map((w) =>
      rt.core.executor.execute({
        kind: 'order',
        origin: 'manual',
        symbol: w.symbol,
        side: 'BUY',
        type: 'LIMIT',
        price: w.price,
        quoteAmount: dec(12),
        reason: 'streams test',
      }),
    ),
  );
  return wanted.map((w, i) => {
    const result = results[i]!;
    if (result.status !== 'placed') throw new Error(`${w.symbol} buy not resting: ${JSON.stringify(result)}`);
    return { cid: result.order.clientOrderId, symbol: w.symbol, price: toWire(w.price), tick: w.tick };
  });
}

/** Moves the market so one resting buy fills: the ask comes down to its price. */
function fill(s: SimulatorHandle, order: { symbol: string; price: string; tick: string }): void {
  const ask = dec(order.price);
  s.market.setBookTop(order.symbol, { bid: toWire(ask.minus(dec(order.tick))), ask: toWire(ask) });
}

/** The ledger equals the exchange's trades of the bot's orders: same trade ids, each once. */
function expectLedgerEqualsExchange(rt: Runtime, s: SimulatorHandle, cids: readonly string[]): void {
  const wanted = new Set(cids);
  const exchange = (s.account.trades() as { symbol: string; id: string | number; clientOrderId?: string }[])
    .filter((t) => t.clientOrderId !== undefined && wanted.has(t.clientOrderId))
    .map((t) => `${t.symbol}#${t.id}`)
    .sort();
  const ledger = (
    rt.db.prepare('SELECT symbol, trade_id AS tradeId, client_order_id AS cid FROM fills').all() as {
      symbol: string;
      tradeId: string;
      cid: string | null;
    }[]
  )
    .filter((f) => f.cid !== null && wanted.has(f.cid))
    .map((f) => `${f.symbol}#${f.tradeId}`)
    .sort();
  expect(exchange.length, 'the exchange made the fills').toBeGreaterThan(0);
  expect(ledger, 'the ledger holds exactly the exchange trades').toEqual(exchange);
}

/** Every order announced once, for exactly its executed quantity. */
function expectAnnouncedOnce(rt: Runtime, announced: readonly Announced[], cids: readonly string[]): void {
  for (const cid of cids) {
    const order = rt.core.orders.get(cid)!;
    const total = announced.filter((a) => a.cid === cid).reduce((sum, a) => sum.plus(a.qty), dec(0));
    expect(order.status, `${cid} filled`).toBe('FILLED');
    expect(total.toFixed(), `${cid} announced once, in full`).toBe(order.executedQty.toFixed());
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

describe('live streams on the simulator (one bot, the cases in order)', () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    bot = await startBot();
  }, 30_000);

  it('announces a fill within 1 s of the match (p95 over 20 fills), recorded from the stream without REST polling', async () => {
    const { rt, sim: s, announced } = bot;
    const orders = await placeRestingBuys(rt, s, 20);
    const before = s.stats.snapshot().byEndpoint;
    const matchedAt = new Map<string, number>();
    for (const order of orders) {
      matchedAt.set(order.cid, Date.now());
      fill(s, order);
      await sleep(100);
    }
    await waitFor(() => orders.every((o) => announced.some((a) => a.cid === o.cid)), 'every fill announced');
    const after = s.stats.snapshot().byEndpoint;
    const latencies = orders
      .map((o) => announced.find((a) => a.cid === o.cid)!.at - matchedAt.get(o.cid)!)
      .sort((a, b) => a - b);
    console.log(
      `stream fill latency ms: p50 ${percentile(latencies, 0.5)}, p95 ${percentile(latencies, 0.95)}, max ${latencies.at(-1)}`,
    );
    expect(percentile(latencies, 0.95), 'p95 within 1 s of the match').toBeLessThanOrEqual(1_000);
    expect(
      announced.every((a) => a.inLedger),
      'each fill in the ledger when announced',
    ).toBe(true);
    const calls = (path: string) => (after[path]?.requests ?? 0) - (before[path]?.requests ?? 0);
    expect(calls('GET /api/v3/myTrades'), 'fills came from the stream, not myTrades').toBe(0);
    expect(calls('GET /api/v3/openOrders'), 'no quick REST watch while the stream is live').toBe(0);
    expectLedgerEqualsExchange(
      rt,
      s,
      orders.map((o) => o.cid),
    );
    expectAnnouncedOnce(
      rt,
      announced,
      orders.map((o) => o.cid),
    );
  }, 30_000);

  for (const fault of ['a dropped connection', 'an expired listen key'] as const) {
    it(`recovers from ${fault} with no fill lost or doubled`, async () => {
      const { rt, sim: s, announced } = bot;
      const orders = await placeRestingBuys(rt, s, 6);
      fill(s, orders[0]!);
      await waitFor(() => announced.some((a) => a.cid === orders[0]!.cid), 'first fill announced');
      if (fault === 'a dropped connection') s.faults.dropStreams('user');
      else s.faults.expireListenKeys();
      // Filled while the stream is away (or just back): only REST can tell these.
      for (const order of orders.slice(1, 4)) fill(s, order);
      await waitFor(() => userState(rt) !== 'live', 'the break noticed', 3_000).catch(() => undefined);
      await waitFor(() => userState(rt) === 'live', 'account stream live again');
      for (const order of orders.slice(4)) fill(s, order);
      await waitFor(
        () => orders.every((o) => rt.core.orders.get(o.cid)?.status === 'FILLED'),
        'every order filled in the database',
        20_000,
      );
      await waitFor(
        () => orders.every((o) => announced.some((a) => a.cid === o.cid)),
        'every fill announced',
      );
      await sleep(300);
      expectLedgerEqualsExchange(
        rt,
        s,
        orders.map((o) => o.cid),
      );
      expectAnnouncedOnce(
        rt,
        announced,
        orders.map((o) => o.cid),
      );
      if (fault === 'an expired listen key')
        expect(s.streams.listenKeyCount(), 'the expired key was replaced').toBeGreaterThanOrEqual(1);
    }, 40_000);
  }

  it('notices a silent stream within a second and polls its data until it speaks again', async () => {
    const { rt, sim: s } = bot;
    const streamLive = (name: string) =>
      rt.health.health().checks.streams?.list.some((x) => x.name === name && x.state === 'live') === true;
    await waitFor(() => streamLive('bookTicker') && streamLive('miniTicker'), 'book and mini tickers live');
    const bookCalls = () => s.stats.snapshot().byEndpoint['GET /api/v3/ticker/bookTicker']?.requests ?? 0;
    const tickerCalls = () => s.stats.snapshot().byEndpoint['GET /api/v3/ticker/24hr']?.requests ?? 0;
    // accumulate's snapshot: the core markets' 24 h volumes, as its runs read them.
    const accumulateVolumes = async () =>
      (await rt.core.runner.buildSnapshot(createAccumulate().needs, rt.clock.now())).volumes24h;
    // Live: the tops of the symbols in play come from the stream, no request.
    await rt.market.getBookTops();
    await sleep(2_100); // past the REST cache: the next read comes from the stream
    await rt.market.getBookTops();
    const live = bookCalls();
    const tickersLive = tickerCalls();
    for (let i = 0; i < 3; i += 1) {
      await rt.market.getBookTops();
      const volumes = await accumulateVolumes();
      expect(volumes.get('BTCUSDC')?.volume.greaterThan(0), 'BTCUSDC 24 h volume streamed').toBe(true);
      await sleep(50);
    }
    expect(bookCalls(), 'no REST book ticker while the stream is live').toBe(live);
    expect(tickerCalls(), 'no all-symbol 24 h ticker for accumulate while mini tickers stream').toBe(
      tickersLive,
    );

    s.faults.silenceStreams('market');
    const silencedAt = Date.now();
    await waitFor(
      () => rt.health.health().checks.streams?.list.find((x) => x.name === 'bookTicker')?.state !== 'live',
      'the silence noticed',
      3_000,
    );
    expect(Date.now() - silencedAt, 'noticed within a second').toBeLessThanOrEqual(1_000);
    expect(rt.health.health().degraded).toContain('streams');
    expect((await rt.app.getStatus()).streams.find((x) => x.name === 'bookTicker')?.state).not.toBe('live');
    await sleep(2_100); // past the REST cache of the all-symbol tops
    const tops = await rt.market.getBookTops();
    expect(bookCalls(), 'polled over REST while the stream is silent').toBeGreaterThan(live);
    expect(tops.get('BTCUSDC'), 'prices still known').toBeDefined();
    expect((await accumulateVolumes()).get('ETHUSDC'), '24 h volumes still known').toBeDefined();
    expect(tickerCalls(), "accumulate's volumes polled over REST while the stream is silent").toBe(
      tickersLive + 1,
    );

    s.faults.reset();
    await waitFor(
      () => rt.health.health().checks.streams?.list.find((x) => x.name === 'bookTicker')?.state === 'live',
      'the stream speaks again',
      5_000,
    );
    await sleep(2_100);
    await rt.market.getBookTops(); // seeds the tops the stream has not pushed since it came back
    await waitFor(() => streamLive('miniTicker'), 'the mini tickers speak again');
    await accumulateVolumes(); // seeds the volumes not pushed since the stream came back
    const polled = bookCalls();
    const tickersPolled = tickerCalls();
    await sleep(300);
    for (let i = 0; i < 3; i += 1) {
      await rt.market.getBookTops();
      await accumulateVolumes();
    }
    expect(bookCalls(), 'back on the stream: no more polling').toBe(polled);
    expect(tickerCalls(), 'volumes back on the stream: no more 24 h ticker requests').toBe(tickersPolled);
    expect(rt.health.health().degraded).not.toContain('streams');
  }, 30_000);
});
