/**
 * The fill-latency scenario shared by `test/runtime/fillLatency.test.ts` and `npm run bench
 * startup`: a new owner's account (the simulator in real time at its default limits, BTC, ETH and
 * three altcoins held with a month of trades each, `EXCHANGE=mexc`, live, strategies running and
 * that history still being read) with resting limit buys of the bot that the market reaches one
 * by one. Latency is from the moment the market reaches an order to its `order.filled`
 * announcement, which comes only once the fill is in the ledger.
 */
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { dec, toWire } from '../../src/domain/money.js';
import { createRuntime } from '../../src/runtime/createRuntime.js';
import { startFirstHourAccount } from './firstHourAccount.js';

/** What one run measured. */
export interface FillLatencyFigures {
  readonly fills: number;
  readonly announced: number;
  /** Every announced fill was already in the ledger when announced. */
  readonly recordedWhenAnnounced: boolean;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Strategy jobs that ran while it was measured. */
  readonly strategyRuns: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The value at fraction `p` of the sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Places `fills` resting buys (spread over the held symbols, each a step further below the
 * market), then moves the market onto them one by one, `gapMs` apart (±50 %), and waits up to
 * 15 s for the announcements. A fill never announced counts as infinitely late.
 */
export async function measureFillLatency(options: {
  readonly fills: number;
  readonly gapMs: number;
}): Promise<FillLatencyFigures> {
  const account = await startFirstHourAccount({ altcoins: 3, fillsPerSymbol: 40 });
  const rt = await createRuntime({
    config: account.config,
    logger: pino({ level: 'silent' }),
    input: new PassThrough(),
    output: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  try {
    const announcedAt = new Map<string, number>();
    const recorded = new Map<string, boolean>();
    rt.bus.on((event) => {
      if (event.type !== 'order.filled') return;
      announcedAt.set(event.order.clientOrderId, Date.now());
      const order = rt.core.orders.get(event.order.clientOrderId);
      const ledger = rt.db
        .prepare('SELECT COUNT(*) AS n FROM fills WHERE order_id = ?')
        .get(order?.exchangeOrderId ?? '') as { n: number };
      recorded.set(event.order.clientOrderId, ledger.n > 0);
    });
    await rt.start();

    const rules = await rt.exchange.getRules();
    const symbols = account.tradedSymbols;
    const intents = Array.from({ length: options.fills }, (_, i) => {
      const symbol = symbols[i % symbols.length]!;
      const r = rules.get(symbol)!;
      const bid = dec(account.sim.market.bookTop(symbol).bid);
      const step = Math.floor(i / symbols.length);
      return {
        symbol,
        price: bid.times(0.97 - 0.005 * step).toNearest(r.tickSize, 1),
        tick: r.tickSize,
        quote: r.quoteAsset,
      };
    });
    const results = await Promise.all(
      intents.map((o) =>
        rt.core.executor.execute({
          kind: 'order',
          origin: 'manual',
          symbol: o.symbol,
          side: 'BUY',
          type: 'LIMIT',
          price: o.price,
          quoteAmount: dec(o.quote === 'USDC' ? 12 : 8),
          reason: 'fill latency',
        }),
      ),
    );
    const resting = intents.map((o, i) => {
      const result = results[i]!;
      if (result.status !== 'placed')
        throw new Error(`${o.symbol} buy not resting: ${JSON.stringify(result)}`);
      return { cid: result.order.clientOrderId, symbol: o.symbol, price: o.price, tick: o.tick };
    });
    // The market reaches them one by one at random moments.
    const filledAt = new Map<string, number>();
    for (const order of resting) {
      await sleep(options.gapMs * (0.5 + Math.random()));
      filledAt.set(order.cid, Date.now());
      account.sim.market.setBookTop(order.symbol, {
        bid: toWire(order.price.minus(order.tick)),
        ask: toWire(order.price),
      });
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && announcedAt.size < options.fills) await sleep(50);

    const sorted = resting
      .map((o) => (announcedAt.get(o.cid) ?? Number.POSITIVE_INFINITY) - filledAt.get(o.cid)!)
      .sort((a, b) => a - b);
    return {
      fills: resting.length,
      announced: announcedAt.size,
      recordedWhenAnnounced: [...recorded.values()].every(Boolean),
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      maxMs: sorted.at(-1)!,
      strategyRuns: rt.core.scheduler
        .status()
        .filter((j) => j.strategyId !== undefined && j.lastRun !== undefined).length,
    };
  } finally {
    await rt.stop();
    await account.close();
  }
}
