/**
 * Per-asset locks, for the one-actor-per-asset rule (docs/safety-rules.md): strategies, the executor and chat
 * commands that trade the same asset take the same key, so only one actor at a time decides and places orders
 * on it.
 *
 * `withLock(keys, fn)` acquires every key in sorted order (two callers can never each hold one key
 * the other waits for) and releases them when `fn` settles. The lock is re-entrant within one
 * async call chain: a chat command holding `BTC` may call the executor, which takes `BTC` again,
 * without deadlocking. Concurrent chains still queue in arrival order (async-mutex is FIFO).
 *
 * @example await locks.withLock(['BTC', 'USDC'], () => executor.execute(intent));
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Mutex } from 'async-mutex';

/** Lets one actor at a time decide and trade on an asset; re-entrant within one async call chain. */
export class KeyedLock {
  readonly #mutexes = new Map<string, Mutex>();
  readonly #held = new AsyncLocalStorage<ReadonlySet<string>>();

  async withLock<T>(keys: readonly string[], fn: () => Promise<T> | T): Promise<T> {
    const already = this.#held.getStore() ?? new Set<string>();
    const wanted = [...new Set(keys)].filter((k) => !already.has(k)).sort();
    const releases: (() => void)[] = [];
    try {
      for (const key of wanted) releases.push(await this.#mutex(key).acquire());
      const held = new Set([...already, ...wanted]);
      return await this.#held.run(held, fn);
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Whether `key` is held by anyone right now (for /status and tests). */
  isLocked(key: string): boolean {
    return this.#mutexes.get(key)?.isLocked() ?? false;
  }

  #mutex(key: string): Mutex {
    let mutex = this.#mutexes.get(key);
    if (!mutex) {
      mutex = new Mutex();
      this.#mutexes.set(key, mutex);
    }
    return mutex;
  }
}
