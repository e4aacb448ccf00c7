/**
 * Best bid/ask of the symbols in play (core markets, holdings, open orders, scan candidates) kept
 * from the market stream, so the strategies, valuation and paper matching read prices without the
 * all-symbol REST book ticker.
 *
 * A top is trusted only while the book-ticker stream stays `live` without a break since it was
 * received: MEXC pushes a symbol's top when it changes, so on an unbroken stream the last top is
 * the current one, however long ago it came. A top is also seeded from a REST answer (taken after
 * the symbol was subscribed, while the stream was live): a quiet symbol may push nothing for
 * minutes. Any break (a connection that drops, goes quiet or reconnects) forgets every top, and
 * {@link StreamBook.tops} answers undefined, so the caller polls REST, until the stream is live
 * again and every symbol in play is known.
 */
import type { BookTop } from '../domain/market.js';
import type { BookTickerUpdate, MarketStream, StreamStatus } from '../exchange/stream/streamTypes.js';
import type { Clock } from '../common/clock.js';

/** Stream connection names of the book-ticker channel start with this. */
export const BOOK_STREAM_PREFIX = 'bookTicker';

interface Known {
  readonly top: BookTop;
  /** Local time it was received (or the REST read that seeded it started). */
  readonly at: number;
}

/** Book tops from the market stream for the symbols in play; see the module comment. */
export class StreamBook {
  readonly #stream: MarketStream;
  readonly #clock: Clock;
  readonly #known = new Map<string, Known>();
  /** Symbol → local time it was asked for. */
  #symbols = new Map<string, number>();
  /** Since when every book-ticker connection has been live without a break; undefined when not. */
  #liveSince: number | undefined;
  readonly #detach: (() => void)[] = [];

  constructor(options: { readonly stream: MarketStream; readonly clock: Clock }) {
    this.#stream = options.stream;
    this.#clock = options.clock;
    this.#detach.push(
      this.#stream.onBookTicker((u) => this.#onTop(u)),
      this.#stream.onStatus((s) => this.#onStatus(s)),
    );
    this.#liveSince = this.#allLive() ? this.#clock.now() : undefined;
  }

  /** Replaces the symbols in play; the stream subscribes what is new and drops what is gone. */
  setSymbols(symbols: Iterable<string>): void {
    const now = this.#clock.now();
    const next = new Map<string, number>();
    for (const symbol of symbols) next.set(symbol, this.#symbols.get(symbol) ?? now);
    const same = next.size === this.#symbols.size && [...next.keys()].every((s) => this.#symbols.has(s));
    this.#symbols = next;
    for (const symbol of this.#known.keys()) if (!next.has(symbol)) this.#known.delete(symbol);
    if (!same) this.#stream.setBookTickerSymbols([...next.keys()].sort());
  }

  /** The symbols in play. */
  symbols(): readonly string[] {
    return [...this.#symbols.keys()];
  }

  /** Whether the book-ticker stream is live (every connection of it). */
  isLive(): boolean {
    return this.#liveSince !== undefined;
  }

  /**
   * The tops of every symbol in play while the stream is live and knows them all; undefined
   * otherwise (poll REST, then {@link seed} with the answer).
   */
  tops(): ReadonlyMap<string, BookTop> | undefined {
    if (this.#liveSince === undefined || this.#symbols.size === 0) return undefined;
    const out = new Map<string, BookTop>();
    for (const symbol of this.#symbols.keys()) {
      const known = this.#known.get(symbol);
      if (!known) return undefined;
      out.set(symbol, known.top);
    }
    return out;
  }

  /**
   * Takes the tops a REST read returned for symbols the stream has not pushed since: valid when
   * the read started after the symbol was subscribed and the stream has been live since before it.
   */
  seed(tops: ReadonlyMap<string, BookTop>, readStartedAt: number): void {
    const since = this.#liveSince;
    if (since === undefined || since > readStartedAt) return;
    for (const [symbol, askedAt] of this.#symbols) {
      const top = tops.get(symbol);
      if (!top || askedAt > readStartedAt) continue;
      const known = this.#known.get(symbol);
      if (known && known.at >= readStartedAt) continue;
      this.#known.set(symbol, { top, at: readStartedAt });
    }
  }

  /** Stops listening to the stream. */
  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #onTop(u: BookTickerUpdate): void {
    if (this.#liveSince === undefined || !this.#symbols.has(u.symbol)) return;
    this.#known.set(u.symbol, {
      top: { symbol: u.symbol, bid: u.bidPrice, bidQty: u.bidQty, ask: u.askPrice, askQty: u.askQty },
      at: this.#clock.now(),
    });
  }

  #onStatus(status: StreamStatus): void {
    if (!status.name.startsWith(BOOK_STREAM_PREFIX)) return;
    const live = this.#allLive();
    if (!live) {
      // A break may have hidden changes: nothing known survives it.
      this.#liveSince = undefined;
      this.#known.clear();
    } else if (this.#liveSince === undefined) {
      this.#liveSince = this.#clock.now();
    }
  }

  #allLive(): boolean {
    const book = this.#stream.statuses().filter((s) => s.name.startsWith(BOOK_STREAM_PREFIX));
    return book.length > 0 && book.every((s) => s.state === 'live');
  }
}
