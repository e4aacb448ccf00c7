import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { createTakeProfit, decideTakeProfit } from '../../src/strategies/takeProfit.js';
import { MIN, snap, testSettings } from '../helpers/strategySnapshot.js';

/**
 * BTC 0.1 at an average cost of 60 000 USDC (entry fee included). Taker fee 0.05 %, offset
 * 5 bps, target 3 %: the sell price must reach 60 000 × 1.03 / 0.9995 = 61 830.9155, i.e. a
 * bid of at least 61 861.846 (61 861.85 × 0.9995 = 61 830.919).
 */
const TRIGGER_BID = '61861.85';
const JUST_UNDER = '61861.84';
const FLOOR = dec(60000).div('0.9995');

function base(bid: string = TRIGGER_BID) {
  return snap().holding('BTC', '0.1', '60000').book('BTCUSDC', bid, dec(bid).plus('0.01'));
}

function sells(d: { intents: readonly unknown[] }): OrderIntent[] {
  return d.intents as OrderIntent[];
}

describe('take-profit', () => {
  it('decides nothing on BTC while its trade history is still being read, and sells once it is in', () => {
    const pending = decideTakeProfit(base().historyPending('BTC').build(), testSettings());
    expect(pending.intents, 'a sell on the provisional cost would be decided otherwise').toHaveLength(0);
    expect(pending.notes[0]).toBe(
      'BTC: trade history still being read; no decision on a provisional average cost',
    );
    expect(pending.waiting).toEqual(['BTC']);
    const synced = decideTakeProfit(base().build(), testSettings());
    expect(sells(synced).map((i) => i.symbol)).toEqual(['BTCUSDC']);
    expect(synced.waiting).toEqual([]);
  });

  it('sells sellPct of the free quantity just below the bid when the target is reached after fees', () => {
    const [i, ...rest] = sells(decideTakeProfit(base().build(), testSettings()));
    expect(rest).toHaveLength(0);
    expect(i).toMatchObject({ origin: 'take-profit', symbol: 'BTCUSDC', side: 'SELL', type: 'LIMIT' });
    expect(i!.quantity!.toFixed(), '50% of 0.1').toBe('0.05');
    expect(i!.price.toFixed(), '61,861.85 × (1 - 0.0005)').toBe('61830.919075');
    expect(i!.minSellPrice!.equals(FLOOR), 'break-even floor avgCost / (1 - taker fee)').toBe(true);
    expect(i!.ttlMs, 'orderTtlMin 2').toBe(2 * MIN);
    expect(i!.repriceOnExpiry).toBe(true);
    expect(i!.allowLoss).toBeUndefined();
    expect(i!.reason).toContain('BTC bid 61,861.85 is 3.00% above avg cost 60,000 USDC after fees');
    expect(i!.reason).toMatch(/≈ 90\.\d+ USDC realised/);
  });

  it('does nothing one cent under the trigger bid', () => {
    const d = decideTakeProfit(base(JUST_UNDER).build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes[0]).toMatch(/^BTC: bid 61,861.84 gives 2\.99% after fees .* needs 3\.00%/);
  });

  describe('never below cost plus fees', () => {
    it('bid just under the break-even floor: nothing, even with the smallest profit target', () => {
      const bid = FLOOR.minus('0.01').toFixed(2);
      const d = decideTakeProfit(
        base(bid).build(),
        testSettings({ 'take-profit.minProfitPct': '0.1', 'take-profit.priceOffsetBps': '0' }),
      );
      expect(d.intents).toHaveLength(0);
    });

    it('bid just over the profit floor: sells with minSellPrice at break-even', () => {
      // With 0.1 % and no offset the sell price must reach 60 030.015 × 1.001 = 60 090.045.
      const s = testSettings({ 'take-profit.minProfitPct': '0.1', 'take-profit.priceOffsetBps': '0' });
      expect(decideTakeProfit(base('60090.04').build(), s).intents).toHaveLength(0);
      const [i] = sells(decideTakeProfit(base('60090.05').build(), s));
      expect(i!.price.toFixed()).toBe('60090.05');
      expect(i!.minSellPrice!.toFixed(8)).toBe('60030.01500750');
    });

    it('uses the exit fee of the market: a higher taker fee raises the trigger', () => {
      const s = base().patchRule('BTCUSDC', { takerFee: dec('0.002') });
      expect(decideTakeProfit(s.build(), testSettings()).intents).toHaveLength(0);
    });
  });

  it('keeps keepQty: sells at most free - keepQty', () => {
    const [i] = sells(decideTakeProfit(base().build(), testSettings({ 'take-profit.keepQty': '0.08' })));
    expect(i!.quantity!.toFixed()).toBe('0.02');
    const none = decideTakeProfit(base().build(), testSettings({ 'take-profit.keepQty': '0.1' }));
    expect(none.intents).toHaveLength(0);
    expect(none.notes[0]).toContain('nothing to sell');
  });

  it('sells only coins the fills explain and only free ones', () => {
    const s = base().balance('BTC', '0.3', '0.2').position('BTC', '0.08', '60000');
    const [i] = sells(decideTakeProfit(s.build(), testSettings()));
    expect(i!.quantity!.toFixed(), '50% of min(free 0.3, position 0.08)').toBe('0.04');
  });

  it('sells regardless of stablecoin headroom: a sell spends no reserve', () => {
    expect(decideTakeProfit(base().headroom('-10', '-10').build(), testSettings()).intents).toHaveLength(1);
  });

  describe('cooldown after a sell', () => {
    it('waits cooldownMin after a take-profit sell of the same asset', () => {
      const s = base().fill({
        symbol: 'BTCUSDC',
        side: 'SELL',
        price: '61800',
        qty: '0.05',
        ago: 60 * MIN,
        origin: 'take-profit',
      });
      const d = decideTakeProfit(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toBe('BTC: cooldown after the last take-profit sell, 1h left');
    });

    it('sells again after the cooldown', () => {
      const s = base().fill({
        symbol: 'BTCUSDC',
        side: 'SELL',
        price: '61800',
        qty: '0.05',
        ago: 121 * MIN,
        origin: 'take-profit',
      });
      expect(decideTakeProfit(s.build(), testSettings()).intents).toHaveLength(1);
    });
  });

  it('waits while its own sell is open (the executor re-prices it)', () => {
    const s = base().openOrder({
      symbol: 'BTCUSDC',
      side: 'SELL',
      price: '61900',
      qty: '0.05',
      origin: 'take-profit',
    });
    const d = decideTakeProfit(s.build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes[0]).toContain('still open');
  });

  it('handles BTC and ETH independently', () => {
    const s = base().holding('ETH', '2', '2500').book('ETHUSDC', '2700', '2700.01');
    const d = decideTakeProfit(s.build(), testSettings());
    expect((d.intents as OrderIntent[]).map((i) => i.symbol).sort()).toEqual(['BTCUSDC', 'ETHUSDC']);
  });

  it('never sells without a cost basis', () => {
    const d = decideTakeProfit(snap().balance('BTC', '1').build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes).toContain('BTC: no position');
  });

  it('sells on BTCUSDT with the cost converted at USDCUSDT when BTCUSDC is not tradable', () => {
    // avg 60 000 USDC = 59 880 USDT at 0.998; trigger bid = 59 880 × 1.03 / 0.9995² ≈ 61 737.9
    const s = base()
      .usdc('0.998')
      .patchRule('BTCUSDC', { apiTradable: false })
      .book('BTCUSDT', '61740', '61740.01');
    const [i] = sells(decideTakeProfit(s.build(), testSettings()));
    expect(i!.symbol).toBe('BTCUSDT');
    expect(i!.minSellPrice!.equals(dec(59880).div('0.9995'))).toBe(true);
    expect(i!.reason).toContain('so selling on BTCUSDT');
  });

  it('returns no intents with a note when disabled or paused', () => {
    const off = decideTakeProfit(base().build(), testSettings({ 'take-profit.enabled': 'off' }));
    expect(off.intents).toHaveLength(0);
    expect(off.notes[0]).toContain('take-profit is disabled');
    const paused = decideTakeProfit(base().build(), testSettings({ paused: 'on' }));
    expect(paused.intents).toHaveLength(0);
    expect(paused.notes[0]).toContain('paused');
  });

  it('runs every intervalSec', () => {
    expect(createTakeProfit().schedule(testSettings())).toEqual({ kind: 'interval', everyMs: 60_000 });
  });
});
