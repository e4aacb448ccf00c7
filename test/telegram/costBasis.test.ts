/**
 * The owner sets the cost of holdings the trade history cannot explain, through the real grammY
 * bot against the fake Bot API: /cost in one line, or the button /pnl puts on such a holding.
 * The app's portfolio service is the real one over recorded fills: BTC is explained by its fills,
 * ETH and PEPE are not (their cost is the price at first sight until the owner sets it).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { CostBasisRepository } from '../../src/persistence/CostBasisRepository.js';
import { OWNER, VIEWER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';

let h: BotHarness;
let basis: CostBasisRepository;

beforeEach(async () => {
  h = await startBotHarness();
  basis = new CostBasisRepository({ db: h.db, clock: h.clock });
});
afterEach(async () => {
  await h.stop();
});

describe('owner-set cost basis in chat', () => {
  it('/pnl offers a button on each unexplained holding; the dialogue refuses a bad price, then sets it', async () => {
    const pnl = await h.say(OWNER, '/pnl');
    expect(texts(pnl)).toMatch(/<b>ETH<\/b> \(cost at first sight; \/cost sets it\)/);
    const offered = buttons(pnl).map((b) => b.data);
    expect(offered, 'BTC is explained by its fills: no button').toEqual(['cb:ETH', 'cb:PEPE']);
    const firstSeen = basis.get('ETH')!;
    expect(firstSeen.source).toBe('first-seen');

    const prompt = await h.tap(OWNER, 'cb:ETH');
    expect(texts(prompt)).toMatch(/Send the cost of one <b>ETH<\/b> in USDC \(for the 0\.6 ETH/);

    const bad = await h.say(OWNER, 'three thousand');
    expect(texts(bad)).toMatch(/is not a price.*Nothing was changed/);
    expect(basis.get('ETH'), 'a bad price changes nothing').toEqual(firstSeen);
    expect(basis.history('ETH')).toEqual([]);

    const zero = await h.say(OWNER, '0');
    expect(texts(zero)).toMatch(/the price must be above 0/);
    expect(basis.get('ETH')).toEqual(firstSeen);

    const good = await h.say(OWNER, '3000');
    expect(texts(good)).toMatch(/ETH<\/b> cost set to <b>3,?000(\.00)? USDC<\/b> per unit/);
    expect(basis.get('ETH')).toMatchObject({ source: 'owner', price: dec('3000'), costAsset: 'USDC' });
    expect(basis.history('ETH')).toEqual([
      {
        asset: 'ETH',
        old: { price: firstSeen.price, costAsset: 'USDC', source: 'first-seen' },
        price: dec('3000'),
        costAsset: 'USDC',
        qty: dec('0.6'),
        actor: `tg:${OWNER}`,
        at: h.clock.now(),
      },
    ]);

    const after = await h.say(OWNER, '/pnl');
    expect(texts(after)).toMatch(/<b>ETH<\/b> \(cost set by owner\)/);
    expect(texts(after)).toMatch(/ETH: cost basis set by the owner/);
    expect(
      buttons(after).map((b) => b.data),
      'no button once the owner set it',
    ).toEqual(['cb:PEPE']);
    // 0.6 ETH at 3200 against an owner cost of 3000: +120 USDC unrealised.
    const view = await h.app.getPnl();
    if (!view.available) throw new Error(view.reason);
    expect(view.assets.find((a) => a.asset === 'ETH')!.unrealised!.toFixed()).toBe('120');
  });

  it('/cost in one line: sets, lists, and answers bad input clearly without changing anything', async () => {
    const list = await h.say(OWNER, '/cost');
    expect(texts(list)).toMatch(/PEPE 1,?000,?000 has no recorded cost/);
    expect(buttons(list).map((b) => b.data)).toEqual(['cb:ETH', 'cb:PEPE']);

    for (const [input, answer] of [
      ['/cost PEPE', /Usage: \/cost/],
      ['/cost PEPE -1', /is not a price/],
      ['/cost PEPE 1e-5', /is not a price/],
      ['/cost USDT 1', /USDT is cash/],
      ['/cost pe/pe 1', /is not an asset/],
    ] as const) {
      const calls = await h.say(OWNER, input);
      expect(texts(calls), input).toMatch(answer);
      expect(texts(calls), input).toMatch(/Nothing was changed/);
    }
    expect(basis.history(), 'nothing recorded by refused input').toEqual([]);

    const set = await h.say(OWNER, '/cost pepe 0.00001');
    expect(texts(set)).toMatch(/PEPE<\/b> cost set to <b>0\.00001 USDT<\/b> per unit/);
    expect(basis.get('PEPE')).toMatchObject({ source: 'owner', price: dec('0.00001'), costAsset: 'USDT' });
    const again = await h.say(OWNER, '/cost PEPE 0.000012');
    expect(texts(again)).toMatch(/was 0\.00001 USDT, set by the owner/);
    expect(basis.history('PEPE').map((e) => e.price.toFixed())).toEqual(['0.000012', '0.00001']);
  });

  it('a viewer can neither set a cost nor use the button', async () => {
    const pnl = await h.say(VIEWER, '/pnl');
    expect(buttons(pnl), 'no buttons for a viewer').toEqual([]);
    expect(texts(await h.say(VIEWER, '/cost ETH 1'))).toMatch(/for the owner/);
    await h.tap(VIEWER, 'cb:ETH');
    expect(basis.history()).toEqual([]);
    expect(basis.get('ETH')?.source).not.toBe('owner');
  });
});
