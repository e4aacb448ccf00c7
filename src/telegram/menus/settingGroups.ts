/**
 * How the settings menu groups the registry: global, notifications, then one group per
 * strategy. Buttons carry short indexes (`g3`, `k17`), never keys, to stay far below the
 * 64-byte callback limit.
 */
import { SETTING_KEYS, type SettingKey } from '../../settings/definitions.js';
import { STRATEGY_IDS } from '../../domain/strategy.js';

/** A page of the settings menu and the settings on it. */
export interface SettingGroup {
  readonly id: string;
  readonly title: string;
  readonly keys: readonly SettingKey[];
}

function groupOf(key: string): string {
  const prefix = key.includes('.') ? key.slice(0, key.indexOf('.')) : '';
  if ((STRATEGY_IDS as readonly string[]).includes(prefix)) return prefix;
  if (prefix === 'notify') return 'notify';
  return 'general';
}

/** The pages of the settings menu: general, notifications, then one per strategy. */
export const SETTING_GROUPS: readonly SettingGroup[] = [
  { id: 'general', title: 'General' },
  { id: 'notify', title: 'Notifications' },
  ...STRATEGY_IDS.map((id) => ({ id, title: id })),
].map((g) => ({ ...g, keys: SETTING_KEYS.filter((k) => groupOf(k) === g.id) }));

/** The group index a payload points to: `g<n>` directly, `k<n>` through its key. */
export function groupFromPayload(payload: string | undefined): number | undefined {
  const g = /^g(\d{1,3})$/.exec(payload ?? '');
  if (g) return Number(g[1]) < SETTING_GROUPS.length ? Number(g[1]) : undefined;
  const key = keyFromPayload(payload);
  if (!key) return undefined;
  const gi = SETTING_GROUPS.findIndex((grp) => grp.keys.includes(key));
  return gi < 0 ? undefined : gi;
}

/** The setting a menu button's payload names, or undefined for a stale or forged one. */
export function keyFromPayload(payload: string | undefined): SettingKey | undefined {
  const k = /^k(\d{1,3})$/.exec(payload ?? '');
  return k ? SETTING_KEYS[Number(k[1])] : undefined;
}

/** The short payload a menu button carries for a setting, well within Telegram's callback data limit. */
export function keyPayload(key: SettingKey): string {
  return `k${SETTING_KEYS.indexOf(key)}`;
}

/** The parameter name shown inside its group (`scanner.minScore` → `minScore`). */
export function shortName(key: string, group: SettingGroup): string {
  return group.id !== 'general' && key.startsWith(`${group.id}.`) ? key.slice(group.id.length + 1) : key;
}
