import { describe, expect, it } from 'vitest';
import type { Balance } from '../../../src/domain/market.js';
import { dec, type Decimal } from '../../../src/domain/money.js';
import { reconcileHoldings, type CostBasisRow } from '../../../src/domain/portfolio/costBasis.js';
import type { Position } from '../../../src/domain/portfolio/position.js';

const NOW = Date.UTC(2026, 2, 1);

function bal(asset: string, free: string, locked = '0'): Balance {
  return { asset, free: dec(free), locked: dec(locked) };
}

function fromFills(asset: string, qty: string, avgCost: string, costAsset: string): Position {
  return {
    asset,
    qty: dec(qty),
    avgCost: dec(avgCost),
    costAsset,
    realisedPnl: dec('12'),
    feesPaid: dec('3'),
    costBasisSource: 'fills',
  };
}

const prices = new Map<string, Decimal>([
  ['BTCUSDC', dec('64000')],
  ['SOLUSDT', dec('150')],
  ['ETHUSDT', dec('3000')],
  ['SHIBUSDT', dec('0.00001')],
]);

describe('reconcileHoldings', () => {
  it('holdings the fills cannot explain get the first-seen price, flagged, and a row to persist', () => {
    const result = reconcileHoldings({
      positions: new Map([['BTC', fromFills('BTC', '0.1', '60000', 'USDC')]]),
      balances: [bal('BTC', '0.25', '0.05'), bal('USDC', '500')],
      basis: [],
      prices,
      now: NOW,
    });
    const btc = result.positions.get('BTC')!;
    expect(btc.costBasisSource, 'flagged as first-seen').toBe('first-seen');
    expect(btc.qty.toFixed(), 'balance incl. locked').toBe('0.3');
    expect(btc.basisQty!.toFixed(), 'unexplained part').toBe('0.2');
    expect(btc.basisPrice!.toFixed()).toBe('64000');
    expect(
      btc.avgCost.equals(dec('0.1').times(60000).plus(dec('0.2').times(64000)).div('0.3')),
      'qty-weighted',
    ).toBe(true);
    expect(btc.realisedPnl.toFixed(), 'fills history kept').toBe('12');
    expect(btc.feesPaid.toFixed()).toBe('3');
    expect(result.newRows).toEqual([
      {
        asset: 'BTC',
        price: dec('64000'),
        costAsset: 'USDC',
        qty: dec('0.2'),
        source: 'first-seen',
        setAt: NOW,
      },
    ]);
    expect(result.positions.has('USDC'), 'cash is never reconciled').toBe(false);
  });

  it('an owner-set basis wins and is flagged as the owner’s; no new row', () => {
    const owner: CostBasisRow = {
      asset: 'SOL',
      price: dec('100'),
      costAsset: 'USDT',
      qty: dec('5'),
      source: 'owner',
      setAt: NOW - 1000,
    };
    const result = reconcileHoldings({
      positions: new Map(),
      balances: [bal('SOL', '8')],
      basis: [owner],
      prices,
      now: NOW,
    });
    const sol = result.positions.get('SOL')!;
    expect(sol.costBasisSource).toBe('owner');
    expect(sol.avgCost.toFixed(), 'owner price, not the market 150').toBe('100');
    expect(sol.qty.toFixed(), 'today’s unexplained quantity, not the row’s').toBe('8');
    expect(sol.costAsset).toBe('USDT');
    expect(result.newRows, 'nothing new to record').toEqual([]);
  });

  it('a stored first-seen row is reused, never re-priced at today’s market', () => {
    const seen: CostBasisRow = {
      asset: 'SOL',
      price: dec('120'),
      costAsset: 'USDT',
      qty: dec('8'),
      source: 'first-seen',
      setAt: NOW - 86_400_000,
    };
    const result = reconcileHoldings({
      positions: new Map(),
      balances: [bal('SOL', '8')],
      basis: [seen],
      prices,
      now: NOW,
    });
    expect(result.positions.get('SOL')!.avgCost.toFixed()).toBe('120');
    expect(result.positions.get('SOL')!.costBasisSource).toBe('first-seen');
    expect(result.newRows).toEqual([]);
  });

  it('a basis stored in the other stablecoin converts at USDCUSDT', () => {
    const row: CostBasisRow = {
      asset: 'BTC',
      price: dec('59880'),
      costAsset: 'USDT',
      qty: dec('1'),
      source: 'owner',
      setAt: 1,
    };
    const result = reconcileHoldings({
      positions: new Map(),
      balances: [bal('BTC', '1')],
      basis: [row],
      prices,
      usdcUsdt: dec('0.998'),
      now: NOW,
    });
    expect(result.positions.get('BTC')!.avgCost.toFixed(), '59 880 USDT / 0.998').toBe('60000');
  });

  it('leaves explained holdings, dust and cash alone', () => {
    const positions = new Map([
      ['ETH', fromFills('ETH', '2', '2900', 'USDC')],
      ['SOL', fromFills('SOL', '1', '140', 'USDT')],
    ]);
    const result = reconcileHoldings({
      positions,
      balances: [
        bal('ETH', '1.5'),
        bal('SOL', '1.001'),
        bal('SHIB', '50000'),
        bal('USDT', '100'),
        bal('FDUSD', '10'),
      ],
      basis: [],
      prices,
      now: NOW,
    });
    expect(result.positions.get('ETH'), 'fills explain more than held: untouched').toBe(positions.get('ETH'));
    expect(result.positions.get('SOL'), '0.001 SOL = 0.15 USDT is dust').toBe(positions.get('SOL'));
    expect(result.positions.has('SHIB'), '50 000 SHIB = 0.5 USDT is dust').toBe(false);
    expect(result.positions.has('USDT') || result.positions.has('FDUSD'), 'stablecoins skipped').toBe(false);
    expect(result.newRows).toEqual([]);
  });

  it('warns instead of guessing when there is neither a price nor a stored basis', () => {
    const result = reconcileHoldings({
      positions: new Map(),
      balances: [bal('XYZ', '10')],
      basis: [],
      prices,
      now: NOW,
    });
    expect(result.positions.has('XYZ')).toBe(false);
    expect(result.warnings[0]).toMatch(/XYZ: 10 held beyond the fills and no price/);
  });

  it('an owner basis still applies when the market has no price', () => {
    const row: CostBasisRow = {
      asset: 'XYZ',
      price: dec('2'),
      costAsset: 'USDT',
      qty: dec('10'),
      source: 'owner',
      setAt: 1,
    };
    const result = reconcileHoldings({
      positions: new Map(),
      balances: [bal('XYZ', '10')],
      basis: [row],
      prices,
      now: NOW,
    });
    expect(result.positions.get('XYZ')!.avgCost.toFixed()).toBe('2');
  });
});
