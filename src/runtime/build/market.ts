/**
 * Build step 2, the market and its time: the built-in simulator (in simulator mode) or nothing
 * (MEXC), the clock the whole process reads, and how waits pass. The simulator shares its clock
 * with the process, so a SIM_SPEED of 60 runs schedules, cooldowns and candles 60 times faster
 * together.
 */
import type { Config } from '../../config/config.js';
import { SimClock, startSimulator, type SimulatorHandle } from '../../exchange/simulator/index.js';
import { systemClock, type Clock } from '../../common/clock.js';

/** The clock, the pace of waits and, in simulator mode, the running simulator. */
export interface MarketStep {
  readonly clock: Clock;
  /** How many simulated milliseconds pass per real one (SIM_SPEED; 1 against MEXC or a given clock). */
  readonly speed: number;
  /** How waits (rate limits, retries) pass. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Present in simulator mode. */
  readonly simulator: SimulatorHandle | undefined;
}

/** Starts the simulator when `EXCHANGE=simulator` and chooses the process's clock and sleep. */
export async function buildMarket(o: {
  readonly config: Pick<Config, 'exchange' | 'sim'>;
  /** A clock of the caller's (tests); otherwise the simulator's or the system clock. */
  readonly clock: Clock | undefined;
  /** A sleep of the caller's (tests with a manual clock); otherwise real time scaled by SIM_SPEED. */
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly simulator: { readonly port?: number; readonly altcoins?: number } | undefined;
}): Promise<MarketStep> {
  let clock: Clock = o.clock ?? systemClock;
  let speed = 1;
  let simulator: SimulatorHandle | undefined;
  if (o.config.exchange === 'simulator') {
    const simClock = o.clock ?? new SimClock({ speed: o.config.sim.speed });
    clock = simClock;
    speed = o.clock ? 1 : o.config.sim.speed;
    simulator = await startSimulator({
      seed: o.config.sim.seed,
      speed: o.config.sim.speed,
      clock: simClock,
      port: o.simulator?.port,
      altcoins: o.simulator?.altcoins,
    });
  }
  const sleep =
    o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms / speed))));
  return { clock, speed, sleep, simulator };
}
