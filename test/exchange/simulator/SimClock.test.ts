import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimClock } from '../../../src/exchange/simulator/index.js';

describe('SimClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at the given time and runs `speed` times faster than the wall clock', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const clock = new SimClock({ speed: 60, start: 1_000_000 });
    expect(clock.now(), 'no wall time has passed yet').toBe(1_000_000);
    vi.advanceTimersByTime(1000);
    expect(clock.now(), 'one wall second is one simulated minute at speed 60').toBe(1_060_000);
    expect(clock.speed).toBe(60);
  });

  it('defaults the start to the real time', () => {
    const before = Date.now();
    const clock = new SimClock({ speed: 1 });
    expect(clock.now(), 'starts near Date.now()').toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThan(before + 60_000);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => new SimClock({ speed: 0 }), 'speed 0 would freeze the market').toThrow(/speed/);
    expect(() => new SimClock({ speed: Number.NaN })).toThrow(/speed/);
  });
});
