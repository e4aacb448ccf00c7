/**
 * Fake time for code that takes a Clock and a sleep function: sleeps resolve only when the test
 * advances the clock, so "nothing happens before X" is asserted without wall-clock timing.
 */
import { ManualClock } from '../../src/common/clock.js';

interface Sleeper {
  readonly until: number;
  readonly resolve: () => void;
}

export class FakeTime {
  readonly clock: ManualClock;
  readonly #sleepers: Sleeper[] = [];
  /** Every duration passed to sleep(), in call order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.clock = new ManualClock(start);
  }

  /** A sleep that waits for {@link advance}. */
  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => {
      this.#sleepers.push({ until: this.clock.now() + ms, resolve });
    });
  };

  /** A sleep that moves the clock forward at once (for tests that only care about order). */
  readonly autoSleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.clock.advance(ms);
    return Promise.resolve();
  };

  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** Moves the clock and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.clock.advance(ms);
    const now = this.clock.now();
    for (let i = this.#sleepers.length - 1; i >= 0; i--) {
      const sleeper = this.#sleepers[i]!;
      if (sleeper.until <= now) {
        this.#sleepers.splice(i, 1);
        sleeper.resolve();
      }
    }
  }
}

/**
 * Lets pending I/O and promises run until `condition` holds; fails after a bounded number of
 * turns. Used to wait for a state, never to measure time.
 */
export async function settle(condition: () => boolean, what: string, maxTurns = 500): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`condition not reached: ${what}`);
}
