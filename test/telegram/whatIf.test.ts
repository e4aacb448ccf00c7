import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhatIfResult } from '../../src/replay/whatIf.js';
import { OWNER, VIEWER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';
import type { RecordedCall } from '../helpers/fakeBotApi.js';
import { sampleWhatIfResult } from '../helpers/memoryCore.js';

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness();
});
afterEach(async () => {
  await h.stop();
});

const answerOf = (calls: readonly RecordedCall[]) =>
  calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text;

/** A replay the test finishes by hand, with the progress callback it was given. */
function holdReplays() {
  const held: {
    progress: (f: number, l: string) => void;
    finish: (r?: WhatIfResult) => void;
    fail: (e: Error) => void;
  }[] = [];
  h.core.onWhatIf = (request, progress) =>
    new Promise<WhatIfResult>((resolve, reject) => {
      held.push({
        progress,
        finish: (r) => resolve(r ?? sampleWhatIfResult(request, '60')),
        fail: reject,
      });
    });
  return held;
}

/** The id of the message the last sendMessage created (the fake numbers them from 1000). */
const lastMessageId = () => 1000 + h.api.sent('sendMessage').length + h.api.sent('sendPhoto').length - 1;

/** The last edit of message `messageId`. */
function shown(messageId: number): RecordedCall {
  return [...h.api.calls]
    .reverse()
    .find((c) => c.ok && c.method === 'editMessageText' && Number(c.payload.message_id) === messageId)!;
}

const until = async (what: string, cond: () => boolean) => {
  for (let n = 0; n < 200 && !cond(); n++) await new Promise((r) => setTimeout(r, 10));
  expect(cond(), what).toBe(true);
};

describe('/whatif', () => {
  it('edits one message: progress while it runs, then both columns, the chart and a Save button for the owner', async () => {
    const held = holdReplays();
    const ask = await h.say(OWNER, '/whatif scanner.minScore 70');
    expect(h.core.whatIfRuns, 'the default day count is whatIf.days').toEqual([
      { key: 'scanner.minScore', proposed: '70', days: 7 },
    ]);
    const progress = ask.find((c) => c.method === 'sendMessage')!;
    const mid = lastMessageId();
    expect(String(progress.payload.text)).toMatch(
      /🔮 What if <b>scanner\.minScore<\/b> were <code>70<\/code> instead of <code>60<\/code>\?\n<i>Replaying 7 days of history… 0%<\/i>/,
    );
    expect(h.settings.get('scanner.minScore'), 'a what-if changes nothing').toBe(60);

    held[0]!.progress(0.42, 'day 3 of 7');
    await until('progress edited', () => /42% \(day 3 of 7\)/.test(String(shown(mid)?.payload.text)));

    held[0]!.finish();
    await h.api.waitForCall('sendPhoto');
    const result = shown(mid);
    expect(result.method).toBe('editMessageText');
    const text = String(result.payload.text);
    expect(text).toMatch(/scanner · 7 days · 8 Jan, 12:00 → 12:00 UTC · amounts in USDC/);
    for (const row of [
      /\s+60 now\s+70/,
      /trades\s+7\s+4/,
      /realised\s+\+1\.85\s+\+3\.10/,
      /unrealised\s+-0\.20\s+\+0\.10/,
      /fees\s+0\.71\s+0\.40/,
      /end value\s+1,234\.50\s+1,236\.00/,
      /max drawdown\s+2\.10%\s+1\.80%/,
      /refusals\s+3\s+1/,
    ]) {
      expect(text, `row ${row}`).toMatch(row);
    }
    expect(text).toMatch(/Refused: reserve\.usdc 2 → 1; cooldown 1 → 0/);
    expect(text).toMatch(/<i>Fills at the next minute’s open/);
    const save = buttons([result]);
    expect(save.map((b) => b.text)).toEqual(['✅ Save 70']);
    expect(h.api.sent('sendPhoto')[0]!.payload.caption).toMatch(
      /scanner\.minScore: value over 7 d, 60 vs 70/,
    );

    const saved = await h.tap(OWNER, save[0]!.data, mid);
    expect(answerOf(saved)).toBe('Done');
    expect(h.settings.get('scanner.minScore')).toBe(70);
    expect(h.settings.history('scanner.minScore')[0]).toMatchObject({ oldValue: '60', newValue: '70' });
  });

  it('takes a day count, answers a repeat over the same data span from the cache, and a new span runs again', async () => {
    await h.say(OWNER, '/whatif scanner.minScore 70 3');
    await h.api.waitForCall('sendPhoto', 1);
    expect(h.core.whatIfRuns).toEqual([{ key: 'scanner.minScore', proposed: '70', days: 3 }]);
    const again = await h.say(OWNER, '/whatif scanner.minScore 70 3');
    expect(texts(again), 'answered at once with the columns').toMatch(/trades\s+7\s+4/);
    expect(h.core.whatIfRuns, 'not replayed twice').toHaveLength(1);
    await h.say(OWNER, '/whatif scanner.minScore 75 3');
    await h.api.waitForCall('sendPhoto', 3);
    h.clock.advance(60_000); // a new candle: a new data span
    await h.say(OWNER, '/whatif scanner.minScore 70 3');
    await h.api.waitForCall('sendPhoto', 4);
    expect(h.core.whatIfRuns.map((r) => r.proposed)).toEqual(['70', '75', '70']);
  });

  it('answers a bad key, value or day count clearly and replays nothing', async () => {
    const cases: [string, RegExp][] = [
      ['/whatif', /Usage: \/whatif &lt;key&gt; &lt;value&gt; \[days\]/],
      ['/whatif scanner.minScore', /Usage/],
      [
        '/whatif scanner.nosuch 70',
        /unknown setting &quot;scanner\.nosuch&quot;; try scanner\..*Nothing was replayed/,
      ],
      ['/whatif scanner.minScore 250', /must be within 0…100.*Nothing was replayed/],
      ['/whatif scanner.minScore 70 0', /days: must be within 1…30 d\. Nothing was replayed/],
      ['/whatif scanner.minScore 70 45', /days: must be within 1…30 d/],
      ['/whatif scanner.minScore 60', /already 60: there is nothing to compare/],
    ];
    for (const [input, pattern] of cases) expect(texts(await h.say(OWNER, input)), input).toMatch(pattern);
    expect(h.core.whatIfRuns).toEqual([]);
  });

  it('runs one replay at a time and the chat keeps answering while it runs', async () => {
    const held = holdReplays();
    await h.say(OWNER, '/whatif scanner.minScore 70');
    held[0]!.progress(0.3, '');
    const busy = await h.say(VIEWER, '/whatif take-profit.minProfitPct 5');
    expect(texts(busy)).toMatch(
      /A what-if is already running \(<code>scanner\.minScore<\/code> → <code>70<\/code>, 30%\)\. One runs at a time/,
    );
    expect(texts(await h.say(OWNER, '/status')), '/status answers meanwhile').toMatch(/accumulate/);
    expect(h.core.whatIfRuns).toHaveLength(1);
    held[0]!.finish();
    await h.api.waitForCall('sendPhoto');
    await h.say(VIEWER, '/whatif take-profit.minProfitPct 5');
    expect(h.core.whatIfRuns, 'free again').toHaveLength(2);
  });

  it('a viewer may run a what-if but gets no Save button and cannot save', async () => {
    await h.say(VIEWER, '/whatif scanner.minScore 70');
    await h.api.waitForCall('sendPhoto');
    const result = [...h.api.calls].reverse().find((c) => c.method === 'editMessageText')!;
    expect(String(result.payload.text)).toMatch(/trades\s+7\s+4/);
    expect(buttons([result])).toEqual([]);
    const pending = h.confirmations.pending(h.clock.now());
    expect(pending, 'nothing proposed for a viewer').toEqual([]);
    expect(h.settings.get('scanner.minScore')).toBe(60);
  });

  it('says when the replay failed, and nothing changes', async () => {
    const held = holdReplays();
    await h.say(OWNER, '/whatif scanner.minScore 70');
    const mid = lastMessageId();
    held[0]!.fail(new Error('no candles stored before 8 Jan'));
    await until('failure shown', () => /failed/.test(String(shown(mid)?.payload.text)));
    expect(String(shown(mid).payload.text)).toMatch(
      /⚠️ The what-if of <code>scanner\.minScore<\/code> failed: no candles stored before 8 Jan\n<i>Nothing was changed\.<\/i>/,
    );
    await h.say(OWNER, '/whatif scanner.minScore 70');
    expect(h.core.whatIfRuns, 'a failure frees the slot and is not cached').toHaveLength(2);
  });
});

/** `/set` and ✅ Save on its confirm screen. */
async function saveSet(text: string) {
  await h.tap(OWNER, buttons(await h.say(OWNER, text))[0]!.data);
}

describe('the 🔮 What if? button of a confirm screen', () => {
  it('is on the confirm screen of /set and of the menu; a viewer may run it but only the owner saves', async () => {
    const ask = buttons(await h.say(OWNER, '/set scanner.minScore 70'));
    const id = ask[0]!.data.slice('c:y:'.length);
    expect(ask.find((b) => b.text === '🔮 What if?')?.data).toBe(`wi:${id}`);
    const viewerTap = await h.tap(VIEWER, `wi:${id}`);
    expect(answerOf(viewerTap)).toBe('Replaying…');
    await h.api.waitForCall('sendPhoto');
    expect(h.core.whatIfRuns).toEqual([{ key: 'scanner.minScore', proposed: '70', days: 7 }]);
    const result = [...h.api.calls].reverse().find((c) => c.method === 'editMessageText')!;
    expect(String(result.payload.chat_id)).toBe(String(VIEWER));
    expect(String(result.payload.text)).toMatch(/trades\s+7\s+4/);
    expect(buttons([result]), 'no Save for a viewer').toEqual([]);
    expect(answerOf(await h.tap(VIEWER, `c:y:${id}`)), 'nor may a viewer save it').toMatch(/Read-only/);
    expect(answerOf(await h.tap(VIEWER, `sa:${id}:u`)), 'nor step it').toMatch(/Read-only/);
    expect(h.settings.get('scanner.minScore')).toBe(60);

    // The owner's what-if of the same screen answers from the cache with that confirmation's Save.
    const ownerTap = await h.tap(OWNER, `wi:${id}`);
    expect(h.core.whatIfRuns, 'the same span, from the cache').toHaveLength(1);
    expect(buttons(ownerTap).map((b) => b.data)).toEqual([`c:y:${id}`]);
    expect(answerOf(await h.tap(OWNER, `c:y:${id}`))).toBe('Done');
    expect(h.settings.get('scanner.minScore')).toBe(70);

    // The menu's −/+ end on the same screen with the same button.
    const menu = await h.say(OWNER, '/settings');
    const mid = 1000 + h.api.sent('sendMessage').length + h.api.sent('sendPhoto').length - 1;
    const group = await h.tap(OWNER, buttons(menu).find((b) => b.text === 'scanner')!.data, mid);
    const param = await h.tap(OWNER, buttons(group).find((b) => b.text.startsWith('minScore:'))!.data, mid);
    const stepped = await h.tap(OWNER, buttons(param).find((b) => b.text === '+ 5')!.data, mid);
    expect(texts(stepped)).toMatch(/<code>70<\/code> → <code>75<\/code>/);
    expect(buttons(stepped).map((b) => b.text)).toContain('🔮 What if?');
  });

  it('is on the confirm screen of /exclude OP with its pairs; a viewer may replay it but only the owner saves', async () => {
    h.core.onWhatIf = async (request) => ({ ...sampleWhatIfResult(request, 'none'), strategy: 'all' });
    const ask = await h.say(OWNER, '/exclude OP');
    expect(texts(ask)).toMatch(
      /exclude all 2 pairs of OP: <b>OPUSDC, OPUSDT<\/b>\.\nChange <b>exclusions<\/b>\?\n<code>none<\/code> → <code>OPUSDC,OPUSDT<\/code>/,
    );
    const screen = buttons(ask);
    expect(screen.map((b) => b.text)).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel']);
    const id = screen[0]!.data.slice('c:y:'.length);
    expect(screen[1]!.data).toBe(`wi:${id}`);

    expect(answerOf(await h.tap(VIEWER, `wi:${id}`))).toBe('Replaying…');
    await h.api.waitForCall('sendPhoto');
    expect(h.core.whatIfRuns).toEqual([{ key: 'exclusions', proposed: 'OPUSDC,OPUSDT', days: 7 }]);
    const result = [...h.api.calls].reverse().find((c) => c.method === 'editMessageText')!;
    expect(String(result.payload.chat_id)).toBe(String(VIEWER));
    expect(String(result.payload.text)).toMatch(/trades\s+7\s+4/);
    expect(buttons([result]), 'no Save for a viewer').toEqual([]);
    expect(answerOf(await h.tap(VIEWER, `c:y:${id}`)), 'nor may a viewer save it').toMatch(/Read-only/);
    expect(h.settings.get('exclusions'), 'a what-if changes nothing').toEqual([]);

    expect(answerOf(await h.tap(OWNER, `c:y:${id}`))).toBe('Done');
    expect(h.settings.get('exclusions'), 'Save writes the pairs').toEqual(['OPUSDC', 'OPUSDT']);
    expect(h.settings.history('exclusions')[0]).toMatchObject({
      oldValue: 'none',
      newValue: 'OPUSDC,OPUSDT',
    });
  });

  it('replays the proposed change of an undo, and its Save is that confirmation', async () => {
    await saveSet('/set scanner.minScore 65');
    const screen = buttons(await h.tap(OWNER, 'hu:1'));
    expect(screen.map((b) => b.text)).toEqual(['✅ Save', '🔮 What if?', '✖ Cancel']);
    const id = screen[0]!.data.slice('c:y:'.length);
    expect(screen[1]!.data).toBe(`wi:${id}`);
    h.core.onWhatIf = async (request) => sampleWhatIfResult(request, '65');
    const tap = await h.tap(OWNER, screen[1]!.data);
    expect(answerOf(tap)).toBe('Replaying…');
    await h.api.waitForCall('sendPhoto');
    expect(h.core.whatIfRuns).toEqual([{ key: 'scanner.minScore', proposed: '60', days: 7 }]);
    const result = [...h.api.calls].reverse().find((c) => c.method === 'editMessageText')!;
    expect(String(result.payload.text)).toMatch(/were <code>60<\/code> instead of <code>65<\/code>/);
    expect(buttons([result]).map((b) => b.data)).toEqual([`c:y:${id}`]);
    await h.tap(OWNER, `c:y:${id}`);
    expect(h.settings.get('scanner.minScore')).toBe(60);
    expect(h.settings.history('scanner.minScore')[0]).toMatchObject({ revertsId: 1 });
  });

  it('a what-if of a confirmation already answered still runs; its Save asks anew', async () => {
    await saveSet('/set scanner.minScore 65');
    const screen = buttons(await h.tap(OWNER, 'hu:1'));
    await h.tap(OWNER, screen[2]!.data); // Cancel
    await h.tap(OWNER, screen[1]!.data);
    await h.api.waitForCall('sendPhoto');
    const result = [...h.api.calls].reverse().find((c) => c.method === 'editMessageText')!;
    expect(String(result.payload.text)).toMatch(/trades\s+7\s+4/);
    const [save] = buttons([result]);
    expect(save!.data, 'a new confirmation, not the skipped one').not.toBe(screen[0]!.data);
    expect(answerOf(await h.tap(OWNER, save!.data))).toBe('Done');
    expect(h.settings.get('scanner.minScore')).toBe(60);
    expect(answerOf(await h.tap(OWNER, 'wi:nosuchid'))).toBe('This button is no longer valid');
  });
});
