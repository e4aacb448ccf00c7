/**
 * Build step 2, the market and its time: the built-in simulator (in simulator mode) or nothing
 * (MEXC), the clock the whole process reads, and how waits pass. The simulator shares its clock
 * with the process, so a SIM_SPEED of 60 runs schedules, cooldowns and candles 60 times faster
 * together. `npm start` runs the simulator in a child process (its memory and CPU are not the
 * bot's); tests run it in their own process to drive it through its handle.
 */
import type { Config } from '../../config/config.js';
import {
  SimClock,
  startSimulator,
  startSimulatorProcess,
  type SimulatorEndpoint,
  type SimulatorHandle,
} from '../../exchange/simulator/index.js';
import { BACKGROUND_NICENESS } from '../../common/childPriority.js';
import { systemClock, type Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';

/**
 * Where the built-in simulator runs: `in-process` (the default; tests drive it through its
 * handle) or `child-process` (`npm start`: the bot only talks to it over loopback).
 */
export type SimulatorPlacement = 'in-process' | 'child-process';

/** Overrides for the built-in simulator (tests, benchmarks, the entry point). */
export interface SimulatorOverrides {
  readonly port?: number;
  readonly altcoins?: number;
  readonly placement?: SimulatorPlacement;
}

/**
 * Node flags of the simulator's child process: its V8 heap is small (the candle rings are typed
 * arrays outside it); a small young generation keeps the resident set close to the live data.
 */
const SIMULATOR_PROCESS_FLAGS = ['--max-semi-space-size=2'];

/** The clock, the pace of waits and, in simulator mode, the running simulator. */
export interface MarketStep {
  readonly clock: Clock;
  /** How many simulated milliseconds pass per real one (SIM_SPEED; 1 against MEXC or a given clock). */
  readonly speed: number;
  /** How waits (rate limits, retries) pass. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The simulator's controls, present in simulator mode when it runs in this process. */
  readonly simulator: SimulatorHandle | undefined;
  /** Where the bot reaches the simulator (either placement); absent against MEXC. */
  readonly endpoint: SimulatorEndpoint | undefined;
}

/** Starts the simulator when `EXCHANGE=simulator` and chooses the process's clock and sleep. */
export async function buildMarket(o: {
  readonly config: Pick<Config, 'exchange' | 'sim'>;
  /** A clock of the caller's (tests); otherwise the simulator's or the system clock. */
  readonly clock: Clock | undefined;
  /** A sleep of the caller's (tests with a manual clock); otherwise real time scaled by SIM_SPEED. */
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly simulator: SimulatorOverrides | undefined;
  readonly logger: Logger;
}): Promise<MarketStep> {
  let clock: Clock = o.clock ?? systemClock;
  let speed = 1;
  let simulator: SimulatorHandle | undefined;
  let endpoint: SimulatorEndpoint | undefined;
  if (o.config.exchange === 'simulator') {
    const simClock = o.clock ?? new SimClock({ speed: o.config.sim.speed });
    clock = simClock;
    speed = o.clock ? 1 : o.config.sim.speed;
    const common = {
      seed: o.config.sim.seed,
      speed: o.config.sim.speed,
      port: o.simulator?.port,
      altcoins: o.simulator?.altcoins,
    };
    if (o.simulator?.placement === 'child-process') {
      const logger = o.logger.child({ module: 'simulator' });
      endpoint = await startSimulatorProcess({
        ...common,
        clock: simClock,
        nodeFlags: SIMULATOR_PROCESS_FLAGS,
        priority: BACKGROUND_NICENESS,
        onUnexpectedExit: (how) =>
          logger.error({ how }, 'the simulator process ended; market requests fail until a restart'),
      });
    } else {
      simulator = await startSimulator({ ...common, clock: simClock });
      endpoint = simulator;
    }
  }
  const sleep =
    o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms / speed))));
  return { clock, speed, sleep, simulator, endpoint };
}
