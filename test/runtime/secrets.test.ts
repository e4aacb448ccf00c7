/**
 * No secret anywhere: the real process (`src/main.ts`, LOG_LEVEL=debug, live mode with a key
 * and secret) against the built-in simulator as a MEXC server and the fake Bot API, driven
 * through every error path we know — reset connections on every Bot API method, 401, 409,
 * MEXC 700002, a timeout and 5xx — then stdout, stderr, every log file, every chat message,
 * `/healthz` and `/metrics` are searched for the bot token, the API key and the API secret.
 * With the streams on, the same for every listen key the account stream used (it travels in the
 * user stream's URL and the keep-alive requests), through a dropped connection and an expired key.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { SecretRedactor } from '../../src/common/redact.js';
import { loadConfig } from '../../src/config/config.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { startSimulator, type SimulatorHandle } from '../../src/exchange/simulator/index.js';
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { createRuntime, type Runtime } from '../../src/runtime/createRuntime.js';
import { FakeBotApi } from '../helpers/fakeBotApi.js';
import { textUpdate } from '../helpers/updates.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OWNER = 111;
const TOKEN = '7654321:SECRETtokenSECRETtokenSECRETtok';
const API_KEY = 'mx0vglKEYKEYKEYKEYKEYKEY0123';
const API_SECRET = 'f00dfeedf00dfeedf00dfeedf00dfeed';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let api: FakeBotApi | undefined;
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await api?.close();
  await sim?.close();
});

describe('no secret anywhere', () => {
  it('with LOG_LEVEL=debug, every known error path leaves no token, key or secret in any output', async () => {
    api = await new FakeBotApi({ token: TOKEN, pollHoldMs: 500 }).start();
    sim = await startSimulator({
      seed: 3,
      speed: 1,
      altcoins: 5,
      credentials: { apiKey: API_KEY, apiSecret: API_SECRET },
    });
    const dir = mkdtempSync(join(tmpdir(), 'autopilot-secrets-'));
    const logDir = join(dir, 'logs');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'debug',
        LOG_DIR: logDir,
        DATABASE_PATH: join(dir, 'autopilot.db'),
        HTTP_PORT: String(port),
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_OWNER_IDS: String(OWNER),
        EXCHANGE: 'mexc',
        MEXC_BASE_URL: sim.url,
        MEXC_WS_URL: sim.wsUrl,
        // Balances then come from signed REST reads, the error paths this test drives.
        STREAMS: 'off',
        TRADING_MODE: 'live',
        LIVE_TRADING_ACK: 'yes',
        MEXC_API_KEY: API_KEY,
        MEXC_API_SECRET: API_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let n = 0; n < 600 && !stdout.includes('Autopilot is running'); n++) {
        if (child.exitCode !== null) throw new Error(`exited: ${stderr}`);
        await sleep(100);
      }
      await api.waitForCall('getUpdates', 1, 30_000);
      const say = async (text: string) => {
        api!.pushUpdate(textUpdate(OWNER, text));
        await sleep(1_500);
      };

      // Replies hit reset connections (the path that once logged grammY's nested URL).
      api.goDown(['sendMessage', 'editMessageText', 'answerCallbackQuery', 'sendPhoto']);
      await say('/help');
      await say('/status');
      // Every method resets, polling included.
      api.goDown();
      await sleep(2_000);
      api.comeBack();
      // 401 on replies, 409 on polling.
      api.failNext('sendMessage', 2, { code: 401, description: 'Unauthorized' });
      await say('/help');
      // A second poller meets a 409 only while the bot holds its long poll, that is once every
      // update so far is handled and confirmed (a pending one is handed to both pollers at once).
      await api.waitForHandled(api.pushUpdate(textUpdate(OWNER, '/start')).update_id, 20_000);
      const stopForeign = api.foreignPoller();
      await sleep(2_000);
      await stopForeign();
      // The exchange: 700002 (signature), 5xx and a timeout on signed reads.
      sim.faults.failNext({
        path: '/api/v3/account',
        status: 400,
        code: 700002,
        msg: 'Signature for this request is not valid.',
        count: 3,
      });
      await say('/balance');
      sim.faults.failNext({ path: '/api/v3/openOrders', status: 503, count: 3 });
      sim.faults.failNext({ path: '/api/v3/account', status: 502, count: 3 });
      await say('/orders');
      await say('/pnl');
      sim.faults.timeoutNext({ path: '/api/v3/account', count: 1 });
      await say('/balance');
      await say('/status');

      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).text();
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      child.kill('SIGINT');
      await exited;

      const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8'));
      const chat = JSON.stringify(api.calls.map((c) => c.payload));
      const places = { stdout, stderr, logFiles: logs.join('\n'), chat, health, metrics };

      // The error paths really ran and were logged.
      expect(api.resets.get('sendMessage') ?? 0, 'replies hit resets').toBeGreaterThan(0);
      expect(api.resets.get('getUpdates') ?? 0, 'polling hit resets').toBeGreaterThan(0);
      expect(api.calls.some((c) => c.errorCode === 409)).toBe(true);
      expect(api.calls.some((c) => c.errorCode === 401)).toBe(true);
      expect(places.logFiles).toMatch(/chat handler failed|could not tell the user/);
      expect(places.logFiles).toMatch(/700002|Signature for this request/);
      expect(places.logFiles).toMatch(/"level":20/); // debug lines were written
      expect(places.logFiles, 'redaction marks where a secret was').toContain('[redacted]');

      for (const [where, text] of Object.entries(places)) {
        for (const [name, secret] of Object.entries({ TOKEN, API_KEY, API_SECRET })) {
          expect(text.includes(secret), `${name} found in ${where}`).toBe(false);
        }
        // The token's secret half alone is a secret too.
        expect(text.includes(TOKEN.split(':')[1]!), `token found in ${where}`).toBe(false);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);

  it('with streams on and LOG_LEVEL=debug, no listen key reaches the logs or /healthz', async () => {
    sim = await startSimulator({
      seed: 3,
      speed: 1,
      altcoins: 5,
      credentials: { apiKey: API_KEY, apiSecret: API_SECRET },
    });
    const s = sim;
    s.account.setBalance('USDC', '5000');
    s.account.setBalance('USDT', '1000');
    const dir = mkdtempSync(join(tmpdir(), 'autopilot-secrets-streams-'));
    const logDir = join(dir, 'logs');
    // The process logger exactly as main.ts makes it (stderr kept quiet for the test run).
    const redactor = new SecretRedactor([API_KEY, API_SECRET]);
    const logger = createLogger({ redactor, level: 'debug', dir: logDir, stdoutLevel: 'silent' });
    const config = loadConfig({
      EXCHANGE: 'mexc',
      MEXC_BASE_URL: s.url,
      MEXC_WS_URL: s.wsUrl,
      MEXC_API_KEY: API_KEY,
      MEXC_API_SECRET: API_SECRET,
      TRADING_MODE: 'live',
      LIVE_TRADING_ACK: 'yes',
      DATABASE_PATH: join(dir, 'autopilot.db'),
      LOG_DIR: logDir,
      LOG_LEVEL: 'debug',
      HTTP_PORT: '0',
    });
    let rt: Runtime | undefined = await createRuntime({
      config,
      logger,
      redactor,
      input: new PassThrough(),
      output: new Writable({ write: (_chunk, _encoding, done) => done() }),
      streamTiming: {
        pingIntervalMs: 100,
        quietAfterMs: 400,
        deadAfterMs: 1_500,
        backoffBaseMs: 50,
        stableAfterMs: 100,
      },
    });
    const user = () => rt?.health.health().checks.streams?.list.find((x) => x.name === 'user');
    const userState = () => user()?.state;
    const until = async (check: () => boolean, what: string) => {
      for (let n = 0; !check(); n++) {
        if (n > 200) throw new Error(`timed out waiting for ${what}`);
        await sleep(25);
      }
    };
    try {
      for (const id of STRATEGY_IDS) rt.settings.set(`${id}.enabled`, 'off', 'test');
      // A new account: no trade history to read in the background (it would hold the stop up).
      const ledger = new FillRepository({
        db: rt.db,
        clock: rt.clock,
        assetsOf: (x) => rt?.market.assetsOf(x),
      });
      for (const symbol of (await rt.exchange.getRules()).keys())
        ledger.setSyncCursor(symbol, rt.clock.now());
      await rt.start();
      await until(() => userState() === 'live', 'account stream live');
      // A dropped connection (reconnect with the same key, after extending it), then an expired
      // key (refused, replaced by a new one): the paths that log the stream's comings and goings.
      // The bot may reconnect between two looks at its state: a later `since` of the live state
      // is what shows it noticed.
      const liveSince = user()!.sinceMs;
      s.faults.dropStreams('user');
      await until(() => userState() === 'live' && user()!.sinceMs > liveSince, 'live again after the drop');
      // The bot may replace the key and be live again between two looks at its state: the new
      // key is what shows it noticed.
      const keysBefore = s.streams.issuedListenKeys().length;
      s.faults.expireListenKeys();
      await until(() => s.streams.issuedListenKeys().length > keysBefore, 'a new key after the expiry');
      await until(() => userState() === 'live', 'live with a new key');
      const health = JSON.stringify(rt.health.health());
      await rt.stop(); // deletes the key: one more request carrying it
      rt = undefined;
      await sleep(300); // the rotating file stream writes asynchronously
      const keys = s.streams.issuedListenKeys();
      expect(keys.length, 'the expired key was replaced').toBeGreaterThanOrEqual(2);
      const logs = readdirSync(logDir)
        .map((f) => readFileSync(join(logDir, f), 'utf8'))
        .join('\n');
      expect(logs, 'the stream paths ran and were logged at debug').toMatch(/user stream state/);
      expect(logs).toMatch(/listen key created/);
      for (const [where, text] of Object.entries({ logs, health })) {
        for (const key of keys) expect(text.includes(key), `listen key found in ${where}`).toBe(false);
        expect(text.includes(API_SECRET), `secret found in ${where}`).toBe(false);
      }
    } finally {
      await rt?.stop();
    }
  }, 30_000);
});
