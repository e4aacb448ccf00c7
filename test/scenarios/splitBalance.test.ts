/**
 * `split-balance` through the whole bot on the simulator. The account holds an altcoin
 * bought by the owner through the executor; `USDCUSDT` is pinned at bid 0.9979 / ask 0.9980, so a
 * conversion that assumed 1:1 would show in the order's size.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Decimal, dec, minDec, ONE, quantize, sumDec } from '../../src/domain/money.js';
import { MINUTE, startRuntimeHarness, topAltcoin, type RuntimeHarness } from '../helpers/runtimeHarness.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

const USDC_BID = dec('0.9979');
const USDC_ASK = dec('0.998');
const MID = USDC_BID.plus(USDC_ASK).div(2);

interface Setup {
  readonly symbol: string;
  readonly asset: string;
  readonly tick: Decimal;
  /** The altcoin's break-even floor (avg cost plus the exit fee). */
  readonly floor: Decimal;
  pinAlt(bid: Decimal): Promise<void>;
}

/**
 * Split-balance alone; the account holds `altUsdt` of the top altcoin (bought by the owner), and
 * `coreUsdc` of BTC when given. The altcoin is then pinned `gain` above its break-even floor.
 */
async function withAlt(
  options: {
    readonly altUsdt?: number;
    readonly coreUsdc?: number;
    readonly gain?: string;
    readonly settings?: Record<string, string>;
  } = {},
): Promise<Setup> {
  h = await startRuntimeHarness({ only: ['split-balance'], settings: options.settings });
  await h.pin('USDCUSDT', USDC_BID.toFixed(), USDC_ASK.toFixed());
  await h.pinHere('BTCUSDC');
  await h.pinHere('ETHUSDC');
  const symbol = await topAltcoin(h);
  await h.pinHere(symbol);
  await h.trade({ symbol, side: 'BUY', quoteAmount: dec(options.altUsdt ?? 100) });
  if (options.coreUsdc) await h.trade({ symbol: 'BTCUSDC', side: 'BUY', quoteAmount: dec(options.coreUsdc) });
  const fill = h.fills({ symbol })[0]!;
  const rules = await h.rules(symbol);
  const floor = fill.quoteQty.plus(fill.commission).div(fill.qty).div(ONE.minus(rules.takerFee));
  const setup: Setup = {
    symbol,
    asset: rules.baseAsset,
    tick: rules.tickSize,
    floor,
    pinAlt: (bid) => h.pin(symbol, bid.toFixed(), bid.plus(rules.tickSize).toFixed()),
  };
  await setup.pinAlt(quantize(floor.times(options.gain ?? '1.1'), rules.tickSize, 'up'));
  return setup;
}

describe('split-balance on the simulator', () => {
  it('trigger: alts at 100 % of alts + core → sells altcoins in profit (IOC at the bid) for up to maxMoveUsdc', async () => {
    const s = await withAlt();
    await h.run('split-balance');
    const [order, ...more] = h.orders({ origin: 'split-balance' });
    expect(more).toHaveLength(0);
    expect(order, 'a split-balance sell').toBeDefined();
    expect(order!.symbol).toBe(s.symbol);
    expect(order!.side).toBe('SELL');
    expect(order!.type).toBe('IMMEDIATE_OR_CANCEL');
    expect(order!.minSellPrice!.equals(s.floor), 'never below avg cost + exit fee').toBe(true);
    expect(order!.price!.greaterThanOrEqualTo(s.floor)).toBe(true);
    const value = order!.quantity.times(order!.price!);
    expect(
      value.lessThanOrEqualTo(dec(50).times(MID)),
      `${value.toFixed()} USDT ≤ 50 USDC at ${MID.toFixed()}`,
    ).toBe(true);
    expect(order!.reason).toMatch(
      /^alts 100\.00% vs target 50% ± 10%; moving 50 USDC from altcoins to BTC\/ETH: sell .* at the bid .*never below/,
    );
    expect(order!.status, 'settled on the paper exchange').toBe('FILLED');
  });

  it('non-trigger: alts at 59.9 % stay inside 50 ± 10; at 60.1 % it sells', async () => {
    const s = await withAlt({ coreUsdc: 100, gain: '1' });
    const btc = h.balance('BTC').free;
    const coreUsdc = btc.times(h.sim.market.bookTop('BTCUSDC').bid);
    const altQty = h.balance(s.asset).free;
    // alts / (alts + core) = share  ⇔  alt bid = share / (1 − share) × core × USDCUSDT mid / quantity
    const bidForShare = (share: string) =>
      dec(share).div(ONE.minus(share)).times(coreUsdc).times(MID).div(altQty);

    await s.pinAlt(quantize(bidForShare('0.599'), s.tick, 'down'));
    await h.run('split-balance');
    expect(h.orders({ origin: 'split-balance' })).toHaveLength(0);
    expect(h.runSummaries('split-balance').at(-1)).toMatch(
      /alts [\d.]+ USDC \(59\.\d\d%\).*within the band: nothing to do/,
    );

    await s.pinAlt(quantize(bidForShare('0.601'), s.tick, 'up'));
    await h.run('split-balance');
    const [order] = h.orders({ origin: 'split-balance' });
    expect(order?.side, 'out of the band: the overweight alts are sold').toBe('SELL');
    expect(order!.reason).toMatch(/^alts 60\.1\d% vs target 50%/);
  });

  it('cooldown: after a rebalance (sell, conversion, buy) no new sell for cooldownMin, though still out of band', async () => {
    await withAlt({ settings: { 'split-balance.maxMoveUsdc': '20', 'split-balance.cooldownMin': '120' } });
    // Runs every 30 min: sell, convert, buy; then the cooldown from the last fill.
    await h.advance(65 * MINUTE);
    const move = h.orders({ origin: 'split-balance' });
    expect(move.map((o) => `${o.symbol} ${o.side}`)).toEqual([
      `${move[0]!.symbol} SELL`,
      'USDCUSDT BUY',
      'BTCUSDC BUY',
    ]);
    const lastFill = Math.max(...h.fills({ origin: 'split-balance' }).map((f) => f.time));

    await h.advance(lastFill + 115 * MINUTE - h.now());
    expect(h.orders({ origin: 'split-balance' }), 'no new move inside the cooldown').toHaveLength(3);
    expect(h.runSummaries('split-balance').at(-1)).toMatch(/cooldown after the last rebalance, .* left/);

    await h.advance(lastFill + 150 * MINUTE - h.now());
    const next = h.orders({ origin: 'split-balance' })[3];
    expect(next?.side, 'the next move starts with a sell after the cooldown').toBe('SELL');
    expect(next!.createdAt - lastFill).toBeGreaterThanOrEqual(120 * MINUTE);
  });

  it('reserve: with reserve.usdt leaving under 1 USDT of headroom the proceeds are not converted', async () => {
    await withAlt();
    await h.run('split-balance');
    await h.advance(MINUTE);
    expect(h.fills({ origin: 'split-balance' }), 'the sell filled').toHaveLength(1);
    h.set('reserve.usdt', h.balance('USDT').free.minus('0.5').toFixed());
    await h.run('split-balance');
    expect(h.orders({ origin: 'split-balance' }), 'no conversion may dip into the USDT reserve').toHaveLength(
      1,
    );
    expect(h.runSummaries('split-balance').at(-1)).toMatch(
      /continuing the move to BTC\/ETH .*nothing to do: USDC headroom [\d.]+, USDT headroom 0\.5 \(reserves kept\)/,
    );
  });

  it('disabled: split-balance.enabled off moves nothing', async () => {
    await withAlt({ settings: { 'split-balance.enabled': 'off' } });
    await h.advance(35 * MINUTE);
    expect(h.runSummaries('split-balance')).toHaveLength(0);
    expect(h.orders({ origin: 'split-balance' })).toHaveLength(0);
  });

  it('paused: paused on moves nothing; resuming moves', async () => {
    await withAlt({ settings: { paused: 'on' } });
    await h.advance(35 * MINUTE);
    expect(h.runSummaries('split-balance')).toHaveLength(0);
    expect((await h.run('split-balance')).status).toBe('paused');
    h.set('paused', 'off');
    await h.advance(31 * MINUTE);
    expect(h.orders({ origin: 'split-balance' })).toHaveLength(1);
  });

  it('special rule: USDT proceeds are converted to USDC at the USDCUSDT ask of 0.998, not 1:1, then buy BTC', async () => {
    await withAlt();
    await h.run('split-balance');
    await h.advance(MINUTE);
    const proceeds = sumDec(h.fills({ origin: 'split-balance' }).map((f) => f.quoteQty));
    await h.run('split-balance');

    const conversion = h.orders({ origin: 'split-balance', symbol: 'USDCUSDT' })[0];
    expect(conversion, 'a conversion order').toBeDefined();
    expect(conversion!.side, 'buys USDC with USDT').toBe('BUY');
    expect(conversion!.price!.equals(USDC_ASK), 'at the ask 0.998').toBe(true);
    // The move's USDT, valued in USDC at the mid and back: the mid cancels out.
    const spendUsdt = minDec(proceeds, dec(50).times(MID));
    const atBook = quantize(spendUsdt.div(USDC_ASK), dec('0.01'), 'down');
    const oneToOne = quantize(spendUsdt, dec('0.01'), 'down');
    expect(
      conversion!.quantity.toFixed(),
      `${spendUsdt.toFixed()} USDT buys ${atBook.toFixed()} USDC at 0.998`,
    ).toBe(atBook.toFixed());
    expect(conversion!.quantity.greaterThan(oneToOne), `more than the 1:1 ${oneToOne.toFixed()}`).toBe(true);
    expect(conversion!.reason).toMatch(/convert [\d.]+ USDT to [\d.]+ USDC at USDCUSDT ask 0\.998/);
    const fill = h.fills({ origin: 'split-balance', symbol: 'USDCUSDT' })[0]!;
    expect(fill.price.equals(USDC_ASK)).toBe(true);
    expect(fill.quoteQty.equals(fill.qty.times(USDC_ASK)), 'USDT paid = USDC × 0.998').toBe(true);

    await h.run('split-balance');
    const buy = h.orders({ origin: 'split-balance', symbol: 'BTCUSDC' })[0];
    expect(buy?.side, 'the converted USDC buys BTC').toBe('BUY');
    expect(buy!.reason).toMatch(/continuing the move to BTC\/ETH .*core is empty; BTC/);
  });
});
