import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi, type RecordedCall } from './fakeBotApi.js';

let api: FakeBotApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const call = (server: FakeBotApi, method: string, body: Record<string, unknown>) =>
  fetch(`${server.apiRoot}/bot${server.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('FakeBotApi.onCall', () => {
  it('reports every answered call as it is recorded, until unsubscribed', async () => {
    api = await new FakeBotApi().start();
    const seen: RecordedCall[] = [];
    const stop = api.onCall((c) => seen.push(c));
    await call(api, 'sendMessage', { chat_id: 7, text: 'hello' });
    await call(api, 'sendMessage', { chat_id: 7, text: '' });
    stop();
    await call(api, 'sendMessage', { chat_id: 7, text: 'after' });
    expect(
      seen.map((c) => [c.method, c.ok]),
      'the refused empty text is reported too, the call after unsubscribing is not',
    ).toEqual([
      ['sendMessage', true],
      ['sendMessage', false],
    ]);
    expect(api.calls, 'recording itself goes on').toHaveLength(3);
  });

  it('still resolves waitForCall by the running count of a method', async () => {
    api = await new FakeBotApi().start();
    const third = api.waitForCall('sendMessage', 3);
    for (const text of ['a', 'b', 'c']) await call(api, 'sendMessage', { chat_id: 1, text });
    expect((await third).payload.text, 'the third sendMessage').toBe('c');
  });
});
