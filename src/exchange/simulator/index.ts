/**
 * The built-in MEXC market simulator (product.md §5.3). Everything else in this folder is
 * internal.
 */
export { startSimulator, type SimulatorOptions } from './startSimulator.js';
export type { SimulatorHandle } from './SimulatorHandle.js';
export type { StatsSnapshot } from './Stats.js';
export { SimClock } from './SimClock.js';
