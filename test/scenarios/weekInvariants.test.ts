/**
 * The simulated week's invariant checker must be able to fail: each check is shown a real
 * violation, staged through the executor or, for what the bot itself can never produce, written
 * straight into the paper exchange's table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';
import { WeekInvariants } from '../helpers/weekInvariants.js';

let h: RuntimeHarness;

afterEach(async () => {
  await h?.stop();
});

async function setup() {
  // Strategies stay enabled (the executor refuses orders of switched-off ones) but never run:
  // the clock does not move through the scheduler here.
  h = await startRuntimeHarness();
  await h.pinHere('BTCUSDC');
  await h.pinHere('ETHUSDC');
  const invariants = new WeekInvariants(h, await h.runtime.exchange.getRules());
  invariants.step();
  return invariants;
}

describe('the week invariant checker', () => {
  it('passes a clean account, and flags free USDC under the reserve after a bot order', async () => {
    const invariants = await setup();
    const staged = {
      kind: 'order',
      origin: 'accumulate',
      symbol: 'BTCUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec(h.sim.market.bookTop('BTCUSDC').bid),
      quoteAmount: dec(20),
      reason: 'staged',
    } as const;
    expect((await h.execute(staged)).status).toBe('placed');
    invariants.step();
    expect(invariants.violations, 'a buy within the reserve').toEqual([]);
    const second = await h.execute({
      kind: 'order',
      origin: 'scanner',
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: dec(h.sim.market.bookTop('ETHUSDC').bid),
      quoteAmount: dec(10),
      reason: 'staged',
    });
    expect(second.status).toBe('placed');
    // The reserve is raised between the exchange's answer and the check: the account is now under it.
    h.set('reserve.usdc', '999');
    invariants.step();
    expect(invariants.violations.join('\n')).toMatch(
      /\[reserve\] USDC: .* < reserve 999 after scanner BUY ETHUSDC/,
    );
  });

  it('flags two strategies with live orders on one asset', async () => {
    const invariants = await setup();
    const bid = dec(h.sim.market.bookTop('BTCUSDC').bid);
    const maker = { kind: 'order', symbol: 'BTCUSDC', side: 'BUY', type: 'LIMIT_MAKER', price: bid } as const;
    await h.execute({ ...maker, origin: 'accumulate', quoteAmount: dec(10), reason: 'staged' });
    await h.execute({ ...maker, origin: 'core-balance', quoteAmount: dec(10), reason: 'staged' });
    invariants.step();
    expect(invariants.violations.join('\n')).toMatch(
      /\[one actor\] BTC: open orders of accumulate and core-balance/,
    );
  });

  it('flags a profit-taking sell without a floor', async () => {
    const invariants = await setup();
    await h.trade({ symbol: 'BTCUSDC', side: 'BUY', quoteAmount: dec(50) });
    invariants.step();
    await h.execute({
      kind: 'order',
      origin: 'take-profit',
      symbol: 'BTCUSDC',
      side: 'SELL',
      type: 'IMMEDIATE_OR_CANCEL',
      price: dec(h.sim.market.bookTop('BTCUSDC').bid),
      quantity: h.balance('BTC').free,
      reason: 'staged',
    });
    invariants.step();
    expect(invariants.violations.join('\n')).toMatch(
      /\[in-profit\] take-profit SELL BTCUSDC .*: no minSellPrice/,
    );
  });

  it('flags an accepted order off the tick, and a fill the ledger never recorded', async () => {
    const invariants = await setup();
    h.runtime.db
      .prepare(
        `INSERT INTO paper_orders (order_id, client_order_id, symbol, side, type, price, orig_qty, executed_qty,
           cumm_quote_qty, status, time, update_time)
         VALUES ('P-1', 'staged-1', 'BTCUSDC', 'BUY', 'LIMIT', '90000.005', '0.001', '0', '0', 'NEW', 0, 0)`,
      )
      .run();
    h.runtime.db
      .prepare(
        `INSERT INTO paper_fills (trade_id, symbol, order_id, client_order_id, side, price, qty, quote_qty,
           commission, commission_asset, is_maker, time)
         VALUES ('T-1', 'BTCUSDC', 'P-1', 'staged-1', 'BUY', '90000', '0.001', '90', '0', 'USDC', 1, 0)`,
      )
      .run();
    invariants.step();
    invariants.finish();
    const all = invariants.violations.join('\n');
    expect(all).toMatch(/\[exchange rules\] staged-1: price 90000\.005 off the tick 0\.01/);
    expect(all).toMatch(/\[idempotency\] paper order staged-1 has no bot order/);
    expect(all).toMatch(/\[idempotency\] paper fill T-1 never recorded/);
  });
});
