/**
 * The built-in MEXC market simulator. Everything else in this folder is
 * internal.
 */
export { startSimulator, type SimulatorOptions } from './startSimulator.js';
export type { SimulatorHandle } from './SimulatorHandle.js';
export type { StatsSnapshot } from './Stats.js';
export { SimClock } from './SimClock.js';
export {
  startSimulatorProcess,
  type SimulatorEndpoint,
  type SimulatorProcessOptions,
} from './simulatorProcess.js';
