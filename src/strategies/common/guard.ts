/**
 * Defence in depth for `<id>.enabled` and `paused`: the scheduler already skips disabled or
 * paused strategies, but `decide` refuses as well so a stray call can never trade.
 */
import type { Decision, SettingsReader } from '../contract.js';
import type { StrategyId } from '../../domain/strategy.js';

const ENABLED_KEY = {
  accumulate: 'accumulate.enabled',
  'take-profit': 'take-profit.enabled',
  scanner: 'scanner.enabled',
  'alt-profit': 'alt-profit.enabled',
  'split-balance': 'split-balance.enabled',
  'core-balance': 'core-balance.enabled',
} as const satisfies Record<StrategyId, string>;

/** Why the strategy must not act now (disabled or paused), or undefined when it may. */
export function inactiveReason(id: StrategyId, settings: SettingsReader): string | undefined {
  if (settings.get('paused')) return `${id}: all strategies are paused; nothing placed`;
  if (!settings.get(ENABLED_KEY[id])) return `${id} is disabled (${ENABLED_KEY[id]} = off); nothing placed`;
  return undefined;
}

/** A decision with no intents and the reason as its only note, or undefined when active. */
export function inactiveDecision(id: StrategyId, settings: SettingsReader): Decision | undefined {
  const why = inactiveReason(id, settings);
  return why === undefined ? undefined : { intents: [], notes: [why] };
}
