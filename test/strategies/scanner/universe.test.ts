import { describe, expect, it } from 'vitest';
import {
  buildUniverse,
  isLeveragedToken,
  universeVerdict,
} from '../../../src/strategies/scanner/universe.js';
import { makeRule, snap, testSettings } from '../../helpers/strategySnapshot.js';

function market() {
  return snap()
    .rule(makeRule('BTC3LUSDT', 'BTC3L'))
    .rule(makeRule('ETH5SUSDT', 'ETH5S'))
    .rule(makeRule('BTCUPUSDT', 'BTCUP'))
    .rule(makeRule('XRPBEARUSDT', 'XRPBEAR'))
    .rule(makeRule('FDUSDUSDT', 'FDUSD'))
    .rule(makeRule('PAUSEDUSDT', 'PAUSED'))
    .patchRule('PAUSEDUSDT', { status: 'PAUSED' })
    .rule(makeRule('TIDYUSDT', 'TIDY'))
    .ticker('SOLUSDT', { last: '150', quoteVolume: '90000000' })
    .ticker('DOGEUSDT', { last: '0.2', quoteVolume: '40000000' })
    .ticker('XRPUSDT', { last: '2.5', quoteVolume: '60000000' })
    .ticker('JUPUSDT', { last: '0.8', quoteVolume: '3000000' })
    .ticker('PEPEUSDT', { last: '0.0000123', quoteVolume: '499999' })
    .ticker('TIDYUSDT', { last: '0.000009', quoteVolume: '1000000' })
    .ticker('BTC3LUSDT', { last: '0.5', quoteVolume: '80000000' })
    .ticker('ETH5SUSDT', { last: '0.5', quoteVolume: '80000000' })
    .ticker('BTCUPUSDT', { last: '0.5', quoteVolume: '80000000' })
    .ticker('XRPBEARUSDT', { last: '0.5', quoteVolume: '80000000' })
    .ticker('USDCUSDT', { last: '1', quoteVolume: '500000000' })
    .ticker('FDUSDUSDT', { last: '1', quoteVolume: '500000000' })
    .ticker('BTCUSDT', { last: '60000', quoteVolume: '900000000' })
    .ticker('ETHUSDC', { last: '3000', quoteVolume: '900000000' })
    .ticker('PAUSEDUSDT', { last: '1', quoteVolume: '80000000' })
    .ticker('UNLISTEDUSDT', { last: '1', quoteVolume: '80000000' });
}

describe('scanner universe', () => {
  it('keeps only tradable USDT altcoins with enough volume and price, ranked by quote volume', () => {
    const u = buildUniverse(market().build(), testSettings());
    expect(u.eligible.map((e) => e.symbol)).toEqual(['SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'JUPUSDT']);
    expect(u.rejected).toEqual({
      'not-usdt': 1,
      'not-tradable': 2,
      excluded: 0,
      core: 1,
      stablecoin: 2,
      leveraged: 4,
      'low-volume': 1,
      'low-price': 1,
    });
  });

  it('rejects leveraged tokens (3L, 3S, 5L, 5S, and UP/DOWN/BULL/BEAR on a listed asset) but not JUP', () => {
    const listed = new Set(['BTC', 'ETH', 'XRP', 'JUP']);
    for (const base of ['BTC3L', 'BTC3S', 'ETH5L', 'ETH5S', 'BTCUP', 'BTCDOWN', 'ETHBULL', 'XRPBEAR']) {
      expect(isLeveragedToken(base, listed), base).toBe(true);
    }
    for (const base of ['JUP', 'SUP', 'BEAR', 'SOL'])
      expect(isLeveragedToken(base, listed), base).toBe(false);
  });

  it('explains each rejection with its numbers for /why', () => {
    const s = market().build();
    const why = (symbol: string, settings = testSettings()) =>
      universeVerdict({ ticker: s.tickers.get(symbol)!, snapshot: s, settings });
    expect(why('PEPEUSDT')).toMatchObject({
      ok: false,
      code: 'low-volume',
      reason: 'PEPEUSDT 24 h volume 499,999 USDT is below 500,000',
    });
    expect(why('TIDYUSDT')).toMatchObject({
      code: 'low-price',
      reason: 'TIDYUSDT price 0.000009 is below 0.00001',
    });
    expect(why('FDUSDUSDT')).toMatchObject({ code: 'stablecoin' });
    expect(why('BTC3LUSDT')).toMatchObject({ code: 'leveraged' });
    expect(why('BTCUSDT')).toMatchObject({ code: 'core' });
    expect(why('PAUSEDUSDT')).toMatchObject({ code: 'not-tradable' });
    expect(why('DOGEUSDT', testSettings({ exclusions: 'DOGEUSDT' }))).toMatchObject({ code: 'excluded' });
  });

  it('drops excluded and 10007-blocked symbols', () => {
    const u = buildUniverse(market().block('XRPUSDT').build(), testSettings({ exclusions: 'SOLUSDT' }));
    expect(u.eligible.map((e) => e.symbol)).toEqual(['DOGEUSDT', 'JUPUSDT']);
    expect(u.rejected.excluded).toBe(2);
  });

  it('analyses at most maxCandidates, the highest volumes first', () => {
    const u = buildUniverse(market().build(), testSettings({ 'scanner.maxCandidates': '2' }));
    expect(u.candidates.map((e) => e.symbol)).toEqual(['SOLUSDT', 'XRPUSDT']);
    expect(u.eligible).toHaveLength(4);
  });

  it('honours minQuoteVolume and minPrice settings live', () => {
    const u = buildUniverse(
      market().build(),
      testSettings({ 'scanner.minQuoteVolume': '50000000', 'scanner.minPrice': '1' }),
    );
    expect(u.eligible.map((e) => e.symbol)).toEqual(['SOLUSDT', 'XRPUSDT']);
  });
});
