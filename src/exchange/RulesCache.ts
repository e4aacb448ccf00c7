/**
 * Trading rules cached with a time-to-live, for exchange adapters: rules are loaded at most once
 * per TTL (at least hourly), concurrent callers share one load, and a rules
 * error can invalidate the cache so the next read reloads.
 */
import type { SymbolRules } from '../domain/market.js';
import type { Clock } from '../common/clock.js';

/** Trading rules by symbol. */
export type RulesMap = ReadonlyMap<string, SymbolRules>;

/** How rules are loaded and for how long a load stays fresh. */
export interface RulesCacheOptions {
  readonly clock: Clock;
  readonly load: () => Promise<RulesMap>;
  readonly ttlMs: number;
}

/** @example const rules = await cache.get(); // loads on first use and after ttlMs */
export class RulesCache {
  readonly #clock: Clock;
  readonly #load: () => Promise<RulesMap>;
  readonly #ttlMs: number;
  #rules: RulesMap | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<RulesMap> | undefined;

  constructor(options: RulesCacheOptions) {
    this.#clock = options.clock;
    this.#load = options.load;
    this.#ttlMs = options.ttlMs;
  }

  /** Cached rules while fresh; otherwise loads (a failed load throws and keeps nothing new). */
  get(): Promise<RulesMap> {
    if (this.#rules && this.#clock.now() - this.#loadedAt < this.#ttlMs) return Promise.resolve(this.#rules);
    return this.#reload();
  }

  /** Loads now, whatever the age of the cache. */
  refresh(): Promise<RulesMap> {
    this.invalidate();
    return this.#reload();
  }

  /** Marks the cache stale so the next {@link get} reloads. */
  invalidate(): void {
    this.#loadedAt = Number.NEGATIVE_INFINITY;
  }

  #reload(): Promise<RulesMap> {
    this.#loading ??= this.#load()
      .then((rules) => {
        this.#rules = rules;
        this.#loadedAt = this.#clock.now();
        return rules;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}
