/**
 * The names every layer shares for the bot's strategies: which strategies exist, how each may act
 * (place, ask, or only tell), and who asked for an order. They live in the domain so that storage,
 * settings and the executor can use them without depending on the strategies themselves.
 */

/** The six strategies, in the order the chat lists them. */
export const STRATEGY_IDS = [
  'accumulate',
  'take-profit',
  'scanner',
  'alt-profit',
  'split-balance',
  'core-balance',
] as const;
/** One of {@link STRATEGY_IDS}. */
export type StrategyId = (typeof STRATEGY_IDS)[number];

/** Whether a string from chat or storage names one of the strategies. */
export function isStrategyId(value: string): value is StrategyId {
  return (STRATEGY_IDS as readonly string[]).includes(value);
}

/** auto: place orders; confirm: ask the owner first; notify: only report what it would do. */
export const STRATEGY_MODES = ['auto', 'confirm', 'notify'] as const;
/** One of {@link STRATEGY_MODES}. */
export type StrategyMode = (typeof STRATEGY_MODES)[number];

/** Who asked for an order: a strategy, or the owner from chat. */
export type OrderOrigin = StrategyId | 'manual';
