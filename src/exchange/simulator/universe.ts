/**
 * The simulated listing: which symbols exist, their trading rules and the parameters of their
 * price model. Internal to the simulator; a pure function of the seed, the altcoin count and
 * the start time.
 */
import { Decimal, dec, stepFromPrecision } from '../../domain/money.js';
import { Prng, hash32 } from './prng.js';
import { altcoinNames } from './symbolNames.js';

const DAY_MS = 86_400_000;

/** How the price of a symbol moves. Prices are in quote units; see PriceModel. */
export type ModelSpec =
  | {
      /** Mean-reverting log random walk with a market factor and occasional pumps and dumps. */
      readonly kind: 'walk';
      readonly sigmaPerMin: number;
      /** Index of the symbol whose step return drives this one (-1: none). */
      readonly factorIndex: number;
      readonly beta: number;
      readonly kappaPerMin: number;
      /** Expected random pump/dump events per day (0: none). */
      readonly eventsPerDay: number;
    }
  | {
      /** Stablecoin: Ornstein–Uhlenbeck around a centre, clamped to a band. */
      readonly kind: 'peg';
      readonly centre: number;
      readonly lo: number;
      readonly hi: number;
      readonly sigmaPerMin: number;
      readonly thetaPerMin: number;
    }
  | {
      /** Product of two legs (BTCUSDT = BTCUSDC × USDCUSDT) with a small basis. */
      readonly kind: 'cross';
      readonly legA: number;
      readonly legB: number;
    };

/** A scripted move in the recent past, so a fresh market already shows pumps, dumps and spikes. */
export interface ScriptedEvent {
  /** Minutes before the start time at which the move begins. */
  readonly minutesBeforeStart: number;
  readonly durationMin: number;
  readonly totalLogReturn: number;
  readonly volumeMultiplier: number;
}

export interface SymbolSpec {
  readonly index: number;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly fullName: string;
  readonly category: 'quote-stable' | 'core' | 'stablecoin' | 'leveraged' | 'alt';
  readonly pricePrecision: number;
  readonly qtyPrecision: number;
  readonly tick: Decimal;
  readonly step: Decimal;
  /** 10^-pricePrecision as a float: converts model prices to ticks (never used for money). */
  readonly tickFloat: number;
  readonly initialPrice: number;
  readonly dailyQuoteVolume: number;
  readonly spreadFrac: number;
  readonly listedAt: number;
  readonly model: ModelSpec;
  readonly events: readonly ScriptedEvent[];
  readonly status: '1' | '2' | '3';
  readonly tradeSideType: 1 | 2 | 3 | 4;
  readonly isSpotTradingAllowed: boolean;
  /** Initial membership of /api/v3/defaultSymbols. */
  readonly inDefaultSymbols: boolean;
  readonly orderTypes: readonly string[];
  readonly minNotional: Decimal;
  readonly minNotionalMarket: Decimal;
  readonly maxNotional: Decimal;
  readonly maxNotionalMarket: Decimal;
  /** `baseSizePrecision`: the minimum quantity (0 = none). */
  readonly minQty: Decimal;
  readonly bandUp: Decimal;
  readonly bandDown: Decimal;
  readonly makerFee: Decimal;
  readonly takerFee: Decimal;
}

const ALL_TYPES = ['LIMIT', 'MARKET', 'LIMIT_MAKER'] as const;
const NO_MARKET = ['LIMIT', 'LIMIT_MAKER'] as const;
const PER_MIN_FROM_DAILY = 1 / Math.sqrt(1440);

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Price decimals giving 5–7 significant digits, as MEXC lists most pairs. */
function pricePrecisionFor(price: number): number {
  return clamp(6 - Math.ceil(Math.log10(price)), 0, 12);
}

function qtyPrecisionFor(price: number): number {
  return clamp(Math.round(Math.log10(price)) + 2, 0, 8);
}

type Draft = Omit<SymbolSpec, 'index' | 'tick' | 'step' | 'tickFloat'>;

function base(
  symbol: string,
  baseAsset: string,
  quoteAsset: string,
  category: SymbolSpec['category'],
): Pick<Draft, 'symbol' | 'baseAsset' | 'quoteAsset' | 'fullName' | 'category'> {
  return { symbol, baseAsset, quoteAsset, fullName: baseAsset, category };
}

const DEFAULT_RULES = {
  status: '1',
  tradeSideType: 1,
  isSpotTradingAllowed: true,
  inDefaultSymbols: true,
  orderTypes: ALL_TYPES,
  minNotional: dec('1'),
  minNotionalMarket: dec('1'),
  maxNotional: dec('2000000'),
  maxNotionalMarket: dec('100000'),
  minQty: dec('0'),
  bandUp: dec('0.05'),
  bandDown: dec('0.05'),
  makerFee: dec('0'),
  takerFee: dec('0.0005'),
  events: [],
} as const;

function coreDrafts(rng: Prng, startTime: number): Draft[] {
  const listed = startTime - 2000 * DAY_MS;
  const btc = 95_000 * rng.range(0.93, 1.07);
  const eth = 3_400 * rng.range(0.9, 1.1);
  const coreRules = {
    ...DEFAULT_RULES,
    minNotional: dec('5'),
    minNotionalMarket: dec('5'),
    listedAt: listed,
  };
  const btcRules = { ...coreRules, bandUp: dec('0.005'), bandDown: dec('0.005') };
  const ethRules = { ...coreRules, bandUp: dec('0.01'), bandDown: dec('0.01') };
  return [
    {
      ...base('USDCUSDT', 'USDC', 'USDT', 'quote-stable'),
      ...DEFAULT_RULES,
      listedAt: listed,
      pricePrecision: 4,
      qtyPrecision: 2,
      initialPrice: 0.9992,
      dailyQuoteVolume: 80e6,
      spreadFrac: 0,
      model: { kind: 'peg', centre: 0.99915, lo: 0.997, hi: 1.0005, sigmaPerMin: 0.00004, thetaPerMin: 0.02 },
    },
    {
      ...base('BTCUSDC', 'BTC', 'USDC', 'core'),
      ...btcRules,
      pricePrecision: 2,
      qtyPrecision: 6,
      initialPrice: btc,
      dailyQuoteVolume: 250e6,
      spreadFrac: 2e-6,
      model: {
        kind: 'walk',
        sigmaPerMin: 0.028 * PER_MIN_FROM_DAILY,
        factorIndex: -1,
        beta: 0,
        kappaPerMin: Math.LN2 / (7 * 1440),
        eventsPerDay: 0,
      },
    },
    {
      ...base('ETHUSDC', 'ETH', 'USDC', 'core'),
      ...ethRules,
      pricePrecision: 2,
      qtyPrecision: 5,
      initialPrice: eth,
      dailyQuoteVolume: 120e6,
      spreadFrac: 5e-6,
      model: {
        kind: 'walk',
        sigmaPerMin: 0.02 * PER_MIN_FROM_DAILY,
        factorIndex: 1,
        beta: 1.15,
        kappaPerMin: Math.LN2 / (7 * 1440),
        eventsPerDay: 0,
      },
    },
    {
      ...base('BTCUSDT', 'BTC', 'USDT', 'core'),
      ...btcRules,
      pricePrecision: 2,
      qtyPrecision: 6,
      initialPrice: btc,
      dailyQuoteVolume: 600e6,
      spreadFrac: 2e-6,
      model: { kind: 'cross', legA: 1, legB: 0 },
    },
    {
      ...base('ETHUSDT', 'ETH', 'USDT', 'core'),
      ...ethRules,
      pricePrecision: 2,
      qtyPrecision: 5,
      initialPrice: eth,
      dailyQuoteVolume: 300e6,
      spreadFrac: 5e-6,
      model: { kind: 'cross', legA: 2, legB: 0 },
    },
  ];
}

function stableDrafts(startTime: number): Draft[] {
  const stables: [string, number, number][] = [
    ['FDUSD', 0.9982, 40e6],
    ['USDE', 0.9996, 12e6],
    ['TUSD', 0.9975, 300e3],
  ];
  return stables.map(([asset, centre, volume]) => ({
    ...base(`${asset}USDT`, asset, 'USDT', 'stablecoin'),
    ...DEFAULT_RULES,
    listedAt: startTime - 900 * DAY_MS,
    pricePrecision: 4,
    qtyPrecision: 2,
    initialPrice: centre,
    dailyQuoteVolume: volume,
    spreadFrac: 0,
    model: {
      kind: 'peg',
      centre,
      lo: centre - 0.003,
      hi: Math.min(1.001, centre + 0.002),
      sigmaPerMin: 0.00005,
      thetaPerMin: 0.01,
    },
  }));
}

function leveragedDrafts(rng: Prng, startTime: number): Draft[] {
  const tokens: [string, number, number][] = [
    ['BTC3L', 1, 3],
    ['BTC3S', 1, -3],
    ['ETH3L', 2, 3],
    ['ETH3S', 2, -3],
  ];
  return tokens.map(([asset, factorIndex, beta]) => {
    const price = 10 ** rng.range(-2, 1);
    return {
      ...base(`${asset}USDT`, asset, 'USDT', 'leveraged'),
      ...DEFAULT_RULES,
      listedAt: startTime - 700 * DAY_MS,
      pricePrecision: pricePrecisionFor(price),
      qtyPrecision: qtyPrecisionFor(price),
      initialPrice: price,
      dailyQuoteVolume: 10 ** rng.range(5.5, 6.7),
      spreadFrac: 6e-4,
      model: {
        kind: 'walk',
        sigmaPerMin: 0.004 * PER_MIN_FROM_DAILY,
        factorIndex,
        beta,
        kappaPerMin: Math.LN2 / (30 * 1440),
        eventsPerDay: 0,
      },
    };
  });
}

function altDrafts(rng: Prng, count: number, startTime: number): Draft[] {
  return altcoinNames(count).map((asset, rank) => {
    const price = 10 ** rng.range(-6, 2.5);
    const position = count > 1 ? rank / (count - 1) : 0;
    const dailyQuoteVolume = 10 ** (8.3 - 4.9 * position + 0.25 * rng.normal());
    const young = rng.next() < 0.08;
    const listedDaysAgo = young ? rng.range(1, 45) : rng.range(60, 1500);
    const hasMinQty = rng.next() < 0.15;
    const qtyPrecision = qtyPrecisionFor(price);
    const band = dec(rng.range(0.02, 0.2).toFixed(2));
    return {
      ...base(`${asset}USDT`, asset, 'USDT', 'alt'),
      ...DEFAULT_RULES,
      listedAt: startTime - Math.round(listedDaysAgo * DAY_MS),
      pricePrecision: pricePrecisionFor(price),
      qtyPrecision,
      initialPrice: price,
      dailyQuoteVolume,
      spreadFrac: clamp(0.3 / Math.sqrt(dailyQuoteVolume), 1e-4, 8e-3),
      minQty: hasMinQty
        ? Decimal.max(
            stepFromPrecision(qtyPrecision),
            new Decimal(10).pow(Math.floor(Math.log10(0.2 / price))),
          )
        : dec('0'),
      bandUp: band,
      bandDown: band,
      model: {
        kind: 'walk',
        sigmaPerMin: (0.035 + 0.08 * position) * PER_MIN_FROM_DAILY,
        factorIndex: 1,
        beta: rng.range(0.6, 1.6),
        kappaPerMin: Math.LN2 / (rng.range(4, 12) * 1440),
        eventsPerDay: 0.1,
      },
    };
  });
}

/**
 * Gives some altcoins the quirks the bot must survive: not API-tradable, paused, sell-only,
 * no MARKET orders, and recent pumps, dumps and one-hour spikes.
 */
function assignQuirks(rng: Prng, alts: Draft[]): Draft[] {
  const n = alts.length;
  const out = [...alts];
  const share = (fraction: number) => (n === 0 ? 0 : Math.max(1, Math.round(n * fraction)));
  // Moves go to the more liquid part of the list so the scanner's volume floor still sees them.
  const liquid = rng.shuffle([...Array(Math.ceil(n * 0.6)).keys()]);
  const used = new Set<number>();
  const take = (pool: number[], count: number): number[] => {
    const picked: number[] = [];
    for (const i of pool) {
      if (picked.length >= count) break;
      if (!used.has(i)) {
        picked.push(i);
        used.add(i);
      }
    }
    return picked;
  };
  const event = (i: number, e: ScriptedEvent) => {
    const draft = out[i];
    if (draft) out[i] = { ...draft, events: [...draft.events, e] };
  };
  for (const i of take(liquid, share(0.02))) {
    const duration = rng.int(60, 240);
    event(i, {
      minutesBeforeStart: rng.int(300, 1200),
      durationMin: duration,
      totalLogReturn: Math.log(rng.range(1.4, 2.2)),
      volumeMultiplier: rng.range(5, 10),
    });
  }
  for (const i of take(liquid, share(0.01))) {
    event(i, {
      minutesBeforeStart: rng.int(300, 1100),
      durationMin: rng.int(60, 240),
      totalLogReturn: Math.log(rng.range(0.55, 0.72)),
      volumeMultiplier: rng.range(3, 6),
    });
  }
  for (const i of take(liquid, share(0.01))) {
    event(i, {
      minutesBeforeStart: rng.int(20, 35),
      durationMin: rng.int(10, 18),
      totalLogReturn: Math.log(rng.range(1.08, 1.2)),
      volumeMultiplier: rng.range(15, 25),
    });
  }
  const any = rng.shuffle([...Array(n).keys()]);
  const patch = (indices: number[], change: Partial<Draft>) => {
    for (const i of indices) {
      const draft = out[i];
      if (draft) out[i] = { ...draft, ...change };
    }
  };
  patch(take(any, share(0.02)), { inDefaultSymbols: false });
  patch(take(any, share(0.01)), { inDefaultSymbols: false, isSpotTradingAllowed: false });
  patch(take(any, share(0.04)), { orderTypes: NO_MARKET });
  if (n >= 50) {
    patch(take(any, 1), { status: '2', inDefaultSymbols: false });
    patch(take(any, 1), { tradeSideType: 3 });
  }
  return out;
}

/** Builds the whole listing. Symbol order matters: a symbol's factor and legs come before it. */
export function buildUniverse(opts: { seed: number; altcoins: number; startTime: number }): SymbolSpec[] {
  const rng = new Prng(hash32(opts.seed, 0x0411_5eed));
  const drafts = [
    ...coreDrafts(rng, opts.startTime),
    ...stableDrafts(opts.startTime),
    ...leveragedDrafts(rng, opts.startTime),
    ...assignQuirks(rng, altDrafts(rng, opts.altcoins, opts.startTime)),
  ];
  return drafts.map((draft, index) => ({
    ...draft,
    index,
    tick: stepFromPrecision(draft.pricePrecision),
    step: stepFromPrecision(draft.qtyPrecision),
    tickFloat: 10 ** -draft.pricePrecision,
  }));
}
