/**
 * The fills ledger: every account trade once per (symbol, trade id), with
 * the strategy that caused it when the bot placed the order, plus the per-symbol sync cursor.
 * Money stays decimal: written with toWire(), read back with dec().
 */
import { Exact } from '../domain/exact.js';
import type { Fill, OrderSide } from '../domain/market.js';
import { dec, toWire, type Decimal } from '../domain/money.js';
import type { FillPrices, PositionFill, ReplayFill, ReplayPrices } from '../domain/portfolio/positions.js';
import type { OrderSpan } from '../domain/market.js';
import type { Clock } from '../common/clock.js';
import { isStrategyId, type OrderOrigin } from '../domain/strategy.js';
import type { AttributedFill } from '../domain/intent.js';
import type { Db } from './db.js';
import { PnlSnapshotRepository } from './PnlSnapshotRepository.js';

/** A fill as stored: a {@link PositionFill} plus when it was recorded. */
export interface StoredFill extends PositionFill {
  readonly origin?: OrderOrigin;
  readonly recordedAt: number;
}

/** A fill as a buy/sell marker on the equity chart: when, which side, and its quote value. */
export interface TradeMarker {
  readonly time: number;
  readonly side: OrderSide;
  readonly symbol: string;
  readonly value: Decimal;
}

/** Which fills to read: since when, for which asset or symbol, and how many. */
export interface FillFilter {
  /** Only fills at or after this time (ms). */
  readonly since?: number;
  /** Only fills before this time (ms). */
  readonly until?: number;
  readonly baseAsset?: string;
  readonly symbol?: string;
  /** At most this many, the most recent ones (still returned oldest first). */
  readonly limit?: number;
  /**
   * Ordered by time only, through the time index (no sort of the whole result): for a replay,
   * which orders the fills of one millisecond itself.
   */
  readonly timeOrderOnly?: boolean;
}

/** The database, clock and symbol-to-assets lookup the fills ledger needs. */
export interface FillRepositoryOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** Base and quote asset of a symbol, from the trading rules; undefined when unknown. */
  assetsOf(symbol: string): { base: string; quote: string } | undefined;
}

interface FillRow {
  symbol: string;
  trade_id: string;
  order_id: string;
  client_order_id: string | null;
  origin: string | null;
  base_asset: string;
  quote_asset: string;
  side: OrderSide;
  price: string;
  qty: string;
  quote_qty: string;
  commission: string;
  commission_asset: string;
  is_maker: number;
  time: number;
  recorded_at: number;
  usdc_usdt: string | null;
  fee_price: string | null;
  fee_price_quote: string | null;
  prices_at: number | null;
}

// Quotes tried, longest first, when the rules do not know a symbol (delisted since the trade).
const KNOWN_QUOTES = ['USDT', 'USDC', 'USDE', 'USD1', 'BTC', 'ETH', 'EUR'] as const;

const INSERT_COLUMNS = `symbol, trade_id, order_id, client_order_id, origin, base_asset, quote_asset, side, price,
  qty, quote_qty, commission, commission_asset, is_maker, time, recorded_at`;
const COLUMNS = `${INSERT_COLUMNS}, usdc_usdt, fee_price, fee_price_quote, prices_at`;

/** Separates the fields of a {@link replayText}. */
const SEP = '\u001f';

/** A {@link replayText}'s fee asset when it is the quote asset (most fills). */
const FEE_IN_QUOTE = '\u001e';

/**
 * What the replay reads of a priced fill, as one text (see {@link FillRepository.pricedFillsBefore}).
 * At start 100 000 rows are read, and each column of each row costs (SQLite hands every value
 * over on its own, and reading eleven columns took a third more than one text), so the fields
 * come joined by {@link SEP}, in this order:
 *
 * `time, rowid, length(base_asset), 1 for a sell, price,qty,quote_qty,commission, usdc_usdt,
 * fee_price,fee_price_quote, commission_asset ({@link FEE_IN_QUOTE} for the quote asset), symbol,
 * trade_id, order_id`
 *
 * The numbers come first and cannot hold the separator; a stored text that does (a damaged row)
 * is read again with it replaced by U+FFFD in every field (`clean`): an amount holding it stays
 * unreadable, so the row is skipped with a warning as any malformed amount is, and its labels
 * still show where the damage was. Every column joined is NOT NULL
 * except the prices, which read as empty when they are not recorded.
 */
function replayText(clean: (column: string) => string): string {
  return [
    'time',
    'rowid',
    'length(base_asset)',
    "(side = 'SELL')",
    ['price', 'qty', 'quote_qty', 'commission'].map(clean).join(" || ',' || "),
    `ifnull(${clean('usdc_usdt')}, '')`,
    `ifnull(${clean('fee_price')} || ',' || ${clean('fee_price_quote')}, '')`,
    `ifnull(NULLIF(${clean('commission_asset')}, ${clean('quote_asset')}), char(30))`,
    clean('symbol'),
    clean('trade_id'),
    clean('order_id'),
  ].join(' || char(31) || ');
}

/** Fields of a {@link replayText}. */
const REPLAY_FIELDS = 11;

/**
 * Reads the number in `text` from `start` to `end`: digits alone are read where they lie (a
 * fill's time and rowid), anything else as JavaScript reads a number.
 */
function numberIn(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(text.slice(start, end));
    n = n * 10 + digit;
  }
  return end - start <= 15 ? n : Number(text.slice(start, end));
}

/**
 * Reads replay texts ({@link replayText}) into {@link ReplayFill}s, remembering the time and
 * rowid of the last one read (where the next page starts).
 *
 * Base and quote asset are properties of the symbol: they are read once per symbol (by rowid)
 * and shared by all its rows, each row checked against them by the base asset's length.
 * Consecutive rows whose recorded prices are the same texts (most of a history: one `USDCUSDT`
 * per minute or longer, no fee price) share one prices record, so a long history does not leave
 * one prices object per fill behind.
 */
class ReplayTextReader {
  /** Time of the last row read. */
  time = Number.MIN_SAFE_INTEGER;
  /** Rowid of the last row read. */
  rowid = Number.MIN_SAFE_INTEGER;
  /** Rows read. */
  count = 0;
  readonly #assetsAt: (rowid: number) => { readonly base: string; readonly quote: string };
  readonly #cleanTextAt: (rowid: number) => string;
  readonly #assets = new Map<string, { readonly base: string; readonly quote: string }>();
  /** Where each field of the text being read ends. */
  readonly #ends = new Int32Array(REPLAY_FIELDS);
  #usdcUsdtText = '';
  #feeText = '';
  #prices: ReplayPrices | undefined;

  /**
   * @param assetsAt base and quote asset of the fill at a rowid
   * @param cleanTextAt the replay text of the fill at a rowid with the separator replaced in its fields
   */
  constructor(
    assetsAt: (rowid: number) => { readonly base: string; readonly quote: string },
    cleanTextAt: (rowid: number) => string,
  ) {
    this.#assetsAt = assetsAt;
    this.#cleanTextAt = cleanTextAt;
  }

  /** The fill a replay text describes; `cleaned` when it is the text read again with its separators replaced. */
  read(text: string, cleaned = false): ReplayFill {
    const ends = this.#ends;
    let at = -1;
    for (let i = 0; i < REPLAY_FIELDS - 1; i++) {
      at = text.indexOf(SEP, at + 1);
      if (at < 0) break;
      ends[i] = at;
    }
    const time = numberIn(text, 0, ends[0]!);
    const rowid = numberIn(text, ends[0]! + 1, ends[1]!);
    // The numbers before the amounts cannot hold the separator: a text holding one more or
    // fewer has it inside a stored text, and is read again with it replaced.
    if (at < 0 || text.includes(SEP, at + 1)) {
      // Cannot happen twice (the cleaned text has no separator in any stored text); a second
      // failure is a bug in replayText, not a damaged row.
      if (cleaned) throw new Error(`fill at rowid ${rowid}: its replay text has no ${REPLAY_FIELDS} fields`);
      return this.read(this.#cleanTextAt(rowid), true);
    }
    ends[REPLAY_FIELDS - 1] = text.length;
    this.time = time;
    this.rowid = rowid;
    this.count++;
    const symbol = text.slice(ends[7]! + 1, ends[8]);
    const { base, quote } = this.#assetsOf(symbol, numberIn(text, ends[1]! + 1, ends[2]!), rowid);
    // `price,qty,quote_qty,commission`, each parsed where it lies; a text that does not hold
    // exactly four leaves them all undefined, and the replay skips the row as malformed.
    const from = ends[3]! + 1;
    const to = ends[4]!;
    const a = text.indexOf(',', from);
    const b = a < 0 || a > to ? -1 : text.indexOf(',', a + 1);
    const c = b < 0 || b > to ? -1 : text.indexOf(',', b + 1);
    const d = c < 0 || c > to ? -1 : text.indexOf(',', c + 1);
    const four = c >= 0 && c < to && (d < 0 || d > to);
    const feeAsset = text.slice(ends[6]! + 1, ends[7]);
    return {
      symbol,
      tradeId: text.slice(ends[8]! + 1, ends[9]),
      orderId: text.slice(ends[9]! + 1),
      baseAsset: base,
      quoteAsset: quote,
      side: text.charCodeAt(ends[2]! + 1) === 49 ? 'SELL' : 'BUY', // '1'
      price: four ? Exact.parseSpan(text, from, a) : undefined,
      qty: four ? Exact.parseSpan(text, a + 1, b) : undefined,
      quoteQty: four ? Exact.parseSpan(text, b + 1, c) : undefined,
      commission: four ? Exact.parseSpan(text, c + 1, to) : undefined,
      commissionAsset: feeAsset === FEE_IN_QUOTE ? quote : feeAsset,
      time,
      prices: this.#pricesIn(text, ends[4]! + 1, ends[5]!, ends[6]!),
    };
  }

  /** The prices record of `usdc_usdt` (from `start` to `mid`) and `fee_price,fee_price_quote` (to `end`). */
  #pricesIn(text: string, start: number, mid: number, end: number): ReplayPrices {
    const usdcUsdt = this.#usdcUsdtText;
    const fee = this.#feeText;
    if (
      this.#prices !== undefined &&
      mid - start === usdcUsdt.length &&
      end - mid - 1 === fee.length &&
      text.startsWith(usdcUsdt, start) &&
      text.startsWith(fee, mid + 1)
    ) {
      return this.#prices;
    }
    const usdcUsdtText = text.slice(start, mid);
    const feeText = text.slice(mid + 1, end);
    // Like pricesOf: a fee price counts only with the market it was read on.
    const comma = feeText.lastIndexOf(',');
    this.#usdcUsdtText = usdcUsdtText;
    this.#feeText = feeText;
    this.#prices = {
      usdcUsdt: usdcUsdtText === '' ? undefined : Exact.parse(usdcUsdtText),
      feePrice: comma < 0 ? undefined : Exact.parse(feeText.slice(0, comma)),
      feeQuote: comma < 0 ? undefined : feeText.slice(comma + 1),
    };
    return this.#prices;
  }

  #assetsOf(
    symbol: string,
    baseLength: number,
    rowid: number,
  ): { readonly base: string; readonly quote: string } {
    const known = this.#assets.get(symbol);
    if (known !== undefined && known.base.length === baseLength) return known;
    const read = this.#assetsAt(rowid);
    if (known === undefined) this.#assets.set(symbol, read);
    return read;
  }
}

/**
 * Rows read per query by {@link FillRepository.pricedFillsBefore}. Small: rows alive when the
 * young generation is collected are copied and soon promoted, and with the 1 MiB semi-space
 * production runs with, pages of 2 000 rows made the collector cost more than the replay.
 */
const REPLAY_PAGE = 100;

/**
 * Bytes of the database file mapped while {@link FillRepository.pricedFillsBefore} reads (see
 * there); a larger file has the rest read the usual way.
 */
const REPLAY_MMAP_BYTES = 256 * 1024 * 1024;

/** Prices to fix on a recorded fill, and where they came from. */
export interface RecordedFillPrices extends FillPrices {
  /** `book`: read when the bot recorded the fill; `kline`: the close of the fill's minute. */
  readonly source: 'book' | 'kline';
}

/** A recorded fill whose prices are not recorded yet. */
export interface UnpricedFill {
  readonly symbol: string;
  readonly tradeId: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly time: number;
  readonly recordedAt: number;
}

function toOrigin(value: string | null): OrderOrigin | undefined {
  if (value === null) return undefined;
  return value === 'manual' || isStrategyId(value) ? value : undefined;
}

function fromRow(row: FillRow): StoredFill {
  const origin = toOrigin(row.origin);
  return {
    symbol: row.symbol,
    tradeId: row.trade_id,
    orderId: row.order_id,
    ...(row.client_order_id !== null ? { clientOrderId: row.client_order_id } : {}),
    ...(origin !== undefined ? { origin } : {}),
    baseAsset: row.base_asset,
    quoteAsset: row.quote_asset,
    side: row.side,
    price: dec(row.price),
    qty: dec(row.qty),
    quoteQty: dec(row.quote_qty),
    commission: dec(row.commission),
    commissionAsset: row.commission_asset,
    isMaker: row.is_maker === 1,
    time: row.time,
    recordedAt: row.recorded_at,
    ...(row.prices_at !== null ? { prices: pricesOf(row) } : {}),
  };
}

function pricesOf(row: FillRow): FillPrices {
  return {
    ...(row.usdc_usdt !== null ? { usdcUsdt: dec(row.usdc_usdt) } : {}),
    ...(row.fee_price !== null && row.fee_price_quote !== null
      ? { feePrice: dec(row.fee_price), feeQuote: row.fee_price_quote }
      : {}),
  };
}

/** The priced fills a replay reads (see {@link FillRepository.pricedFillsBefore}), and how far it got. */
export interface PricedFills extends Iterable<ReplayFill> {
  /** Rows read so far. */
  readonly count: number;
  /** Time of the last row read; undefined before the first. */
  readonly lastTime: number | undefined;
}

/**
 * Told about every change of the ledger, inside the transaction that makes it, so state derived
 * from the fills (the running PnL snapshot) is committed together with them or not at all.
 */
export interface FillLedgerListener {
  /** New fills were recorded; `earliest` is the oldest fill time among them. */
  fillsRecorded(earliest: number): void;
  /** Prices of recorded fills were fixed. */
  pricesRecorded(): void;
}

/** Repository over the `fills` and `fill_sync` tables. Synchronous, like better-sqlite3. */
export class FillRepository {
  /** The stored running PnL snapshot derived from this ledger. */
  readonly pnlSnapshot: PnlSnapshotRepository;
  readonly #listeners = new Set<FillLedgerListener>();
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #assetsOf: FillRepositoryOptions['assetsOf'];
  readonly #insert;
  readonly #originByClientId;
  readonly #originByOrderId;
  readonly #getCursor;
  readonly #setCursor;

  constructor(options: FillRepositoryOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#assetsOf = options.assetsOf;
    this.pnlSnapshot = new PnlSnapshotRepository({ db: options.db, clock: options.clock });
    this.#insert = this.#db.prepare(
      `INSERT OR IGNORE INTO fills (${INSERT_COLUMNS}) VALUES (@symbol, @trade_id, @order_id, @client_order_id,
        @origin, @base_asset, @quote_asset, @side, @price, @qty, @quote_qty, @commission,
        @commission_asset, @is_maker, @time, @recorded_at)`,
    );
    this.#originByClientId = this.#db.prepare<[string], { origin: string }>(
      'SELECT origin FROM orders WHERE client_order_id = ?',
    );
    this.#originByOrderId = this.#db.prepare<[string, string], { origin: string }>(
      'SELECT origin FROM orders WHERE exchange_order_id = ? AND symbol = ? LIMIT 1',
    );
    this.#getCursor = this.#db.prepare<[string], { synced_to: number }>(
      'SELECT synced_to FROM fill_sync WHERE symbol = ?',
    );
    this.#setCursor = this.#db.prepare(
      `INSERT INTO fill_sync (symbol, synced_to) VALUES (?, ?)
       ON CONFLICT (symbol) DO UPDATE SET synced_to = excluded.synced_to`,
    );
  }

  /**
   * Records fills once each (INSERT OR IGNORE on symbol + trade id) in one transaction and
   * returns how many were new. Base/quote come from `assetsOf` (falling back to a known quote
   * suffix); `origin` from the bot's order with the same client order id, else the same
   * exchange order id. Throws, inserting nothing, when a symbol's assets cannot be resolved, so a
   * sync never advances its cursor past fills it could not store.
   */
  insertFills(fills: readonly Fill[]): number {
    const recordedAt = this.#clock.now();
    const rows = fills.map((fill) => {
      const assets = this.#resolveAssets(fill.symbol);
      return {
        symbol: fill.symbol,
        trade_id: fill.tradeId,
        order_id: fill.orderId,
        client_order_id: fill.clientOrderId ?? null,
        origin: this.#originOf(fill),
        base_asset: assets.base,
        quote_asset: assets.quote,
        side: fill.side,
        price: toWire(fill.price),
        qty: toWire(fill.qty),
        quote_qty: toWire(fill.quoteQty),
        commission: toWire(fill.commission),
        commission_asset: fill.commissionAsset,
        is_maker: fill.isMaker ? 1 : 0,
        time: fill.time,
        recorded_at: recordedAt,
      };
    });
    return this.#db.transaction(() => {
      let inserted = 0;
      let earliest = Infinity;
      for (const row of rows) {
        const added = this.#insert.run(row).changes;
        inserted += added;
        if (added > 0 && row.time < earliest) earliest = row.time;
      }
      if (inserted > 0) this.#changed((l) => l.fillsRecorded(earliest));
      return inserted;
    })();
  }

  /**
   * Registers a listener for ledger changes (see {@link FillLedgerListener}); returns its removal.
   * While none is registered, a change clears the stored PnL snapshot, which nobody keeps up to
   * date then.
   */
  onChange(listener: FillLedgerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(tell: (listener: FillLedgerListener) => void): void {
    if (this.#listeners.size === 0) this.pnlSnapshot.clear();
    for (const listener of this.#listeners) tell(listener);
  }

  /**
   * Fills the origin of recorded fills that arrived before their order was known by exchange
   * id (a fill synced while the order row still lacked it). Returns how many were attributed.
   */
  attributeFills(): number {
    return this.#db
      .prepare(
        `UPDATE fills SET origin = (
           SELECT o.origin FROM orders o
           WHERE (fills.client_order_id IS NOT NULL AND o.client_order_id = fills.client_order_id)
              OR (o.exchange_order_id = fills.order_id AND o.symbol = fills.symbol)
           LIMIT 1)
         WHERE origin IS NULL AND EXISTS (
           SELECT 1 FROM orders o
           WHERE (fills.client_order_id IS NOT NULL AND o.client_order_id = fills.client_order_id)
              OR (o.exchange_order_id = fills.order_id AND o.symbol = fills.symbol))`,
      )
      .run().changes;
  }

  /** The time up to which `symbol` has been synced, or undefined before the first sync. */
  getSyncCursor(symbol: string): number | undefined {
    return this.#getCursor.get(symbol)?.synced_to;
  }

  setSyncCursor(symbol: string, time: number): void {
    this.#setCursor.run(symbol, time);
  }

  /**
   * When the bot first started on this database (recorded as `now` by the first call): fills
   * before it are the account's history, not activity to alert about.
   */
  firstStartedAt(now: number): number {
    this.#db.prepare('INSERT OR IGNORE INTO first_start (id, started_at) VALUES (1, ?)').run(now);
    return this.#db
      .prepare<[], { started_at: number }>('SELECT started_at FROM first_start WHERE id = 1')
      .get()!.started_at;
  }

  /** The bot's sent orders on `symbol` that were working at some point in `[from, to)`. */
  botOrders(symbol: string, from: number, to: number): OrderSpan[] {
    return this.#db
      .prepare<[string, number, number], { orderId: string; createdAt: number; finalAt: number | null }>(
        `SELECT exchange_order_id AS orderId, created_at AS createdAt, final_at AS finalAt FROM orders
         WHERE symbol = ? AND exchange_order_id IS NOT NULL AND created_at < ?
           AND (final_at IS NULL OR final_at >= ?) ORDER BY created_at`,
      )
      .all(symbol, to, from)
      .map((r) => ({
        orderId: r.orderId,
        from: r.createdAt,
        ...(r.finalAt !== null ? { to: r.finalAt } : {}),
      }));
  }

  /** Fills oldest first (by time, then trade id), ready for positionsFromFills. */
  listFills(filter: FillFilter = {}): StoredFill[] {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (filter.since !== undefined) {
      where.push('time >= @since');
      params.since = filter.since;
    }
    if (filter.until !== undefined) {
      where.push('time < @until');
      params.until = filter.until;
    }
    if (filter.baseAsset !== undefined) {
      where.push('base_asset = @baseAsset');
      params.baseAsset = filter.baseAsset;
    }
    if (filter.symbol !== undefined) {
      where.push('symbol = @symbol');
      params.symbol = filter.symbol;
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    if (filter.limit !== undefined) {
      params.limit = filter.limit;
      const rows = this.#db
        .prepare<Record<string, string | number>, FillRow>(
          `SELECT ${COLUMNS} FROM fills ${clause} ORDER BY time DESC, length(trade_id) DESC, trade_id DESC, symbol DESC LIMIT @limit`,
        )
        .all(params);
      return rows.reverse().map(fromRow);
    }
    return this.#db
      .prepare<Record<string, string | number>, FillRow>(
        `SELECT ${COLUMNS} FROM fills ${clause} ORDER BY ${filter.timeOrderOnly ? 'time' : 'time, length(trade_id), trade_id, symbol'}`,
      )
      .all(params)
      .map(fromRow);
  }

  /**
   * Every fill with recorded prices before `until` (all when undefined), for a replay of the
   * priced history: oldest millisecond first (the replay orders each millisecond itself), read a
   * page of rows at a time with only the columns the replay needs, amounts parsed straight into
   * exact decimals. Nothing is kept beyond one page, so 100 000 fills never sit in memory at once.
   * Read it once, and before writing: a write between two pages would show in the later ones.
   */
  pricedFillsBefore(until?: number): PricedFills {
    const assets = this.#db.prepare<[number], { base: string; quote: string }>(
      'SELECT base_asset AS base, quote_asset AS quote FROM fills WHERE rowid = ?',
    );
    const cleaned = this.#db
      .prepare<[number], string>(
        `SELECT ${replayText((column) => `replace(${column}, char(31), char(65533))`)} FROM fills WHERE rowid = ?`,
      )
      .pluck(true);
    const reader = new ReplayTextReader(
      (rowid) => assets.get(rowid) ?? { base: '', quote: '' },
      (rowid) => cleaned.get(rowid) ?? '',
    );
    let started = false;
    return {
      // The reader keeps where the last page ended: a second reading would start there and
      // quietly yield nothing.
      [Symbol.iterator]: () => {
        if (started) throw new Error('priced fills are read once; ask pricedFillsBefore again');
        started = true;
        return this.#pricedRows(reader, until);
      },
      get count() {
        return reader.count;
      },
      get lastTime() {
        return reader.count === 0 ? undefined : reader.time;
      },
    };
  }

  *#pricedRows(reader: ReplayTextReader, until: number | undefined): Generator<ReplayFill> {
    // Pages of rows after the last one read, in index order (time, rowid): a page costs less per
    // row than stepping an iterator, and the database is free between pages.
    const page = this.#db
      .prepare<[number, number, number], string>(
        `SELECT ${replayText((column) => column)} FROM fills
         WHERE (time, rowid) > (?, ?) AND time < ? AND prices_at IS NOT NULL
         ORDER BY time, rowid LIMIT ${REPLAY_PAGE}`,
      )
      .pluck(true);
    const end = until ?? Number.MAX_SAFE_INTEGER;
    // The whole table is read once: mapped, its pages are read where they lie instead of being
    // copied into the page cache, which they would then fill for the life of the process.
    this.#db.pragma(`mmap_size = ${REPLAY_MMAP_BYTES}`);
    try {
      for (;;) {
        const texts = page.all(reader.time, reader.rowid, end);
        for (const text of texts) yield reader.read(text);
        if (texts.length < REPLAY_PAGE) return;
      }
    } finally {
      this.#db.pragma('mmap_size = 0');
    }
  }

  /**
   * The recorded fills of one of the bot's orders (matched by client order id or exchange order
   * id), for the fee and price of its fill notification. Fills start at most a minute before the
   * order row, as the exchange's and the bot's clocks may differ that much.
   */
  async fillsOfOrder(order: {
    readonly symbol: string;
    readonly clientOrderId: string;
    readonly exchangeOrderId?: string;
    readonly createdAt: number;
  }): Promise<readonly StoredFill[]> {
    return this.listFills({ symbol: order.symbol, since: order.createdAt - 60_000 }).filter(
      (f) => f.clientOrderId === order.clientOrderId || f.orderId === order.exchangeOrderId,
    );
  }

  /** Fills since `since` with the strategy that caused them, for cooldowns and daily caps. */
  recentAttributedFills(since: number): AttributedFill[] {
    return this.listFills({ since }).map((f) => ({
      symbol: f.symbol,
      baseAsset: f.baseAsset,
      quoteAsset: f.quoteAsset,
      side: f.side,
      price: f.price,
      qty: f.qty,
      quoteQty: f.quoteQty,
      time: f.time,
      ...(f.origin !== undefined ? { origin: f.origin } : {}),
    }));
  }

  /** Fills since `since` that no order of the bot explains: the owner's or another tool's activity. */
  unattributedFills(since: number): StoredFill[] {
    return this.#db
      .prepare<[number], FillRow>(
        `SELECT ${COLUMNS} FROM fills WHERE origin IS NULL AND time >= ? ORDER BY time, length(trade_id), trade_id, symbol`,
      )
      .all(since)
      .map(fromRow);
  }

  /**
   * A key that changes whenever the ledger does (a fill recorded, a fill's prices recorded), so
   * callers can keep what they derived from the fills until it changes.
   */
  changeKey(): string {
    // Fills are never deleted, so the newest rowid moves with every insert; both parts are index
    // lookups (counting every fill here was a tenth of a replay's time).
    const state = this.#db
      .prepare(
        `SELECT (SELECT MAX(rowid) FROM fills) AS n,
           (SELECT COUNT(*) FROM fills WHERE prices_at IS NULL) AS u`,
      )
      .get() as { n: number | null; u: number };
    return `${state.n ?? 0}:${state.u}`;
  }

  /** Time of the oldest fill after `time` whose prices are not recorded yet; undefined when none. */
  firstUnpricedAfter(time: number): number | undefined {
    const row = this.#db
      .prepare<[number], { t: number | null }>(
        'SELECT MIN(time) AS t FROM fills WHERE prices_at IS NULL AND time > ?',
      )
      .get(time);
    return row?.t ?? undefined;
  }

  /** Fills whose prices are not recorded yet, oldest first (at most `limit`). */
  unpricedFills(limit: number): UnpricedFill[] {
    return this.#db
      .prepare<[number], FillRow>(
        // The partial index holds only the unpriced fills: without it SQLite reads every fill each sync.
        `SELECT ${COLUMNS} FROM fills INDEXED BY fills_unpriced WHERE prices_at IS NULL
         ORDER BY time DESC, length(trade_id) DESC, trade_id DESC, symbol DESC LIMIT ?`,
      )
      .all(limit)
      .map((row) => ({
        symbol: row.symbol,
        tradeId: row.trade_id,
        baseAsset: row.base_asset,
        quoteAsset: row.quote_asset,
        commission: dec(row.commission),
        commissionAsset: row.commission_asset,
        time: row.time,
        recordedAt: row.recorded_at,
      }));
  }

  /**
   * Fixes the prices of recorded fills, once: a fill whose prices are already recorded keeps
   * them (its realised PnL must never move). Returns how many fills were priced.
   */
  recordPrices(
    entries: readonly {
      readonly symbol: string;
      readonly tradeId: string;
      readonly prices: RecordedFillPrices;
    }[],
  ): number {
    const update = this.#db.prepare(
      `UPDATE fills SET usdc_usdt = @usdc_usdt, fee_price = @fee_price, fee_price_quote = @fee_price_quote,
         prices_source = @source, prices_at = @at
       WHERE symbol = @symbol AND trade_id = @trade_id AND prices_at IS NULL`,
    );
    const at = this.#clock.now();
    return this.#db.transaction(() => {
      let n = 0;
      for (const { symbol, tradeId, prices } of entries) {
        n += update.run({
          symbol,
          trade_id: tradeId,
          usdc_usdt: prices.usdcUsdt === undefined ? null : toWire(prices.usdcUsdt),
          fee_price: prices.feePrice === undefined ? null : toWire(prices.feePrice),
          fee_price_quote: prices.feePrice === undefined ? null : (prices.feeQuote ?? null),
          source: prices.source,
          at,
        }).changes;
      }
      if (n > 0) this.#changed((l) => l.pricesRecorded());
      return n;
    })();
  }

  /** The most recent fills, newest first, for /trades. */
  lastTrades(limit: number): StoredFill[] {
    return this.#db
      .prepare<[number], FillRow>(
        `SELECT ${COLUMNS} FROM fills ORDER BY time DESC, length(trade_id) DESC, trade_id DESC, symbol DESC LIMIT ?`,
      )
      .all(limit)
      .map(fromRow);
  }

  /**
   * Fills with `from <= time <= to` as chart markers, oldest first, at most `limit` (the newest are
   * kept when there are more: a chart with hundreds of markers shows nothing useful anyway).
   */
  tradeMarkers(window: { from: number; to: number; limit?: number }): TradeMarker[] {
    const rows = this.#db
      .prepare(
        `SELECT time, side, symbol, quote_qty FROM fills WHERE time >= ? AND time <= ?
         ORDER BY time DESC LIMIT ?`,
      )
      .all(window.from, window.to, window.limit ?? 300) as {
      time: number;
      side: OrderSide;
      symbol: string;
      quote_qty: string;
    }[];
    return rows
      .map((r) => ({ time: r.time, side: r.side, symbol: r.symbol, value: dec(r.quote_qty) }))
      .reverse();
  }

  #originOf(fill: Fill): string | null {
    if (fill.clientOrderId !== undefined) {
      const byClient = this.#originByClientId.get(fill.clientOrderId);
      if (byClient !== undefined) return byClient.origin;
    }
    return this.#originByOrderId.get(fill.orderId, fill.symbol)?.origin ?? null;
  }

  #resolveAssets(symbol: string): { base: string; quote: string } {
    const known = this.#assetsOf(symbol);
    if (known !== undefined) return known;
    for (const quote of KNOWN_QUOTES) {
      if (symbol.length > quote.length && symbol.endsWith(quote)) {
        return { base: symbol.slice(0, -quote.length), quote };
      }
    }
    throw new Error(`fill for ${symbol}: base and quote asset unknown (symbol missing from trading rules)`);
  }
}
