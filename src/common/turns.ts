/**
 * Turns of the event loop handed out one at a time, for work that arrives in bunches: ten HTTP
 * answers landing in the same poll phase would otherwise be parsed back to back in one block,
 * and every timer, socket and chat message would wait for all ten.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A queue of event-loop turns: each caller of {@link TurnQueue.next} gets a turn of its own,
 * after every earlier caller's, with the loop free in between.
 *
 * @example
 * await turns.next(); // then parse this answer: alone in its turn
 */
export class TurnQueue {
  #last: Promise<void> = Promise.resolve();

  /** Resolves on a turn of the event loop of its own, after every earlier caller's turn. */
  next(): Promise<void> {
    const turn = this.#last.then(() => nextTurn()).then(() => undefined);
    this.#last = turn;
    return turn;
  }
}

/** Rows handled per turn by {@link eachInTurns}. */
const ROWS_PER_TURN = 100;

/**
 * Visits a long list a slice at a time with the event loop free between slices, until `visit`
 * returns false: the all-symbol answers (two thousand tickers or book tops, each validated and
 * turned into a dozen decimals) would otherwise be one block of tens of milliseconds. Resolves
 * false when a visit stopped it.
 */
export async function eachInTurns<T>(
  rows: readonly T[],
  visit: (row: T, index: number) => boolean | void,
): Promise<boolean> {
  for (let from = 0; from < rows.length; from += ROWS_PER_TURN) {
    if (from > 0) await nextTurn();
    const to = Math.min(rows.length, from + ROWS_PER_TURN);
    for (let i = from; i < to; i++) if (visit(rows[i]!, i) === false) return false;
  }
  return true;
}

/** Maps a long list with {@link eachInTurns}, dropping rows the mapping leaves undefined. */
export async function mapInTurns<T, R>(rows: readonly T[], map: (row: T) => R | undefined): Promise<R[]> {
  const out: R[] = [];
  await eachInTurns(rows, (row) => {
    const mapped = map(row);
    if (mapped !== undefined) out.push(mapped);
  });
  return out;
}
