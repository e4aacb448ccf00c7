/**
 * Client order ids: at most 32 characters of `[A-Za-z0-9_-]`, unique
 * per order (time plus randomness), and prefixed so the bot's orders stand out on the exchange:
 * `ap` + a two-letter origin code + `_` + base-36 milliseconds + `_` + 10 random base-62 chars.
 *
 * @example newClientOrderId('accumulate', 1767225600000) // 'apac_mjuq3g00_x7Gk2PqL0a'
 */
import { randomBytes } from 'node:crypto';
import type { OrderOrigin } from '../domain/strategy.js';

const ORIGIN_CODES: Record<OrderOrigin, string> = {
  accumulate: 'ac',
  'take-profit': 'tp',
  scanner: 'sc',
  'alt-profit': 'al',
  'split-balance': 'sb',
  'core-balance': 'cb',
  manual: 'mn',
};

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The client order id shape MEXC accepts: up to 32 letters, digits, `_` or `-`. */
export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const BOT_ID = /^ap[a-z]{2}_[0-9a-z]+_[0-9A-Za-z]+$/;

/** Source of random bytes; injected in tests for determinism. */
export type RandomBytes = (size: number) => Uint8Array;

/**
 * A fresh, unique client order id that names the order's origin, so the bot can find its orders after any
 * doubt.
 */
export function newClientOrderId(
  origin: OrderOrigin,
  now: number,
  random: RandomBytes = randomBytes,
): string {
  const bytes = random(10);
  let tail = '';
  // 256 % 62 bias is irrelevant here: the tail only has to make ids unique, not secret.
  for (const b of bytes) tail += ALPHABET[b % ALPHABET.length];
  const id = `ap${ORIGIN_CODES[origin]}_${Math.max(0, Math.floor(now)).toString(36)}_${tail}`;
  if (!CLIENT_ORDER_ID_PATTERN.test(id)) throw new Error(`client order id ${id} breaks the exchange rules`);
  return id;
}

/** Whether an id has the bot's shape (it may still be unknown to this database). */
export function looksLikeBotClientOrderId(id: string | undefined): boolean {
  return id !== undefined && BOT_ID.test(id);
}
