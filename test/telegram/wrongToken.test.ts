/**
 * A wrong `TELEGRAM_BOT_TOKEN` (Telegram answers 401 to every method): the bot keeps trading
 * without chat, says what is wrong once in the log (naming the variable, never the token), shows
 * it in `/healthz` as a degraded Telegram link, and keeps its notifications in the outbox for
 * the next start with a good token instead of dropping them.
 */
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';

const WRONG_TOKEN = '999999:WRONG-token-that-telegram-refuses';

let runtime: Runtime | undefined;
let api: FakeBotApi | undefined;
afterEach(async () => {
  await runtime?.stop();
  await api?.close();
  runtime = undefined;
  api = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a wrong Telegram token', () => {
  it('trading goes on without chat; logged once with the variable named, /healthz degraded, notifications kept', async () => {
    api = await new FakeBotApi({ pollHoldMs: 200 }).start();
    const lines: string[] = [];
    const config = loadConfig({
      DATABASE_PATH: ':memory:',
      HTTP_PORT: '0',
      LOG_LEVEL: 'debug',
      TELEGRAM_BOT_TOKEN: WRONG_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_OWNER_IDS: '111',
    });
    const rt = await createRuntime({
      config,
      logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
      input: new PassThrough(),
      output: new Writable({ write: (_c, _e, done) => done() }),
      simulator: { altcoins: 10 },
    });
    runtime = rt;
    const t0 = Date.now();
    expect((await rt.start()).reconciled, 'start-up does not wait for Telegram').toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);

    for (let n = 0; n < 50 && rt.health.health().checks.telegram?.state !== 'unauthorized'; n++)
      await sleep(100);
    const health = rt.health.health();
    expect(health.status).toBe('degraded');
    expect(health.degraded).toEqual(['telegram']);
    expect(health.failing, 'trading is fine').toEqual([]);
    expect(health.checks.telegram?.detail).toMatch(/401 .*TELEGRAM_BOT_TOKEN/);

    // Strategies still decide, and what they report waits in the outbox.
    expect(await rt.core.scheduler.runNow('accumulate', { force: true })).toMatchObject({ status: 'ran' });
    rt.core.publisher.publish({ type: 'alert', severity: 'warning', key: 'test', message: 'check me' });
    await sleep(1_500);
    expect(rt.chat.outbox.pendingCount(), 'notifications kept, not given up').toBeGreaterThan(0);
    expect(api.calls.filter((c) => c.errorCode === 401).length).toBeGreaterThan(0);

    const refused = lines.filter((l) => /refused the bot token/.test(l));
    expect(refused.length, 'once by the poller, once by the sender; not once per message').toBe(2);
    expect(refused.every((l) => l.includes('TELEGRAM_BOT_TOKEN'))).toBe(true);
    expect(lines.filter((l) => /notification given up/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.includes(WRONG_TOKEN) || l.includes('WRONG-token'))).toEqual([]);
  }, 30_000);
});
