import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/common/KeyedLock.js';

/** A promise the test resolves by hand, to order steps without timers. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('KeyedLock', () => {
  it('serialises two actors on the same asset: the second starts only after the first ends', async () => {
    const locks = new KeyedLock();
    const log: string[] = [];
    const chatMayFinish = gate();
    const chat = locks.withLock(['BTC'], async () => {
      log.push('chat:start');
      await chatMayFinish.promise;
      log.push('chat:end');
    });
    const strategy = locks.withLock(['BTC', 'USDC'], async () => {
      log.push('strategy:start');
      log.push('strategy:end');
    });
    await Promise.resolve();
    expect(locks.isLocked('BTC')).toBe(true);
    chatMayFinish.open();
    await Promise.all([chat, strategy]);
    expect(log, 'no interleaving on BTC').toEqual([
      'chat:start',
      'chat:end',
      'strategy:start',
      'strategy:end',
    ]);
  });

  it('lets actors on different assets run at the same time', async () => {
    const locks = new KeyedLock();
    const log: string[] = [];
    const btcMayFinish = gate();
    const btc = locks.withLock(['BTC'], async () => {
      log.push('btc:start');
      await btcMayFinish.promise;
      log.push('btc:end');
    });
    const eth = locks.withLock(['ETH'], async () => {
      log.push('eth:run');
    });
    await eth;
    expect(log, 'ETH did not wait for BTC').toEqual(['btc:start', 'eth:run']);
    btcMayFinish.open();
    await btc;
  });

  it('acquires keys in sorted order, so opposite key orders cannot deadlock', async () => {
    const locks = new KeyedLock();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        locks.withLock(i % 2 === 0 ? ['ETH', 'BTC'] : ['BTC', 'ETH'], async () => {
          await Promise.resolve();
          return i;
        }),
      ),
    );
    expect(results).toHaveLength(20);
    expect(locks.isLocked('BTC') || locks.isLocked('ETH'), 'all released').toBe(false);
  });

  it('is re-entrant within one call chain', async () => {
    const locks = new KeyedLock();
    const value = await locks.withLock(['BTC'], () => locks.withLock(['BTC', 'USDC'], async () => 42));
    expect(value, 'a nested withLock on a held key does not deadlock').toBe(42);
    expect(locks.isLocked('USDC')).toBe(false);
  });

  it('releases the lock when the action throws', async () => {
    const locks = new KeyedLock();
    await expect(locks.withLock(['BTC'], async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(locks.isLocked('BTC')).toBe(false);
  });
});
