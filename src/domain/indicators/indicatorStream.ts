/**
 * The scanner's indicators updated one closed candle at a time with technicalindicators'
 * streaming API (`new X({ values: [] })` then `nextValue(close)`), so a scan costs one update
 * per symbol and new candle instead of recomputing 250 candles of RSI, MACD and Bollinger.
 *
 * The library's static `calculate` runs the same generators over an array, so a stream fed the
 * same closes gives the same numbers. RSI and MACD are exponential averages: a stream that has
 * seen more candles than the cache still holds carries slightly more history than a fresh
 * computation over the cache would, a difference that has decayed below 1e-8 after 250 candles.
 */
import { BollingerBands, MACD, RSI } from 'technicalindicators';

/** The periods the scanner's indicators use; also how much history a reading needs. */
export const INDICATOR_PARAMS = {
  rsiPeriod: 14,
  macd: { fast: 12, slow: 26, signal: 9 },
  bollinger: { period: 20, stdDev: 2 },
  /** The volume ratio compares the last candle with the mean of this many before it. */
  volumeLookback: 20,
} as const;

/** MACD line, signal line and histogram at one candle. */
export interface MacdValue {
  readonly macd: number;
  /** Absent during the signal line's warm-up. */
  readonly signal?: number;
  readonly histogram?: number;
}

/** Bollinger bands at one candle. */
export interface BandsValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

/**
 * The stream's values after its latest candle; each is absent until its indicator is warm.
 * Immutable: a new object after every candle, so a reading handed out stays true.
 */
export interface StreamReading {
  /** Open time of the latest candle fed, NaN before the first one. */
  readonly openTime: number;
  /** Candles fed since the stream started. */
  readonly fed: number;
  readonly rsi?: number;
  readonly macd?: MacdValue;
  /** The histogram one candle earlier, to tell rising from falling and zero crossings. */
  readonly prevHistogram?: number;
  readonly bands?: BandsValue;
}

/** RSI(14), MACD(12,26,9) and Bollinger(20,2) of one symbol, fed closed candles in order. */
export class IndicatorStream {
  readonly #rsi = new RSI({ period: INDICATOR_PARAMS.rsiPeriod, values: [] });
  readonly #macd = new MACD({
    values: [],
    fastPeriod: INDICATOR_PARAMS.macd.fast,
    slowPeriod: INDICATOR_PARAMS.macd.slow,
    signalPeriod: INDICATOR_PARAMS.macd.signal,
    // Classic EMA MACD, EMAs seeded with an SMA like TA-Lib.
    SimpleMAOscillator: false,
    SimpleMASignal: false,
  });
  readonly #bands = new BollingerBands({
    period: INDICATOR_PARAMS.bollinger.period,
    stdDev: INDICATOR_PARAMS.bollinger.stdDev,
    values: [],
  });
  #reading: StreamReading = { openTime: Number.NaN, fed: 0 };

  /** Feeds the close of the candle opening at `openTime`; candles must come oldest first, once each. */
  push(openTime: number, close: number): void {
    const previous = this.#reading;
    if (openTime <= previous.openTime) {
      throw new RangeError(
        `candle ${openTime} fed after ${previous.openTime}: indicators take each candle once, in order`,
      );
    }
    const rsi = this.#rsi.nextValue(close);
    const m = this.#macd.nextValue(close);
    const b = this.#bands.nextValue(close);
    const macd: MacdValue | undefined =
      m === undefined
        ? undefined
        : {
            macd: m.MACD ?? Number.NaN,
            ...(m.signal === undefined ? {} : { signal: m.signal }),
            ...(m.histogram === undefined ? {} : { histogram: m.histogram }),
          };
    const prevHistogram = previous.macd?.histogram;
    this.#reading = {
      openTime,
      fed: previous.fed + 1,
      ...(rsi === undefined ? {} : { rsi }),
      ...(macd === undefined ? {} : { macd }),
      ...(prevHistogram === undefined ? {} : { prevHistogram }),
      ...(b === undefined ? {} : { bands: { upper: b.upper, middle: b.middle, lower: b.lower } }),
    };
  }

  /** The values after the latest candle fed. */
  get reading(): StreamReading {
    return this.#reading;
  }
}
