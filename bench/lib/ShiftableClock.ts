/**
 * A clock that runs at real speed and can jump forward: benchmarks measure real latency and real
 * rate-limit waits, yet skip the quarter of an hour between two scans without waiting for it.
 * Monotonic; jumps only go forward.
 */
import type { Clock } from '../../src/common/clock.js';

export class ShiftableClock implements Clock {
  readonly #start: number;
  readonly #wallStart = performance.now();
  #offset = 0;

  constructor(start: number) {
    this.#start = start;
  }

  now(): number {
    return Math.floor(this.#start + (performance.now() - this.#wallStart) + this.#offset);
  }

  /** Jumps `ms` forward. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`a clock only jumps forward, got ${ms} ms`);
    this.#offset += ms;
  }

  /** Jumps to `time` (no-op when it is already past). */
  advanceTo(time: number): void {
    this.advance(Math.max(0, time - this.now()));
  }
}
