/**
 * What-if from chat: checks a proposed setting value (a bad key, value or day count is answered
 * and nothing runs), runs one replay at a time through the engine's {@link WhatIfRunner} (a second
 * request while one runs is told so, never queued behind it), and keeps the recent results per
 * setting, current and proposed value and data span, so asking again for the same span answers at
 * once.
 */
import type { WhatIfRequest, WhatIfResult, WhatIfRunner } from '../replay/whatIf.js';
import type { SettingKey } from '../settings/definitions.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import type { Clock } from '../common/clock.js';
import type { WhatIfApi } from './AppApi.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Results kept: a few settings tried back and forth; each is a few hundred bytes plus its chart. */
const CACHE_SIZE = 16;

/** A checked what-if: the request to run, the value it is compared with and the span it covers. */
export interface WhatIfPlan {
  readonly request: WhatIfRequest;
  /** The setting's value now, the left column. */
  readonly current: string;
  /**
   * The data span replayed: the `days` up to the last whole minute (the candles' width), so two
   * requests in the same minute replay the same candles.
   */
  readonly fromMs: number;
  readonly toMs: number;
}

/** A what-if request checked, or why it was refused (nothing runs). */
export type WhatIfCheck =
  { readonly ok: true; readonly plan: WhatIfPlan } | { readonly ok: false; readonly error: string };

/** What starting a what-if did. */
export type WhatIfStart =
  /** The same setting, values and span were replayed before: the result at once. */
  | { readonly status: 'cached'; readonly result: WhatIfResult }
  /** Started; `done` settles when the replay ends (never awaited by a chat handler). */
  | { readonly status: 'started'; readonly done: Promise<WhatIfResult> }
  /** Another replay is running; one at a time keeps the machine free for trading. */
  | { readonly status: 'busy'; readonly running: WhatIfRequest; readonly fraction: number };

/** Checks, runs one at a time, and caches what-if replays. */
export class WhatIfApiImpl implements WhatIfApi {
  readonly #runner: WhatIfRunner;
  readonly #settings: SettingsStore;
  readonly #clock: Clock;
  readonly #cache = new Map<string, WhatIfResult>();
  #running: { readonly request: WhatIfRequest; fraction: number } | undefined;

  constructor(options: {
    readonly runner: WhatIfRunner;
    readonly settings: SettingsStore;
    readonly clock: Clock;
  }) {
    this.#runner = options.runner;
    this.#settings = options.settings;
    this.#clock = options.clock;
  }

  /**
   * Checks `key`, `value` (the owner's text) and `daysText` (empty: `whatIf.days`) and plans the
   * replay; the error names what is wrong and the valid range.
   */
  check(key: string, value: string, daysText = ''): WhatIfCheck {
    const valid = this.#settings.validate(key, value);
    if (!valid.ok) return { ok: false, error: `${valid.error}. Nothing was replayed.` };
    let days = this.#settings.get('whatIf.days');
    if (daysText.trim() !== '') {
      // The day count obeys the range of the default's setting (the candles kept).
      const d = this.#settings.validate('whatIf.days', daysText);
      if (!d.ok)
        return { ok: false, error: `days: ${d.error.replace(/^whatIf\.days: /, '')}. Nothing was replayed.` };
      days = Number(d.value);
    }
    const current = this.#settings.getText(key as SettingKey); // validate() accepted it
    if (current === valid.value) {
      return { ok: false, error: `${key} is already ${current}: there is nothing to compare it with.` };
    }
    const toMs = Math.floor(this.#clock.now() / MINUTE_MS) * MINUTE_MS;
    return {
      ok: true,
      plan: { request: { key, proposed: valid.value, days }, current, fromMs: toMs - days * DAY_MS, toMs },
    };
  }

  /** Starts the planned replay, answers it from the cache, or says another one is running. */
  start(plan: WhatIfPlan, onProgress?: (fraction: number, label: string) => void): WhatIfStart {
    const cacheKey = keyOf(plan);
    const cached = this.#cache.get(cacheKey);
    if (cached) return { status: 'cached', result: cached };
    if (this.#running) {
      return { status: 'busy', running: this.#running.request, fraction: this.#running.fraction };
    }
    const running = { request: plan.request, fraction: 0 };
    this.#running = running;
    // Through a resolved promise, so even a runner that throws at once settles `done` (and frees the slot).
    const done = Promise.resolve()
      .then(() =>
        this.#runner.run(plan.request, (fraction, label) => {
          running.fraction = fraction;
          onProgress?.(fraction, label);
        }),
      )
      .then((result) => {
        this.#remember(cacheKey, result);
        return result;
      })
      .finally(() => {
        this.#running = undefined;
      });
    return { status: 'started', done };
  }

  #remember(cacheKey: string, result: WhatIfResult): void {
    this.#cache.delete(cacheKey);
    this.#cache.set(cacheKey, result);
    // Oldest first in a Map: drop the least recently stored beyond the cap.
    for (const old of this.#cache.keys()) {
      if (this.#cache.size <= CACHE_SIZE) break;
      this.#cache.delete(old);
    }
  }
}

function keyOf(plan: WhatIfPlan): string {
  const { key, proposed, days } = plan.request;
  return JSON.stringify([key, plan.current, proposed, days, plan.toMs]);
}
