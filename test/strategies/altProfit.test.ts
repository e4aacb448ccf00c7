import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { createAltProfit, decideAltProfit } from '../../src/strategies/altProfit.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { HOUR, MIN, snap, T0, testSettings } from '../helpers/strategySnapshot.js';

/**
 * SOL 1 at an average cost of 130 USDT. Taker fee 0.05 %, offset 10 bps, target 8 %: the sell
 * price must reach 130 × 1.08 / 0.9995 = 140.4702, i.e. a bid of 140.6108 (140.62 × 0.999 =
 * 140.4794 passes; 140.61 × 0.999 = 140.4694 does not).
 */
function sol(bid: string) {
  return snap().balance('USDT', '100').holding('SOL', '1', '130').book('SOLUSDT', bid, dec(bid).plus('0.01'));
}

const intents = (d: { intents: readonly unknown[] }) => d.intents as OrderIntent[];

describe('alt-profit', () => {
  it('neither sells nor tops up an altcoin whose trade history is still being read', () => {
    const pending = decideAltProfit(
      sol('140.62').historyPending('SOL').scanLeaders('SOLUSDT').build(),
      testSettings(),
    );
    expect(pending.intents).toHaveLength(0);
    expect(pending.waiting).toEqual(['SOL']);
    expect(intents(decideAltProfit(sol('140.62').build(), testSettings()))).toHaveLength(1);
  });

  describe('take profit', () => {
    it('sells sellPct (100%) with a limit just under the bid once the target is reached after fees', () => {
      const [i, ...rest] = intents(decideAltProfit(sol('140.62').build(), testSettings()));
      expect(rest).toHaveLength(0);
      expect(i).toMatchObject({
        origin: 'alt-profit',
        symbol: 'SOLUSDT',
        side: 'SELL',
        type: 'LIMIT',
        repriceOnExpiry: true,
      });
      expect(i!.quantity!.toFixed()).toBe('1');
      expect(i!.price.toFixed()).toBe('140.47938');
      expect(i!.minSellPrice!.equals(dec(130).div('0.9995'))).toBe(true);
      expect(i!.ttlMs).toBe(2 * MIN);
      expect(i!.allowLoss).toBeUndefined();
      expect(i!.reason).toContain(
        'SOL bid 140.62 is 8.01% above avg cost 130 USDT after fees (target 8.00%)',
      );
    });

    it('does nothing one cent under the trigger bid', () => {
      const d = decideAltProfit(sol('140.61').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes).toContain('SOL: 7.99% after fees at 140.469 (avg cost 130); needs 8.00%');
    });

    it('sells only sellPct of the quantity the fills explain', () => {
      const s = sol('150').balance('SOL', '3').position('SOL', '2', '130');
      const [i] = intents(decideAltProfit(s.build(), testSettings({ 'alt-profit.sellPct': '50' })));
      expect(i!.quantity!.toFixed()).toBe('1');
    });
  });

  it('ignores dust: holdings worth less than minPositionUsdt', () => {
    const s = snap().holding('DOGE', '5', '0.01'); // 5 × 0.2 = 1 USDT, +1,900%
    const d = decideAltProfit(s.build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes).toContain('1 holding(s) under 2 USDT ignored as dust');
    const bigger = decideAltProfit(snap().holding('DOGE', '10', '0.01').build(), testSettings());
    expect(
      intents(bigger).map((i) => i.symbol),
      '10 × 0.2 = 2 USDT is a position',
    ).toEqual(['DOGEUSDT']);
  });

  describe('stop-loss', () => {
    const loser = () => snap().holding('SOL', '1', '200').book('SOLUSDT', '150', '150.01'); // -25%

    it('is off by default (0): a 25% loss is not sold', () => {
      const d = decideAltProfit(loser().build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.join('\n')).toContain('SOL: -25.');
    });

    it('when enabled, sells everything with allowLoss and says so', () => {
      const [i] = intents(decideAltProfit(loser().build(), testSettings({ 'alt-profit.stopLossPct': '20' })));
      expect(i).toMatchObject({ side: 'SELL', allowLoss: true, symbol: 'SOLUSDT' });
      expect(i!.minSellPrice).toBeUndefined();
      expect(i!.quantity!.toFixed()).toBe('1');
      expect(i!.reason).toMatch(
        /^STOP-LOSS SOL: bid 150 is 25\.00% below avg cost 200 USDT \(stop-loss 20\.00% enabled by the owner\)/,
      );
    });

    it('does not trigger above the stop price', () => {
      const s = snap().holding('SOL', '1', '200').book('SOLUSDT', '160.01', '160.02'); // -19.995%
      expect(
        decideAltProfit(s.build(), testSettings({ 'alt-profit.stopLossPct': '20' })).intents,
      ).toHaveLength(0);
    });
  });

  describe('cooldown after a sell', () => {
    it('waits cooldownMin after an alt-profit sell of that asset', () => {
      const s = sol('150').fill({
        symbol: 'SOLUSDT',
        side: 'SELL',
        price: '150',
        qty: '1',
        ago: 60 * MIN,
        origin: 'alt-profit',
      });
      const d = decideAltProfit(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes).toContain('SOL: cooldown after the last alt-profit sell, 1h left');
    });

    it('sells again after it', () => {
      const s = sol('150').fill({
        symbol: 'SOLUSDT',
        side: 'SELL',
        price: '150',
        qty: '1',
        ago: 121 * MIN,
        origin: 'alt-profit',
      });
      expect(decideAltProfit(s.build(), testSettings()).intents).toHaveLength(1);
    });
  });

  describe('top-ups of held scan leaders', () => {
    // SOL and XRP held below their targets (no sells), both leaders; JUP a leader not held.
    const held = () =>
      snap()
        .balance('USDT', '100')
        .holding('SOL', '1', '149')
        .holding('XRP', '10', '2.5')
        .scanLeaders('JUPUSDT', 'SOLUSDT', 'XRPUSDT');

    it('tops up each held leader once with an IOC at the ask', () => {
      const d = decideAltProfit(held().build(), testSettings());
      const ups = intents(d);
      expect(
        ups.map((i) => i.symbol),
        'JUP is not held: new positions are the scanner’s',
      ).toEqual(['SOLUSDT', 'XRPUSDT']);
      expect(ups[0]).toMatchObject({ side: 'BUY', type: 'IMMEDIATE_OR_CANCEL' });
      expect(ups[0]!.price.toFixed()).toBe('150.01');
      expect(ups[0]!.quoteAmount!.toFixed()).toBe('10');
      expect(ups[0]!.reason).toBe(
        'SOLUSDT is scan leader #2 and held (150 USDT); top up 10 USDT at the ask 150.01 (1 of 3 today)',
      );
    });

    it('stops at maxTopUpsPerDay, counting today’s top-up fills once per symbol', () => {
      const s = held()
        .holding('DOGE', '100', '0.2')
        .scanLeaders('DOGEUSDT', 'SOLUSDT', 'XRPUSDT')
        .fill({ symbol: 'DOGEUSDT', side: 'BUY', price: '0.2', qty: '25', ago: HOUR, origin: 'alt-profit' })
        .fill({ symbol: 'DOGEUSDT', side: 'BUY', price: '0.2', qty: '25', ago: HOUR, origin: 'alt-profit' });
      const d = decideAltProfit(s.build(), testSettings({ 'alt-profit.maxTopUpsPerDay': '2' }));
      expect(
        intents(d).map((i) => i.symbol),
        'DOGE done today (two partial fills = one top-up), one left',
      ).toEqual(['SOLUSDT']);
      expect(d.notes).toContain('DOGEUSDT: already topped up today');
      expect(d.notes).toContain('top-up cap reached: 2 of 2 today');
    });

    it('yesterday’s top-ups do not count', () => {
      const s = held().fill({
        symbol: 'SOLUSDT',
        side: 'BUY',
        price: '150',
        qty: '0.06',
        ago: (T0 % (24 * HOUR)) + MIN,
        origin: 'alt-profit',
      });
      expect(intents(decideAltProfit(s.build(), testSettings())).map((i) => i.symbol)).toEqual([
        'SOLUSDT',
        'XRPUSDT',
      ]);
    });

    it('reserve: no top-up when USDT headroom is below topUpUsdt', () => {
      const d = decideAltProfit(held().headroom('0', '9.99').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.join('\n')).toContain(
        'USDT headroom 9.99 is below the top-up 10 USDT (reserve 5 USDT kept)',
      );
      expect(intents(decideAltProfit(held().headroom('0', '15').build(), testSettings()))).toHaveLength(1);
    });

    it('does not top up a leader it is selling in the same run', () => {
      const s = held().book('SOLUSDT', '170', '170.01');
      const d = intents(decideAltProfit(s.build(), testSettings()));
      expect(d.map((i) => `${i.side} ${i.symbol}`)).toEqual(['SELL SOLUSDT', 'BUY XRPUSDT']);
    });
  });

  it('never sells without a cost basis', () => {
    const d = decideAltProfit(snap().balance('SOL', '1').build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes).toContain('SOL: no cost basis from fills; not sold');
  });

  it('returns no intents with a note when disabled or paused', () => {
    for (const s of [testSettings({ 'alt-profit.enabled': 'off' }), testSettings({ paused: 'on' })]) {
      const d = decideAltProfit(sol('150').scanLeaders('SOLUSDT').build(), s);
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toMatch(/disabled|paused/);
    }
  });

  it('runs every intervalSec', () => {
    expect(createAltProfit().schedule(testSettings())).toEqual({ kind: 'interval', everyMs: 120_000 });
  });
});
