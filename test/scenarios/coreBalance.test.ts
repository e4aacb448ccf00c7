/**
 * `core-balance` through the whole bot on the simulator: BTC vs ETH against
 * `core.btcSharePct` ± `bandPct`, in-profit-only rebalancing sells, and the freed USDC redeployed
 * into the underweight asset. The account's BTC and ETH are owner buys through the executor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Decimal, dec, ONE, quantize } from '../../src/domain/money.js';
import { MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

interface Setup {
  readonly btcQty: Decimal;
  readonly ethQty: Decimal;
  readonly ethBid: Decimal;
  readonly ethAsk: Decimal;
  readonly tick: Decimal;
  /** BTC's break-even floor: avg cost plus the exit fee. */
  readonly btcFloor: Decimal;
  /** The BTC bid at which BTC is `share` of the core (ETH at its pinned bid). */
  bidForShare(share: string): Decimal;
  pinBtc(bid: Decimal): Promise<void>;
}

/** Core-balance alone (so no accumulate order is kept aside) with owner buys of BTC and ETH. */
async function withCore(
  btcUsdc: number,
  ethUsdc: number,
  settings: Record<string, string> = {},
): Promise<Setup> {
  h = await startRuntimeHarness({ only: ['core-balance'], settings });
  await h.pinHere('BTCUSDC');
  const { bid: ethBid, ask: ethAsk } = await h.pinHere('ETHUSDC');
  await h.trade({ symbol: 'BTCUSDC', side: 'BUY', quoteAmount: dec(btcUsdc) });
  await h.trade({ symbol: 'ETHUSDC', side: 'BUY', quoteAmount: dec(ethUsdc) });
  const fill = h.fills({ symbol: 'BTCUSDC' })[0]!;
  const rules = await h.rules('BTCUSDC');
  const btcQty = h.balance('BTC').free;
  const ethQty = h.balance('ETH').free;
  return {
    btcQty,
    ethQty,
    ethBid,
    ethAsk,
    tick: rules.tickSize,
    btcFloor: fill.quoteQty.plus(fill.commission).div(fill.qty).div(ONE.minus(rules.takerFee)),
    // BTC / (BTC + ETH) = share  ⇔  BTC bid = share / (1 − share) × ETH value / BTC quantity
    bidForShare: (share) => dec(share).div(ONE.minus(share)).times(ethQty.times(ethBid)).div(btcQty),
    pinBtc: (bid) => h.pin('BTCUSDC', bid.toFixed(), bid.plus(rules.tickSize).toFixed()),
  };
}

describe('core-balance on the simulator', () => {
  it('non-trigger and trigger: BTC at 59.9 % of the core stays inside 50 ± 10; at 60.1 % BTC is sold in profit', async () => {
    const s = await withCore(130, 100);
    await s.pinBtc(quantize(s.bidForShare('0.599'), s.tick, 'down'));
    await h.run('core-balance');
    expect(h.orders({ origin: 'core-balance' })).toHaveLength(0);
    expect(h.runSummaries('core-balance').at(-1)).toMatch(
      /BTC 59\.90% of core .* target 50% ± 10%: within the band/,
    );

    const bid = quantize(s.bidForShare('0.601'), s.tick, 'up');
    await s.pinBtc(bid);
    await h.run('core-balance');
    const [order, ...more] = h.orders({ origin: 'core-balance' });
    expect(more).toHaveLength(0);
    expect(order, 'a rebalancing sell').toBeDefined();
    expect(order!.symbol).toBe('BTCUSDC');
    expect(order!.side).toBe('SELL');
    expect(order!.type).toBe('IMMEDIATE_OR_CANCEL');
    expect(order!.price!.equals(bid), 'at the bid').toBe(true);
    expect(order!.minSellPrice!.equals(s.btcFloor), 'never below avg cost + exit fee').toBe(true);
    // Sized to bring BTC back to 50 %: half the difference between the two values.
    const gap = s.btcQty.times(bid).minus(s.ethQty.times(s.ethBid)).div(2);
    expect(
      order!.quantity.times(bid).lessThanOrEqualTo(gap),
      `${order!.quantity.times(bid).toFixed()} USDC ≤ gap ${gap.toFixed()}`,
    ).toBe(true);
    expect(order!.reason).toMatch(
      /^BTC 60\.10% of core .*; BTC overweight, moving [\d.]+ USDC to ETH .*never below/,
    );
    expect(order!.status, 'settled on the paper exchange').toBe('FILLED');
  });

  it('cooldown: nothing more before intervalMin; then the freed USDC is redeployed into ETH', async () => {
    const s = await withCore(300, 50);
    await s.pinBtc(quantize(s.btcFloor.times('1.05'), s.tick, 'up'));
    await h.run('core-balance');
    const sold = h.orders({ origin: 'core-balance' });
    expect(sold.map((o) => `${o.side} ${o.symbol} ${o.status}`)).toEqual(['SELL BTCUSDC FILLED']);
    const soldAt = sold[0]!.createdAt;

    await h.advance(soldAt + 59 * MINUTE - h.now());
    expect(h.orders({ origin: 'core-balance' }), 'no run before intervalMin').toHaveLength(1);

    await h.advance(2 * MINUTE);
    const orders = h.orders({ origin: 'core-balance' });
    expect(orders, 'the next run redeploys').toHaveLength(2);
    expect(orders[1]!.symbol).toBe('ETHUSDC');
    expect(orders[1]!.side).toBe('BUY');
    expect(orders[1]!.reason).toMatch(
      /^redeploying [\d.]+ USDC freed by take-profit\/core-balance sells; ETH /,
    );
    const freed = sold[0]!.cummQuoteQty;
    expect(
      orders[1]!.quantity.times(orders[1]!.price!).lessThanOrEqualTo(freed),
      'spends no more than the sale freed',
    ).toBe(true);
  });

  it('reserve: freed USDC is not redeployed when USDC headroom is under 1 USDC, and no more BTC is sold meanwhile', async () => {
    const s = await withCore(300, 50);
    await s.pinBtc(quantize(s.btcFloor.times('1.05'), s.tick, 'up'));
    await h.run('core-balance');
    expect(h.orders({ origin: 'core-balance' })).toHaveLength(1);
    h.set('reserve.usdc', h.balance('USDC').free.minus('0.5').toFixed());
    await h.run('core-balance');
    expect(h.orders({ origin: 'core-balance' }), 'the reserve is kept, and BTC is not oversold').toHaveLength(
      1,
    );
    expect(h.runSummaries('core-balance').at(-1)).toMatch(
      /USDC freed, but USDC headroom 0\.5 leaves nothing above accumulate's next order 0; no rebalancing sell until it is redeployed/,
    );
  });

  it('reserve: a redeploy sized to the whole headroom leaves the reserve intact after the taker fee', async () => {
    const s = await withCore(300, 50);
    await s.pinBtc(quantize(s.btcFloor.times('1.05'), s.tick, 'up'));
    await h.run('core-balance');
    // About 30 USDC of headroom for about 100 USDC freed, so the buy is sized by the reserve; and
    // exactly a whole number of ETH steps at the ask, so no rounding slack absorbs the fee.
    const eth = await h.rules('ETHUSDC');
    const headroom = quantize(dec(30).div(s.ethAsk), eth.stepSize, 'down').times(s.ethAsk);
    const reserve = h.balance('USDC').free.minus(headroom);
    h.set('reserve.usdc', reserve.toFixed());
    await h.advance(61 * MINUTE);
    const [, buy] = h.orders({ origin: 'core-balance' });
    expect(buy?.side, 'the redeploy').toBe('BUY');
    const usdc = h.balance('USDC');
    expect(
      usdc.free.plus(usdc.locked).greaterThanOrEqualTo(reserve),
      `USDC ${usdc.free.toFixed()} after the buy and its fee stays at or above the reserve ${reserve.toFixed()}`,
    ).toBe(true);
  });

  it('disabled: core-balance.enabled off rebalances nothing', async () => {
    const s = await withCore(300, 50, { 'core-balance.enabled': 'off' });
    await s.pinBtc(quantize(s.btcFloor.times('1.05'), s.tick, 'up'));
    await h.advance(61 * MINUTE);
    expect(h.runSummaries('core-balance')).toHaveLength(0);
    expect(h.orders({ origin: 'core-balance' })).toHaveLength(0);
  });

  it('paused: paused on rebalances nothing; resuming does', async () => {
    const s = await withCore(300, 50, { paused: 'on' });
    await s.pinBtc(quantize(s.btcFloor.times('1.05'), s.tick, 'up'));
    await h.advance(61 * MINUTE);
    expect(h.runSummaries('core-balance')).toHaveLength(0);
    expect((await h.run('core-balance')).status).toBe('paused');
    h.set('paused', 'off');
    await h.advance(61 * MINUTE);
    expect(h.orders({ origin: 'core-balance' })).toHaveLength(1);
  });

  it('in-profit rule: overweight BTC one tick under break-even is not sold; at break-even it is', async () => {
    const s = await withCore(300, 50);
    const atFloor = quantize(s.btcFloor, s.tick, 'up');
    await s.pinBtc(atFloor.minus(s.tick));
    await h.run('core-balance');
    expect(h.orders({ origin: 'core-balance' }), 'never a rebalancing sell at a loss').toHaveLength(0);
    expect(h.runSummaries('core-balance').at(-1)).toMatch(
      /BTC overweight but BTC: bid .* is below break-even .*; not sold \(never at a loss\)/,
    );

    await s.pinBtc(atFloor);
    await h.run('core-balance');
    const [order] = h.orders({ origin: 'core-balance' });
    expect(order?.side, 'at break-even the sell is allowed').toBe('SELL');
    expect(order!.price!.greaterThanOrEqualTo(s.btcFloor)).toBe(true);
  });
});
