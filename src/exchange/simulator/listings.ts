/**
 * The simulated listing, group by group: USDCUSDT and the BTC/ETH pairs, stablecoin pairs,
 * leveraged tokens and the USDT altcoins. Internal to the simulator.
 */
import { Decimal, dec, stepFromPrecision } from '../../domain/money.js';
import type { Prng } from './prng.js';
import {
  DEFAULT_RULES,
  PER_MIN_FROM_DAILY,
  base,
  clamp,
  pricePrecisionFor,
  qtyPrecisionFor,
  type Draft,
} from './symbolSpec.js';
import { altcoinNames } from './symbolNames.js';

const DAY_MS = 86_400_000;

/** The BTC and ETH pairs and USDCUSDT, priced near today's levels. */
export function coreDrafts(rng: Prng, startTime: number): Draft[] {
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

/** Stablecoin pairs that track 1 USDT closely. */
export function stableDrafts(startTime: number): Draft[] {
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

/** Leveraged tokens that follow BTC or ETH three times over, which the scanner must skip. */
export function leveragedDrafts(rng: Prng, startTime: number): Draft[] {
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

/** The USDT altcoins, from deep liquid ones to thin young listings. */
export function altDrafts(rng: Prng, count: number, startTime: number): Draft[] {
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
