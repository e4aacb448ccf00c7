/**
 * The latest streamed value of each symbol a market stream follows, kept so the bot reads it
 * instead of polling REST: book tops of the symbols in play (instead of the all-symbol book
 * ticker) and the core markets' rolling 24 h volumes (instead of the all-symbol 24 h ticker).
 *
 * A value is trusted only while its stream stays `live` without a break since it was received:
 * MEXC pushes a symbol when it changes, so on an unbroken stream the last value is the current
 * one, however long ago it came. A value is also seeded from a REST answer (taken after the
 * symbol was subscribed, while the stream was live): a quiet symbol may push nothing for minutes.
 * Any break (a connection that drops, goes quiet or reconnects) forgets every value, and
 * {@link StreamLatest.latest} answers undefined, so the caller polls REST, until the stream is
 * live again and every followed symbol is known.
 */
import type { StreamStatus } from '../exchange/stream/streamTypes.js';
import type { Clock } from '../common/clock.js';

interface Known<T> {
  readonly value: T;
  /** Local time it was received (or the REST read that seeded it started). */
  readonly at: number;
}

/** Which stream feeds a {@link StreamLatest}, and how to follow symbols on it. */
export interface StreamLatestOptions<T> {
  readonly clock: Clock;
  /** The stream's name in its statuses (`bookTicker`, `miniTicker`); its connections' names start with it. */
  readonly name: string;
  /** Every state change of the market stream (any of its streams). */
  readonly onStatus: (fn: (status: StreamStatus) => void) => () => void;
  /** The market stream's current statuses. */
  readonly statuses: () => readonly StreamStatus[];
  /** Listens to the stream's values; returns the unsubscribe function. */
  readonly listen: (fn: (symbol: string, value: T) => void) => () => void;
  /** Makes the stream follow exactly these symbols. */
  readonly follow: (symbols: readonly string[]) => void;
}

/** The latest value per followed symbol from one market stream; see the module comment. */
export class StreamLatest<T> {
  readonly #o: StreamLatestOptions<T>;
  readonly #known = new Map<string, Known<T>>();
  /** Symbol → local time it was asked for. */
  #symbols = new Map<string, number>();
  /** Since when every connection of the stream has been live without a break; undefined when not. */
  #liveSince: number | undefined;
  readonly #detach: (() => void)[] = [];

  constructor(options: StreamLatestOptions<T>) {
    this.#o = options;
    this.#detach.push(
      options.listen((symbol, value) => this.#onValue(symbol, value)),
      options.onStatus((s) => this.#onStatus(s)),
    );
    this.#liveSince = this.#allLive() ? options.clock.now() : undefined;
  }

  /** Replaces the followed symbols; the stream subscribes what is new and drops what is gone. */
  setSymbols(symbols: Iterable<string>): void {
    const now = this.#o.clock.now();
    const next = new Map<string, number>();
    for (const symbol of symbols) next.set(symbol, this.#symbols.get(symbol) ?? now);
    const same = next.size === this.#symbols.size && [...next.keys()].every((s) => this.#symbols.has(s));
    this.#symbols = next;
    for (const symbol of this.#known.keys()) if (!next.has(symbol)) this.#known.delete(symbol);
    if (!same) this.#o.follow([...next.keys()].sort());
  }

  /** The followed symbols. */
  symbols(): readonly string[] {
    return [...this.#symbols.keys()];
  }

  /** Whether the stream is live (every connection of it). */
  isLive(): boolean {
    return this.#liveSince !== undefined;
  }

  /**
   * The value of every followed symbol while the stream is live and knows them all; undefined
   * otherwise (poll REST, then {@link seed} with the answer).
   */
  latest(): ReadonlyMap<string, T> | undefined {
    if (this.#liveSince === undefined || this.#symbols.size === 0) return undefined;
    const out = new Map<string, T>();
    for (const symbol of this.#symbols.keys()) {
      const known = this.#known.get(symbol);
      if (!known) return undefined;
      out.set(symbol, known.value);
    }
    return out;
  }

  /**
   * Takes the values a REST read returned for symbols the stream has not pushed since: valid when
   * the read started after the symbol was subscribed and the stream has been live since before it.
   */
  seed(values: ReadonlyMap<string, T>, readStartedAt: number): void {
    const since = this.#liveSince;
    if (since === undefined || since > readStartedAt) return;
    for (const [symbol, askedAt] of this.#symbols) {
      const value = values.get(symbol);
      if (value === undefined || askedAt > readStartedAt) continue;
      const known = this.#known.get(symbol);
      if (known && known.at >= readStartedAt) continue;
      this.#known.set(symbol, { value, at: readStartedAt });
    }
  }

  /** Stops listening to the stream. */
  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #onValue(symbol: string, value: T): void {
    if (this.#liveSince === undefined || !this.#symbols.has(symbol)) return;
    this.#known.set(symbol, { value, at: this.#o.clock.now() });
  }

  #onStatus(status: StreamStatus): void {
    if (!status.name.startsWith(this.#o.name)) return;
    const live = this.#allLive();
    if (!live) {
      // A break may have hidden changes: nothing known survives it.
      this.#liveSince = undefined;
      this.#known.clear();
    } else if (this.#liveSince === undefined) {
      this.#liveSince = this.#o.clock.now();
    }
  }

  #allLive(): boolean {
    const mine = this.#o.statuses().filter((s) => s.name.startsWith(this.#o.name));
    return mine.length > 0 && mine.every((s) => s.state === 'live');
  }
}
