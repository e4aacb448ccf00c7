/**
 * chat-latency: time from a `/status` update to the bot's reply, through a fake Telegram Bot
 * API server on loopback, while the strategies trade on the simulator at SIM_SPEED 60 and the
 * outbox has notifications to send, next to the same with the strategies idle.
 *
 * The whole bot runs in one child process of the benchmark started with `npm start`'s V8 flags
 * and environment (`lib/underStartFlags.ts`), through `createRuntime` (the same wiring as src/main.ts):
 * grammY long polling against the fake server, the outbox sender, the scheduler with real timers,
 * a temporary database and logs at info level; the simulator and the chart drawing run in child
 * processes, as in production (which also runs compiled JavaScript: here tsx compiles a module
 * loaded on first use while the figures run). The fake server answers a held
 * `getUpdates` the moment an update is queued, so the clock starts when the update becomes
 * available to the bot and stops when the server receives the `sendMessage` with the status
 * reply for that chat. The fake server shares the event loop with the bot: its own handling is
 * inside the figures (well under a millisecond per call on loopback).
 *
 * Several owner ids take turns because grammY's ratelimiter allows 20 updates per user per 5 s;
 * each user waits at least {@link PER_USER_GAP_MS} between two updates, so no reply is a
 * "too many messages" notice (counted and reported; it would be a measurement error).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.js';
import { createRuntime, type Runtime } from '../src/runtime/createRuntime.js';
import { createLogger } from '../src/common/logger.js';
import { STRATEGY_IDS } from '../src/domain/strategy.js';
import { FakeBotApi, type RecordedCall } from '../test/helpers/fakeBotApi.js';
import { textUpdate } from '../test/helpers/updates.js';
import { atLeast, atMost, percentile, type BenchResult, type Figure } from './lib/report.js';
import { underStartFlags } from './lib/underStartFlags.js';

const SIM_SPEED = 60;
const TOKEN = '123456789:AAbench-fake-token-for-chat-latency';
const OWNERS = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008];
const SAMPLES = 200;
const CONCURRENCY = 4;
const WARM_UP = 10;
/** Scanner runs asked for one after the other in the "while scans run" scenario. */
const SCANS = 20;
/** grammY's ratelimiter in createBot: 20 updates per user per 5 s. */
const PER_USER_GAP_MS = 300;
/**
 * Notifications queued at the start of each "notices queued" scenario, to every owner chat. The
 * sender sends one message per chat per real second, so a burst keeps it busy for 50 s, longer
 * than a scenario.
 */
const BURST = 50;
/** A reply slower than this is counted: a human notices a pause of a quarter of a second. */
const SLOW_MS = 250;
const REPLY_TIMEOUT_MS = 30_000;
/** How the status reply begins (formatStatus); notifications to the same chat begin otherwise. */
const STATUS_PREFIX = '<b>Autopilot</b> ·';
const THROTTLED_PREFIX = 'Too many messages';

/** Matches each chat's status replies, in order, to the waiters registered before sending. */
class ReplyWatcher {
  readonly #waiting = new Map<string, ((at: number) => void)[]>();
  throttled = 0;
  statusReplies = 0;
  notificationsSent = 0;
  readonly #stop: () => void;

  constructor(api: FakeBotApi) {
    this.#stop = api.onCall((call) => this.#seen(call));
  }

  /** Resolves with performance.now() when the next status reply to `chatId` arrives. */
  expect(chatId: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no /status reply to chat ${chatId} within ${REPLY_TIMEOUT_MS} ms`)),
        REPLY_TIMEOUT_MS,
      );
      const list = this.#waiting.get(String(chatId)) ?? [];
      list.push((at) => {
        clearTimeout(timer);
        resolve(at);
      });
      this.#waiting.set(String(chatId), list);
    });
  }

  close(): void {
    this.#stop();
  }

  #seen(call: RecordedCall): void {
    const at = performance.now();
    if (call.method !== 'sendMessage' || !call.ok) return;
    const text = String(call.payload.text ?? '');
    if (text.startsWith(THROTTLED_PREFIX)) this.throttled += 1;
    if (!text.startsWith(STATUS_PREFIX)) {
      this.notificationsSent += 1;
      return;
    }
    this.statusReplies += 1;
    this.#waiting.get(String(call.payload.chat_id))?.shift()?.(at);
  }
}

/** Hands out owner ids in turn, each no sooner than {@link PER_USER_GAP_MS} after its last use. */
class UserRota {
  readonly #lastAt = new Map<number, number>(OWNERS.map((id) => [id, -Infinity]));

  async take(count: number): Promise<number[]> {
    const users = [...this.#lastAt.entries()]
      .sort((a, b) => a[1] - b[1])
      .slice(0, count)
      .map(([id]) => id);
    const readyAt = Math.max(...users.map((id) => this.#lastAt.get(id)! + PER_USER_GAP_MS));
    const wait = readyAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = performance.now();
    for (const id of users) this.#lastAt.set(id, now);
    return users;
  }
}

interface Session {
  readonly runtime: Runtime;
  readonly api: FakeBotApi;
  readonly replies: ReplyWatcher;
  readonly rota: UserRota;
  close(): Promise<void>;
}

async function startSession(strategies: 'running' | 'idle'): Promise<Session> {
  const api = await new FakeBotApi({ token: TOKEN, pollHoldMs: 30_000 }).start();
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-chat-latency-'));
  const config = loadConfig({
    EXCHANGE: 'simulator',
    TRADING_MODE: 'paper',
    SIM_SPEED: String(SIM_SPEED),
    SIM_SEED: '1',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_OWNER_IDS: OWNERS.join(','),
    DATABASE_PATH: join(dir, 'autopilot.db'),
    LOG_DIR: join(dir, 'logs'),
    LOG_LEVEL: 'info',
    HTTP_PORT: '0',
  });
  // As in production: info to the rotated file (written in-process); only errors on stderr.
  const logger = createLogger({ level: config.logLevel, dir: config.logDir, stdoutLevel: 'error' });
  // The simulator and the chart drawing in their child processes, as npm start runs them: the
  // market and vega's rendering are not on the bot's loop.
  const runtime = await createRuntime({
    config,
    logger,
    simulator: { placement: 'child-process' },
    charts: 'child-process',
  });
  if (strategies === 'idle') {
    for (const id of STRATEGY_IDS) runtime.settings.set(`${id}.enabled`, 'off', 'bench');
  }
  const replies = new ReplyWatcher(api);
  await runtime.start();
  return {
    runtime,
    api,
    replies,
    rota: new UserRota(),
    async close() {
      replies.close();
      await runtime.stop();
      await api.close();
      logger.flush();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Measured {
  readonly latencies: number[];
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  readonly outboxPendingMean: number;
  readonly notificationsSent: number;
  readonly strategyRuns: number;
  readonly scans: number;
  readonly ordersPlaced: number;
  readonly wallS: number;
}

function queueBurst(runtime: Runtime): void {
  for (let k = 0; k < BURST; k++) {
    runtime.chat.notifier.notify({
      kind: 'bench',
      text: `🔔 Benchmark notice ${k + 1}: <b>BTCUSDC</b> moved <i>0.42 %</i> in the last hour.`,
    });
  }
}

const countRows = (runtime: Runtime, sql: string): number =>
  (runtime.db.prepare(sql).get() as { n: number }).n;

/**
 * Sends /status updates `concurrency` at a time and times every reply: `samples` of them, or,
 * with `duringScans`, only while scanner runs (asked for one after the other) are in progress:
 * at least that many runs, and as many more as it takes to collect `samples` replies.
 */
async function measure(
  s: Session,
  options: { samples: number; concurrency: number; burst: boolean; duringScans?: number },
): Promise<Measured> {
  const { runtime, api, replies, rota } = s;
  const strategyJobs = STRATEGY_IDS.map((id) => `'${id}'`).join(',');
  const runsSql = `SELECT count(*) AS n FROM job_runs WHERE job IN (${strategyJobs})`;
  const ordersSql = 'SELECT count(*) AS n FROM orders';
  const scansSql = "SELECT count(*) AS n FROM job_runs WHERE job = 'scanner'";
  const runsBefore = countRows(runtime, runsSql);
  const scansBefore = countRows(runtime, scansSql);
  const ordersBefore = countRows(runtime, ordersSql);
  const sentBefore = replies.notificationsSent;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const latencies: number[] = [];
  const pending: number[] = [];
  const started = performance.now();
  const round = async (count: number) => {
    const users = await rota.take(count);
    pending.push(runtime.chat.outbox.pendingCount());
    const replied = users.map((id) => replies.expect(id));
    const sentAt = performance.now();
    for (const id of users) api.pushUpdate(textUpdate(id, '/status'));
    for (const at of await Promise.all(replied)) latencies.push(at - sentAt);
  };
  const scan = () =>
    runtime.core.scheduler.runNow('scanner').catch((error: unknown) => {
      process.stderr.write(`chat-latency: scan failed: ${String(error)}\n`);
    });
  if (options.burst) queueBurst(runtime);
  if (options.duringScans !== undefined) {
    // At least `duringScans` scans, and more until the row has `samples` replies.
    for (let n = 0; n < options.duringScans || latencies.length < options.samples; n++) {
      let scanning = true;
      const done = scan().finally(() => (scanning = false));
      const before = latencies.length;
      while (scanning || latencies.length === before) await round(options.concurrency);
      await done;
    }
  } else {
    let scanAsked = false;
    while (latencies.length < options.samples) {
      if (!scanAsked && latencies.length >= options.samples / 2) {
        // Scans run every 15 simulated minutes (15 s here), about once per scenario; one is
        // asked for halfway so that every scenario with strategies running contains one. With
        // the strategies idle the scanner is disabled and this does nothing.
        scanAsked = true;
        void scan();
      }
      await round(Math.min(options.concurrency, options.samples - latencies.length));
    }
  }
  loop.disable();
  return {
    latencies,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    outboxPendingMean: pending.reduce((a, b) => a + b, 0) / pending.length,
    notificationsSent: replies.notificationsSent - sentBefore,
    strategyRuns: countRows(runtime, runsSql) - runsBefore,
    scans: countRows(runtime, scansSql) - scansBefore,
    ordersPlaced: countRows(runtime, ordersSql) - ordersBefore,
    wallS: (performance.now() - started) / 1000,
  };
}

function row(scenario: string, m: Measured): Record<string, Figure> {
  return {
    scenario,
    samples: m.latencies.length,
    'p50 ms': percentile(m.latencies, 50),
    'p95 ms': percentile(m.latencies, 95),
    'p99 ms': percentile(m.latencies, 99),
    'max ms': Math.max(...m.latencies),
    [`> ${SLOW_MS} ms`]: m.latencies.filter((l) => l > SLOW_MS).length,
    'loop delay p99 ms': m.loopDelayP99Ms,
    'loop delay max ms': m.loopDelayMaxMs,
    'strategy runs': m.strategyRuns,
    scans: m.scans,
    orders: m.ordersPlaced,
    'notices sent': m.notificationsSent,
    'outbox pending (mean)': m.outboxPendingMean,
    'wall s': m.wallS,
  };
}

async function scenarios(
  strategies: 'running' | 'idle',
): Promise<{ rows: Record<string, Figure>[]; s: Session }> {
  const s = await startSession(strategies);
  try {
    // Warm-up: the first replies compile the handlers' code paths.
    await measure(s, { samples: WARM_UP, concurrency: 1, burst: false });
    const label = strategies === 'running' ? 'strategies running' : 'strategies idle';
    // Nothing queued first: the bursts of the other scenarios take longer than a scenario to send.
    const rows: Array<Record<string, Figure>> = [
      row(
        `${label}, nothing queued, one at a time`,
        await measure(s, { samples: SAMPLES, concurrency: 1, burst: false }),
      ),
      row(
        `${label}, notices queued, one at a time`,
        await measure(s, { samples: SAMPLES, concurrency: 1, burst: true }),
      ),
      row(
        `${label}, notices queued, ${CONCURRENCY} at once`,
        await measure(s, { samples: SAMPLES, concurrency: CONCURRENCY, burst: true }),
      ),
    ];
    if (strategies === 'running') {
      rows.push(
        row(
          `${label}, only while scans run (≥ ${SCANS}), one at a time`,
          await measure(s, { samples: SAMPLES, concurrency: 1, burst: false, duringScans: SCANS }),
        ),
      );
    }
    return { rows, s };
  } catch (error) {
    await s.close();
    throw error;
  }
}

/** The chat-latency benchmark, measured as the bot is started (see `lib/underStartFlags.ts`). */
export function runChatLatencyBench(): Promise<BenchResult> {
  return underStartFlags('chat-latency');
}

/** The measurement itself, in the process it runs in (see {@link runChatLatencyBench}). */
export async function measureChatLatency(): Promise<BenchResult> {
  const busy = await scenarios('running');
  const busyThrottled = busy.s.replies.throttled;
  await busy.s.close();
  const idle = await scenarios('idle');
  const idleThrottled = idle.s.replies.throttled;
  await idle.s.close();
  const throttled = busyThrottled + idleThrottled;
  if (throttled > 0) {
    throw new Error(`${throttled} update(s) hit the bot's per-user rate limit: the rota is too fast`);
  }
  const rows = [...busy.rows, ...idle.rows];
  const duringScans = busy.rows.find((r) => String(r.scenario).includes('only while scans run'));
  const fewest = Math.min(...rows.map((r) => Number(r.samples)));
  return {
    name: 'chat-latency',
    description: `/status update → reply through a fake Bot API server on loopback, the whole bot in one process (createRuntime), simulator at SIM_SPEED ${SIM_SPEED} and charts in their child processes, ${OWNERS.length} owner chats taking turns`,
    columns: [
      'scenario',
      'samples',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      `> ${SLOW_MS} ms`,
      'loop delay p99 ms',
      'loop delay max ms',
      'strategy runs',
      'scans',
      'orders',
      'notices sent',
      'outbox pending (mean)',
      'wall s',
    ],
    rows,
    targets: [
      atMost(
        '/status reply while a scan runs (strategies running): p99',
        Number(duringScans?.['p99 ms'] ?? Number.NaN),
        100,
        'ms',
      ),
      atLeast('/status samples in every chat-latency row (fewest of all rows)', fewest, SAMPLES, 'samples'),
    ],
    summary: {
      'measured from': 'the update queued in the fake getUpdates (a held long poll answers at once)',
      'measured to': 'the fake server receiving sendMessage with the status reply for that chat',
      'notices queued': `${BURST} notifier messages at the start of the scenario, each to all ${OWNERS.length} owner chats; the outbox sender sends one per chat per real second meanwhile`,
      'N at once': `${CONCURRENCY} users' /status queued together; grammY handles updates one after another, so the later ones wait for the earlier`,
      'loop delay': "this process's event-loop delay during the scenario (perf_hooks, 5 ms resolution)",
      'per-user pacing': `each user ≥ ${PER_USER_GAP_MS} ms between updates (ratelimiter: 20 per 5 s); throttled replies ${throttled}`,
    },
  };
}
