import { describe, expect, it } from 'vitest';
import { eachInTurns, mapInTurns, TurnQueue } from '../../src/common/turns.js';

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

describe('mapInTurns', () => {
  it('maps every row in order, drops undefined, and lets the event loop run between slices', async () => {
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const seenAt: number[] = [];
    const rows = Array.from({ length: 2_000 }, (_, i) => i);
    const out = await mapInTurns(rows, (i) => {
      seenAt.push(turns);
      return i % 3 === 0 ? undefined : i * 2;
    });
    running = false;
    expect(out).toEqual(rows.filter((i) => i % 3 !== 0).map((i) => i * 2));
    expect(seenAt[0], 'the first slice runs at once').toBe(seenAt[99]);
    expect(seenAt[100]!, 'the next slice after other work ran').toBeGreaterThan(seenAt[99]!);
    expect(new Set(seenAt).size, 'twenty slices, twenty turns').toBe(20);
  });

  it('maps a short list in one go', async () => {
    expect(await mapInTurns([1, 2, 3], (i) => i + 1)).toEqual([2, 3, 4]);
    expect(await mapInTurns([], (i: number) => i)).toEqual([]);
  });
});

describe('eachInTurns', () => {
  it('stops at the visit that returns false, in whatever slice it is, and says so', async () => {
    const visited: number[] = [];
    const rows = Array.from({ length: 1_000 }, (_, i) => i);
    expect(await eachInTurns(rows, (row, index) => (visited.push(index), row !== 600))).toBe(false);
    expect(visited).toHaveLength(601);
    expect(await eachInTurns(rows, () => true), 'every row visited').toBe(true);
  });
});
