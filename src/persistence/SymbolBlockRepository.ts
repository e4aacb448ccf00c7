/**
 * Temporary symbol blocks: a `10007` answer keeps a symbol out of trading for 24 h.
 * Strategies see active blocks in `snapshot.blockedSymbols`; the executor refuses blocked symbols.
 */
import type { Db } from './db.js';

/** A symbol kept out of trading until a time, with the reason. */
export interface SymbolBlock {
  readonly symbol: string;
  readonly until: number;
  readonly reason: string;
}

/** Stores and reads temporary symbol blocks. */
export class SymbolBlockRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Blocks `symbol` until `until` (extends an existing block, never shortens it). */
  block(symbol: string, until: number, reason: string): void {
    this.#db
      .prepare(
        `INSERT INTO symbol_blocks (symbol, until, reason) VALUES (?, ?, ?)
         ON CONFLICT (symbol) DO UPDATE SET until = MAX(until, excluded.until), reason = excluded.reason`,
      )
      .run(symbol, until, reason);
  }

  unblock(symbol: string): void {
    this.#db.prepare('DELETE FROM symbol_blocks WHERE symbol = ?').run(symbol);
  }

  /** Blocks still in force at `now`. */
  active(now: number): SymbolBlock[] {
    return this.#db
      .prepare('SELECT symbol, until, reason FROM symbol_blocks WHERE until > ? ORDER BY symbol')
      .all(now) as SymbolBlock[];
  }

  get(symbol: string, now: number): SymbolBlock | undefined {
    return this.#db
      .prepare('SELECT symbol, until, reason FROM symbol_blocks WHERE symbol = ? AND until > ?')
      .get(symbol, now) as SymbolBlock | undefined;
  }
}
