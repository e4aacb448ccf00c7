/**
 * User-data stream listen keys of the simulated account: created, extended to 60 minutes of
 * clock time, deleted, and expired on demand by tests. Internal to the simulator.
 *
 * Expiry is checked against the simulator clock, so a test that jumps a manual clock by an
 * hour expires every key it has not extended, exactly as MEXC would.
 */
import { randomBytes } from 'node:crypto';
import { SimApiError } from './wire.js';

/** How long a key lives after its creation or last extension (MEXC: 60 min). */
export const LISTEN_KEY_TTL_MS = 60 * 60_000;
/** MEXC allows at most 60 keys per account. */
export const MAX_LISTEN_KEYS = 60;

/**
 * UNCONFIRMED: MEXC's answer to an unknown or expired key (HTTP 400 with Binance's −1125 here)
 * and to a 61st key.
 */
const unknownKey = (): SimApiError => new SimApiError({ code: -1125, msg: 'This listenKey does not exist.' });
const tooManyKeys = (): SimApiError =>
  new SimApiError({ code: 730001, msg: `at most ${MAX_LISTEN_KEYS} listen keys per account` });

/** The account's listen keys and when each expires. */
export class ListenKeys {
  readonly #expiresAt = new Map<string, number>();
  /** Every key ever created, for tests that look for keys where none may appear. */
  readonly #issued: string[] = [];
  /** Called when a key stops being valid (deleted or expired), so its streams are closed. */
  onInvalid: ((listenKey: string) => void) | undefined;

  create(now: number): string {
    this.sweep(now);
    if (this.#expiresAt.size >= MAX_LISTEN_KEYS) throw tooManyKeys();
    const key = randomBytes(32).toString('hex');
    this.#expiresAt.set(key, now + LISTEN_KEY_TTL_MS);
    this.#issued.push(key);
    return key;
  }

  extend(listenKey: string, now: number): void {
    if (!this.isValid(listenKey, now)) throw unknownKey();
    this.#expiresAt.set(listenKey, now + LISTEN_KEY_TTL_MS);
  }

  delete(listenKey: string, now: number): void {
    if (!this.isValid(listenKey, now)) throw unknownKey();
    this.#invalidate(listenKey);
  }

  isValid(listenKey: string, now: number): boolean {
    const expiresAt = this.#expiresAt.get(listenKey);
    if (expiresAt === undefined) return false;
    if (now < expiresAt) return true;
    this.#invalidate(listenKey);
    return false;
  }

  /** Expires every key whose time has come (called by the stream server's tick). */
  sweep(now: number): void {
    for (const [key, expiresAt] of this.#expiresAt) if (now >= expiresAt) this.#invalidate(key);
  }

  /** Fault: every current key expires now. */
  expireAll(): void {
    for (const key of [...this.#expiresAt.keys()]) this.#invalidate(key);
  }

  /** Every key created so far, valid or not (for tests). */
  issued(): readonly string[] {
    return [...this.#issued];
  }

  /** Keys currently valid (for tests). */
  count(now: number): number {
    this.sweep(now);
    return this.#expiresAt.size;
  }

  #invalidate(listenKey: string): void {
    if (this.#expiresAt.delete(listenKey)) this.onInvalid?.(listenKey);
  }
}
