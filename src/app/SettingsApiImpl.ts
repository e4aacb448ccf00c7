/**
 * Settings use cases for chat: SettingsStore plus what a settings screen shows (default, valid
 * range), the −/+ step arithmetic (in decimals, clamped to the setting's range), and changes that
 * wait for the owner's confirmation. Chat never writes a setting directly: every change — `/set`,
 * a menu button, a typed value, a what-if's proposal, an undo — is proposed here and written by
 * the one confirmation service, as a confirmation of kind `setting`.
 */
import { dec, maxDec, minDec, toWire } from '../domain/money.js';
import type { ConfirmationStore } from '../execution/ConfirmationStore.js';
import { SETTINGS, isSettingKey, type SettingKey } from '../settings/definitions.js';
import type { SettingVersion } from '../persistence/SettingsRepository.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';
import type { SettingDef } from '../settings/settingTypes.js';
import type { SettingsApi } from './AppApi.js';
import type { Actor, ProposeSettingResult, SettingInfo } from './appViews.js';

/** The confirmation kind of a setting change. */
export const SETTING_CONFIRMATION = 'setting';

/** What a `setting` confirmation writes: the value, the value the owner saw, the version undone. */
interface SettingPayload {
  readonly key: string;
  readonly value: string;
  readonly expected: string;
  readonly revertsId?: number;
}

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
  readonly #confirmations: ConfirmationStore;
  readonly #clock: Clock;

  constructor(store: SettingsStore, confirmations: ConfirmationStore, clock: Clock) {
    this.#store = store;
    this.#confirmations = confirmations;
    this.#clock = clock;
    confirmations.registerHandler(SETTING_CONFIRMATION, async (payload, actor) => {
      const p = JSON.parse(payload) as SettingPayload;
      const r = store.set(p.key, p.value, actor, {
        expected: p.expected,
        ...(p.revertsId === undefined ? {} : { revertsId: p.revertsId }),
      });
      if (!r.ok) return { ok: false, detail: r.error };
      return { ok: true, detail: `${r.key}: ${r.old} → ${r.new} (version #${r.version})`, result: r };
    });
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

  step(key: SettingKey, direction: 1 | -1, from?: string): string | undefined {
    const def = SETTINGS[key] as SettingDef<unknown>;
    if ((def.kind !== 'decimal' && def.kind !== 'int') || def.step === undefined) return undefined;
    const current = dec(from ?? this.#store.getText(key));
    let next = current.plus(dec(def.step).times(direction));
    if (def.min !== undefined) next = maxDec(next, dec(def.min));
    if (def.max !== undefined) next = minDec(next, dec(def.max));
    return def.kind === 'int' ? next.toFixed(0) : toWire(next);
  }

  history(key?: string, limit?: number): SettingVersion[] {
    return this.#store.history(key, limit);
  }

  proposeChange(key: string, text: string): ProposeSettingResult {
    const check = this.#store.validate(key, text);
    if (!check.ok) return { ok: false, error: `${check.error}. Nothing changed.` };
    const k = key as SettingKey; // validate() accepted it, so it is a known key
    const old = this.#store.getText(k);
    if (old === check.value) return { ok: false, error: `${k} is already ${old}: nothing to change.` };
    return this.#propose({ key: k, value: check.value, expected: old }, `${k}: ${old} → ${check.value}`);
  }

  async adjustProposal(
    confirmationId: string,
    direction: 1 | -1,
    actor: Actor,
  ): Promise<ProposeSettingResult> {
    const c = this.#confirmations.get(confirmationId);
    if (!c || c.kind !== SETTING_CONFIRMATION) return { ok: false, error: 'This button is no longer valid.' };
    if (c.resolvedAt !== undefined || this.#clock.now() >= c.expiresAt) {
      return { ok: false, error: 'This change was already answered or expired.' };
    }
    const p = JSON.parse(c.payload) as SettingPayload;
    // An undo restores one exact value; stepping it would make it another change.
    if (p.revertsId !== undefined || !isSettingKey(p.key))
      return { ok: false, error: 'This value has no steps.' };
    const next = this.step(p.key, direction, p.value);
    if (next === undefined) return { ok: false, error: `${p.key} has no steps.` };
    if (next === p.value)
      return { ok: false, error: `${p.key} cannot go ${direction > 0 ? 'above' : 'below'} ${p.value}.` };
    const proposed = this.proposeChange(p.key, next);
    // The screen now shows the new proposal: the old one is skipped so it can never be saved.
    if (proposed.ok) await this.#confirmations.resolve(confirmationId, 'skip', actor, this.#clock.now());
    return proposed;
  }

  proposeUndo(id: number): ProposeSettingResult {
    const v = this.#store.version(id);
    if (!v) return { ok: false, error: `There is no change #${id} in the settings history.` };
    if (!isSettingKey(v.key))
      return { ok: false, error: `${v.key} is no longer a setting: #${id} cannot be undone.` };
    const current = this.#store.getText(v.key);
    if (current !== v.newValue) {
      return {
        ok: false,
        error: `${v.key} is now ${current}, no longer ${v.newValue} as #${id} set it: undoing #${id} would overwrite a later change, so nothing changed. /history ${v.key} shows the later changes.`,
      };
    }
    const def = SETTINGS[v.key] as SettingDef<unknown>;
    const target = v.oldValue ?? def.format(def.default);
    const check = this.#store.validate(v.key, target);
    if (!check.ok) return { ok: false, error: `#${id} cannot be undone: ${check.error}. Nothing changed.` };
    return this.#propose(
      { key: v.key, value: check.value, expected: current, revertsId: id },
      `Undo #${id}: ${v.key} ${current} → ${check.value}`,
    );
  }

  proposal(
    confirmationId: string,
  ):
    { readonly key: string; readonly old: string; readonly new: string; readonly open: boolean } | undefined {
    const c = this.#confirmations.get(confirmationId);
    if (!c || c.kind !== SETTING_CONFIRMATION) return undefined;
    const p = JSON.parse(c.payload) as SettingPayload;
    return {
      key: p.key,
      old: p.expected,
      new: p.value,
      open: c.resolvedAt === undefined && this.#clock.now() < c.expiresAt,
    };
  }

  #propose(payload: SettingPayload & { readonly key: SettingKey }, summary: string): ProposeSettingResult {
    const c = this.#confirmations.create({
      kind: SETTING_CONFIRMATION,
      payload: JSON.stringify(payload),
      summary,
    });
    return {
      ok: true,
      confirmation: { id: c.id, kind: c.kind, summary: c.summary, expiresAt: c.expiresAt },
      key: payload.key,
      old: payload.expected,
      new: payload.value,
      ...(payload.revertsId === undefined ? {} : { revertsId: payload.revertsId }),
    };
  }
}
