/**
 * The account's balances kept from the account stream while it is live, so the reserve checks,
 * strategy snapshots and fill notifications of live trading read them without a signed REST call
 * (weight 10, at most two a second). MEXC pushes an asset's free and locked amounts on every
 * change, so on an unbroken live stream the balances seeded by one REST read (taken while the
 * stream was live) and updated by every push since are the exchange's current answer. Any break
 * forgets them: {@link StreamBalances.balances} answers undefined, the caller reads REST and
 * seeds again.
 */
import type { Balance } from '../domain/market.js';
import type { StreamStatus, UserStream } from '../exchange/stream/streamTypes.js';
import type { Clock } from '../common/clock.js';

interface Known {
  readonly balance: Balance;
  /** Local time it was pushed, or when the REST read that seeded it started. */
  readonly at: number;
}

/** Balances from the account stream; see the module comment. */
export class StreamBalances {
  readonly #clock: Clock;
  readonly #known = new Map<string, Known>();
  #liveSince: number | undefined;
  #seeded = false;
  #detach: (() => void)[] = [];

  constructor(options: { readonly clock: Clock }) {
    this.#clock = options.clock;
  }

  /** Starts following the account stream (live trading with streams on). */
  follow(stream: Pick<UserStream, 'onBalance' | 'onStatus' | 'status'>): void {
    this.#detach.push(
      stream.onBalance((u) => {
        if (this.#liveSince === undefined) return;
        this.#known.set(u.asset, {
          balance: { asset: u.asset, free: u.free, locked: u.locked },
          at: this.#clock.now(),
        });
      }),
      stream.onStatus((s) => this.#onStatus(s)),
    );
    this.#onStatus(stream.status());
  }

  /** The balances while the stream is live and a read has seeded them; undefined otherwise. */
  balances(): readonly Balance[] | undefined {
    if (this.#liveSince === undefined || !this.#seeded) return undefined;
    return [...this.#known.values()].map((k) => k.balance);
  }

  /** Takes a REST answer read from `readStartedAt` on, if the stream was live since before it. */
  seed(balances: readonly Balance[], readStartedAt: number): void {
    const since = this.#liveSince;
    if (since === undefined || since > readStartedAt) return;
    for (const balance of balances) {
      const known = this.#known.get(balance.asset);
      if (known && known.at >= readStartedAt) continue;
      this.#known.set(balance.asset, { balance, at: readStartedAt });
    }
    this.#seeded = true;
  }

  /** Stops following the stream. */
  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #onStatus(status: StreamStatus): void {
    if (status.state === 'live') {
      this.#liveSince ??= this.#clock.now();
      return;
    }
    // A break may have hidden changes: nothing known survives it.
    this.#liveSince = undefined;
    this.#seeded = false;
    this.#known.clear();
  }
}
