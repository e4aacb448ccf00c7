/**
 * Settings use cases for chat: SettingsStore plus what a settings screen shows (default, valid
 * range) and the −/+ step arithmetic, in decimals and clamped to the setting's range.
 */
import { dec, maxDec, minDec, toWire } from '../domain/money.js';
import { SETTINGS, isSettingKey, type SettingKey } from '../settings/definitions.js';
import type { SettingChange } from '../persistence/SettingsRepository.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { SettingDef } from '../settings/settingTypes.js';
import type { SettingsApi } from './AppApi.js';
import type { Actor, SetSettingResult, SettingInfo } from './appViews.js';

/** "0…100 %" for numbers, "auto, confirm, notify" for choices. */
export function validText(def: SettingDef<unknown>): string | undefined {
  if (def.min !== undefined && def.max !== undefined) {
    return `${def.min}…${def.max}${def.unit ? ` ${def.unit}` : ''}`;
  }
  if (def.options) return def.options.join(', ');
  if (def.kind === 'bool') return 'on, off';
  return undefined;
}

/**
 * The settings part of the chat API: reads, validated writes and the −/+ steps, over the versioned settings
 * store.
 */
export class SettingsApiImpl implements SettingsApi {
  readonly #store: SettingsStore;

  constructor(store: SettingsStore) {
    this.#store = store;
  }

  list(prefix = ''): SettingInfo[] {
    return this.#store.list(prefix).map((v) => ({
      key: v.key,
      value: v.value,
      isDefault: v.isDefault,
      defaultText: v.def.format(v.def.default),
      def: v.def,
      validText: validText(v.def),
    }));
  }

  get(key: string): SettingInfo | undefined {
    if (!isSettingKey(key)) return undefined;
    return this.list(key).find((s) => s.key === key);
  }

  validate(key: string, text: string): { ok: true; value: string } | { ok: false; error: string } {
    return this.#store.validate(key, text);
  }

  set(key: string, text: string, actor: Actor): SetSettingResult {
    const r = this.#store.set(key, text, actor);
    return r.ok ? { ok: true, key: r.key, old: r.old, new: r.new, changed: r.changed } : r;
  }

  step(key: SettingKey, direction: 1 | -1): string | undefined {
    const def = SETTINGS[key] as SettingDef<unknown>;
    if ((def.kind !== 'decimal' && def.kind !== 'int') || def.step === undefined) return undefined;
    const current = dec(this.#store.getText(key));
    let next = current.plus(dec(def.step).times(direction));
    if (def.min !== undefined) next = maxDec(next, dec(def.min));
    if (def.max !== undefined) next = minDec(next, dec(def.max));
    return def.kind === 'int' ? next.toFixed(0) : toWire(next);
  }

  history(key?: string, limit?: number): SettingChange[] {
    return this.#store.history(key, limit);
  }
}
