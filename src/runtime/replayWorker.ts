/**
 * Entry point of the replay worker thread: opens the candle store read-only, runs each replay of
 * its job in turn and posts progress and outcomes back (see `replayWorkerClient.ts`). A replay is
 * seconds of CPU; here it never holds the live loops or the chat.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { dec } from '../domain/money.js';
import { renderComparisonChart } from '../ops/charts/renderComparisonChart.js';
import { CandleRepository } from '../persistence/CandleRepository.js';
import { openReadOnly } from '../persistence/db.js';
import { CandleTape } from '../replay/CandleTape.js';
import type { ReplayOutcome } from '../replay/replaySpec.js';
import { runReplay } from './replayRun.js';
import { tapeRange, type ReplayJob, type WorkerMessage } from './replayWorkerClient.js';

const port = parentPort;
if (!port) throw new Error('replayWorker.ts runs only as a worker thread');

const post = (message: WorkerMessage) => port.postMessage(message);

async function main(job: ReplayJob): Promise<void> {
  const db = openReadOnly(job.candles);
  let tape: CandleTape;
  try {
    const { from, to } = tapeRange(job.specs);
    tape = CandleTape.load(new CandleRepository(db), from, to);
  } finally {
    db.close();
  }
  post({ type: 'loaded', symbols: tape.symbols().length });
  const outcomes: ReplayOutcome[] = [];
  for (const [index, spec] of job.specs.entries()) {
    const outcome = await runReplay(spec, tape, {
      onProgress: (fraction) => post({ type: 'progress', index, fraction }),
    });
    outcomes.push(outcome);
    post({ type: 'outcome', index, outcome });
  }
  if (job.chart) {
    const { title, labels, timeZone } = job.chart;
    const png = await renderComparisonChart({
      title,
      timeZone,
      lines: outcomes.map((o, i) => ({
        label: labels[i] ?? `run ${i + 1}`,
        points: o.equity.map((p) => ({ at: p.at, totalUsdc: dec(p.totalUsdc) })),
      })),
    });
    if (png) post({ type: 'chart', png: new Uint8Array(png) });
  }
}

main(workerData as ReplayJob).then(
  () => post({ type: 'done' }),
  (error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
