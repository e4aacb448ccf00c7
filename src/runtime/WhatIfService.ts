/**
 * The chat's what-if: replays the strategy a setting belongs to over the last days twice — with
 * the setting's current value and with the proposed one — in a child process, and returns both
 * outcomes side by side with a small chart of the two value lines. The live settings are only
 * read (the replay applies the proposed value in its own store); the candles the span needs are
 * read locally first and the missing ones fetched at background priority before the child starts.
 * A refused key, value or span rejects with a {@link ReplayRequestError} saying why.
 */
import type { Db } from '../persistence/db.js';
import { replayAssumptions } from '../replay/assumptions.js';
import type { ReplayOutcome, ReplaySpec } from '../replay/replaySpec.js';
import type { WhatIfColumn, WhatIfRequest, WhatIfResult, WhatIfRunner } from '../replay/whatIf.js';
import type { Clock } from '../common/clock.js';
import { runReplaysInChild } from './replayProcess.js';
import {
  buildReplaySpec,
  prepareCandles,
  ReplayRequestError,
  strategiesOfSetting,
  type ReplaySource,
} from './replaySetup.js';

/** The live state, database and clock a what-if reads. */
export interface WhatIfServiceOptions {
  readonly source: ReplaySource;
  readonly clock: Clock;
  /** The database the candles are kept in (the replay process opens it read-only, or its image when in memory). */
  readonly db: Db;
  readonly databasePath: string;
}

/** Share of the progress bar the candle download takes; the two replays share the rest. */
const CANDLES_SHARE = 0.2;

/** One column of the comparison from one replay. */
function columnOf(value: string, outcome: ReplayOutcome): WhatIfColumn {
  return {
    value,
    trades: Object.values(outcome.tradesByStrategy).reduce((a, b) => a + b, 0),
    realisedUsdc: outcome.realisedUsdc,
    unrealisedUsdc: outcome.unrealisedUsdc,
    feesUsdc: outcome.feesUsdc,
    endValueUsdc: outcome.endValueUsdc,
    maxDrawdownPct: outcome.maxDrawdownPct,
    refusals: outcome.refusals,
  };
}

/** Runs what-if replays off the main thread; see the module comment. */
export class WhatIfService implements WhatIfRunner {
  readonly #o: WhatIfServiceOptions;

  constructor(options: WhatIfServiceOptions) {
    this.#o = options;
  }

  async run(
    request: WhatIfRequest,
    onProgress?: (fraction: number, label: string) => void,
  ): Promise<WhatIfResult> {
    const { source, clock } = this.#o;
    const strategies = strategiesOfSetting(request.key);
    const current = source.settings.list().find((s) => s.key === request.key);
    if (!current) {
      const checked = source.settings.validate(request.key, request.proposed);
      throw new ReplayRequestError(checked.ok ? `unknown setting "${request.key}"` : checked.error);
    }
    const now = clock.now();
    const base = { days: request.days, strategies, now };
    const specs: ReplaySpec[] = [
      await buildReplaySpec(source, base),
      await buildReplaySpec(source, { ...base, overrides: { [request.key]: request.proposed } }),
    ];
    const proposedText = specs[1]!.settings[request.key]!;

    onProgress?.(0, 'reading candles');
    await prepareCandles(source, specs, now, (done) =>
      onProgress?.(Math.min(CANDLES_SHARE, done / 500), `reading candles (${done} requests)`),
    );
    const labels = ['replaying the current value', 'replaying the proposed value'];
    const { outcomes, chartPng } = await runReplaysInChild(
      {
        specs,
        candles: this.#candleSource(),
        chart: {
          title: `${request.key}: ${current.value} vs ${proposedText}`,
          labels: [`${current.value} (now)`, proposedText],
          timeZone: source.timeZone,
        },
      },
      (index, fraction) =>
        onProgress?.(
          CANDLES_SHARE + ((index + fraction) / specs.length) * (1 - CANDLES_SHARE),
          labels[index]!,
        ),
    );
    const [a, b] = outcomes;
    if (!a || !b) throw new Error('the replay process returned no outcome');
    onProgress?.(1, 'done');
    return {
      key: request.key,
      strategy: strategies.length === 1 ? strategies[0]! : 'all',
      days: request.days,
      fromMs: a.dataFromMs,
      toMs: a.toMs,
      current: columnOf(current.value, a),
      proposed: columnOf(proposedText, b),
      ...(chartPng ? { chartPng } : {}),
      assumptions: replayAssumptions(specs[0]!, a),
    };
  }

  /** The database file for the replay process, or the image of an in-memory one. */
  #candleSource(): string | Buffer {
    return this.#o.databasePath === ':memory:' ? this.#o.db.serialize() : this.#o.databasePath;
  }
}
