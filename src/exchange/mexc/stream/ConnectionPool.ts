/**
 * The connections behind one public stream (`bookTicker` or `kline`): a wanted channel list is
 * spread over as many connections as MEXC's 30-subscription limit requires, changes are
 * applied as subscribe/unsubscribe diffs (a channel never moves while it stays wanted), and
 * the stream's state is its worst connection's.
 */
import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import type { StreamState, StreamStatus } from '../../stream/streamTypes.js';
import type { PbPushWrapper } from './mexcProto.js';
import { StreamConnection, type StreamTiming } from './StreamConnection.js';

/** How bad a state is for the aggregate: the highest wins. */
const SEVERITY: Readonly<Record<StreamState, number>> = { off: 0, live: 1, connecting: 2, quiet: 3, down: 4 };

/** Where a pool connects, how it is timed, and whom it tells. */
export interface ConnectionPoolOptions {
  /** The stream's name in statuses: `bookTicker` or `kline`. */
  readonly name: string;
  readonly url: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timing: StreamTiming;
  readonly random: () => number;
  readonly onPush: (push: PbPushWrapper) => void;
  readonly onStatus: (status: StreamStatus) => void;
}

/** One public stream's connections. Internal to the MEXC stream client. */
export class ConnectionPool {
  readonly #o: ConnectionPoolOptions;
  readonly #connections = new Set<StreamConnection>();
  #serial = 0;
  #status: StreamStatus;

  constructor(options: ConnectionPoolOptions) {
    this.#o = options;
    this.#status = { name: options.name, state: 'off', sinceMs: options.clock.now() };
  }

  /** The aggregate status (see the module comment); `lastMessageMs` is the stalest connection's. */
  status(): StreamStatus {
    let lastMessageMs: number | undefined;
    for (const connection of this.#connections) {
      const last = connection.lastMessageMs;
      if (last === undefined) return { ...this.#status, lastMessageMs: undefined };
      lastMessageMs = lastMessageMs === undefined ? last : Math.min(lastMessageMs, last);
    }
    return { ...this.#status, lastMessageMs };
  }

  /** How many connections are open, and the channels on each (for tests and `/status` detail). */
  layout(): readonly (readonly string[])[] {
    return [...this.#connections].map((c) => [...c.channels]);
  }

  /** Makes `wanted` the subscribed channel set. */
  set(wanted: readonly string[]): void {
    const want = new Set(wanted);
    const have = new Set<string>();
    for (const connection of this.#connections) {
      const gone = [...connection.channels].filter((c) => !want.has(c));
      connection.remove(gone);
      for (const c of connection.channels) have.add(c);
      if (connection.channels.size === 0) {
        connection.stop();
        this.#connections.delete(connection);
      }
    }
    const missing = [...want].filter((c) => !have.has(c));
    for (const connection of this.#connections) {
      if (missing.length === 0) break;
      if (connection.room > 0) connection.add(missing.splice(0, connection.room));
    }
    while (missing.length > 0) {
      const connection = this.#open();
      connection.add(missing.splice(0, connection.room));
    }
    this.#refresh();
  }

  /** Closes every connection. */
  stop(): void {
    for (const connection of this.#connections) connection.stop();
    this.#connections.clear();
    this.#refresh();
  }

  #open(): StreamConnection {
    this.#serial += 1;
    const connection = new StreamConnection({
      name: `${this.#o.name}#${this.#serial}`,
      url: () => Promise.resolve(this.#o.url),
      clock: this.#o.clock,
      logger: this.#o.logger,
      timing: this.#o.timing,
      random: this.#o.random,
      onPush: this.#o.onPush,
      onState: () => this.#refresh(),
    });
    this.#connections.add(connection);
    return connection;
  }

  #refresh(): void {
    let state: StreamState = 'off';
    for (const connection of this.#connections) {
      if (SEVERITY[connection.state] > SEVERITY[state]) state = connection.state;
    }
    if (this.#status.state === state) return;
    this.#status = { name: this.#o.name, state, sinceMs: this.#o.clock.now() };
    this.#o.onStatus(this.status());
  }
}
