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
