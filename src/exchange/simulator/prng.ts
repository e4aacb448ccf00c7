/**
 * Seeded randomness for the market model. Internal to the simulator.
 *
 * mulberry32 is tiny, fast and good enough for a market model; every symbol owns its own
 * stream so the path of one symbol never depends on how many others exist or on request
 * timing. Hash helpers derive stable per-minute noise (spreads, book sizes) without state.
 */

/** 32-bit mix (splitmix-style finaliser) of any number of integers. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold in the low and high 32 bits so large integers (minute indices, times) mix fully.
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a of a string, for seeding per-name streams. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform in [0, 1) derived from the given integers, without any stream state. */
export function hashUnit(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** A seeded stream of uniforms and normals (mulberry32 + Box–Muller). */
export class Prng {
  #state: number;
  /** Second Box–Muller normal, or NaN. Always a number: a field that is sometimes undefined boxes every write. */
  #spare = Number.NaN;

  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const state = ((this.#state >>> 0) + 0x6d2b79f5) >>> 0;
    this.#state = state | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Fills `out[0..count)` with uniforms in [0, 1). Hot loops use this instead of calling
   * {@link next} repeatedly: numbers returned from a call that is not inlined are boxed, and
   * that garbage made V8 grow its young generation by tens of megabytes.
   */
  fill(out: Float64Array, count: number): void {
    let state = this.#state >>> 0;
    for (let i = 0; i < count; i++) {
      let t = (state = (state + 0x6d2b79f5) >>> 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    // Stored as int32: a uint32 above 2^31 is not a small integer, and storing it would box.
    this.#state = state | 0;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal. */
  normal(): number {
    if (!Number.isNaN(this.#spare)) {
      const spare = this.#spare;
      this.#spare = Number.NaN;
      return spare;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
