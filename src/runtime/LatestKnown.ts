/**
 * The latest known market (balances and prices, with the time they were read), so that
 * `/status`, `/balance` and `/pnl` answer within a second even when the exchange is slow or down.
 * A read starts (or joins) a live read and waits for it at most `waitMs`; past that it answers
 * with the last known view (its `at` says when it was read, and the views show that age) and the
 * live read goes on in the background, updating the cache when it lands. A background job
 * refreshes it too, so a view is known before the first question.
 * Only the chat reads through it: strategies and the executor always read live.
 */
import type { Balance } from '../domain/market.js';
import type { MarketReader, MarketView } from './PortfolioService.js';

/** A {@link MarketReader} answering from the latest known view; see the module comment. */
export class LatestKnown implements MarketReader {
  readonly #inner: MarketReader;
  readonly #waitMs: number;
  #known: MarketView | undefined;
  #refreshing: Promise<MarketView> | undefined;

  constructor(options: {
    /** The live reader (the exchange). */
    readonly inner: MarketReader;
    /** Longest wait for a live answer before the known one is used. Default 800 ms. */
    readonly waitMs?: number;
  }) {
    this.#inner = options.inner;
    this.#waitMs = options.waitMs ?? 800;
  }

  /**
   * The live view if it comes within the wait, else the last known one (the live read goes on
   * and updates it). With nothing known yet, waits for the live read.
   */
  async market(): Promise<MarketView> {
    const live = this.#refresh();
    const known = this.#known;
    if (known === undefined) return live;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#waitMs)));
    // A failed live read falls back to the known view; the exchange's health reports the failure.
    await Promise.race([live.catch(() => undefined), waited]);
    clearTimeout(timer);
    return this.#known ?? known;
  }

  /** The balances of the known view, without reading; undefined before the first read. */
  balances(): readonly Balance[] | undefined {
    return this.#known?.balances;
  }

  /**
   * Balances pushed by the user stream: the known view takes them at once (its prices stay as
   * read). A live read landing later replaces them with the exchange's answer, as always.
   */
  applyBalances(updates: readonly Balance[]): void {
    const known = this.#known;
    if (!known || updates.length === 0) return;
    const byAsset = new Map(known.balances.map((b) => [b.asset, b]));
    for (const b of updates) byAsset.set(b.asset, b);
    this.#known = { ...known, balances: [...byAsset.values()] };
  }

  /**
   * Waits until the live read in flight, if any, has landed or failed: at shutdown a read the
   * chat stopped waiting for must end before the bot says it stopped.
   */
  async settled(): Promise<void> {
    await this.#refreshing?.catch(() => undefined);
  }

  /** Reads live now, waiting for the exchange (the background job). */
  async refreshAll(): Promise<void> {
    await this.#refresh();
  }

  #refresh(): Promise<MarketView> {
    if (!this.#refreshing) {
      this.#refreshing = this.#inner
        .market()
        .then((view) => {
          this.#known = view;
          return view;
        })
        .finally(() => {
          this.#refreshing = undefined;
        });
    }
    return this.#refreshing;
  }
}
