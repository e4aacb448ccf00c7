/**
 * The whole bot (createRuntime on the built-in simulator) with the real grammY bot polling the
 * fake Bot API, which fails as Telegram does: a second poller with the same token gets 409
 * Conflict, an outage resets every connection.
 */
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';
import { textUpdate } from '../helpers/updates.js';

const OWNER = 111;

let runtime: Runtime | undefined;
let api: FakeBotApi | undefined;
afterEach(async () => {
  await runtime?.stop();
  await api?.close();
  runtime = undefined;
  api = undefined;
});

interface Line {
  level: number;
  msg: string;
  time: number;
}

async function startBot(api: FakeBotApi, logs: Line[]): Promise<Runtime> {
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Line) });
  const config = loadConfig({
    DATABASE_PATH: ':memory:',
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_OWNER_IDS: String(OWNER),
  });
  const rt = await createRuntime({
    config,
    logger,
    input: new PassThrough(),
    output: new Writable({ write: (_c, _e, done) => done() }),
    simulator: { altcoins: 10 },
  });
  runtime = rt;
  return rt;
}

/** Pushes /status and resolves with the ms until the bot's answer reached the Bot API. */
async function statusAnsweredIn(api: FakeBotApi): Promise<number> {
  const before = api.sent('sendMessage').length;
  const t0 = Date.now();
  api.pushUpdate(textUpdate(OWNER, '/status'));
  await api.waitForCall('sendMessage', before + 1, 10_000);
  return Date.now() - t0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Telegram polling survives conflicts and outages', () => {
  it('a foreign getUpdates for 10 s: 409 reported once and in /healthz, then /status answered within 5 s', async () => {
    api = await new FakeBotApi({ pollHoldMs: 1_000 }).start();
    const logs: Line[] = [];
    const rt = await startBot(api, logs);
    await rt.start();
    expect(await statusAnsweredIn(api)).toBeLessThan(5_000);

    const stopForeign = api.foreignPoller();
    await sleep(10_000);
    const during = rt.health.health();
    const conflicts409 = api.calls.filter((c) => c.method === 'getUpdates' && c.errorCode === 409);
    await stopForeign();
    const conflictEnded = Date.now();

    expect(conflicts409.length, 'the bot kept polling through the conflict').toBeGreaterThan(3);
    expect(during.status).toBe('degraded');
    expect(during.degraded).toEqual(['telegram']);
    expect(during.checks.telegram?.state).toBe('conflict');
    expect(during.failing, 'trading is fine: nothing fails').toEqual([]);
    const reported = logs.filter((l) => /another client is polling/.test(l.msg));
    expect(reported, 'the conflict is logged once, not once per retry').toHaveLength(1);
    expect(reported[0]!.level).toBe(40);

    const answeredIn = await statusAnsweredIn(api);
    expect(Date.now() - conflictEnded, 'answered within 5 s after the conflict ended').toBeLessThan(5_000);
    expect(answeredIn).toBeLessThan(5_000);
    expect(rt.health.health().checks.telegram?.state).toBe('polling');
    expect(logs.some((l) => l.msg === 'telegram polling again')).toBe(true);
  }, 40_000);

  it('the Bot API down for the first 30 s: trading starts at once, the first strategy decision comes on time, chat resumes after', async () => {
    api = await new FakeBotApi({ pollHoldMs: 1_000 }).start();
    api.goDown();
    const logs: Line[] = [];
    const rt = await startBot(api, logs);
    const t0 = Date.now();
    const started = await rt.start();
    const startMs = Date.now() - t0;
    expect(started.reconciled).toBe(true);
    expect(startMs, 'start-up does not wait for Telegram').toBeLessThan(5_000);

    // The first strategy decision: a strategy run recorded, with Telegram still down.
    const firstDecision = () =>
      rt.db
        .prepare(
          `SELECT MIN(ended_at) AS at FROM job_runs WHERE job IN ('accumulate','take-profit','scanner','alt-profit','split-balance','core-balance') AND ended_at IS NOT NULL`,
        )
        .get() as { at: number | null };
    for (let n = 0; n < 100 && firstDecision().at === null; n++) await sleep(100);
    expect(firstDecision().at, 'a strategy decided while Telegram was down').not.toBeNull();
    expect(Date.now() - t0, 'within 10 s of start').toBeLessThan(10_000);
    expect(api.resets.get('getMe') ?? 0).toBeGreaterThan(0);
    // Telegram is reported unreachable and is the only degraded part once the market streams,
    // which connect on their own schedule (slower on a busy machine), are live.
    const onlyTelegramDown = () => {
      const h = rt.health.health();
      return h.checks.telegram?.state === 'unreachable' && h.degraded.length === 1;
    };
    for (let n = 0; n < 100 && !onlyTelegramDown(); n++) await sleep(100);
    const down = rt.health.health();
    expect(down.checks.telegram?.state).toBe('unreachable');
    expect(down.degraded, JSON.stringify(down.checks.streams)).toEqual(['telegram']);
    expect(down.failing).toEqual([]);

    await sleep(Math.max(0, 30_000 - (Date.now() - t0)));
    api.comeBack();
    const comeBackAt = Date.now();
    await statusAnsweredIn(api);
    expect(Date.now() - comeBackAt, '/status answered within 10 s of Telegram coming back').toBeLessThan(
      10_000,
    );
    expect(logs.filter((l) => /telegram unreachable/.test(l.msg))).toHaveLength(1);
  }, 60_000);
});
