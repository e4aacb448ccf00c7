/**
 * The what-if contract between the replay engine and the chat: a setting change is replayed over
 * recent history twice (current value, proposed value) and both outcomes are returned side by side.
 * Amounts are decimal text so the chat formats them through the one formatter without re-parsing
 * floats.
 */

/** One side of a what-if comparison: what the strategy would have done with one value. */
export interface WhatIfColumn {
  /** The setting's value as text, as the owner would type it. */
  readonly value: string;
  /** Orders filled during the replay (buys and sells). */
  readonly trades: number;
  /** Realised PnL over the replayed span, decimal text in USDC. */
  readonly realisedUsdc: string;
  /** Unrealised PnL of what is still held at the end, decimal text in USDC. */
  readonly unrealisedUsdc: string;
  /** Fees paid during the replay, decimal text in USDC. */
  readonly feesUsdc: string;
  /** Portfolio value at the end of the span, decimal text in USDC. */
  readonly endValueUsdc: string;
  /** Largest peak-to-trough fall of the portfolio value, decimal text in percent. */
  readonly maxDrawdownPct: string;
  /** Intents the executor refused, counted by refusal reason. */
  readonly refusals: Readonly<Record<string, number>>;
}

/** What the chat asks for: replay `key` at its current value and at `proposed` over `days` days. */
export interface WhatIfRequest {
  /** The setting key, e.g. `scanner.minScore`. */
  readonly key: string;
  /** The proposed value as text, validated by the settings definitions before a replay starts. */
  readonly proposed: string;
  /** How many days of history back from now to replay. */
  readonly days: number;
}

/** Both outcomes of a what-if replay plus what the chat needs to present them honestly. */
export interface WhatIfResult {
  /** The setting key that was varied. */
  readonly key: string;
  /** The strategy the setting belongs to (the one that was replayed). */
  readonly strategy: string;
  /** The number of days requested. */
  readonly days: number;
  /** Start of the data span actually replayed (epoch ms). */
  readonly fromMs: number;
  /** End of the data span actually replayed (epoch ms). */
  readonly toMs: number;
  /** The outcome with the setting's current value. */
  readonly current: WhatIfColumn;
  /** The outcome with the proposed value. */
  readonly proposed: WhatIfColumn;
  /** Small PNG chart of both value lines, when it could be rendered. */
  readonly chartPng?: Uint8Array;
  /** What the replay assumes and cannot know (fill model, slippage, data span), one line each. */
  readonly assumptions: readonly string[];
}

/** Replays a setting change; runs off the main thread. */
export interface WhatIfRunner {
  /**
   * Replays the request's strategy with the current and the proposed value and resolves with both
   * columns; `onProgress` is called with a fraction in [0, 1] and a short label while it runs.
   */
  run(request: WhatIfRequest, onProgress?: (fraction: number, label: string) => void): Promise<WhatIfResult>;
}
