/**
 * `take-profit` through the whole bot on the simulator. The account gets its BTC the
 * way a real one does: an owner's buy through the executor, filled by the paper exchange and
 * synced into the fill ledger; the average cost is then read back from that fill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Decimal, dec, ONE, quantize } from '../../src/domain/money.js';
import type { StrategyId } from '../../src/domain/strategy.js';
import { HOUR, MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

interface Setup {
  /** Average cost per BTC from the set-up fill: (quote + quote fee) / quantity. */
  readonly avgCost: Decimal;
  readonly qty: Decimal;
  readonly tick: Decimal;
  readonly takerFee: Decimal;
  /** avg cost plus the exit fee: the lowest sell price that loses nothing. */
  readonly floor: Decimal;
  /** The lowest bid whose sell price (bid − priceOffsetBps) reaches `price`. */
  bidFor(price: Decimal): Decimal;
  pinBid(bid: Decimal): Promise<void>;
}

const OFFSET = dec('0.0005'); // take-profit.priceOffsetBps 5

async function withBtc(
  settings: Record<string, string> = {},
  only: readonly StrategyId[] = ['take-profit'],
): Promise<Setup> {
  h = await startRuntimeHarness({ only, settings });
  await h.pinHere('BTCUSDC');
  await h.pinHere('ETHUSDC');
  await h.trade({ symbol: 'BTCUSDC', side: 'BUY', quoteAmount: dec(200) });
  const [fill] = h.fills({ symbol: 'BTCUSDC' });
  if (!fill) throw new Error('set-up buy not recorded');
  const rules = await h.rules('BTCUSDC');
  const avgCost = fill.quoteQty.plus(fill.commission).div(fill.qty);
  const floor = avgCost.div(ONE.minus(rules.takerFee));
  return {
    avgCost,
    qty: fill.qty,
    tick: rules.tickSize,
    takerFee: rules.takerFee,
    floor,
    bidFor: (price) => quantize(price.div(ONE.minus(OFFSET)), rules.tickSize, 'up'),
    pinBid: (bid) => h.pin('BTCUSDC', bid.toFixed(), bid.plus(rules.tickSize).toFixed()),
  };
}

describe('take-profit on the simulator', () => {
  it('trigger: sells sellPct of the BTC at bid − 5 bps when it is minProfitPct above cost after fees', async () => {
    const s = await withBtc();
    const bid = s.bidFor(s.floor.times('1.03'));
    await s.pinBid(bid);
    await h.run('take-profit');

    const [order, ...more] = h.orders({ origin: 'take-profit' });
    expect(more).toHaveLength(0);
    expect(order, 'a take-profit sell').toBeDefined();
    expect(order!.symbol).toBe('BTCUSDC');
    expect(order!.side).toBe('SELL');
    expect(order!.type).toBe('LIMIT');
    expect(
      order!.price!.equals(quantize(bid.times(ONE.minus(OFFSET)), s.tick, 'up')),
      'bid − 5 bps, a sell rounds up',
    ).toBe(true);
    expect(order!.quantity.equals(quantize(s.qty.div(2), dec('0.000001'), 'down')), 'half the BTC').toBe(
      true,
    );
    expect(order!.minSellPrice!.equals(s.floor), 'never below avg cost + exit fee').toBe(true);
    expect(order!.reason).toMatch(
      /BTC bid .* above avg cost .* after fees \(target 3\.00%\); sell .* realised; never below/,
    );
    const paper = h.paperOrders().find((p) => p.clientOrderId === order!.clientOrderId);
    expect(paper?.status, 'the sell crossed the book on the paper exchange').toBe('FILLED');
  });

  it('non-trigger: one tick of bid short of the 3 % target sells nothing and says what it needs', async () => {
    const s = await withBtc();
    const bid = s.bidFor(s.floor.times('1.03')).minus(s.tick);
    await s.pinBid(bid);
    await h.run('take-profit');
    expect(h.orders({ origin: 'take-profit' })).toHaveLength(0);
    expect(h.runSummaries('take-profit').at(-1)).toMatch(/BTC: bid .* gives .* after fees .*; needs 3\.00%/);
  });

  it('cooldown: after a sell fills no second sell for cooldownMin, though still in profit', async () => {
    const s = await withBtc({ 'take-profit.cooldownMin': '120' });
    await s.pinBid(s.bidFor(s.floor.times('1.05')));
    // The sell is placed in the first minute; order tracking sees it filled in the next.
    await h.advance(2 * MINUTE);
    const first = h.orders({ origin: 'take-profit' });
    expect(first, 'the first sell').toHaveLength(1);
    expect(first[0]!.status).toBe('FILLED');
    expect(h.fills({ origin: 'take-profit' }), 'its fill is in the ledger at once').toHaveLength(1);

    await h.advance(117 * MINUTE);
    expect(h.orders({ origin: 'take-profit' }), 'no sell inside the cooldown').toHaveLength(1);
    expect(h.runSummaries('take-profit').at(-1)).toMatch(
      /BTC: cooldown after the last take-profit sell, .* left/,
    );

    await h.advance(3 * MINUTE);
    const orders = h.orders({ origin: 'take-profit' });
    expect(orders, 'the next sell after two hours').toHaveLength(2);
    expect(orders[1]!.createdAt - orders[0]!.createdAt).toBeGreaterThanOrEqual(2 * HOUR);
  });

  it('reserve: a reserve above free USDC does not stop a sell (it spends BTC), and the freed USDC is not redeployed into the reserve', async () => {
    // BTC is the whole core target, so core-balance only redeploys freed USDC, never rebalances.
    const s = await withBtc({ 'core.btcSharePct': '100' }, ['take-profit', 'core-balance']);
    // About 800 free USDC after the set-up buy and 900 after the sale: below a reserve of 1000.
    h.set('reserve.usdc', '1000');
    await s.pinBid(s.bidFor(s.floor.times('1.05')));
    // Minute 1: the sell; minute 2: tracked filled, core-balance asked to follow up; minute 3: it runs.
    await h.advance(3 * MINUTE);
    const sold = h.orders({ origin: 'take-profit' });
    expect(
      sold.map((o) => o.status),
      'the sell adds USDC, so the reserve does not apply',
    ).toEqual(['FILLED']);
    expect(
      h.runSummaries('core-balance'),
      'core-balance ran at the start and after the take-profit fill',
    ).toHaveLength(2);
    expect(h.orders({ origin: 'core-balance' }), 'nothing bought below the reserve').toHaveLength(0);
    expect(h.runSummaries('core-balance').at(-1)).toMatch(
      /USDC freed, but USDC headroom -?[\d.]+ leaves nothing/,
    );
  });

  it('disabled: take-profit.enabled off sells nothing however high the bid', async () => {
    const s = await withBtc({ 'take-profit.enabled': 'off' });
    await s.pinBid(s.bidFor(s.floor.times('1.2')));
    await h.advance(5 * MINUTE);
    expect(h.runSummaries('take-profit')).toHaveLength(0);
    expect(h.orders({ origin: 'take-profit' })).toHaveLength(0);
  });

  it('paused: paused on sells nothing; resuming sells', async () => {
    const s = await withBtc({ paused: 'on' });
    await s.pinBid(s.bidFor(s.floor.times('1.2')));
    await h.advance(5 * MINUTE);
    expect(h.runSummaries('take-profit')).toHaveLength(0);
    expect((await h.run('take-profit')).status).toBe('paused');
    expect(h.orders({ origin: 'take-profit' })).toHaveLength(0);
    h.set('paused', 'off');
    await h.advance(2 * MINUTE);
    expect(h.orders({ origin: 'take-profit' })).toHaveLength(1);
  });

  it('in-profit rule: with minProfitPct 0.1 a bid just under cost + fees sells nothing; just over the target sells, in profit', async () => {
    const s = await withBtc({ 'take-profit.minProfitPct': '0.1' });
    // The best bid one tick under the floor: even the bid itself would lose money.
    await s.pinBid(quantize(s.floor, s.tick, 'up').minus(s.tick));
    await h.run('take-profit');
    expect(h.orders({ origin: 'take-profit' }), 'never a sell below avg cost + fees').toHaveLength(0);

    const target = s.floor.times('1.001');
    await s.pinBid(s.bidFor(target).minus(s.tick));
    await h.run('take-profit');
    expect(h.orders({ origin: 'take-profit' }), 'one tick under the 0.1 % target').toHaveLength(0);

    await s.pinBid(s.bidFor(target));
    await h.run('take-profit');
    const [order] = h.orders({ origin: 'take-profit' });
    expect(order, 'at the target it sells').toBeDefined();
    await h.advance(MINUTE);
    expect(order!.price!.greaterThanOrEqualTo(s.floor), 'order price at or above avg cost + fees').toBe(true);
    const fill = h.fills({ origin: 'take-profit' })[0]!;
    const proceeds = fill.quoteQty.minus(fill.commission);
    const cost = s.avgCost.times(fill.qty);
    expect(
      proceeds.greaterThanOrEqualTo(cost),
      `proceeds after the fee ${proceeds.toFixed()} ≥ cost ${cost.toFixed()}`,
    ).toBe(true);
  });
});
