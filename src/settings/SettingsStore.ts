/**
 * Runtime settings in SQLite. Reads are typed and always see the latest
 * written value (the in-process cache is updated on every write; this process is the only writer).
 * Writes are validated with the setting's zod schema and versioned in `settings_history`.
 */
import type { Db } from '../persistence/db.js';
import {
  SettingsRepository,
  type SettingChange,
  type SettingVersion,
} from '../persistence/SettingsRepository.js';
import type { Clock } from '../common/clock.js';
import { SETTINGS, isSettingKey, type SettingKey, type SettingValue } from './definitions.js';
import type { SettingDef } from './settingTypes.js';

/** The outcome of a write: the old and new value, or why the value was refused. */
export type SetResult =
  | {
      readonly ok: true;
      readonly key: SettingKey;
      readonly old: string;
      readonly new: string;
      readonly changed: boolean;
      /** The version written (absent when nothing changed). */
      readonly version?: number;
    }
  | { readonly ok: false; readonly key: string; readonly error: string };

/**
 * Conditions of a write. `expected`: the value the writer saw when it asked (a confirm screen, an
 * undo); if the setting changed since, the write is refused rather than silently overwriting the
 * newer value. `revertsId`: the version an undo restores, recorded with the new version.
 */
export interface SetOptions {
  readonly expected?: string;
  readonly revertsId?: number;
}

/** One setting's current value with whether it is the default. */
export interface SettingView {
  readonly key: SettingKey;
  readonly value: string;
  readonly isDefault: boolean;
  readonly def: SettingDef<unknown>;
}

type Listener = (change: SettingChange) => void;

/** Reads and writes the runtime settings, validating every write and keeping its history. */
export class SettingsStore {
  readonly #rows: SettingsRepository;
  readonly #clock: Clock;
  readonly #values = new Map<SettingKey, unknown>();
  readonly #listeners = new Set<Listener>();

  constructor(db: Db, clock: Clock) {
    this.#rows = new SettingsRepository(db);
    this.#clock = clock;
    for (const row of this.#rows.all()) {
      if (!isSettingKey(row.key)) continue; // a setting removed in a later version: ignored, kept in history
      const def = SETTINGS[row.key] as SettingDef<unknown>;
      const parsed = def.schema.safeParse(row.value);
      // A stored value that no longer passes its schema (range tightened) falls back to the default.
      if (parsed.success) this.#values.set(row.key, parsed.data);
    }
  }

  /** The current value of a setting, typed by its key. */
  get<K extends SettingKey>(key: K): SettingValue<K> {
    if (this.#values.has(key)) return this.#values.get(key) as SettingValue<K>;
    return SETTINGS[key].default as SettingValue<K>;
  }

  /** The current value as the owner would type it. */
  getText(key: SettingKey): string {
    return (SETTINGS[key] as SettingDef<unknown>).format(this.get(key));
  }

  /** Every setting whose key starts with `prefix` (all when empty), in declaration order. */
  list(prefix = ''): SettingView[] {
    return (Object.keys(SETTINGS) as SettingKey[])
      .filter((k) => k.startsWith(prefix))
      .map((key) => {
        const def = SETTINGS[key] as SettingDef<unknown>;
        const value = this.getText(key);
        // A value set back to its default is the default: no "changed" mark, no "↺ Default" button.
        return { key, value, isDefault: value === def.format(def.default), def };
      });
  }

  /** Parses without writing: the value the text would set, or why it is refused. */
  validate(key: string, text: string): { ok: true; value: string } | { ok: false; error: string } {
    if (!isSettingKey(key)) return { ok: false, error: unknownKeyMessage(key) };
    const def = SETTINGS[key] as SettingDef<unknown>;
    const parsed = def.schema.safeParse(text);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      return { ok: false, error: `${key}: ${why}${rangeHint(why, def)}` };
    }
    return { ok: true, value: def.format(parsed.data) };
  }

  /** Validates and writes a setting from the owner's text; records who, when, old and new. */
  set(key: string, text: string, actor: string, options: SetOptions = {}): SetResult {
    if (!isSettingKey(key)) return { ok: false, key, error: unknownKeyMessage(key) };
    const def = SETTINGS[key] as SettingDef<unknown>;
    const parsed = def.schema.safeParse(text);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      return { ok: false, key, error: `${key}: ${why}${rangeHint(why, def)}` };
    }
    const old = this.getText(key);
    if (options.expected !== undefined && options.expected !== old) {
      return {
        ok: false,
        key,
        error: `${key} changed since this was asked (now ${old}, not ${options.expected}), so nothing was changed`,
      };
    }
    const next = def.format(parsed.data);
    if (old === next && this.#values.has(key)) return { ok: true, key, old, new: next, changed: false };
    const change: SettingChange = {
      key,
      oldValue: old,
      newValue: next,
      actor,
      at: this.#clock.now(),
      ...(options.revertsId === undefined ? {} : { revertsId: options.revertsId }),
    };
    const version = this.#rows.write(change);
    this.#values.set(key, parsed.data);
    for (const listener of this.#listeners) listener(change);
    return { ok: true, key, old, new: next, changed: old !== next, version };
  }

  /** Versions of one setting (or all), newest first. */
  history(key?: string, limit = 50): SettingVersion[] {
    return this.#rows.history(key, limit);
  }

  /** One version by its number (what `/history` shows as `#12`), if it exists. */
  version(id: number): SettingVersion | undefined {
    return this.#rows.version(id);
  }

  /** Called after every successful change (e.g. to re-arm a schedule). */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The valid range or options, unless the schema's message already states them. */
function rangeHint(why: string, def: SettingDef<unknown>): string {
  return /within|one of/.test(why) ? '' : describeRange(def);
}

function describeRange(def: SettingDef<unknown>): string {
  if (def.min !== undefined && def.max !== undefined) {
    return ` (valid: ${def.min}…${def.max}${def.unit ? ` ${def.unit}` : ''})`;
  }
  if (def.options) return ` (valid: ${def.options.join(', ')})`;
  return '';
}

function unknownKeyMessage(key: string): string {
  const prefix = key.split('.')[0] ?? '';
  const near = (Object.keys(SETTINGS) as string[]).filter((k) => k.startsWith(prefix)).slice(0, 6);
  return `unknown setting "${key}"${near.length ? `; try ${near.join(', ')}` : '; /get lists every setting'}`;
}
