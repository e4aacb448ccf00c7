import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { harness, type Harness } from '../helpers/executionHarness.js';
import { withRunner } from '../helpers/runnerHarness.js';

let h: Harness;
afterEach(() => h?.db.close());

const intent: OrderIntent = {
  kind: 'order',
  origin: 'accumulate',
  symbol: 'BTCUSDC',
  side: 'BUY',
  type: 'LIMIT_MAKER',
  price: dec('60000.019'),
  quoteAmount: dec('20'),
  reason: 'ETH over target; BTC 2 % under',
};

async function proposed() {
  const r = withRunner(harness());
  h = r;
  const result = await r.confirmations.proposeOrder(intent);
  if (result.status !== 'proposed') throw new Error(`not proposed: ${JSON.stringify(result)}`);
  return { r, id: result.id, summary: result.summary, expiresAt: result.expiresAt };
}

describe('ConfirmationStore', () => {
  it('proposes with the exact symbol, side, rounded quantity and price, value and reserve after', async () => {
    const { r, id, summary, expiresAt } = await proposed();
    expect(id.length, 'fits callback data').toBeLessThanOrEqual(16);
    expect(summary).toContain('BUY 0.000333 BTC on BTCUSDC at 60,000.01 USDC');
    expect(summary).toContain('= 19.98 USDC');
    expect(summary, 'free after: 1000 − 19.98000333').toContain(
      'USDC free after open buys and this order: 980.02 (reserve 50.00 USDC)',
    );
    expect(summary).toContain('Why: ETH over target');
    expect(expiresAt, 'confirmTtlMin 10').toBe(r.clock.now() + 10 * 60_000);
    expect(r.of('intent.proposed')[0]).toMatchObject({ confirmationId: id, origin: 'accumulate', expiresAt });
    expect(r.exchange.placeCalls, 'nothing placed yet').toHaveLength(0);
  });

  it('confirm executes once; a repeated tap answers "already done"', async () => {
    const { r, id } = await proposed();
    const first = await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now());
    expect(first.status).toBe('confirmed');
    expect(r.exchange.placeCalls).toHaveLength(1);
    expect(r.exchange.placeCalls[0]!.price?.toFixed(), 'exactly the order shown').toBe('60000.01');
    expect(r.exchange.placeCalls[0]!.quantity.toFixed()).toBe('0.000333');
    const again = await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now());
    expect(again).toMatchObject({ status: 'already-resolved', outcome: 'confirmed' });
    expect(r.exchange.placeCalls, 'not placed twice').toHaveLength(1);
  });

  it('a double tap at the same moment places once', async () => {
    const { r, id } = await proposed();
    const both = await Promise.all([
      r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now()),
      r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now()),
    ]);
    expect(both.map((b) => b.status).sort()).toEqual(['already-resolved', 'confirmed']);
    expect(r.exchange.placeCalls).toHaveLength(1);
  });

  it('an expired confirmation answers "expired" and places nothing', async () => {
    const { r, id } = await proposed();
    r.clock.advance(10 * 60_000);
    expect(await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now())).toMatchObject({
      status: 'expired',
    });
    expect(r.exchange.placeCalls).toHaveLength(0);
    expect(await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now())).toMatchObject({
      status: 'already-resolved',
      outcome: 'expired',
    });
  });

  it('skip records the answer and places nothing; unknown ids are answered', async () => {
    const { r, id } = await proposed();
    expect(await r.confirmations.resolve(id, 'skip', 'owner', r.clock.now())).toMatchObject({
      status: 'skipped',
    });
    expect(await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now())).toMatchObject({
      status: 'already-resolved',
      outcome: 'skipped',
    });
    expect(await r.confirmations.resolve('nope', 'confirm', 'owner', r.clock.now())).toEqual({
      status: 'unknown',
      id: 'nope',
    });
    expect(r.exchange.placeCalls).toHaveLength(0);
  });

  it('re-checks the reserve at confirmation time', async () => {
    const { r, id } = await proposed();
    r.exchange.setBalance('USDC', '60');
    const outcome = await r.confirmations.resolve(id, 'confirm', 'owner', r.clock.now());
    expect(outcome).toMatchObject({ status: 'failed' });
    if (outcome.status === 'failed') expect(outcome.detail).toMatch(/not placed \(reserve\)/);
    expect(r.confirmations.get(id)?.outcome).toBe('failed');
  });

  it('keeps one waiting proposal per origin, symbol and side', async () => {
    const { r, id } = await proposed();
    expect(await r.confirmations.proposeOrder(intent)).toEqual({ status: 'duplicate', id });
    expect(r.of('intent.proposed')).toHaveLength(1);
  });

  it('runs registered handlers for other kinds (e.g. the kill switch)', async () => {
    const r = withRunner(harness());
    h = r;
    let ran = 0;
    r.confirmations.registerHandler('panic', async () => {
      ran += 1;
      return { ok: true, detail: 'done' };
    });
    const c = r.confirmations.create({
      kind: 'panic',
      payload: '{}',
      summary: 'Cancel every order and pause all?',
    });
    expect(await r.confirmations.resolve(c.id, 'confirm', 'owner', r.clock.now())).toMatchObject({
      status: 'confirmed',
    });
    await r.confirmations.resolve(c.id, 'confirm', 'owner', r.clock.now());
    expect(ran).toBe(1);
  });
});
