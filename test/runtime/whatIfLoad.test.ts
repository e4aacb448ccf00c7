/**
 * `/whatif scanner.minScore 70` on a bot with a week of candles answers with both columns within
 * 15 s while `/status` in the same chat keeps answering within 1 s (the figures are printed; the
 * same measurement is `npm run bench whatif`).
 */
import { describe, expect, it } from 'vitest';
import {
  STATUS_LIMIT_MS,
  WHATIF_LIMIT_MS,
  measureWhatIfUnderLoad,
} from '../helpers/whatIfUnderLoad.js';

describe('what-if of a week from the chat', () => {
  it('answers both columns within 15 s while /status answers within 1 s', async () => {
    const f = await measureWhatIfUnderLoad({ key: 'scanner.minScore', value: '70', days: 7 });
    console.log(
      `what-if 7 d: answer ${f.answerMs.toFixed(0)} ms (first reply ${f.firstReplyMs.toFixed(0)} ms, ${f.progressEdits} progress edits); ` +
        `/status ×${f.statusCount}: p50 ${f.statusP50Ms.toFixed(0)} ms, p95 ${f.statusP95Ms.toFixed(0)} ms, max ${f.statusMaxMs.toFixed(0)} ms; ` +
        `recording the week took ${f.recordMs} ms`,
    );
    expect(f.answer, 'both columns').toMatch(/<pre>[\s\S]*trades\s+\d+\s+\d+[\s\S]*end value/);
    expect(f.answer).toMatch(/scanner · 7 days/);
    expect(f.answerMs, 'what-if answer').toBeLessThanOrEqual(WHATIF_LIMIT_MS);
    expect(f.statusCount, '/status was asked while it ran').toBeGreaterThan(3);
    expect(f.statusMaxMs, 'slowest /status meanwhile').toBeLessThanOrEqual(STATUS_LIMIT_MS);
  }, 240_000);
});
