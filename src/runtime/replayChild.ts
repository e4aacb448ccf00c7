/**
 * The child process of `runReplaysInChild`: opens the candle store read-only, runs each replay of
 * the job it is sent in turn, sends progress and outcomes back, and exits (see `replayProcess.ts`).
 * A replay is seconds of CPU; here it never holds the live loops or the chat.
 */
import { dec } from '../domain/money.js';
import { renderComparisonChart } from '../ops/charts/renderComparisonChart.js';
import { CandleRepository } from '../persistence/CandleRepository.js';
import { openReadOnly } from '../persistence/db.js';
import { CandleTape } from '../replay/CandleTape.js';
import type { ReplayOutcome } from '../replay/replaySpec.js';
import { runReplay } from './replayRun.js';
import { tapeRange, type ReplayChildMessage, type ReplayJob } from './replayProcess.js';

if (!process.send) {
  process.stderr.write('replayChild runs as a child of the bot (with an IPC channel), not on its own\n');
  process.exit(2);
}
const send = process.send.bind(process);
const post = (message: ReplayChildMessage) => send(message);
/** Sends the last message and exits once it is written (or cannot be: the bot is gone). */
const postLast = (message: ReplayChildMessage) => send(message, () => process.exit(0));

async function main(job: ReplayJob): Promise<void> {
  const db = openReadOnly(job.candles);
  let tape: CandleTape;
  try {
    const { from, to } = tapeRange(job.specs);
    tape = CandleTape.load(new CandleRepository(db), from, to);
  } finally {
    db.close();
  }
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

// The bot went away (or gave up on the replay): nothing to replay for.
process.once('disconnect', () => process.exit(0));
process.once('message', (job: ReplayJob) => {
  main(job).then(
    () => postLast({ type: 'done' }),
    (error: unknown) =>
      postLast({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
