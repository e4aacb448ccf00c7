/**
 * Request and weight counters of the simulator, for tests and benchmarks (`handle.stats`).
 */

export interface StatsSnapshot {
  requests: number;
  /** Weight booked against the rate limit (requests answered 429 book none). */
  weight: number;
  byEndpoint: Record<string, { requests: number; weight: number }>;
  rejected429: number;
}

/** Counts requests, weight and 429 refusals per endpoint for tests and benchmarks. */
export class Stats {
  #snapshot: StatsSnapshot = Stats.#empty();

  static #empty(): StatsSnapshot {
    return { requests: 0, weight: 0, byEndpoint: {}, rejected429: 0 };
  }

  #endpoint(endpoint: string): { requests: number; weight: number } {
    const entry = (this.#snapshot.byEndpoint[endpoint] ??= { requests: 0, weight: 0 });
    return entry;
  }

  request(endpoint: string): void {
    this.#snapshot.requests++;
    this.#endpoint(endpoint).requests++;
  }

  weight(endpoint: string, weight: number): void {
    this.#snapshot.weight += weight;
    this.#endpoint(endpoint).weight += weight;
  }

  rejected(): void {
    this.#snapshot.rejected429++;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.#snapshot);
  }

  reset(): void {
    this.#snapshot = Stats.#empty();
  }
}
