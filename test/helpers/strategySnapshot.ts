/**
 * Hand-built strategy snapshots and settings for strategy scenario tests: realistic MEXC-like
 * rules for BTCUSDC, ETHUSDC, BTCUSDT, ETHUSDT, USDCUSDT and a few altcoins, books, balances,
 * positions, fills and open orders, all as decimals.
 */
import type { Balance, BookTop, Candle, SymbolRules, Ticker24h } from '../../src/domain/market.js';
import { dec, ZERO, type Decimal } from '../../src/domain/money.js';
import type { Position } from '../../src/domain/portfolio/position.js';
import type { AttributedFill, OpenBotOrder } from '../../src/domain/intent.js';
import type { OrderOrigin } from '../../src/domain/strategy.js';
import type { SettingsReader, StrategySnapshot } from '../../src/strategies/contract.js';
import { SETTINGS, type SettingKey, type SettingValue } from '../../src/settings/definitions.js';

/** 2026-03-10 12:00:30 UTC: thirty seconds into a quarter hour, like a cron scan. */
export const T0 = Date.UTC(2026, 2, 10, 12, 0, 30);
export const MIN = 60_000;
export const HOUR = 3_600_000;

type Num = string | number | Decimal;

function rule(
  symbol: string,
  base: string,
  quote: string,
  o: { tick: string; step: string; minNotional: string; maker?: string; taker?: string },
): SymbolRules {
  return {
    symbol,
    baseAsset: base,
    quoteAsset: quote,
    status: 'TRADING',
    tickSize: dec(o.tick),
    stepSize: dec(o.step),
    minQty: ZERO,
    minNotional: dec(o.minNotional),
    maxNotional: dec('2000000'),
    makerFee: dec(o.maker ?? '0'),
    takerFee: dec(o.taker ?? '0.0005'),
    orderTypes: ['LIMIT', 'MARKET', 'LIMIT_MAKER'],
    isSpotTradingAllowed: true,
    apiTradable: true,
    tradeSide: 'BOTH',
  };
}

/** Rules as derived from a 2026 exchangeInfo capture (precisions and minimums rounded). */
export function defaultRules(): Map<string, SymbolRules> {
  const list = [
    rule('BTCUSDC', 'BTC', 'USDC', { tick: '0.01', step: '0.000001', minNotional: '1' }),
    rule('ETHUSDC', 'ETH', 'USDC', { tick: '0.01', step: '0.00001', minNotional: '1' }),
    rule('BTCUSDT', 'BTC', 'USDT', { tick: '0.01', step: '0.000001', minNotional: '1' }),
    rule('ETHUSDT', 'ETH', 'USDT', { tick: '0.01', step: '0.00001', minNotional: '1' }),
    rule('USDCUSDT', 'USDC', 'USDT', { tick: '0.0001', step: '0.01', minNotional: '1', taker: '0' }),
    rule('SOLUSDT', 'SOL', 'USDT', { tick: '0.01', step: '0.001', minNotional: '1' }),
    rule('DOGEUSDT', 'DOGE', 'USDT', { tick: '0.00001', step: '0.01', minNotional: '1' }),
    rule('PEPEUSDT', 'PEPE', 'USDT', { tick: '0.0000000001', step: '1', minNotional: '1' }),
    rule('XRPUSDT', 'XRP', 'USDT', { tick: '0.0001', step: '0.01', minNotional: '1' }),
    rule('JUPUSDT', 'JUP', 'USDT', { tick: '0.0001', step: '0.01', minNotional: '1' }),
  ];
  return new Map(list.map((r) => [r.symbol, r]));
}

/** Same rules with a few fields replaced (status, tradeSide, apiTradable…). */
export function withRule(base: SymbolRules, patch: Partial<SymbolRules>): SymbolRules {
  return { ...base, ...patch };
}

export function makeRule(symbol: string, base: string, quote = 'USDT'): SymbolRules {
  return rule(symbol, base, quote, { tick: '0.0001', step: '0.01', minNotional: '1' });
}

function book(symbol: string, bid: Num, ask: Num): BookTop {
  return { symbol, bid: dec(bid), ask: dec(ask), bidQty: dec('1000000'), askQty: dec('1000000') };
}

/** A fluent builder for {@link StrategySnapshot}. Defaults: no balances, books on every default symbol. */
export class SnapshotBuilder {
  now = T0;
  readonly balances = new Map<string, Balance>();
  pending: string[] = [];
  readonly positions = new Map<string, Position>();
  readonly bookTops = new Map<string, BookTop>([
    ['BTCUSDC', book('BTCUSDC', '60000', '60000.01')],
    ['ETHUSDC', book('ETHUSDC', '3000', '3000.01')],
    ['BTCUSDT', book('BTCUSDT', '60000', '60000.01')],
    ['ETHUSDT', book('ETHUSDT', '3000', '3000.01')],
    ['USDCUSDT', book('USDCUSDT', '1', '1')],
    ['SOLUSDT', book('SOLUSDT', '150', '150.01')],
    ['DOGEUSDT', book('DOGEUSDT', '0.2', '0.20001')],
    ['PEPEUSDT', book('PEPEUSDT', '0.0000123', '0.0000124')],
    ['XRPUSDT', book('XRPUSDT', '2.5', '2.5001')],
    ['JUPUSDT', book('JUPUSDT', '0.8', '0.8001')],
  ]);
  readonly tickers = new Map<string, Ticker24h>();
  readonly rules = defaultRules();
  readonly blocked = new Set<string>();
  readonly openOrders: OpenBotOrder[] = [];
  readonly fills: AttributedFill[] = [];
  usdcUsdt = dec('1');
  #headroom: { usdc: Decimal; usdt: Decimal } | undefined;
  leaders: string[] = [];

  at(now: number): this {
    this.now = now;
    return this;
  }

  balance(asset: string, free: Num, locked: Num = '0'): this {
    this.balances.set(asset, { asset, free: dec(free), locked: dec(locked) });
    return this;
  }

  /** A position from fills: `avgCost` per unit, fees included, in USDC for BTC/ETH and USDT otherwise. */
  position(
    asset: string,
    qty: Num,
    avgCost: Num,
    costAsset = asset === 'BTC' || asset === 'ETH' ? 'USDC' : 'USDT',
  ): this {
    this.positions.set(asset, {
      asset,
      qty: dec(qty),
      avgCost: dec(avgCost),
      costAsset,
      realisedPnl: ZERO,
      feesPaid: ZERO,
      costBasisSource: 'fills',
    });
    return this;
  }

  /** A held asset: balance (all free) plus a matching position. */
  holding(asset: string, qty: Num, avgCost: Num): this {
    return this.balance(asset, qty).position(asset, qty, avgCost);
  }

  book(symbol: string, bid: Num, ask: Num): this {
    this.bookTops.set(symbol, book(symbol, bid, ask));
    return this;
  }

  noBook(symbol: string): this {
    this.bookTops.delete(symbol);
    return this;
  }

  ticker(symbol: string, t: { last: Num; volume?: Num; quoteVolume?: Num; changeFraction?: Num }): this {
    const last = dec(t.last);
    const volume = dec(t.volume ?? '1000');
    this.tickers.set(symbol, {
      symbol,
      lastPrice: last,
      openPrice: last,
      highPrice: last,
      lowPrice: last,
      volume,
      quoteVolume: t.quoteVolume === undefined ? volume.times(last) : dec(t.quoteVolume),
      priceChangeFraction: dec(t.changeFraction ?? '0'),
      closeTime: this.now,
    });
    return this;
  }

  rule(r: SymbolRules): this {
    this.rules.set(r.symbol, r);
    return this;
  }

  patchRule(symbol: string, patch: Partial<SymbolRules>): this {
    const r = this.rules.get(symbol);
    if (!r) throw new Error(`no rule for ${symbol}`);
    this.rules.set(symbol, { ...r, ...patch });
    return this;
  }

  block(symbol: string): this {
    this.blocked.add(symbol);
    return this;
  }

  fill(f: {
    symbol: string;
    side: 'BUY' | 'SELL';
    price: Num;
    qty: Num;
    ago: number;
    origin?: OrderOrigin;
    quoteQty?: Num;
  }): this {
    const r = this.rules.get(f.symbol);
    if (!r) throw new Error(`no rule for ${f.symbol}`);
    const price = dec(f.price);
    const qty = dec(f.qty);
    this.fills.push({
      symbol: f.symbol,
      baseAsset: r.baseAsset,
      quoteAsset: r.quoteAsset,
      side: f.side,
      price,
      qty,
      quoteQty: f.quoteQty === undefined ? price.times(qty) : dec(f.quoteQty),
      time: this.now - f.ago,
      ...(f.origin ? { origin: f.origin } : {}),
    });
    return this;
  }

  openOrder(o: {
    symbol: string;
    side: 'BUY' | 'SELL';
    price: Num;
    qty: Num;
    origin: OrderOrigin;
    executedQty?: Num;
    type?: OpenBotOrder['type'];
  }): this {
    this.openOrders.push({
      clientOrderId: `ap-${this.openOrders.length + 1}`,
      origin: o.origin,
      symbol: o.symbol,
      side: o.side,
      type: o.type ?? 'LIMIT',
      price: dec(o.price),
      quantity: dec(o.qty),
      executedQty: dec(o.executedQty ?? '0'),
      createdAt: this.now - MIN,
    });
    return this;
  }

  /** USDCUSDT mid used for conversions, and a book around it. */
  usdc(mid: Num, book?: { bid: Num; ask: Num }): this {
    this.usdcUsdt = dec(mid);
    this.book('USDCUSDT', book?.bid ?? mid, book?.ask ?? mid);
    return this;
  }

  /** Explicit headroom; by default free USDC − 50 and free USDT − 5 (the default reserves). */
  headroom(usdc: Num, usdt: Num): this {
    this.#headroom = { usdc: dec(usdc), usdt: dec(usdt) };
    return this;
  }

  scanLeaders(...symbols: string[]): this {
    this.leaders = symbols;
    return this;
  }

  /** Assets whose trade history is still being read. */
  historyPending(...assets: string[]): this {
    this.pending = assets;
    return this;
  }

  build(): StrategySnapshot {
    const free = (a: string) => this.balances.get(a)?.free ?? ZERO;
    return {
      now: this.now,
      balances: new Map(this.balances),
      positions: new Map(this.positions),
      bookTops: new Map(this.bookTops),
      tickers: new Map(this.tickers),
      // As the runner fills it when it reads the REST tickers.
      volumes24h: new Map(this.tickers),
      rules: new Map(this.rules),
      blockedSymbols: new Set(this.blocked),
      openOrders: [...this.openOrders],
      recentFills: [...this.fills],
      usdcUsdt: this.usdcUsdt,
      headroom: this.#headroom ?? { usdc: free('USDC').minus(50), usdt: free('USDT').minus(5) },
      scanLeaders: [...this.leaders],
      historyPending: new Set(this.pending),
    };
  }
}

export function snap(): SnapshotBuilder {
  return new SnapshotBuilder();
}

/**
 * Live settings for tests: defaults from the registry, overrides given as the owner would type
 * them and parsed with each setting's zod schema (so a bad test value fails loudly).
 */
export function testSettings(overrides: Partial<Record<SettingKey, string>> = {}): SettingsReader & {
  set(key: SettingKey, text: string): void;
} {
  const values = new Map<SettingKey, unknown>();
  const set = (key: SettingKey, text: string) => values.set(key, SETTINGS[key].schema.parse(text));
  for (const [k, v] of Object.entries(overrides)) set(k as SettingKey, v!);
  return {
    get<K extends SettingKey>(key: K): SettingValue<K> {
      return (values.has(key) ? values.get(key) : SETTINGS[key].default) as SettingValue<K>;
    },
    set,
  };
}

/**
 * 15-minute candles whose last one opens at `lastOpenTime`, from closes (and volumes, default
 * 1000 each). Opens are the previous close; highs/lows bracket open and close.
 */
export function candles15m(input: {
  lastOpenTime: number;
  closes: readonly Num[];
  volumes?: readonly Num[];
}): Candle[] {
  const I = 15 * MIN;
  const n = input.closes.length;
  return input.closes.map((c, i) => {
    const close = dec(c);
    const open = i === 0 ? close : dec(input.closes[i - 1]!);
    const openTime = input.lastOpenTime - (n - 1 - i) * I;
    const volume = dec(input.volumes?.[i] ?? '1000');
    return {
      openTime,
      open: open.toFixed(),
      high: (open.greaterThan(close) ? open : close).toFixed(),
      low: (open.lessThan(close) ? open : close).toFixed(),
      close: close.toFixed(),
      volume: volume.toFixed(),
      quoteVolume: volume.times(close).toFixed(),
      closeTime: openTime + I,
    };
  });
}
