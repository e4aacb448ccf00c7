/**
 * The scanner's universe: USDT altcoins worth analysing, ranked by 24 h quote
 * volume. Each rejection has a code and a sentence so `/why SYMBOL` can answer for symbols
 * that never reached the indicators.
 */
import { CORE_ASSETS, STABLECOINS, isTradable, type Ticker24h } from '../../domain/market.js';
import type { Decimal } from '../../domain/money.js';
import type { SettingsReader, StrategySnapshot } from '../contract.js';
import { formatNumber } from '../../domain/format.js';

/** Suffixes of leveraged tokens that never mean anything else: always rejected. */
const NUMERIC_LEVERAGE_SUFFIXES = ['3L', '3S', '5L', '5S'] as const;
/**
 * Word suffixes of leveraged tokens. Rejected only when what precedes the suffix is itself a
 * listed asset (`BTCUP`, `XRPBEAR`), so real coins that merely end in these letters (`JUP`,
 * `SYRUP`, a `BEAR` memecoin) are not mistaken for leveraged tokens.
 */
const WORD_LEVERAGE_SUFFIXES = ['UP', 'DOWN', 'BULL', 'BEAR'] as const;

/** Why a symbol is left out of the scanner's universe, one code per filter. */
export const UniverseRejection = {
  NotUsdt: 'not-usdt',
  NotTradable: 'not-tradable',
  Excluded: 'excluded',
  Core: 'core',
  Stablecoin: 'stablecoin',
  Leveraged: 'leveraged',
  LowVolume: 'low-volume',
  LowPrice: 'low-price',
} as const;
export type UniverseRejection = (typeof UniverseRejection)[keyof typeof UniverseRejection];

/** A symbol worth analysing, with its 24-hour quote volume and price. */
export interface UniverseEntry {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteVolume: Decimal;
  readonly lastPrice: Decimal;
  readonly ticker: Ticker24h;
}

/** A symbol accepted into the universe, or the filter that rejected it. */
export type UniverseVerdict =
  | { readonly ok: true; readonly entry: UniverseEntry }
  | { readonly ok: false; readonly code: UniverseRejection; readonly reason: string };

/** The symbols that passed the filters, the ones analysed this run, and every rejection. */
export interface Universe {
  /** Every symbol passing the filters, by quote volume (highest first). */
  readonly eligible: readonly UniverseEntry[];
  /** The first `maxCandidates` of `eligible`: the symbols analysed with klines. */
  readonly candidates: readonly UniverseEntry[];
  /** How many USDT-or-other tickers each filter removed. */
  readonly rejected: Readonly<Record<UniverseRejection, number>>;
}

/** Listed base assets, to recognise `<listed asset><leverage suffix>` names. */
function listedBases(snapshot: StrategySnapshot): Set<string> {
  const bases = new Set<string>();
  for (const r of snapshot.rules.values()) bases.add(r.baseAsset);
  return bases;
}

/** True for leveraged-token base assets such as `BTC3L`, `ETH5S`, `BTCUP`, `XRPBEAR`. */
export function isLeveragedToken(baseAsset: string, listed: ReadonlySet<string>): boolean {
  for (const s of NUMERIC_LEVERAGE_SUFFIXES) {
    if (baseAsset.length > s.length && baseAsset.endsWith(s)) return true;
  }
  for (const s of WORD_LEVERAGE_SUFFIXES) {
    if (!baseAsset.endsWith(s)) continue;
    const underlying = baseAsset.slice(0, -s.length);
    if (underlying.length >= 2 && listed.has(underlying)) return true;
  }
  return false;
}

/** Rules for one ticker against the universe filters, with the first failing filter's reason. */
export function universeVerdict(input: {
  readonly ticker: Ticker24h;
  readonly snapshot: StrategySnapshot;
  readonly settings: SettingsReader;
  readonly listed?: ReadonlySet<string>;
}): UniverseVerdict {
  const { ticker, snapshot, settings } = input;
  const { symbol } = ticker;
  const rules = snapshot.rules.get(symbol);
  // A reason is worded when it is read (by /why): a scan judges every ticker, some two thousand,
  // and reads none of the reasons, and wording one formats two decimals.
  const no = (code: UniverseRejection, reason: () => string): UniverseVerdict => ({
    ok: false,
    code,
    get reason() {
      return reason();
    },
  });
  if (rules ? rules.quoteAsset !== 'USDT' : !symbol.endsWith('USDT'))
    return no('not-usdt', () => `${symbol} is not quoted in USDT`);
  if (!rules || !isTradable(rules) || rules.tradeSide === 'SELL_ONLY') {
    return no('not-tradable', () => `${symbol} is not API-tradable for buys`);
  }
  if (snapshot.blockedSymbols.has(symbol) || settings.get('exclusions').includes(symbol)) {
    return no('excluded', () => `${symbol} is excluded or blocked`);
  }
  const base = rules.baseAsset;
  if ((CORE_ASSETS as readonly string[]).includes(base))
    return no('core', () => `${base} is a core asset, bought by accumulate`);
  if (STABLECOINS.has(base)) return no('stablecoin', () => `${base} is a stablecoin`);
  if (isLeveragedToken(base, input.listed ?? listedBases(snapshot)))
    return no('leveraged', () => `${base} is a leveraged token`);
  const minVolume = settings.get('scanner.minQuoteVolume');
  if (ticker.quoteVolume.lessThan(minVolume)) {
    return no(
      'low-volume',
      () =>
        `${symbol} 24 h volume ${formatNumber(ticker.quoteVolume)} USDT is below ${formatNumber(minVolume)}`,
    );
  }
  const minPrice = settings.get('scanner.minPrice');
  if (ticker.lastPrice.lessThan(minPrice)) {
    return no(
      'low-price',
      () => `${symbol} price ${formatNumber(ticker.lastPrice)} is below ${formatNumber(minPrice)}`,
    );
  }
  return {
    ok: true,
    entry: { symbol, baseAsset: base, quoteVolume: ticker.quoteVolume, lastPrice: ticker.lastPrice, ticker },
  };
}

/** Filters the 24 h tickers into the ranked universe and its analysed head. */
export function buildUniverse(snapshot: StrategySnapshot, settings: SettingsReader): Universe {
  const rejected = Object.fromEntries(Object.values(UniverseRejection).map((c) => [c, 0])) as Record<
    UniverseRejection,
    number
  >;
  const listed = listedBases(snapshot);
  const eligible: UniverseEntry[] = [];
  for (const ticker of snapshot.tickers.values()) {
    const v = universeVerdict({ ticker, snapshot, settings, listed });
    if (v.ok) eligible.push(v.entry);
    else rejected[v.code] += 1;
  }
  // Highest volume first; the symbol breaks ties so the order never depends on map order.
  eligible.sort((a, b) => b.quoteVolume.comparedTo(a.quoteVolume) || a.symbol.localeCompare(b.symbol));
  return { eligible, candidates: eligible.slice(0, settings.get('scanner.maxCandidates')), rejected };
}
