/**
 * The simulator's clock: market time and server time in one place.
 *
 * In simulator mode the bot shares this clock, so one simulated minute passes for everybody at
 * the same moment. Time starts at `start` (default: the real time) and runs `speed` times
 * faster than the wall clock; it is monotonic because it is driven by `performance.now()` (the global one, so fake timers
 * in tests can drive it).
 */
import type { Clock } from '../../common/clock.js';

/** Market time running `speed` times faster than the wall clock, shared by the simulator and the bot. */
export class SimClock implements Clock {
  readonly speed: number;
  readonly #start: number;
  readonly #wallStart: number;

  constructor(opts: { speed: number; start?: number }) {
    if (!Number.isFinite(opts.speed) || opts.speed <= 0) {
      throw new RangeError(`SimClock speed must be a positive number, got ${opts.speed}`);
    }
    this.speed = opts.speed;
    this.#start = opts.start ?? Date.now();
    this.#wallStart = performance.now();
  }

  /** Simulated Unix milliseconds (an integer). */
  now(): number {
    return Math.floor(this.#start + (performance.now() - this.#wallStart) * this.speed);
  }
}
