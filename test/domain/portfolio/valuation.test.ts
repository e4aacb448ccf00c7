import { describe, expect, it } from 'vitest';
import type { Balance } from '../../../src/domain/market.js';
import { dec, type Decimal } from '../../../src/domain/money.js';
import type { Position } from '../../../src/domain/portfolio/position.js';
import { valuePortfolio } from '../../../src/domain/portfolio/valuation.js';

const USDC_USDT = dec('0.998');

function bal(asset: string, free: string, locked = '0'): Balance {
  return { asset, free: dec(free), locked: dec(locked) };
}

function pos(asset: string, qty: string, avgCost: string, costAsset: string): Position {
  return {
    asset,
    qty: dec(qty),
    avgCost: dec(avgCost),
    costAsset,
    realisedPnl: dec(0),
    feesPaid: dec(0),
    costBasisSource: 'fills',
  };
}

const prices = new Map<string, Decimal>([
  ['BTCUSDC', dec('65000')],
  ['BTCUSDT', dec('64900')],
  ['ETHUSDT', dec('3493')],
  ['SOLUSDT', dec('149.7')],
  ['USDCUSDT', USDC_USDT],
]);

describe('valuePortfolio', () => {
  const valuation = valuePortfolio({
    balances: [
      bal('USDC', '1000'),
      bal('USDT', '499', '0'),
      bal('BTC', '0.1', '0.05'),
      bal('ETH', '2'),
      bal('SOL', '10'),
      bal('PEPE', '1000000'),
      bal('DOGE', '0'),
    ],
    prices,
    usdcUsdt: USDC_USDT,
    positions: new Map([
      ['BTC', pos('BTC', '0.15', '60000', 'USDC')],
      ['SOL', pos('SOL', '10', '140', 'USDT')],
    ]),
  });
  const row = (asset: string) => valuation.assets.find((a) => a.asset === asset)!;

  it('converts USDT to USDC by dividing by USDCUSDT 0.998, never 1:1', () => {
    expect(row('USDT').priceUsdc!.equals(dec(1).div('0.998')), 'USDT price is 1 / 0.998').toBe(true);
    expect(row('USDT').valueUsdc!.toFixed(), '499 / 0.998').toBe('500');
    expect(valuation.totals.cashUsdc.toFixed(), '1 000 USDC + 500').toBe('1500');
  });

  it('values BTC on BTCUSDC with free plus locked', () => {
    expect(row('BTC').qty.toFixed(), 'free + locked').toBe('0.15');
    expect(row('BTC').priceSource).toBe('BTCUSDC');
    expect(row('BTC').valueUsdc!.toFixed()).toBe('9750');
  });

  it('falls back to BTCUSDT ÷ USDCUSDT when a core asset has no USDC price', () => {
    expect(row('ETH').priceSource, 'no ETHUSDC price given').toBe('ETHUSDT');
    expect(row('ETH').valueUsdc!.toFixed(), '2 × 3 493 / 0.998').toBe('7000');
  });

  it('values an alt via ALTUSDT then converts', () => {
    expect(row('SOL').priceSource).toBe('SOLUSDT');
    expect(row('SOL').valueUsdc!.toFixed(), '10 × 149.7 / 0.998').toBe('1500');
  });

  it('computes unrealised PnL in the cost asset and in USDC', () => {
    const btc = row('BTC').unrealised!;
    expect(btc.costAsset).toBe('USDC');
    expect(btc.amount.toFixed(), '(65 000 − 60 000) × 0.15').toBe('750');
    expect(btc.pct.toFixed(), '65 000 / 60 000 − 1').toBe(
      dec(65000).div(60000).minus(1).times(100).toFixed(),
    );
    const sol = row('SOL').unrealised!;
    expect(sol.amount.toFixed(), 'in USDT: (149.7 − 140) × 10').toBe('97');
    expect(sol.amountUsdc.equals(dec(97).div('0.998')), 'USDT PnL converted at 0.998').toBe(true);
    expect(valuation.totals.unrealisedUsdc.equals(dec(750).plus(dec(97).div('0.998')))).toBe(true);
    expect(row('ETH').unrealised, 'no position, no unrealised').toBeUndefined();
  });

  it('lists assets without a price as unpriced instead of failing', () => {
    expect(valuation.unpriced).toEqual(['PEPE']);
    expect(row('PEPE').valueUsdc).toBeUndefined();
    expect(valuation.assets.at(-1)!.asset, 'unpriced rows last').toBe('PEPE');
    expect(
      valuation.assets.some((a) => a.asset === 'DOGE'),
      'zero balances left out',
    ).toBe(false);
  });

  it('splits core and alts and gives the alt share', () => {
    expect(valuation.totals.coreUsdc.toFixed()).toBe('16750');
    expect(valuation.totals.altsUsdc.toFixed()).toBe('1500');
    expect(valuation.totals.totalUsdc.toFixed(), 'cash + core + alts').toBe('19750');
    expect(
      valuation.totals.altSharePct!.equals(dec(1500).div(18250).times(100)),
      '1 500 / (16 750 + 1 500)',
    ).toBe(true);
    expect(valuation.assets[0]!.asset, 'largest first').toBe('BTC');
  });

  it('without a USDCUSDT price, USDT and USDT-priced assets are unpriced rather than assumed 1:1', () => {
    const v = valuePortfolio({
      balances: [bal('USDC', '10'), bal('USDT', '10'), bal('SOL', '1')],
      prices,
      usdcUsdt: undefined,
      positions: new Map(),
    });
    expect(v.unpriced).toEqual(['SOL', 'USDT']);
    expect(v.totals.totalUsdc.toFixed()).toBe('10');
    expect(v.totals.altSharePct, 'no core or alts priced').toBeUndefined();
  });

  it('accepts balances as a map, and other stablecoins are neither cash nor alts', () => {
    const v = valuePortfolio({
      balances: new Map([['FDUSD', bal('FDUSD', '100')]]),
      prices: new Map([['FDUSDUSDT', dec('0.998')]]),
      usdcUsdt: USDC_USDT,
      positions: new Map(),
    });
    expect(v.assets[0]!.assetClass).toBe('other-stable');
    expect(v.totals.otherStableUsdc.toFixed()).toBe('100');
    expect(v.totals.cashUsdc.toFixed()).toBe('0');
  });
});
