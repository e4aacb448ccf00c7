/**
 * Runs replays in a worker thread and resolves with their outcomes, so the live process stays
 * responsive while a replay takes seconds of CPU.
 *
 * The worker entry is `replayWorker.ts` next to this file. Production runs the compiled
 * JavaScript (`dist/runtime/replayWorker.js`, built with everything else by `scripts/build.mjs`);
 * under tsx or vitest the sources are TypeScript, and the worker — a fresh isolate that inherits
 * no loader — registers tsx itself before importing the entry.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReplayOutcome, ReplaySpec } from '../replay/replaySpec.js';

/** What a worker is given: the replays to run and where the candles are. */
export interface ReplayJob {
  readonly specs: readonly ReplaySpec[];
  /** The database file, or the image of an in-memory database (`db.serialize()`). */
  readonly candles: string | Uint8Array;
  /** Draw the outcomes' value lines into one picture, labelled in spec order. */
  readonly chart?: { readonly title: string; readonly labels: readonly string[]; readonly timeZone: string };
}

/** What a worker answers: one outcome per spec, and the picture when one was asked for. */
export interface ReplayResults {
  readonly outcomes: readonly ReplayOutcome[];
  readonly chartPng?: Uint8Array;
}

/** Messages the worker posts back. */
export type WorkerMessage =
  | { readonly type: 'loaded'; readonly symbols: number }
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

/** The worker for the running code: compiled JavaScript, or TypeScript through tsx. */
function startWorker(job: ReplayJob): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./replayWorker.js', here), { workerData: job });
  const entry = new URL('./replayWorker.ts', here).href;
  // tsx's ESM API; its `require` condition resolves to the CommonJS build, the ESM one sits beside it.
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: job });
}

/**
 * Runs every spec of `job` in one worker thread, in order; `onProgress(index, fraction)` follows
 * each. Rejects with the worker's error (a refused setting, missing candles…).
 */
export function runReplaysInWorker(
  job: ReplayJob,
  onProgress?: (index: number, fraction: number) => void,
): Promise<ReplayResults> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(job);
    const outcomes: ReplayOutcome[] = [];
    let chartPng: Uint8Array | undefined;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve({ outcomes, ...(chartPng ? { chartPng } : {}) });
    };
    worker.on('message', (message: WorkerMessage) => {
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
          finish();
          break;
        case 'error':
          finish(new Error(`replay failed: ${message.message}`));
          break;
        case 'loaded':
          break;
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`replay worker exited with code ${code} before finishing`)));
  });
}
