import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { chooseCoreAsset, createCoreBalance, decideCoreBalance } from '../../src/strategies/coreBalance.js';
import { MIN, snap, testSettings } from '../helpers/strategySnapshot.js';

/** ETH 0.2 (600 USDC at 3 000); BTC at 60 000 with an average cost of 50 000. */
function core(btcQty: string, btcCost = '50000') {
  return snap().holding('BTC', btcQty, btcCost).holding('ETH', '0.2', '2500').balance('USDC', '70');
}

const intents = (d: { intents: readonly unknown[] }) => d.intents as OrderIntent[];

describe('core-balance', () => {
  it('does not sell the overweight asset on a provisional cost while its history is being read', () => {
    const d = decideCoreBalance(core('0.0151').historyPending('BTC').build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.waiting).toEqual(['BTC']);
    expect(d.notes.at(-1)).toMatch(/BTC overweight but BTC: trade history still being read/);
  });

  describe('band', () => {
    it('sells the overweight asset when BTC leaves 50% ± 10% (0.0151 BTC = 60.16%)', () => {
      const d = decideCoreBalance(core('0.0151').build(), testSettings());
      const [i, ...rest] = intents(d);
      expect(rest).toHaveLength(0);
      expect(i).toMatchObject({
        origin: 'core-balance',
        symbol: 'BTCUSDC',
        side: 'SELL',
        type: 'IMMEDIATE_OR_CANCEL',
      });
      expect(i!.price.toFixed()).toBe('60000');
      // gap 906 − 753 = 153 USDC, capped at maxMoveUsdc 100
      expect(i!.quantity!.times(60000).toDecimalPlaces(12).toFixed()).toBe('100');
      expect(i!.minSellPrice!.equals(dec(50000).div('0.9995'))).toBe(true);
      expect(i!.reason).toMatch(
        /^BTC 60\.16% of core 1,506 USDC, target 50% ± 10%; BTC overweight, moving 100 USDC to ETH/,
      );
    });

    it('does nothing just inside the band (0.0149 BTC = 59.84%)', () => {
      const d = decideCoreBalance(core('0.0149').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.at(-1)).toBe('BTC 59.84% of core 1,494 USDC, target 50% ± 10%: within the band');
    });

    it('moves only the gap when it is below maxMoveUsdc', () => {
      const [i] = intents(
        decideCoreBalance(core('0.0151').build(), testSettings({ 'core-balance.maxMoveUsdc': '500' })),
      );
      expect(i!.quantity!.times(60000).toDecimalPlaces(9).toFixed()).toBe('153');
    });

    it('follows core.btcSharePct and bandPct live', () => {
      expect(
        decideCoreBalance(core('0.0151').build(), testSettings({ 'core-balance.bandPct': '11' })).intents,
      ).toHaveLength(0);
      const eth = intents(
        decideCoreBalance(core('0.01').build(), testSettings({ 'core.btcSharePct': '70' })),
      );
      expect(
        eth.map((i) => `${i.side} ${i.symbol}`),
        'ETH 50% vs its 30% target',
      ).toEqual(['SELL ETHUSDC']);
    });
  });

  it('in-profit rule: an overweight asset below cost plus fees is not sold', () => {
    const d = decideCoreBalance(core('0.02', '60000').build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes.at(-1)).toMatch(
      /BTC overweight but BTC: bid 60,000 is below break-even 60,030\.\d+ .* not sold \(never at a loss\)$/,
    );
  });

  describe('redeploying USDC freed by take-profit', () => {
    const freed = () =>
      core('0.01').fill({
        symbol: 'ETHUSDC',
        side: 'SELL',
        price: '3100',
        qty: '0.0322',
        ago: 5 * MIN,
        origin: 'take-profit',
        quoteQty: '100',
      });

    it('buys the asset chooseCoreAsset picks with the freed USDC, IOC at the ask', () => {
      const s = freed().balance('ETH', '0.19').headroom('300', '0');
      const [i, ...rest] = intents(decideCoreBalance(s.build(), testSettings()));
      expect(rest).toHaveLength(0);
      expect(i).toMatchObject({ symbol: 'ETHUSDC', side: 'BUY', type: 'IMMEDIATE_OR_CANCEL' });
      expect(i!.quoteAmount!.toFixed()).toBe('100');
      expect(i!.reason).toMatch(
        /^redeploying 100 USDC freed by take-profit\/core-balance sells; ETH .* under target share/,
      );
    });

    it('reserve: leaves accumulate’s next order and the reserve (inside headroom) untouched', () => {
      const [i] = intents(decideCoreBalance(freed().headroom('110.045', '0').build(), testSettings()));
      expect(i!.quoteAmount!.toFixed(), '110.045 headroom - 20 for accumulate = 90 plus its 0.05% fee').toBe(
        '90',
      );
      const none = decideCoreBalance(freed().headroom('20', '0').build(), testSettings());
      expect(none.intents).toHaveLength(0);
      expect(none.notes[0]).toBe(
        "100 USDC freed, but USDC headroom 20 leaves nothing above accumulate's next order 20; no rebalancing sell until it is redeployed",
      );
      const noAccumulate = intents(
        decideCoreBalance(
          freed().headroom('20.01', '0').build(),
          testSettings({ 'accumulate.enabled': 'off' }),
        ),
      );
      expect(noAccumulate[0]!.quoteAmount!.toFixed(), '20 plus its fee fits in 20.01').toBe('20');
    });

    it('starts no rebalancing sell while freed USDC waits for headroom (it would oversell)', () => {
      // BTC 1 200 vs ETH 600 USDC: 66.7 %, out of the band.
      const s = core('0.02')
        .fill({
          symbol: 'BTCUSDC',
          side: 'SELL',
          price: '60000',
          qty: '0.0016667',
          ago: 60 * MIN,
          origin: 'core-balance',
          quoteQty: '100',
        })
        .headroom('0.5', '0');
      const d = decideCoreBalance(s.build(), testSettings());
      expect(d.intents, 'BTC is still overweight, but its earlier proceeds are not spent yet').toHaveLength(
        0,
      );
      expect(d.notes[0]).toMatch(
        /^100 USDC freed, but USDC headroom 0\.5 .*no rebalancing sell until it is redeployed$/,
      );
    });

    it('does not redeploy twice, nor funds freed by other strategies', () => {
      const done = freed()
        .fill({
          symbol: 'BTCUSDC',
          side: 'BUY',
          price: '60000',
          qty: '0.00166',
          ago: MIN,
          origin: 'core-balance',
          quoteQty: '100',
        })
        .headroom('300', '0');
      expect(decideCoreBalance(done.build(), testSettings()).intents).toHaveLength(0);
      const split = core('0.01')
        .fill({
          symbol: 'ETHUSDC',
          side: 'SELL',
          price: '3000',
          qty: '0.1',
          ago: MIN,
          origin: 'split-balance',
          quoteQty: '300',
        })
        .headroom('300', '0');
      expect(
        decideCoreBalance(split.build(), testSettings()).intents,
        'split-balance spends its own proceeds',
      ).toHaveLength(0);
    });

    it('after its own rebalancing sell, buys the other asset on the next run', () => {
      const s = core('0.0134')
        .fill({
          symbol: 'BTCUSDC',
          side: 'SELL',
          price: '60000',
          qty: '0.0016667',
          ago: 60 * MIN,
          origin: 'core-balance',
          quoteQty: '100',
        })
        .headroom('200', '0');
      const [i] = intents(decideCoreBalance(s.build(), testSettings()));
      expect(i).toMatchObject({ symbol: 'ETHUSDC', side: 'BUY' });
      expect(i!.quoteAmount!.toFixed()).toBe('100');
    });
  });

  it('waits while one of its orders is open', () => {
    const s = core('0.02').openOrder({
      symbol: 'BTCUSDC',
      side: 'SELL',
      price: '60000',
      qty: '0.001',
      origin: 'core-balance',
    });
    expect(decideCoreBalance(s.build(), testSettings()).notes).toEqual([
      'waiting for 1 open core-balance order(s)',
    ]);
  });

  it('returns no intents with a note when disabled or paused', () => {
    for (const st of [testSettings({ 'core-balance.enabled': 'off' }), testSettings({ paused: 'on' })]) {
      const d = decideCoreBalance(core('0.02').build(), st);
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toMatch(/disabled|paused/);
    }
  });

  it('runs every intervalMin', () => {
    expect(createCoreBalance().schedule(testSettings())).toEqual({ kind: 'interval', everyMs: 60 * MIN });
  });
});

describe('chooseCoreAsset', () => {
  const pick = (b: ReturnType<typeof snap>, target = '50') => {
    const c = chooseCoreAsset(b.build(), testSettings({ 'core.btcSharePct': target }));
    if (!c.ok) throw new Error(c.reason);
    return c;
  };

  it('picks the asset furthest below its target share, with the numbers', () => {
    const c = pick(snap().balance('BTC', '0.01').balance('ETH', '0.3'));
    expect(c.asset).toBe('BTC');
    expect(c.sharePct.toFixed(1)).toBe('40.0');
    expect(c.gapPct.toFixed(1)).toBe('10.0');
    expect(c.reason).toBe('BTC 10.00% under target share (40.00% of core 1,500 USDC, target 50%)');
    expect(pick(snap().balance('BTC', '0.02').balance('ETH', '0.3')).asset).toBe('ETH');
  });

  it('counts locked coins, and breaks a tie towards the larger target', () => {
    expect(pick(snap().balance('BTC', '0.005', '0.005').balance('ETH', '0.2')).asset, 'tie at 50/50').toBe(
      'BTC',
    );
    expect(pick(snap().balance('BTC', '0.01').balance('ETH', '0.2'), '40').asset).toBe('ETH');
  });

  it('an empty core goes to the larger target', () => {
    const c = pick(snap());
    expect(c.asset).toBe('BTC');
    expect(c.reason).toBe('core is empty; BTC has the larger target share (50%)');
    expect(pick(snap(), '30').asset).toBe('ETH');
  });

  it('values through BTCUSDT ÷ USDCUSDT when BTCUSDC has no book, and refuses with no price at all', () => {
    const s = snap()
      .usdc('0.998')
      .noBook('BTCUSDC')
      .book('BTCUSDT', '59880', '59881')
      .balance('BTC', '0.01')
      .balance('ETH', '0.2');
    const c = pick(s);
    expect(c.shares.valueUsdc.BTC.toFixed(), '0.01 × 59,880 / 0.998').toBe('600');
    const none = chooseCoreAsset(snap().noBook('BTCUSDC').noBook('BTCUSDT').build(), testSettings());
    expect(none).toEqual({ ok: false, reason: 'no BTC price (neither BTCUSDC nor BTCUSDT has a bid)' });
  });
});
