import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { Db } from '../../src/persistence/db.js';
import { CostBasisRepository } from '../../src/persistence/CostBasisRepository.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

describe('CostBasisRepository', () => {
  let db: Db;
  let clock: ManualClock;
  let repo: CostBasisRepository;

  beforeEach(() => {
    db = testDb();
    clock = new ManualClock(Date.UTC(2026, 1, 1));
    repo = new CostBasisRepository({ db, clock });
  });
  afterEach(() => db.close());

  const firstSeen = (price: string, setAt = 5) => ({
    asset: 'SOL',
    price: dec(price),
    costAsset: 'USDT',
    qty: dec('8'),
    source: 'first-seen' as const,
    setAt,
  });

  it('records a first-seen basis once; a later sighting never moves it', () => {
    expect(repo.recordFirstSeen(firstSeen('120.123456789012345678')), 'written').toBe(true);
    expect(repo.recordFirstSeen(firstSeen('150', 9)), 'already known').toBe(false);
    const row = repo.get('SOL')!;
    expect(row.price.toFixed(), 'exact through TEXT, first price kept').toBe('120.123456789012345678');
    expect(row).toMatchObject({ source: 'first-seen', setAt: 5, costAsset: 'USDT' });
  });

  it('the owner’s basis replaces a first-seen one and is not overwritten by first-seen again', () => {
    repo.recordFirstSeen(firstSeen('120'));
    repo.setOwnerBasis({ asset: 'SOL', price: dec('95.5'), costAsset: 'USDT', qty: dec('8') }, 'tg:1');
    expect(repo.recordFirstSeen(firstSeen('130')), 'owner row blocks first-seen').toBe(false);
    expect(repo.all()).toEqual([
      {
        asset: 'SOL',
        price: dec('95.5'),
        costAsset: 'USDT',
        qty: dec('8'),
        source: 'owner',
        setAt: clock.now(),
      },
    ]);
    clock.advance(1000);
    const change = repo.setOwnerBasis(
      { asset: 'SOL', price: dec('97'), costAsset: 'USDT', qty: dec('9') },
      'tg:2',
    );
    expect(repo.get('SOL')).toMatchObject({ price: dec('97'), setAt: clock.now() });
    expect(change.previous).toEqual({ price: dec('95.5'), costAsset: 'USDT', source: 'owner' });
  });

  it('versions every owner change like settings: who, when, old → new, newest first', () => {
    repo.recordFirstSeen(firstSeen('120'));
    repo.setOwnerBasis({ asset: 'SOL', price: dec('95.5'), costAsset: 'USDT', qty: dec('8') }, 'tg:1');
    const first = clock.now();
    clock.advance(1000);
    repo.setOwnerBasis({ asset: 'SOL', price: dec('97'), costAsset: 'USDT', qty: dec('8') }, 'console:1');
    expect(repo.history('SOL')).toEqual([
      {
        asset: 'SOL',
        old: { price: dec('95.5'), costAsset: 'USDT', source: 'owner' },
        price: dec('97'),
        costAsset: 'USDT',
        qty: dec('8'),
        actor: 'console:1',
        at: clock.now(),
      },
      {
        asset: 'SOL',
        old: { price: dec('120'), costAsset: 'USDT', source: 'first-seen' },
        price: dec('95.5'),
        costAsset: 'USDT',
        qty: dec('8'),
        actor: 'tg:1',
        at: first,
      },
    ]);
    expect(repo.history('BTC')).toEqual([]);
  });

  it('refuses a non-positive owner price and can remove a basis', () => {
    expect(() =>
      repo.setOwnerBasis({ asset: 'BTC', price: dec('0'), costAsset: 'USDC', qty: dec('1') }, 'tg:1'),
    ).toThrow(/price must be above zero/);
    expect(repo.history(), 'a refused change is not recorded').toEqual([]);
    repo.setOwnerBasis({ asset: 'BTC', price: dec('50000'), costAsset: 'USDC', qty: dec('1') }, 'tg:1');
    expect(repo.remove('BTC')).toBe(true);
    expect(repo.get('BTC')).toBeUndefined();
    expect(repo.remove('BTC'), 'nothing left').toBe(false);
  });
});
