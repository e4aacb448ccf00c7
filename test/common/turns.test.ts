import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../src/common/turns.js';

describe('TurnQueue', () => {
  it('gives callers who arrive together a turn each, in call order, with the loop free in between', async () => {
    const turns = new TurnQueue();
    // A probe that re-schedules itself counts the turns of the event loop.
    let loopTurns = 0;
    let probing = true;
    const probe = () => {
      loopTurns += 1;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const seen: { readonly caller: number; readonly atTurn: number }[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async (caller) => {
        await turns.next();
        seen.push({ caller, atTurn: loopTurns });
      }),
    );
    probing = false;
    expect(seen.map((s) => s.caller)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.atTurn, `caller ${seen[i]!.caller} ran a turn after the one before`).toBeGreaterThan(
        seen[i - 1]!.atTurn,
      );
    }
  });
});
