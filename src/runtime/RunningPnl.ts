/**
 * The running PnL snapshot of the process: positions and realised PnL of the ledger's priced
 * prefix (see `domain/portfolio/runningPnl.ts`), kept in memory and in SQLite, moved forward in
 * the very transaction that records fill prices, so a read only replays the few fills after it.
 *
 * At construction it rebuilds the snapshot from every fill and compares it with the stored one:
 * a difference is logged as a warning and the rebuilt one stored. A fill recorded older than the
 * snapshot's newest one (history read late) drops the snapshot; the next read rebuilds it.
 *
 * Old realisations are summed but not listed (see `keptAt`), so the memory the snapshot holds,
 * and the collector's work at a rebuild, do not grow with the history.
 */
import { costAssetOf, makeToCostAsset } from '../domain/portfolio/conversion.js';
import type { ConversionRates } from '../domain/portfolio/conversion.js';
import { flattenReplay, keptAt, replayFills, type FillReplay } from '../domain/portfolio/realisedPnl.js';
import {
  pricedPrefixLength,
  RECORDED_PRICES_ONLY,
  snapshotDifferences,
} from '../domain/portfolio/runningPnl.js';
import type { FillLedgerListener, FillRepository, StoredFill } from '../persistence/FillRepository.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';

/** The fill ledger the running snapshot follows. */
export type RunningPnlLedger = Pick<
  FillRepository,
  'listFills' | 'pricedFillsBefore' | 'firstUnpricedAfter' | 'onChange' | 'pnlSnapshot'
>;

/** Time of the empty prefix: before every fill. */
const BEFORE_ALL = -1;

interface Prefix {
  readonly replay: FillReplay;
  /** Newest fill time in the prefix; every fill at or before it is in. */
  readonly lastTime: number;
  readonly fillCount: number;
  /** How many continued replays `replay` is made of (flattened past {@link MAX_DEPTH}). */
  readonly depth: number;
}

/** Continued replays chained before the snapshot's lists are copied into one. */
const MAX_DEPTH = 32;

/** Keeps the running PnL snapshot; see the module comment. */
export class RunningPnl implements FillLedgerListener {
  readonly #ledger: RunningPnlLedger;
  readonly #logger: Logger;
  readonly #clock: Clock;
  /** Undefined while the snapshot must be rebuilt from the fills. */
  #prefix: Prefix | undefined;
  /** Bumped by every ledger change. */
  #version = 0;
  #tail: { prefix: Prefix; version: number; fills: readonly StoredFill[] } | undefined;
  #replay:
    | { tail: readonly StoredFill[]; rates: ConversionRates; unpriced: boolean; replay: FillReplay }
    | undefined;

  constructor(options: {
    readonly ledger: RunningPnlLedger;
    readonly logger: Logger;
    readonly clock: Clock;
  }) {
    this.#ledger = options.ledger;
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#ledger.onChange(this);
    this.#prefix = this.#rebuild(true);
  }

  /**
   * Positions and realisations of every fill: the snapshot plus the fills after it replayed on
   * top, those without recorded prices valued at `rates` (today's market). Reused until the
   * ledger changes, or for unpriced fills until the rates do.
   */
  replay(rates: ConversionRates): FillReplay {
    // The stored cover is what was committed: a transaction rolled back after moving the
    // snapshot in memory leaves the two apart, and the snapshot is rebuilt.
    const cover = this.#ledger.pnlSnapshot.cover();
    if (cover?.fillCount !== this.#prefix?.fillCount || cover?.lastTime !== this.#prefix?.lastTime)
      this.#prefix = undefined;
    const prefix = (this.#prefix ??= this.#rebuild(false));
    if (this.#tail?.prefix !== prefix || this.#tail.version !== this.#version) {
      this.#tail = {
        prefix,
        version: this.#version,
        fills: this.#ledger.listFills({ since: prefix.lastTime + 1, timeOrderOnly: true }),
      };
    }
    const tail = this.#tail.fills;
    if (tail.length === 0) return prefix.replay;
    const cached = this.#replay;
    if (cached && cached.tail === tail && (cached.rates === rates || !cached.unpriced)) return cached.replay;
    const replay = replayFills(tail, { costAssetOf, toCostAsset: makeToCostAsset(rates) }, prefix.replay);
    this.#replay = { tail, rates, unpriced: tail.some((f) => f.prices === undefined), replay };
    return replay;
  }

  /** See {@link FillLedgerListener}: runs inside the transaction that recorded the fills. */
  fillsRecorded(earliest: number): void {
    this.#version++;
    if (this.#prefix === undefined || earliest > this.#prefix.lastTime) return;
    this.#drop('a fill older than the running PnL snapshot was recorded; it is rebuilt at the next read');
  }

  /** See {@link FillLedgerListener}: runs inside the transaction that recorded the prices. */
  pricesRecorded(): void {
    this.#version++;
    if (this.#prefix === undefined) return;
    try {
      this.#advance(this.#prefix);
    } catch (error) {
      // The fills and prices still commit: the snapshot is derived data, rebuilt at the next read.
      this.#logger.error({ err: error }, 'running PnL snapshot not advanced; rebuilding it at the next read');
      this.#drop();
    }
  }

  /** Applies the fills that became the priced prefix's continuation, and stores the result. */
  #advance(prefix: Prefix): void {
    const until = this.#ledger.firstUnpricedAfter(prefix.lastTime);
    const next = this.#ledger.listFills({
      since: prefix.lastTime + 1,
      ...(until !== undefined ? { until } : {}),
      timeOrderOnly: true,
    });
    const n = pricedPrefixLength(next);
    if (n === 0) return;
    const added = next.slice(0, n);
    const continued = replayFills(added, RECORDED_PRICES_ONLY, prefix.replay);
    const flatten = prefix.depth + 1 > MAX_DEPTH;
    const advanced: Prefix = {
      replay: flatten ? flattenReplay(continued, keptAt(this.#clock.now())) : continued,
      lastTime: added[n - 1]!.time,
      fillCount: prefix.fillCount + n,
      depth: flatten ? 0 : prefix.depth + 1,
    };
    // A fill changes its base asset's position and, for a fee paid in a held third asset, that one's.
    const touched = new Set(added.flatMap((f) => [f.baseAsset, f.commissionAsset]));
    this.#ledger.pnlSnapshot.write(this.#stored(advanced), touched);
    this.#prefix = advanced;
  }

  #rebuild(compare: boolean): Prefix {
    // The priced prefix is every fill before the first unpriced fill's millisecond (see
    // pricedPrefixLength), streamed from the ledger: the longest step of a start.
    const firstUnpriced = this.#ledger.firstUnpricedAfter(BEFORE_ALL);
    const fills = this.#ledger.pricedFillsBefore(firstUnpriced);
    const replay = replayFills(fills, RECORDED_PRICES_ONLY, undefined, {
      timeOrdered: true,
      keep: keptAt(this.#clock.now()),
    });
    const lastTime = fills.lastTime ?? BEFORE_ALL;
    const fillCount = fills.count;
    const prefix: Prefix = { replay, lastTime, fillCount, depth: 0 };
    const stored = compare ? this.#ledger.pnlSnapshot.read() : undefined;
    const rebuilt = this.#stored(prefix);
    const differences = stored === undefined ? undefined : snapshotDifferences(stored, rebuilt);
    if (differences !== undefined && differences.length > 0) {
      this.#logger.warn(
        { differences: differences.slice(0, 20), count: differences.length },
        'stored running PnL snapshot differs from a full replay of the fills; replaced by the replay',
      );
    }
    // A stored copy equal to the replay is left as it is: rewriting every asset's row would
    // change nothing but cost a write at every start.
    if (differences === undefined || differences.length > 0) this.#ledger.pnlSnapshot.write(rebuilt);
    const tail =
      firstUnpriced === undefined
        ? []
        : this.#ledger.listFills({ since: firstUnpriced, timeOrderOnly: true });
    this.#tail = { prefix, version: this.#version, fills: tail };
    return prefix;
  }

  #stored(prefix: Prefix) {
    return { lastTime: prefix.lastTime, fillCount: prefix.fillCount, positions: prefix.replay.positions };
  }

  #drop(reason?: string): void {
    if (reason !== undefined) this.#logger.info(reason);
    this.#prefix = undefined;
    this.#ledger.pnlSnapshot.clear();
  }
}
