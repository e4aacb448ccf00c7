import { describe, expect, it } from 'vitest';
import { createAccumulate, decideAccumulate } from '../../src/strategies/accumulate.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { dec } from '../../src/domain/money.js';
import { HOUR, MIN, snap, T0, testSettings } from '../helpers/strategySnapshot.js';

/**
 * BTC 0.01 (600 USDC) and ETH 0.25 (750 USDC): BTC is 44.4 % of the core against a 50 % target,
 * so BTC is the asset to buy. 500 USDC free → 450 headroom. BTCUSDC 24 h average 60 100.
 */
function base() {
  return snap()
    .balance('BTC', '0.01')
    .balance('ETH', '0.25')
    .balance('USDC', '500')
    .ticker('BTCUSDC', { last: '60000', volume: '1000', quoteVolume: '60100000' })
    .ticker('ETHUSDC', { last: '3000', volume: '1000', quoteVolume: '3000000' });
}

function only(intents: readonly unknown[]): OrderIntent {
  expect(intents, 'exactly one intent').toHaveLength(1);
  return intents[0] as OrderIntent;
}

describe('accumulate', () => {
  it('buys the asset furthest below its target share with a LIMIT_MAKER at the bid', () => {
    const d = decideAccumulate(base().build(), testSettings());
    const i = only(d.intents);
    expect(i).toMatchObject({ origin: 'accumulate', symbol: 'BTCUSDC', side: 'BUY', type: 'LIMIT_MAKER' });
    expect(i.price.toFixed()).toBe('60000');
    expect(i.quoteAmount!.toFixed()).toBe('20');
    expect(i.ttlMs, 'orderTtlMin 10 → re-price after 10 min').toBe(10 * MIN);
    expect(i.repriceOnExpiry).toBe(true);
    expect(i.reason).toContain('BTC 5.56% under target share (44.44% of core');
    expect(i.reason).toContain('24 h avg 60,100');
    expect(i.reason).toContain('bid 60,000');
  });

  it('places the buy priceOffsetBps below the bid', () => {
    const i = only(
      decideAccumulate(base().build(), testSettings({ 'accumulate.priceOffsetBps': '10' })).intents,
    );
    expect(i.price.toFixed(), '60000 × (1 - 0.001)').toBe('59940');
  });

  it('buys ETH when ETH is the one under its target', () => {
    const s = base()
      .balance('BTC', '0.02')
      .ticker('ETHUSDC', { last: '3000', volume: '1', quoteVolume: '3000' });
    const i = only(decideAccumulate(s.build(), testSettings()).intents);
    expect(i.symbol).toBe('ETHUSDC');
    expect(i.reason).toContain('ETH');
  });

  it('follows core.btcSharePct: with a 40% BTC target, BTC at 44% is over and ETH is bought', () => {
    const i = only(decideAccumulate(base().build(), testSettings({ 'core.btcSharePct': '40' })).intents);
    expect(i.symbol).toBe('ETHUSDC');
  });

  describe('24 h weighted average filter', () => {
    it('skips when the price is more than maxAboveAvgPct above the 24 h average', () => {
      // avg 58 000 → ceiling 59 740 < 60 000
      const s = base().ticker('BTCUSDC', { last: '60000', volume: '1000', quoteVolume: '58000000' });
      const d = decideAccumulate(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.join(' ')).toMatch(
        /BTC: price 60,000 is 3\.45% above the 24 h average 58,000 \(limit 3\.00%\)/,
      );
    });

    it('buys just inside the limit (avg 58,300 → ceiling 60,049)', () => {
      const s = base().ticker('BTCUSDC', { last: '60000', volume: '1000', quoteVolume: '58300000' });
      expect(decideAccumulate(s.build(), testSettings()).intents).toHaveLength(1);
    });

    it('skips when there is no 24 h volume to average', () => {
      const s = base().ticker('BTCUSDC', { last: '60000', volume: '0', quoteVolume: '0' });
      const d = decideAccumulate(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toContain('no 24 h volume');
    });
  });

  describe('cooldown after a fill', () => {
    it('waits cooldownMin after an accumulate fill of the same asset', () => {
      const s = base().fill({
        symbol: 'BTCUSDC',
        side: 'BUY',
        price: '60000',
        qty: '0.0003',
        ago: 10 * MIN,
        origin: 'accumulate',
      });
      const d = decideAccumulate(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toBe('BTC: cooldown after the last accumulate fill, 20m left');
    });

    it('buys again once the cooldown is over', () => {
      const s = base().fill({
        symbol: 'BTCUSDC',
        side: 'BUY',
        price: '60000',
        qty: '0.0003',
        ago: 31 * MIN,
        origin: 'accumulate',
      });
      expect(decideAccumulate(s.build(), testSettings()).intents).toHaveLength(1);
    });

    it('ignores fills by other origins', () => {
      const s = base().fill({
        symbol: 'BTCUSDC',
        side: 'BUY',
        price: '60000',
        qty: '0.0003',
        ago: MIN,
        origin: 'manual',
      });
      expect(decideAccumulate(s.build(), testSettings()).intents).toHaveLength(1);
    });
  });

  describe('reserve', () => {
    it('does nothing when USDC headroom is below orderUsdc', () => {
      const d = decideAccumulate(base().headroom('19.99', '0').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toBe('BTC: USDC headroom 19.99 is below the order 20 USDC (reserve 50 USDC kept)');
    });

    it('buys with headroom exactly orderUsdc', () => {
      expect(decideAccumulate(base().headroom('20', '0').build(), testSettings()).intents).toHaveLength(1);
    });
  });

  describe('daily cap', () => {
    it('counts today’s fills and open orders, and stops at maxDailyUsdc', () => {
      const s = base()
        .fill({
          symbol: 'ETHUSDC',
          side: 'BUY',
          price: '3000',
          qty: '0.04',
          ago: 3 * HOUR,
          origin: 'accumulate',
        })
        .openOrder({
          symbol: 'ETHUSDC',
          side: 'BUY',
          price: '2000',
          qty: '0.05',
          executedQty: '0.01',
          origin: 'accumulate',
        });
      // 120 filled + 80 still open (0.04 unfilled at 2 000) = 200 = cap
      const d = decideAccumulate(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toMatch(
        /^daily cap reached: 200 of 200 USDC committed today \(120 filled, 80 open\)/,
      );
    });

    it('cuts the last buy of the day to what the cap has left', () => {
      const s = base().fill({
        symbol: 'ETHUSDC',
        side: 'BUY',
        price: '3000',
        qty: '0.06',
        ago: HOUR,
        origin: 'accumulate',
      });
      const i = only(decideAccumulate(s.build(), testSettings()).intents);
      expect(i.quoteAmount!.toFixed(), '200 - 180').toBe('20');
      const t = base().fill({
        symbol: 'ETHUSDC',
        side: 'BUY',
        price: '3000',
        qty: '0.062',
        ago: HOUR,
        origin: 'accumulate',
      });
      const j = only(decideAccumulate(t.build(), testSettings()).intents);
      expect(j.quoteAmount!.toFixed(), '200 - 186').toBe('14');
      expect(j.reason).toContain("cut to the 14 USDC left of today's cap");
    });

    it('does not count yesterday’s fills (the cap resets at 00:00 UTC)', () => {
      const sinceMidnight = T0 % (24 * HOUR);
      const s = base().fill({
        symbol: 'BTCUSDC',
        side: 'BUY',
        price: '60000',
        qty: '0.004',
        ago: sinceMidnight + MIN,
        origin: 'accumulate',
      });
      expect(decideAccumulate(s.build(), testSettings()).intents).toHaveLength(1);
    });
  });

  it('does not place a second order while its own order for that asset is open', () => {
    const s = base().openOrder({
      symbol: 'BTCUSDC',
      side: 'BUY',
      price: '59990',
      qty: '0.0003',
      origin: 'accumulate',
    });
    const d = decideAccumulate(s.build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes[0]).toContain('still open; the executor re-prices it after 10 min');
  });

  describe('fallback to BTCUSDT', () => {
    const fallback = () =>
      base()
        .usdc('0.998')
        .balance('USDT', '100')
        .patchRule('BTCUSDC', { status: 'PAUSED' })
        .ticker('BTCUSDT', { last: '59880', volume: '1000', quoteVolume: '59900000' })
        .book('BTCUSDT', '59880', '59880.01');

    it('buys BTCUSDT with the same value in USDT and says why', () => {
      const i = only(decideAccumulate(fallback().build(), testSettings()).intents);
      expect(i.symbol).toBe('BTCUSDT');
      expect(i.type).toBe('LIMIT_MAKER');
      expect(i.quoteAmount!.toFixed(), '20 USDC × 0.998').toBe('19.96');
      expect(i.reason).toContain(
        'BTCUSDC is not tradable (status PAUSED), so buying on BTCUSDT with 19.96 USDT',
      );
    });

    it('falls back also when BTCUSDC is blocked, and respects USDT headroom', () => {
      const blocked = base()
        .block('BTCUSDC')
        .balance('USDT', '100')
        .ticker('BTCUSDT', { last: '60000', volume: '1', quoteVolume: '60000' });
      expect(only(decideAccumulate(blocked.build(), testSettings()).intents).symbol).toBe('BTCUSDT');
      const poor = fallback().headroom('450', '19.95');
      const d = decideAccumulate(poor.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toContain('USDT headroom 19.95 is below the order 19.96 USDT (reserve 5 USDT kept)');
    });

    it('counts USDT fallback spend in the USDC daily cap', () => {
      const s = fallback().fill({
        symbol: 'BTCUSDT',
        side: 'BUY',
        price: '59880',
        qty: '0.003',
        ago: HOUR,
        origin: 'accumulate',
        quoteQty: '199.6',
      });
      const d = decideAccumulate(s.build(), testSettings());
      expect(d.notes[0], '199.6 USDT / 0.998 = 200 USDC').toMatch(/^daily cap reached: 200 of 200/);
    });
  });

  it('does nothing when the chosen order would be refused by the rules', () => {
    const s = base().patchRule('BTCUSDC', { minNotional: dec('25') });
    const d = decideAccumulate(s.build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes[0]).toMatch(/order would be refused: BTCUSDC: order value .* below the minimum 25/);
  });

  it('returns no intents with a note when disabled or paused', () => {
    const off = decideAccumulate(base().build(), testSettings({ 'accumulate.enabled': 'off' }));
    expect(off).toEqual({
      intents: [],
      notes: ['accumulate is disabled (accumulate.enabled = off); nothing placed'],
    });
    const paused = decideAccumulate(base().build(), testSettings({ paused: 'on' }));
    expect(paused.intents).toHaveLength(0);
    expect(paused.notes[0]).toContain('paused');
  });

  it("runs every intervalSec and needs only the core markets' 24 h volumes", () => {
    const def = createAccumulate();
    expect(def.needs.tickers, 'no all-symbol ticker every run').toBe(false);
    expect(def.needs.coreVolumes).toBe(true);
    expect(def.schedule(testSettings({ 'accumulate.intervalSec': '90' }))).toEqual({
      kind: 'interval',
      everyMs: 90_000,
    });
  });
});
