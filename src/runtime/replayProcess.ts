/**
 * Runs replays in a short-lived child process and resolves with their outcomes, so the live
 * process stays responsive while a replay takes seconds of CPU.
 *
 * A child process rather than a worker thread, for two reasons measured on one CPU:
 * - V8's heap flags are the process's. A worker thread would replay under the bot's 1 MiB young
 *   generation (`npm start`), which suits the bot's small steady heap but not a replay that
 *   allocates gigabytes over seconds: its collections took 2.7–3.2 s of a 14–17 s seven-day what-if.
 *   A worker's `resourceLimits` cannot raise it, because the flag overrides them.
 * - The outcome's chart loads vega and resvg, whose native memory a worker thread leaves with the
 *   bot; a process that exits takes it along (see `ops/charts/chartProcess.ts`).
 *
 * The child's entry is `replayChild.ts` next to this file (`dist/runtime/replayChild.js` in
 * production; the TypeScript source through tsx under tsx or vitest).
 */
import { runChildJob } from '../common/childJob.js';
import { BACKGROUND_NICENESS } from '../common/childPriority.js';
import type { ReplayOutcome, ReplaySpec } from '../replay/replaySpec.js';

/** What the child is given: the replays to run and where the candles are. */
export interface ReplayJob {
  readonly specs: readonly ReplaySpec[];
  /** The database file, or the image of an in-memory database (`db.serialize()`). */
  readonly candles: string | Uint8Array;
  /** Draw the outcomes' value lines into one picture, labelled in spec order. */
  readonly chart?: { readonly title: string; readonly labels: readonly string[]; readonly timeZone: string };
}

/** What the child answers: one outcome per spec, and the picture when one was asked for. */
export interface ReplayResults {
  readonly outcomes: readonly ReplayOutcome[];
  readonly chartPng?: Uint8Array;
}

/** Messages the child sends back. */
export type ReplayChildMessage =
  | { readonly type: 'progress'; readonly index: number; readonly fraction: number }
  | { readonly type: 'outcome'; readonly index: number; readonly outcome: ReplayOutcome }
  | { readonly type: 'chart'; readonly png: Uint8Array }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

/** Scanner candles needed before a replay's start, beyond the longest indicator window. */
const WARM_UP_MARGIN_MS = 2 * 3_600_000;
/** The 24-hour tickers need the day before the start. */
const DAY_MS = 86_400_000;

/** The candle span the specs need: the scanner's kline window and a day before the earliest start, to the latest end. */
export function tapeRange(specs: readonly ReplaySpec[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const spec of specs) {
    const klines = Number(spec.settings['scanner.klineLimit'] ?? 250);
    from = Math.min(from, spec.fromMs - Math.max(DAY_MS, klines * 900_000) - WARM_UP_MARGIN_MS);
    to = Math.max(to, spec.toMs + 900_000);
  }
  return { from, to };
}

/**
 * The child's young generation, in MiB per semi-space. A replay allocates fast, and in a 1 MiB
 * young generation about a fifth of it is still alive at each collection and gets copied (traced);
 * a larger one gives it time to die first.
 * Collector time in the seven-day what-if's replay, on one CPU: 3.2 s at 1 MiB (the bot's), 1.8 s
 * at 4, 1.6 s at 8, 1.3 s at 16. Whole replays at 8 and 16 took the same time within the noise
 * (three runs each: 9.6–10.9 s; 10.3 and 10.7 s, and 14.6 s while the machine was slow), and 8
 * peaks about 15 MiB lower. The memory is the child's, only while a replay runs.
 */
const REPLAY_SEMI_SPACE_MB = 8;

/**
 * The replay reports progress at every hundredth of its span and at its start, so a child silent
 * this long is stuck (a fault in a strategy's replay, a machine out of memory), not slow: it is
 * killed and the what-if slot freed, where it would otherwise stay busy until a restart. The
 * longest gap measured between two messages was 1.4 s (a seven-day what-if on one CPU, while
 * the tape loaded or the chart was drawn).
 */
const REPLAY_SILENCE_MS = 120_000;

/**
 * Runs every spec of `job` in one child process, in order; `onProgress(index, fraction)` follows
 * each. Rejects with the child's error (a refused setting, missing candles…), if it ends early,
 * or if it falls silent for {@link REPLAY_SILENCE_MS}.
 */
export function runReplaysInChild(
  job: ReplayJob,
  onProgress?: (index: number, fraction: number) => void,
): Promise<ReplayResults> {
  const outcomes: ReplayOutcome[] = [];
  let chartPng: Uint8Array | undefined;
  return runChildJob<ReplayResults, ReplayChildMessage>({
    here: import.meta.url,
    name: 'replayChild',
    flags: [`--max-semi-space-size=${REPLAY_SEMI_SPACE_MB}`],
    process: 'the replay process',
    job,
    silenceMs: REPLAY_SILENCE_MS,
    // Seconds of CPU: on one CPU it runs when the bot has nothing to do, not in turns with it.
    niceness: BACKGROUND_NICENESS,
    onMessage: (message, settle) => {
      switch (message.type) {
        case 'progress':
          onProgress?.(message.index, message.fraction);
          break;
        case 'outcome':
          outcomes[message.index] = message.outcome;
          break;
        case 'chart':
          chartPng = message.png;
          break;
        case 'done':
          settle.resolve({ outcomes, ...(chartPng ? { chartPng } : {}) });
          break;
        case 'error':
          settle.reject(new Error(`replay failed: ${message.message}`));
          break;
      }
    },
  });
}
