/**
 * `alt-profit` through the whole bot on the simulator. The account gets its altcoin
 * through an owner's buy on the executor (filled by the paper exchange, synced into the ledger);
 * its average cost is read back from that fill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Decimal, dec, ONE, quantize } from '../../src/domain/money.js';
import type { StrategyId } from '../../src/domain/strategy.js';
import { MINUTE, startRuntimeHarness, topAltcoin, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

const OFFSET = dec('0.001'); // alt-profit.priceOffsetBps 10

interface Setup {
  readonly symbol: string;
  readonly asset: string;
  readonly avgCost: Decimal;
  readonly qty: Decimal;
  readonly tick: Decimal;
  /** avg cost plus the exit fee. */
  readonly floor: Decimal;
  /** The lowest bid whose sell price (bid − 10 bps) reaches `price`. */
  bidFor(price: Decimal): Decimal;
  pinBid(bid: Decimal): Promise<void>;
}

async function withAlt(
  options: {
    readonly usdt?: number;
    readonly settings?: Record<string, string>;
    readonly only?: readonly StrategyId[];
  } = {},
): Promise<Setup> {
  h = await startRuntimeHarness({ only: options.only ?? ['alt-profit'], settings: options.settings });
  const symbol = await topAltcoin(h);
  await h.pinHere(symbol);
  await h.trade({ symbol, side: 'BUY', quoteAmount: dec(options.usdt ?? 20) });
  const fill = h.fills({ symbol })[0]!;
  const rules = await h.rules(symbol);
  const avgCost = fill.quoteQty.plus(fill.commission).div(fill.qty);
  return {
    symbol,
    asset: rules.baseAsset,
    avgCost,
    qty: fill.qty,
    tick: rules.tickSize,
    floor: avgCost.div(ONE.minus(rules.takerFee)),
    bidFor: (price) => quantize(price.div(ONE.minus(OFFSET)), rules.tickSize, 'up'),
    pinBid: (bid) => h.pin(symbol, bid.toFixed(), bid.plus(rules.tickSize).toFixed()),
  };
}

describe('alt-profit on the simulator', () => {
  it('trigger: sells the whole altcoin position at bid − 10 bps once it is takeProfitPct above cost after fees', async () => {
    const s = await withAlt();
    const bid = s.bidFor(s.floor.times('1.08'));
    await s.pinBid(bid);
    await h.run('alt-profit');
    const [order, ...more] = h.orders({ origin: 'alt-profit' });
    expect(more).toHaveLength(0);
    expect(order, 'an alt-profit sell').toBeDefined();
    expect(order!.symbol).toBe(s.symbol);
    expect(order!.side).toBe('SELL');
    expect(order!.type).toBe('LIMIT');
    expect(order!.quantity.equals(s.qty), 'sellPct 100: all of it').toBe(true);
    expect(order!.price!.equals(quantize(bid.times(ONE.minus(OFFSET)), s.tick, 'up'))).toBe(true);
    expect(order!.minSellPrice!.equals(s.floor), 'never below avg cost + exit fee').toBe(true);
    expect(order!.allowLoss).toBe(false);
    expect(order!.reason).toMatch(
      new RegExp(
        `^${s.asset} bid .* above avg cost .* USDT after fees \\(target 8\\.00%\\); sell .* realised; never below`,
      ),
    );
    const paper = h.paperOrders().find((p) => p.clientOrderId === order!.clientOrderId);
    expect(paper?.status).toBe('FILLED');
  });

  it('non-trigger: one tick of bid short of the 8 % target sells nothing', async () => {
    const s = await withAlt();
    await s.pinBid(s.bidFor(s.floor.times('1.08')).minus(s.tick));
    await h.run('alt-profit');
    expect(h.orders({ origin: 'alt-profit' })).toHaveLength(0);
    expect(h.runSummaries('alt-profit').at(-1)).toMatch(
      new RegExp(`${s.asset}: .* after fees at .*; needs 8\\.00%`),
    );
  });

  it('cooldown: after a partial sell the rest is not sold again for cooldownMin', async () => {
    const s = await withAlt({ settings: { 'alt-profit.sellPct': '50', 'alt-profit.cooldownMin': '120' } });
    await s.pinBid(s.bidFor(s.floor.times('1.10')));
    await h.advance(3 * MINUTE);
    expect(h.orders({ origin: 'alt-profit' }).map((o) => o.status)).toEqual(['FILLED']);
    const soldAt = h.fills({ origin: 'alt-profit' })[0]!.time;

    await h.advance(soldAt + 115 * MINUTE - h.now());
    expect(h.orders({ origin: 'alt-profit' }), 'nothing more inside the cooldown').toHaveLength(1);
    expect(h.runSummaries('alt-profit').at(-1)).toMatch(
      new RegExp(`${s.asset}: cooldown after the last alt-profit sell, .* left`),
    );

    await h.advance(soldAt + 125 * MINUTE - h.now());
    expect(h.orders({ origin: 'alt-profit' }), 'the rest is sold after the cooldown').toHaveLength(2);
  });

  it('reserve: a held scan leader is topped up only when USDT headroom covers topUpUsdt and its fee', async () => {
    // The scanner analyses only the top symbol (the one held), so it becomes the scan's leader.
    const s = await withAlt({
      only: ['alt-profit', 'scanner'],
      settings: { 'scanner.maxCandidates': '1', 'scanner.minScore': '0' },
    });
    await h.run('scanner');
    expect(h.runtime.core.scans.latest()?.leaders).toEqual([s.symbol]);
    expect(h.orders({ origin: 'scanner' }), 'a held leader is left to alt-profit').toHaveLength(0);

    const free = h.balance('USDT').free;
    h.set('reserve.usdt', free.minus('9.99').toFixed());
    await h.run('alt-profit');
    expect(h.orders({ origin: 'alt-profit' })).toHaveLength(0);
    expect(h.runSummaries('alt-profit').at(-1)).toMatch(
      new RegExp(
        `${s.symbol}: USDT headroom 9\\.99 is below the top-up 10 USDT \\(reserve [\\d.]+ USDT kept\\)`,
      ),
    );

    // Exactly 10 USDT of headroom: the strategy proposes the top-up, the executor refuses it
    // because the IOC's taker fee would take the balance under the reserve.
    h.set('reserve.usdt', free.minus('10').toFixed());
    await h.run('alt-profit');
    expect(h.orders({ origin: 'alt-profit' })).toHaveLength(0);
    const [refusal] = h.refusals({ origin: 'alt-profit', code: 'reserve' });
    expect(String(refusal?.why)).toMatch(
      /buying .* for 10\.\d+ USDT with fees would leave .* below the reserve .*headroom 10\)$/,
    );

    h.set('reserve.usdt', free.minus('10.005').toFixed());
    await h.run('alt-profit');
    const [topUp] = h.orders({ origin: 'alt-profit' });
    expect(topUp?.side, 'the top-up with 10 USDT plus its fee of headroom').toBe('BUY');
    expect(topUp!.type).toBe('IMMEDIATE_OR_CANCEL');
    expect(topUp!.reason).toMatch(
      new RegExp(`${s.symbol} is scan leader #1 and held .*; top up 10 USDT at the ask`),
    );
  });

  it('disabled: alt-profit.enabled off sells nothing however high the bid', async () => {
    const s = await withAlt({ settings: { 'alt-profit.enabled': 'off' } });
    await s.pinBid(s.bidFor(s.floor.times('1.5')));
    await h.advance(10 * MINUTE);
    expect(h.runSummaries('alt-profit')).toHaveLength(0);
    expect(h.orders({ origin: 'alt-profit' })).toHaveLength(0);
  });

  it('paused: paused on sells nothing; resuming sells', async () => {
    const s = await withAlt({ settings: { paused: 'on' } });
    await s.pinBid(s.bidFor(s.floor.times('1.5')));
    await h.advance(10 * MINUTE);
    expect(h.runSummaries('alt-profit')).toHaveLength(0);
    expect((await h.run('alt-profit')).status).toBe('paused');
    h.set('paused', 'off');
    await h.advance(3 * MINUTE);
    expect(h.orders({ origin: 'alt-profit' })).toHaveLength(1);
  });

  it('special rule: a holding under minPositionUsdt is dust and never sold, however far in profit', async () => {
    const s = await withAlt({ usdt: 3, settings: { 'alt-profit.minPositionUsdt': '5' } });
    // +30 %: worth about 3.9 USDT, still under 5.
    await s.pinBid(s.bidFor(s.floor.times('1.3')));
    await h.run('alt-profit');
    expect(h.orders({ origin: 'alt-profit' }), 'dust is ignored').toHaveLength(0);
    expect(h.runSummaries('alt-profit').at(-1)).toMatch(/1 holding\(s\) under 5 USDT ignored as dust/);

    h.set('alt-profit.minPositionUsdt', '2');
    await h.run('alt-profit');
    expect(h.orders({ origin: 'alt-profit' }), 'no longer dust: sold').toHaveLength(1);
  });

  it('special rule: a 20 % loss is held while stopLossPct is 0, and sold as a STOP-LOSS only once the owner enables it', async () => {
    const s = await withAlt();
    const bid = quantize(s.avgCost.times('0.8'), s.tick, 'down');
    await s.pinBid(bid);
    await h.run('alt-profit');
    expect(h.orders({ origin: 'alt-profit' }), 'no stop-loss unless enabled').toHaveLength(0);
    expect(h.runSummaries('alt-profit').at(-1)).toMatch(
      new RegExp(`${s.asset}: -[\\d.]+% after fees .*; needs 8\\.00%`),
    );

    h.set('alt-profit.stopLossPct', '10');
    await h.run('alt-profit');
    const [order] = h.orders({ origin: 'alt-profit' });
    expect(order, 'the stop-loss sell').toBeDefined();
    expect(order!.allowLoss, 'a loss the owner allowed').toBe(true);
    expect(order!.minSellPrice).toBeUndefined();
    expect(order!.quantity.equals(s.qty), 'all of it').toBe(true);
    expect(order!.reason).toMatch(
      new RegExp(
        `^STOP-LOSS ${s.asset}: bid .* below avg cost .* \\(stop-loss 10\\.00% enabled by the owner\\)`,
      ),
    );
  });
});
