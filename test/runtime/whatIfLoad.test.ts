/**
 * `/whatif scanner.minScore 70` on a bot with a week of candles: the chat answers with both
 * columns, and `/status` in the same chat keeps answering within 1 s while the replay runs. The
 * figures are printed; the 15 s target for the answer is checked by `npm run bench whatif` (the
 * same measurement), since a shared CI machine's timing is not a reliable gate.
 */
import { describe, expect, it } from 'vitest';
import { STATUS_LIMIT_MS, WHATIF_LIMIT_MS, measureWhatIfUnderLoad } from '../helpers/whatIfUnderLoad.js';

describe('what-if of a week from the chat', () => {
  it('answers both columns while /status answers within 1 s', async () => {
    const f = await measureWhatIfUnderLoad({ key: 'scanner.minScore', value: '70', days: 7, altcoins: 12 });
    console.log(
      `what-if 7 d: answer ${f.answerMs.toFixed(0)} ms (target ${WHATIF_LIMIT_MS} ms; first reply ${f.firstReplyMs.toFixed(0)} ms, ${f.progressEdits} progress edits); ` +
        `/status ×${f.statusCount}: p50 ${f.statusP50Ms.toFixed(0)} ms, p95 ${f.statusP95Ms.toFixed(0)} ms, max ${f.statusMaxMs.toFixed(0)} ms; ` +
        `recording the week took ${f.recordMs} ms`,
    );
    expect(f.answer, 'both columns').toMatch(/<pre>[\s\S]*trades\s+\d+\s+\d+[\s\S]*end value/);
    expect(f.answer).toMatch(/scanner · 7 days/);
    expect(f.firstReplyMs, 'the progress line comes at once').toBeLessThanOrEqual(STATUS_LIMIT_MS);
    expect(f.statusCount, '/status was asked while it ran').toBeGreaterThan(3);
    expect(f.statusMaxMs, 'slowest /status meanwhile').toBeLessThanOrEqual(STATUS_LIMIT_MS);
  }, 420_000);
});
