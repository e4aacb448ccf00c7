/**
 * Candles as parallel numeric columns: how the candle store hands recorded candles to a replay
 * and how the replay keeps and aggregates them. Numbers here only feed indicators and price
 * lookups; money computed from them goes back through a decimal.
 */

/** Candles of one symbol and width as parallel numeric columns, oldest first. */
export interface CandleColumns {
  readonly openTimes: Float64Array;
  readonly opens: Float64Array;
  readonly highs: Float64Array;
  readonly lows: Float64Array;
  readonly closes: Float64Array;
  readonly volumes: Float64Array;
  readonly quoteVolumes: Float64Array;
}

/** One candle as numbers: a row of {@link CandleColumns}. */
export interface NumericCandle {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
}

/** Candles as columns, in the order given. */
export function columnsOf(rows: readonly NumericCandle[]): CandleColumns;
/** Rows of another shape (a stored row with decimal text) as candle columns, read by `toCandle`. */
export function columnsOf<T>(rows: readonly T[], toCandle: (row: T) => NumericCandle): CandleColumns;
export function columnsOf<T>(rows: readonly T[], toCandle?: (row: T) => NumericCandle): CandleColumns {
  const n = rows.length;
  const c = {
    openTimes: new Float64Array(n),
    opens: new Float64Array(n),
    highs: new Float64Array(n),
    lows: new Float64Array(n),
    closes: new Float64Array(n),
    volumes: new Float64Array(n),
    quoteVolumes: new Float64Array(n),
  };
  for (let i = 0; i < n; i += 1) {
    const r = toCandle ? toCandle(rows[i]!) : (rows[i] as NumericCandle);
    c.openTimes[i] = r.openTime;
    c.opens[i] = r.open;
    c.highs[i] = r.high;
    c.lows[i] = r.low;
    c.closes[i] = r.close;
    c.volumes[i] = r.volume;
    c.quoteVolumes[i] = r.quoteVolume;
  }
  return c;
}

/** The candle at row `i` of `c`. */
export function candleAt(c: CandleColumns, i: number): NumericCandle {
  return {
    openTime: c.openTimes[i]!,
    open: c.opens[i]!,
    high: c.highs[i]!,
    low: c.lows[i]!,
    close: c.closes[i]!,
    volume: c.volumes[i]!,
    quoteVolume: c.quoteVolumes[i]!,
  };
}
