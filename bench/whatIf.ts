/**
 * whatif: `/whatif scanner.minScore 70` over seven days of recorded candles from the chat (fake
 * Bot API, real bot, real runtime on the simulator, the replay in its child process), with
 * `/status` asked in the same chat every 250 ms meanwhile. Targets: the answer with both columns
 * within 15 s, every `/status` within 1 s. The measurement is shared with the load test
 * (test/helpers/whatIfUnderLoad.ts).
 */
import {
  STATUS_EVERY_MS,
  STATUS_LIMIT_MS,
  WHATIF_LIMIT_MS,
  measureWhatIfUnderLoad,
} from '../test/helpers/whatIfUnderLoad.js';
import { atMost, type BenchResult, type TargetCheck } from './lib/report.js';
import { underStartFlags } from './lib/underStartFlags.js';

/** The what-if benchmark, measured as the bot is started (see `lib/underStartFlags.ts`). */
export function runWhatIfBench(): Promise<BenchResult> {
  return underStartFlags('whatif');
}

/** Runs the what-if measurement once per day count, in this process, and returns its rows. */
export async function measureWhatIf(): Promise<BenchResult> {
  const rows = [];
  const targets: TargetCheck[] = [];
  for (const days of [1, 7]) {
    const f = await measureWhatIfUnderLoad({ key: 'scanner.minScore', value: '70', days });
    if (days === 7) {
      targets.push(
        atMost(
          '/whatif scanner.minScore 70 over 7 days, 40 altcoins: answer with both columns',
          Math.round(f.answerMs),
          WHATIF_LIMIT_MS,
          'ms',
        ),
        atMost('/status meanwhile (slowest answer)', Math.round(f.statusMaxMs), STATUS_LIMIT_MS, 'ms'),
      );
    }
    rows.push({
      days,
      'answer ms': Math.round(f.answerMs),
      'answer limit ms': days === 7 ? WHATIF_LIMIT_MS : '',
      'first reply ms': Math.round(f.firstReplyMs),
      'progress edits': f.progressEdits,
      '/status n': f.statusCount,
      '/status p50 ms': Math.round(f.statusP50Ms),
      '/status p95 ms': Math.round(f.statusP95Ms),
      '/status max ms': Math.round(f.statusMaxMs),
      '/status limit ms': STATUS_LIMIT_MS,
      ok: (days !== 7 || f.answerMs <= WHATIF_LIMIT_MS) && f.statusMaxMs <= STATUS_LIMIT_MS ? 'yes' : 'NO',
    });
  }
  return {
    name: 'whatif',
    description: `/whatif scanner.minScore 70 from the chat, /status every ${STATUS_EVERY_MS} ms meanwhile`,
    columns: Object.keys(rows[0]!),
    rows,
    targets,
    summary: { 'target 7 d answer ms': WHATIF_LIMIT_MS, 'target /status max ms': STATUS_LIMIT_MS },
  };
}
