import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness();
});
afterEach(async () => {
  await h.stop();
});

const answerOf = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text;

function propose(summary: string, ttlMs = 600_000) {
  return h.confirmations.create({ kind: 'order', payload: '{"symbol":"BTCUSDC"}', summary, ttlMs });
}

describe('confirmations', () => {
  it('/panic asks first, then the kill switch handler pauses everything, exactly once', async () => {
    const ask = await h.say(OWNER, '/panic');
    expect(texts(ask)).toMatch(/Kill switch: pause every strategy \(no open order to cancel\)/);
    expect(h.core.panicCalls, 'nothing before confirming').toEqual([]);
    const [confirm] = buttons(ask);
    expect(confirm!.data).toMatch(/^c:y:/);
    expect(Buffer.byteLength(confirm!.data)).toBeLessThanOrEqual(64);
    const mid = 1000 + h.api.sent('sendMessage').length - 1;
    const done = await h.tap(OWNER, confirm!.data, mid);
    expect(answerOf(done)).toBe('Done');
    expect(texts(done)).toMatch(/every strategy paused; cancelling 2 open order\(s\)/);
    expect(h.core.panicCalls).toEqual([`tg:${OWNER}`]);
    expect(h.settings.get('paused')).toBe(true);
    expect(h.pauses.pausedStrategies(), 'every strategy paused on its own too').toHaveLength(6);
    const again = await h.tap(OWNER, confirm!.data, mid);
    expect(answerOf(again), 'a repeated tap').toBe('Already confirmed');
    expect(h.core.panicCalls, 'still once').toHaveLength(1);
  });

  it('confirms a proposed order once; its handler runs once', async () => {
    const c = propose('BUY 0.0003 BTCUSDC @ 64,000 — reserve after 900 USDC');
    const first = await h.tap(OWNER, `c:y:${c.id}`);
    expect(answerOf(first)).toBe('Done');
    expect(texts(first)).toMatch(
      /order placed for \{&quot;symbol&quot;:&quot;BTCUSDC&quot;\}|order placed for \{"symbol":"BTCUSDC"\}/,
    );
    const second = await h.tap(OWNER, `c:n:${c.id}`);
    expect(answerOf(second)).toBe('Already confirmed');
    expect(h.core.executed).toEqual(['{"symbol":"BTCUSDC"}']);
  });

  it('skips: nothing executes and later taps say so', async () => {
    const c = propose('SELL 50 PEPEUSDT');
    expect(answerOf(await h.tap(OWNER, `c:n:${c.id}`))).toBe('Skipped');
    expect(answerOf(await h.tap(OWNER, `c:y:${c.id}`))).toBe('Already skipped');
    expect(h.core.executed).toEqual([]);
  });

  it('answers an expired confirmation clearly and does nothing', async () => {
    const c = propose('BUY ETHUSDC', 60_000);
    h.clock.advance(60_001);
    const tap = await h.tap(OWNER, `c:y:${c.id}`);
    expect(answerOf(tap)).toBe('This confirmation expired');
    expect(texts(tap)).toMatch(/Expired: nothing was done/);
    expect(answerOf(await h.tap(OWNER, `c:y:${c.id}`))).toBe('Already expired');
    expect(h.core.executed).toEqual([]);
  });

  it('answers unknown or forged confirmation ids without acting', async () => {
    expect(answerOf(await h.tap(OWNER, 'c:y:doesnotexist'))).toMatch(/no longer valid/);
    expect(answerOf(await h.tap(OWNER, 'c:y:#99999'))).toMatch(/no longer valid/);
    expect(answerOf(await h.tap(OWNER, 'c:y:waytoolongtobeanidatall'))).toMatch(/no longer valid/);
    expect(answerOf(await h.tap(OWNER, 'c:x:abc'))).toMatch(/no longer valid/);
    expect(h.core.executed).toEqual([]);
  });
});
