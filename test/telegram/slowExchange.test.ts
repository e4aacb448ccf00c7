/**
 * A slow exchange does not make the chat slow, the kill switch included. The whole bot in live
 * mode: the real MEXC client talks to the built-in simulator through a gateway that holds every
 * GET for 30 s and answers cancels with 502; the real grammY bot polls the fake Bot API.
 */
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { dec } from '../../src/domain/money.js';
import { startSimulator, type SimulatorHandle } from '../../src/exchange/simulator/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { silentLogger } from '../../src/common/logger.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';
import { startSlowGateway, type SlowGateway } from '../helpers/slowGateway.js';
import { callbackUpdate, textUpdate } from '../helpers/updates.js';

const OWNER = 111;
const KEY = 'mx0vglSLOWKEYSLOWKEY0001';
const SECRET = 'abcdef0123456789abcdef0123456789';

let runtime: Runtime | undefined;
let api: FakeBotApi | undefined;
let sim: SimulatorHandle | undefined;
let gateway: SlowGateway | undefined;
afterEach(async () => {
  gateway?.delayGets(0);
  gateway?.failMethod('DELETE', undefined);
  await runtime?.stop();
  await api?.close();
  await gateway?.close();
  await sim?.close();
  runtime = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a slow exchange and the chat', () => {
  it('GETs held 30 s: /status answers within 1 s with the age of its data, /panic is confirmed within 1 s, cancels are retried until final', async () => {
    api = await new FakeBotApi({ pollHoldMs: 500 }).start();
    sim = await startSimulator({
      seed: 5,
      speed: 1,
      altcoins: 5,
      credentials: { apiKey: KEY, apiSecret: SECRET },
    });
    gateway = await startSlowGateway(sim.url);
    const config = loadConfig({
      DATABASE_PATH: ':memory:',
      HTTP_PORT: '0',
      EXCHANGE: 'mexc',
      MEXC_BASE_URL: gateway.url,
      // Slowness is staged on REST: every answer here must come through the slow gateway.
      STREAMS: 'off',
      TRADING_MODE: 'live',
      LIVE_TRADING_ACK: 'yes',
      MEXC_API_KEY: KEY,
      MEXC_API_SECRET: SECRET,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_OWNER_IDS: String(OWNER),
    });
    const rt = await createRuntime({
      config,
      logger: silentLogger(),
      timers: false,
      input: new PassThrough(),
      output: new Writable({ write: (_c, _e, done) => done() }),
    });
    runtime = rt;
    expect((await rt.start()).reconciled).toBe(true);
    await rt.core.scheduler.runNow('latest-state', { force: true });

    // Two resting buys well below the market.
    const btc = (await rt.exchange.getPrices()).get('BTCUSDC')!;
    const placed: string[] = [];
    for (const factor of ['0.8', '0.7']) {
      const r = await rt.core.executor.execute({
        kind: 'order',
        origin: 'manual',
        symbol: 'BTCUSDC',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        price: btc.times(dec(factor)),
        quoteAmount: dec('20'),
        reason: 'test',
      });
      if (r.status !== 'placed') throw new Error(`not placed: ${JSON.stringify(r)}`);
      placed.push(r.order.clientOrderId);
    }

    // Both "Order placed" notifications out first, so the next message is the answer to /status.
    for (
      let n = 0;
      n < 100 &&
      api.sent('sendMessage').filter((c) => /Order placed/.test(String(c.payload.text))).length < 2;
      n++
    )
      await sleep(50);
    gateway.delayGets(30_000);
    gateway.failMethod('DELETE', 502);

    // /status: answered from the latest known state within 1 s, saying how old it is.
    let sends = api.sent('sendMessage').length;
    let t0 = Date.now();
    api.pushUpdate(textUpdate(OWNER, '/status'));
    const status = await api.waitForCall('sendMessage', sends + 1, 5_000);
    expect(Date.now() - t0, '/status answered within 1 s').toBeLessThan(1_000);
    expect(String(status.payload.text)).toMatch(
      /Balances and prices as of \d\d:\d\d \(read \d+s ago\): the exchange is slow or not answering/,
    );

    // /balance too.
    sends = api.sent('sendMessage').length;
    t0 = Date.now();
    api.pushUpdate(textUpdate(OWNER, '/balance'));
    await api.waitForCall('sendMessage', sends + 1, 5_000);
    expect(Date.now() - t0, '/balance answered within 1 s').toBeLessThan(1_000);

    // /panic, then the tap on Confirm: confirmed within 1 s.
    sends = api.sent('sendMessage').length;
    api.pushUpdate(textUpdate(OWNER, '/panic'));
    const ask = await api.waitForCall('sendMessage', sends + 1, 5_000);
    const keyboard = (
      ask.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    const confirm = keyboard.find((b) => b.text.includes('Confirm'))!;
    const edits = api.sent('editMessageText').length;
    t0 = Date.now();
    api.pushUpdate(callbackUpdate(OWNER, confirm.callback_data, 1000));
    const confirmed = await api.waitForCall('editMessageText', edits + 1, 5_000);
    expect(Date.now() - t0, '/panic confirmed within 1 s of the tap').toBeLessThan(1_000);
    expect(String(confirmed.payload.text)).toMatch(/cancelling 2 open order\(s\)/);
    expect(rt.settings.get('paused')).toBe(true);

    // The exchange refuses cancels for a while: the kill switch keeps trying and says so.
    for (let n = 0; n < 100 && (gateway.failed.get('DELETE') ?? 0) < 2; n++) await sleep(100);
    expect(gateway.failed.get('DELETE') ?? 0, 'cancels were tried and failed').toBeGreaterThanOrEqual(2);
    gateway.delayGets(0);
    gateway.failMethod('DELETE', undefined);

    const finalMessage = () =>
      api!
        .sent('sendMessage')
        .find((c) => /every order the bot placed is confirmed final/.test(String(c.payload.text)));
    for (let n = 0; n < 300 && !finalMessage(); n++) await sleep(100);
    expect(finalMessage(), 'the owner is told when every order is final').toBeDefined();
    expect(
      api.sent('sendMessage').some((c) => /not confirmed final yet/.test(String(c.payload.text))),
      'the owner was told of the failed round',
    ).toBe(true);
    const onExchange = sim.account.orders() as { clientOrderId: string; status: string }[];
    for (const id of placed) {
      expect(onExchange.find((o) => o.clientOrderId === id)?.status, id).toBe('CANCELED');
    }
  }, 90_000);
});
