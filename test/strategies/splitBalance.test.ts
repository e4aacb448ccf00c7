import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import {
  createSplitBalance,
  decideSplitBalance,
  splitMoveLedger,
} from '../../src/strategies/splitBalance.js';
import { MIN, snap, testSettings } from '../helpers/strategySnapshot.js';

/**
 * Core: BTC 0.01 + ETH 0.2 = 1 200 USDC. USDCUSDT at 0.998, so alts in USDT are worth more in
 * USDC (÷ 0.998). SOL at 150 USDT with an average cost of 100 USDT.
 */
function market(solQty: string) {
  return snap()
    .usdc('0.998')
    .holding('BTC', '0.01', '50000')
    .holding('ETH', '0.2', '2500')
    .holding('SOL', solQty, '100')
    .headroom('0', '0');
}

const intents = (d: { intents: readonly unknown[] }) => d.intents as OrderIntent[];

describe('split-balance', () => {
  describe('valuation and band', () => {
    it('values alts in USDC by dividing by USDCUSDT: 11.985 SOL is 60.015% and triggers (1:1 would say 59.97%)', () => {
      const d = decideSplitBalance(market('11.985').build(), testSettings());
      expect(d.notes[0]).toBe('alts 1,801.35 USDC (60.02%) vs BTC/ETH 1,200 USDC; target 50% ± 10%');
      expect(intents(d)).toHaveLength(1);
    });

    it('does nothing inside the band (11.97 SOL = 59.985%)', () => {
      const d = decideSplitBalance(market('11.97').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.at(-1)).toBe('within the band: nothing to do');
    });
  });

  it('sells from the overweight side at most maxMoveUsdc, in-profit positions only, IOC at the bid', () => {
    const d = decideSplitBalance(market('20').build(), testSettings());
    const [i, ...rest] = intents(d);
    expect(rest).toHaveLength(0);
    expect(i).toMatchObject({
      origin: 'split-balance',
      symbol: 'SOLUSDT',
      side: 'SELL',
      type: 'IMMEDIATE_OR_CANCEL',
    });
    expect(i!.price.toFixed()).toBe('150');
    expect(i!.quantity!.times(i!.price).toDecimalPlaces(12).toFixed(), '50 USDC = 49.9 USDT').toBe('49.9');
    expect(i!.minSellPrice!.equals(dec(100).div('0.9995'))).toBe(true);
    expect(i!.reason).toMatch(
      /^alts 71\.47% vs target 50% ± 10%; moving 50 USDC from altcoins to BTC\/ETH: sell 0\.332667 SOL at the bid 150/,
    );
  });

  it('maxMoveUsdc caps the move; a smaller gap moves only the gap', () => {
    const big = intents(
      decideSplitBalance(market('20').build(), testSettings({ 'split-balance.maxMoveUsdc': '200' })),
    );
    expect(big[0]!.quantity!.times(150).toDecimalPlaces(12).toFixed(), '200 USDC = 199.6 USDT').toBe('199.6');
    // Target 70 %: alts 3 006.01 of 4 206.01 USDC → gap to 70 % = 61.80 USDC < 200.
    const small = intents(
      decideSplitBalance(
        market('20').build(),
        testSettings({
          'split-balance.maxMoveUsdc': '200',
          'split-balance.targetAltSharePct': '70',
          'split-balance.bandPct': '1',
        }),
      ),
    );
    const movedUsdc = small[0]!.quantity!.times(150).div('0.998');
    expect(movedUsdc.toFixed(2), '3,006.01 - 70% of 4,206.01').toBe('61.80');
  });

  describe('only positions in profit are sold', () => {
    it('skips a losing alt and sells the profitable one', () => {
      // SOL (30 USDT) cannot cover the 50 USDC move alone; XRP (2 000 USDT at 2.5, cost 3) is at a loss.
      const s = market('0.2').holding('XRP', '800', '3');
      const d = decideSplitBalance(s.build(), testSettings());
      expect(intents(d).map((i) => `${i.symbol} ${i.quantity!.toFixed()}`)).toEqual(['SOLUSDT 0.2']);
      expect(d.notes.join('\n')).toContain('XRP: bid 2.5 is below break-even 3.0015');
    });

    it('sells nothing when nothing on the overweight side is in profit', () => {
      const d = decideSplitBalance(market('0').holding('XRP', '800', '3').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.at(-1)).toMatch(/nothing on the overweight side is in profit, so nothing is sold$/);
    });

    it('realises the largest gain first', () => {
      const s = market('10').holding('XRP', '800', '1');
      expect(intents(decideSplitBalance(s.build(), testSettings())).map((i) => i.symbol)).toEqual([
        'XRPUSDT',
      ]);
    });
  });

  it('cooldown: no new sell within cooldownMin of the last split-balance fill', () => {
    // A finished move: alt sold, converted and core bought, ending 60 minutes ago.
    const done = market('20')
      .fill({
        symbol: 'SOLUSDT',
        side: 'SELL',
        price: '150',
        qty: '0.332666',
        ago: 120 * MIN,
        origin: 'split-balance',
        quoteQty: '49.9',
      })
      .fill({
        symbol: 'USDCUSDT',
        side: 'BUY',
        price: '0.998',
        qty: '50',
        ago: 90 * MIN,
        origin: 'split-balance',
        quoteQty: '49.9',
      })
      .fill({
        symbol: 'BTCUSDC',
        side: 'BUY',
        price: '60000',
        qty: '0.000833',
        ago: 60 * MIN,
        origin: 'split-balance',
        quoteQty: '50',
      });
    const d = decideSplitBalance(done.build(), testSettings());
    expect(d.intents).toHaveLength(0);
    expect(d.notes.at(-1)).toBe('cooldown after the last rebalance, 1h left');
    expect(intents(decideSplitBalance(done.at(done.now + 61 * MIN).build(), testSettings()))).toHaveLength(1);
  });

  describe('a move continues over the next runs', () => {
    const afterSell = () =>
      market('19.67').fill({
        symbol: 'SOLUSDT',
        side: 'SELL',
        price: '150',
        qty: '0.332666',
        ago: 30 * MIN,
        origin: 'split-balance',
        quoteQty: '49.9',
      });

    it('converts the USDT proceeds to USDC through USDCUSDT sized at 0.998, not 1:1', () => {
      const d = decideSplitBalance(afterSell().headroom('0', '49.9').build(), testSettings());
      const [i, ...rest] = intents(d);
      expect(rest, 'the buy waits for the converted USDC').toHaveLength(0);
      expect(i).toMatchObject({ symbol: 'USDCUSDT', side: 'BUY', type: 'IMMEDIATE_OR_CANCEL' });
      expect(i!.price.toFixed()).toBe('0.998');
      expect(i!.quantity!.toFixed(), '49.9 USDT / 0.998 = 50 USDC').toBe('50');
      expect(i!.reason).toContain('convert 49.9 USDT to 50 USDC at USDCUSDT ask 0.998');
    });

    it('then buys the core asset chosen by core-balance with the converted USDC', () => {
      const s = afterSell()
        .fill({
          symbol: 'USDCUSDT',
          side: 'BUY',
          price: '0.998',
          qty: '50',
          ago: MIN,
          origin: 'split-balance',
          quoteQty: '49.9',
        })
        .headroom('400', '0');
      const [i, ...rest] = intents(decideSplitBalance(s.build(), testSettings()));
      expect(rest).toHaveLength(0);
      expect(i).toMatchObject({ symbol: 'BTCUSDC', side: 'BUY', type: 'IMMEDIATE_OR_CANCEL' });
      expect(i!.quoteAmount!.toFixed(), 'only what the move freed, not all 400 USDC of headroom').toBe('50');
      expect(i!.reason).toContain('BTC');
    });

    it('reserve: with no headroom in either stablecoin it does nothing and says so', () => {
      const d = decideSplitBalance(afterSell().headroom('0', '0').build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.at(-1)).toMatch(/nothing to do: USDC headroom 0, USDT headroom 0 \(reserves kept\)$/);
    });

    it('is abandoned (cash kept) when the market already rebalanced', () => {
      const s = afterSell().holding('SOL', '5', '100').headroom('0', '49.9');
      const d = decideSplitBalance(s.build(), testSettings());
      expect(d.intents).toHaveLength(0);
      expect(d.notes.join('\n')).toContain('the core side is no longer under target');
    });
  });

  describe('core overweight: sells BTC/ETH in profit, converts USDC to USDT, buys scan leaders', () => {
    const coreHeavy = () =>
      snap()
        .usdc('0.998')
        .holding('BTC', '0.05', '50000')
        .holding('ETH', '1', '2500')
        .holding('SOL', '10', '100')
        .scanLeaders('JUPUSDT', 'XRPUSDT')
        .headroom('0', '0');

    it('sells the core asset above its core target first', () => {
      const s = coreHeavy().holding('ETH', '1.2', '2500'); // ETH 3,600 vs BTC 3,000
      const [i] = intents(decideSplitBalance(s.build(), testSettings()));
      expect(i).toMatchObject({ symbol: 'ETHUSDC', side: 'SELL' });
      expect(i!.quantity!.times(3000).toDecimalPlaces(12).toFixed()).toBe('50');
    });

    it('converts the freed USDC to USDT with a USDCUSDT SELL at the bid', () => {
      const s = coreHeavy()
        .fill({
          symbol: 'ETHUSDC',
          side: 'SELL',
          price: '3000',
          qty: '0.0166666',
          ago: 30 * MIN,
          origin: 'split-balance',
          quoteQty: '50',
        })
        .headroom('50', '0');
      const [i] = intents(decideSplitBalance(s.build(), testSettings()));
      expect(i).toMatchObject({ symbol: 'USDCUSDT', side: 'SELL' });
      expect(i!.quantity!.toFixed(), '50 USDC × 0.998 / bid 0.998').toBe('50');
    });

    it('then buys the leaders in parts of at least scanner.orderUsdt', () => {
      const s = coreHeavy()
        .fill({
          symbol: 'ETHUSDC',
          side: 'SELL',
          price: '3000',
          qty: '0.0166666',
          ago: 30 * MIN,
          origin: 'split-balance',
          quoteQty: '50',
        })
        .fill({
          symbol: 'USDCUSDT',
          side: 'SELL',
          price: '0.998',
          qty: '50',
          ago: MIN,
          origin: 'split-balance',
          quoteQty: '49.9',
        })
        // 49.9 USDT for the buys plus their 0.05 % taker fee (the reserve rule counts the fee).
        .headroom('0', '49.92495');
      const buys = intents(decideSplitBalance(s.build(), testSettings()));
      expect(buys.map((b) => `${b.symbol} ${b.quoteAmount!.toFixed()}`)).toEqual([
        'JUPUSDT 24.95',
        'XRPUSDT 24.95',
      ]);
    });
  });

  it('the ledger reads only split-balance fills of the last 24 h', () => {
    const s = market('20')
      .fill({
        symbol: 'SOLUSDT',
        side: 'SELL',
        price: '150',
        qty: '1',
        ago: 25 * 60 * MIN,
        origin: 'split-balance',
        quoteQty: '150',
      })
      .fill({
        symbol: 'SOLUSDT',
        side: 'SELL',
        price: '150',
        qty: '1',
        ago: MIN,
        origin: 'alt-profit',
        quoteQty: '150',
      });
    expect(splitMoveLedger(s.build()).soldSide).toBeUndefined();
  });

  it('returns no intents with a note when disabled or paused', () => {
    for (const st of [testSettings({ 'split-balance.enabled': 'off' }), testSettings({ paused: 'on' })]) {
      const d = decideSplitBalance(market('20').build(), st);
      expect(d.intents).toHaveLength(0);
      expect(d.notes[0]).toMatch(/disabled|paused/);
    }
  });

  it('runs every intervalMin', () => {
    expect(createSplitBalance().schedule(testSettings())).toEqual({ kind: 'interval', everyMs: 30 * MIN });
  });
});
