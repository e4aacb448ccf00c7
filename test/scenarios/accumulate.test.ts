/**
 * `accumulate` through the whole bot on the simulator: strategy → runner → executor →
 * paper exchange, with prices pinned in the simulator to create exact situations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dec, quantize } from '../../src/domain/money.js';
import { MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

/** Accumulate alone, always buying BTC (100 % target), so each scenario is about one asset. */
async function start(settings: Record<string, string> = {}) {
  h = await startRuntimeHarness({
    only: ['accumulate'],
    settings: { 'core.btcSharePct': '100', ...settings },
  });
  return h;
}

describe('accumulate on the simulator', () => {
  it('trigger: places a LIMIT_MAKER buy at the BTCUSDC best bid, reaching the paper exchange with a human reason', async () => {
    await start();
    const { bid } = await h.pinHere('BTCUSDC');
    await h.pinHere('ETHUSDC');
    const run = await h.run('accumulate');
    expect(run.status, 'the job ran').toBe('ran');

    const [order, ...more] = h.orders({ origin: 'accumulate' });
    expect(more, 'one buy per run').toHaveLength(0);
    expect(order, 'an accumulate order was recorded').toBeDefined();
    expect(order!.symbol).toBe('BTCUSDC');
    expect(order!.side).toBe('BUY');
    expect(order!.type, 'a maker order').toBe('LIMIT_MAKER');
    expect(order!.price!.equals(bid), `priced at the best bid ${bid.toFixed()}`).toBe(true);
    const rules = await h.rules('BTCUSDC');
    expect(
      order!.quantity.equals(quantize(dec(20).div(bid), rules.stepSize, 'down')),
      'orderUsdc 20 at the bid, rounded down to the step',
    ).toBe(true);
    expect(order!.reason, 'the reason says why BTC and at what price').toMatch(
      /BTC.*target share.*24 h avg .*bid .*buy 20 USDC at /,
    );
    const paper = h.paperOrders().find((p) => p.clientOrderId === order!.clientOrderId);
    expect(paper, 'the paper exchange accepted the same client order id').toBeDefined();
    expect(paper!.status, 'resting on the book').toBe('NEW');
    expect(h.balance('USDC').locked.greaterThan(0), 'the paper exchange holds the USDC').toBe(true);
  });

  it('non-trigger: a bid one tick above the 24 h average (maxAboveAvgPct 0) is skipped; at the average it buys', async () => {
    await start({ 'accumulate.maxAboveAvgPct': '0' });
    // Stay inside one market minute so the 24 h window does not move between the two runs.
    h.clock.set(Math.ceil(h.now() / MINUTE) * MINUTE + 1_000);
    const rules = await h.rules('BTCUSDC');
    await h.pinHere('BTCUSDC');
    await h.pinHere('ETHUSDC');
    const ticker = (await h.runtime.exchange.getTickers24h()).find((t) => t.symbol === 'BTCUSDC')!;
    const avg = ticker.quoteVolume.div(ticker.volume);
    const atAvg = quantize(avg, rules.tickSize, 'down');
    const above = quantize(avg, rules.tickSize, 'up').equals(atAvg)
      ? atAvg.plus(rules.tickSize)
      : quantize(avg, rules.tickSize, 'up');

    await h.pin('BTCUSDC', above.toFixed(), above.plus(rules.tickSize).toFixed());
    await h.run('accumulate');
    expect(h.orders({ origin: 'accumulate' }), `bid ${above.toFixed()} > avg ${avg.toFixed()}`).toHaveLength(
      0,
    );
    expect(h.runSummaries('accumulate').at(-1), 'the note names the 24 h average').toMatch(
      /above the 24 h average .*skipped/,
    );

    await h.pin('BTCUSDC', atAvg.toFixed(), atAvg.plus(rules.tickSize).toFixed());
    await h.run('accumulate');
    const orders = h.orders({ origin: 'accumulate' });
    expect(orders, `bid ${atAvg.toFixed()} ≤ avg`).toHaveLength(1);
    expect(orders[0]!.price!.equals(atAvg)).toBe(true);
  });

  it('cooldown: after a fill no BTC buy for cooldownMin, then the next one', async () => {
    await start({ 'accumulate.cooldownMin': '30' });
    const { bid } = await h.pinHere('BTCUSDC');
    await h.pinHere('ETHUSDC');
    await h.run('accumulate');
    const first = h.orders({ origin: 'accumulate' })[0]!;
    const tick = (await h.rules('BTCUSDC')).tickSize;

    // The market trades down through the resting buy: it fills as maker at its own price.
    await h.pin('BTCUSDC', bid.minus(tick).toFixed(), bid.toFixed());
    await h.advance(MINUTE);
    expect(h.runtime.core.orders.get(first.clientOrderId)!.status, 'the buy filled').toBe('FILLED');
    const filledAt = h.now();

    await h.advance(28 * MINUTE);
    expect(h.orders({ origin: 'accumulate' }), 'no second buy inside the cooldown').toHaveLength(1);
    expect(h.runSummaries('accumulate').at(-1)).toMatch(
      /BTC: cooldown after the last accumulate fill, .* left/,
    );
    const fill = h.fills({ origin: 'accumulate' });
    expect(fill, 'the fill is recorded once, attributed to accumulate').toHaveLength(1);

    await h.advance(filledAt + 31 * MINUTE - h.now());
    const orders = h.orders({ origin: 'accumulate' });
    expect(orders, 'the next buy after the cooldown').toHaveLength(2);
    expect(orders[1]!.createdAt - fill[0]!.time).toBeGreaterThanOrEqual(30 * MINUTE);
  });

  it('reserve: with headroom one cent short of orderUsdc nothing is ordered; at exactly orderUsdc it buys', async () => {
    // Free USDC 1000: a reserve of 980.01 leaves 19.99 of headroom for a 20 USDC order.
    await start({ 'reserve.usdc': '980.01' });
    await h.pinHere('BTCUSDC');
    await h.pinHere('ETHUSDC');
    await h.run('accumulate');
    expect(h.orders(), 'no order may dip into the reserve').toHaveLength(0);
    expect(h.runSummaries('accumulate').at(-1), 'the note gives the numbers').toMatch(
      /USDC headroom 19\.99 is below the order 20 USDC \(reserve 980\.01 USDC kept\)/,
    );

    h.set('reserve.usdc', '980');
    await h.run('accumulate');
    const [order] = h.orders({ origin: 'accumulate' });
    expect(order, 'headroom 20 covers the order').toBeDefined();
    const usdc = h.balance('USDC');
    expect(
      usdc.free.greaterThanOrEqualTo(980),
      `free USDC ${usdc.free.toFixed()} stays at or above the reserve after the order`,
    ).toBe(true);
  });

  it('disabled: accumulate.enabled off runs nothing and orders nothing', async () => {
    await start({ 'accumulate.enabled': 'off' });
    await h.advance(5 * MINUTE);
    expect(h.runSummaries('accumulate'), 'no run recorded').toHaveLength(0);
    expect(h.orders()).toHaveLength(0);
    expect((await h.run('accumulate')).status).toBe('disabled');
  });

  it('disabled while its buy rests: the buy is cancelled at its TTL and not re-placed', async () => {
    await start({ 'accumulate.orderTtlMin': '5' });
    const { bid } = await h.pinHere('BTCUSDC');
    await h.pinHere('ETHUSDC');
    await h.run('accumulate');
    h.set('accumulate.enabled', 'off');
    const tick = (await h.rules('BTCUSDC')).tickSize;
    await h.pin('BTCUSDC', bid.plus(tick.times(20)).toFixed(), bid.plus(tick.times(21)).toFixed());
    await h.advance(16 * MINUTE);
    const orders = h.orders({ origin: 'accumulate' });
    expect(
      orders.map((o) => o.status),
      'a strategy switched off places no new order, not even a re-priced one',
    ).toEqual(['CANCELED']);
  });

  it('paused: paused on runs nothing; resuming places the buy', async () => {
    await start({ paused: 'on' });
    await h.advance(5 * MINUTE);
    expect(h.runSummaries('accumulate'), 'no run recorded while paused').toHaveLength(0);
    expect((await h.run('accumulate')).status).toBe('paused');
    expect(h.orders()).toHaveLength(0);

    h.set('paused', 'off');
    await h.advance(2 * MINUTE);
    expect(h.orders({ origin: 'accumulate' }), 'trading resumes on the next run').toHaveLength(1);
  });

  it('special rule: BTCUSDC not API-tradable → buys BTCUSDT with USDT and the reason says so', async () => {
    await start();
    h.sim.market.setTradable('BTCUSDC', false);
    await h.runtime.exchange.refreshRules();
    const { bid } = await h.pinHere('BTCUSDT');
    await h.pinHere('ETHUSDC');
    await h.run('accumulate');

    const [order] = h.orders({ origin: 'accumulate' });
    expect(order, 'a fallback order').toBeDefined();
    expect(order!.symbol).toBe('BTCUSDT');
    expect(order!.quoteAsset).toBe('USDT');
    expect(order!.price!.equals(bid)).toBe(true);
    expect(order!.reason).toMatch(
      /BTCUSDC is not tradable \(not API-tradable\), so buying on BTCUSDT with [\d.]+ USDT/,
    );
    expect(h.balance('USDT').locked.greaterThan(0), 'USDT, not USDC, is spent').toBe(true);
    expect(h.balance('USDC').locked.isZero()).toBe(true);
  });

  it('an unfilled buy is cancelled after orderTtlMin and re-placed at the new best bid', async () => {
    await start({ 'accumulate.orderTtlMin': '5' });
    const { bid } = await h.pinHere('BTCUSDC');
    await h.pinHere('ETHUSDC');
    await h.run('accumulate');
    const tick = (await h.rules('BTCUSDC')).tickSize;
    const higher = bid.plus(tick.times(20));
    await h.pin('BTCUSDC', higher.toFixed(), higher.plus(tick).toFixed());
    await h.advance(6 * MINUTE);
    const orders = h.orders({ origin: 'accumulate' });
    expect(orders.map((o) => o.status)).toEqual(['CANCELED', 'NEW']);
    expect(orders[1]!.price!.equals(higher), 'at the new bid').toBe(true);
    expect(orders[1]!.replaces).toBe(orders[0]!.clientOrderId);
  });
});
