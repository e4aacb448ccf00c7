/**
 * The one pause model (the `paused` setting, /pause, /resume and the /panic kill switch), shared by the chat, the kill
 * switch, the scheduler (which skips paused strategies' runs) and the executor (which refuses their
 * orders). The global flag is the `paused` setting; per-strategy pauses live in `strategy_state`, so
 * both survive restarts. Pausing is not the same as switching a strategy off (`<id>.enabled`): a
 * resume never switches anything on. Every change is written to the audit trail with its actor.
 */
import type { StrategyStateRepository } from '../persistence/StrategyStateRepository.js';
import type { Clock } from '../common/clock.js';
import { STRATEGY_IDS, isStrategyId, type StrategyId } from '../domain/strategy.js';
import type { SettingsReader } from '../strategies/contract.js';
import type { EventSink } from '../domain/events.js';

/** The part of SettingsStore pausing needs. */
export interface PauseSettings extends SettingsReader {
  set(key: 'paused', text: string, actor: string): unknown;
}

/** What /pause and /resume act on: one strategy, or all of them. */
export type PauseTarget = StrategyId | 'all';

const KEY = 'paused';

/** Reads and changes the global and per-strategy pauses. */
export class PauseState {
  readonly #clock: Clock;
  readonly #events: EventSink;
  readonly #settings: PauseSettings;
  readonly #state: StrategyStateRepository;

  constructor(options: {
    readonly clock: Clock;
    readonly events: EventSink;
    readonly settings: PauseSettings;
    readonly state: StrategyStateRepository;
  }) {
    this.#clock = options.clock;
    this.#events = options.events;
    this.#settings = options.settings;
    this.#state = options.state;
  }

  isGloballyPaused(): boolean {
    return this.#settings.get('paused');
  }

  /** Whether `id` must not run: paused globally or on its own. */
  isPaused(id: StrategyId): boolean {
    return this.isGloballyPaused() || this.#pausedAlone(id);
  }

  /** Strategies paused on their own (not counting the global flag). */
  pausedStrategies(): StrategyId[] {
    return this.#state.strategiesWith(KEY, 'on').filter(isStrategyId);
  }

  /** `all` sets the global flag; a strategy id pauses that strategy only. False when already so. */
  pause(target: PauseTarget, actor: string): { changed: boolean } {
    const changed = target === 'all' ? !this.isGloballyPaused() : !this.#pausedAlone(target);
    if (target === 'all') this.#settings.set('paused', 'on', actor);
    else this.#state.set(target, KEY, 'on', this.#clock.now());
    this.#audit('pause', target, actor);
    return { changed };
  }

  /** Pauses every strategy individually and globally (the kill switch). */
  pauseEverything(actor: string): StrategyId[] {
    for (const id of STRATEGY_IDS) this.#state.set(id, KEY, 'on', this.#clock.now());
    this.#settings.set('paused', 'on', actor);
    this.#audit('pause', 'all', actor);
    return [...STRATEGY_IDS];
  }

  /**
   * `all` clears the global flag and every strategy's own pause; a strategy id clears that
   * strategy's pause (it still waits while the global flag is on, reported as `stillPausedGlobally`).
   */
  resume(target: PauseTarget, actor: string): { changed: boolean; stillPausedGlobally: boolean } {
    const changed =
      target === 'all'
        ? this.isGloballyPaused() || this.pausedStrategies().length > 0
        : this.#pausedAlone(target);
    if (target === 'all') {
      this.#settings.set('paused', 'off', actor);
      for (const id of STRATEGY_IDS) this.#state.delete(id, KEY);
    } else {
      this.#state.delete(target, KEY);
    }
    this.#audit('resume', target, actor);
    return { changed, stillPausedGlobally: target !== 'all' && this.isGloballyPaused() };
  }

  #pausedAlone(id: StrategyId): boolean {
    return this.#state.get(id, KEY) === 'on';
  }

  #audit(action: 'pause' | 'resume', target: PauseTarget, actor: string): void {
    this.#events.audit({
      type: `strategy.${action}`,
      severity: 'info',
      origin: target === 'all' ? undefined : target,
      message: `${action} ${target} by ${actor}`,
      data: { actor, target },
    });
  }
}
