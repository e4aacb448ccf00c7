/**
 * footprint: resident memory and CPU of the whole bot process with every strategy on (the
 * defaults), plus event-loop delay, database and log growth, orders and API weight; two ways:
 * `footprint` at zero configuration (the built-in simulator as the bot's child process, sampled
 * apart, SIM_SPEED 60) and `footprint-mexc` as in real use (`EXCHANGE=mexc` against the
 * simulator run by the benchmark as a separate process at speed 1).
 *
 * The real entry point runs as a child process exactly as `npm start` runs it (compiled first,
 * then `node <V8 flags> dist/main.js`, the flags read from package.json's start script, or
 * BENCH_FOOTPRINT_NODE_FLAGS to measure others): paper trading, no Telegram token (the console
 * chat), a temporary database and log directory, /metrics on a free loopback port. A simulated
 * day at speed 60 takes 24 real minutes, too long for `npm run bench`, so a bounded window
 * (default 210 s, `BENCH_FOOTPRINT_SECONDS` to change it) is measured after start-up and the day
 * is projected linearly from it. The child is then stopped with SIGINT, which must end it with
 * exit code 0.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { systemClock } from '../src/common/clock.js';
import { startSimulatorProcess } from '../src/exchange/simulator/index.js';
import { nodeCommand, oneCpuPrefix, type PinnedCpu } from './lib/oneCpu.js';
import { startCommand } from './lib/startCommand.js';
import { childPids, clockTicksPerSecond, readProcSample, type ProcSample } from './lib/procStats.js';
import { metricSum } from './lib/promText.js';
import { atMost, percentile, type BenchResult, type Figure, type TargetCheck } from './lib/report.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const SIM_SPEED_BUILT_IN = 60;
const SAMPLE_MS = 1000;
const READY_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 30_000;
const MIB = 2 ** 20;
/** prom-client's event-loop monitor interval (its default `eventLoopMonitoringPrecision`). */
const EVENT_LOOP_RESOLUTION_MS = 10;
const HOURS_PER_DAY = 24;
/**
 * API weight per simulated hour of the polling-only bot before the live streams existed
 * (`BENCH_FOOTPRINT_STREAMS=off BENCH_FOOTPRINT_SECONDS=90`, recorded in bench/README.md): the
 * "original pattern" the streamed bot must stay within a tenth of.
 */
const WEIGHT_PER_HOUR_BEFORE_STREAMS = 8_230;
/** Tables whose rows are counted after the run (what the database grows with). */
const COUNTED_TABLES = [
  'orders',
  'fills',
  'paper_orders',
  'paper_fills',
  'events',
  'job_runs',
  'outbox',
  'scans',
  'scan_verdicts',
  'equity_snapshots',
] as const;

const windowSchema = z.coerce
  .number()
  .int()
  .min(20, { message: 'must be at least 20 seconds (the second half gives the steady figures)' })
  .max(24 * 60 * 60);

/** The measured window in real seconds: BENCH_FOOTPRINT_SECONDS (20…86 400) or 210. */
function windowSeconds(): number {
  const raw = process.env.BENCH_FOOTPRINT_SECONDS;
  if (raw === undefined || raw.trim() === '') return 210;
  const parsed = windowSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `BENCH_FOOTPRINT_SECONDS ("${raw}") ${parsed.error.issues[0]?.message ?? 'is invalid'}; example: BENCH_FOOTPRINT_SECONDS=210`,
    );
  }
  return parsed.data;
}

/** A prom-client default metric, with or without the bot's `autopilot_` prefix. */
function nodeMetric(text: string, name: string): number | undefined {
  return metricSum(text, `autopilot_nodejs_${name}`) ?? metricSum(text, `nodejs_${name}`);
}

/** A loopback port nobody listens on right now (bound and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

interface Child {
  readonly process: ChildProcess;
  /** Types a line into the console chat (the owner's terminal). */
  type(line: string): void;
  readonly pid: number;
  /** Resolves with performance.now() once the bot says it is running. */
  readonly ready: Promise<number>;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The last few kilobytes of stdout and stderr, for error messages. */
  tail(): string;
}

/**
 * The node flags `npm start` passes (heap limits, inlining budget), read from package.json's
 * start script; BENCH_FOOTPRINT_NODE_FLAGS (space-separated, `none` for no flags) measures
 * others instead.
 */
function startFlags(): string[] {
  const override = process.env.BENCH_FOOTPRINT_NODE_FLAGS;
  if (override !== undefined && override.trim() !== '') {
    return override.trim() === 'none' ? [] : override.trim().split(/\s+/);
  }
  return [...startCommand().flags];
}

/**
 * The environment `npm start` gives node (MALLOC_ARENA_MAX), unless the benchmark's own
 * environment sets the variable (to measure without it: `MALLOC_ARENA_MAX=` is "not set").
 */
function startEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(startCommand().env).filter(([name]) => process.env[name] === undefined),
  );
}

/**
 * With BENCH_FOOTPRINT_ONE_CPU=1, the bot (and the simulator it starts at zero config) runs
 * pinned to one CPU, as on a 1-vCPU server (see `lib/oneCpu.ts`); otherwise undefined. Throws
 * when pinning was asked for and is not possible here.
 */
function pinnedTo(): PinnedCpu | undefined {
  if (process.env.BENCH_FOOTPRINT_ONE_CPU !== '1') return undefined;
  const pin = oneCpuPrefix();
  if (!pin.ok) throw new Error(`BENCH_FOOTPRINT_ONE_CPU=1, but the bot cannot be pinned: ${pin.why}`);
  return pin;
}

/**
 * Compiles src/ to dist/ as `npm start` does, then starts `node <flags> dist/main.js`, with `pin`
 * on that one CPU.
 */
function startBot(env: NodeJS.ProcessEnv, pin: PinnedCpu | undefined): Child {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  // Pinned or not, the pid spawned is the bot's (see nodeCommand).
  const run = nodeCommand([...startFlags(), 'dist/main.js'], pin);
  const child = spawn(run.command, run.args, {
    cwd: REPO_ROOT,
    env: { ...startEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the bot process could not be started');
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const ready = new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`the bot did not start within ${READY_TIMEOUT_MS / 1000} s:\n${tail}`)),
      READY_TIMEOUT_MS,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (seen.length < 100_000) seen += chunk.toString('utf8');
      if (seen.includes('Autopilot is running')) {
        clearTimeout(timer);
        seen = '';
        resolve(performance.now());
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited (${code ?? signal}) before it was running:\n${tail}`));
    });
  });
  child.stderr.on('data', keep);
  return {
    process: child,
    pid: child.pid,
    type: (line) => child.stdin.write(`${line}\n`),
    ready,
    exited,
    tail: () => tail,
  };
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/** Pages in use by the database as a reader sees it (committed WAL frames included). */
function logicalDbBytes(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  } finally {
    db.close();
  }
}

function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function dbFilesBytes(path: string): number {
  return fileBytes(path) + fileBytes(`${path}-wal`) + fileBytes(`${path}-shm`);
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(dir, e.name)).size, 0);
}

/** Row counts of the tables the bot writes, and the largest tables by bytes (dbstat). */
function describeDb(path: string): { rows: Record<string, number>; largest: string } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      rows[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    const sizes = db
      .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 6')
      .all() as { name: string; bytes: number }[];
    return { rows, largest: sizes.map((s) => `${s.name} ${(s.bytes / 1024).toFixed(0)} KiB`).join(', ') };
  } finally {
    db.close();
  }
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** STREAMS for the measured bot: `on` (the default, as zero-config runs) or `off` via BENCH_FOOTPRINT_STREAMS. */
function streamsSetting(): 'on' | 'off' {
  const raw = process.env.BENCH_FOOTPRINT_STREAMS;
  if (raw === undefined || raw === '' || raw === 'on') return 'on';
  if (raw === 'off') return 'off';
  throw new Error(`BENCH_FOOTPRINT_STREAMS must be on or off, not "${raw}"`);
}

/**
 * `footprint`: zero configuration (the built-in simulator, as the bot's child process, at SIM_SPEED
 * 60). `footprint-mexc` (`external`): the bot as in real use, `EXCHANGE=mexc` with MEXC_BASE_URL
 * and MEXC_WS_URL at the simulator run as a separate process of the benchmark at speed 1, so
 * nothing of the simulator is in or under the measured process.
 */
export async function runFootprintBench(options: { readonly external?: boolean } = {}): Promise<BenchResult> {
  if (!existsSync('/proc/self/stat')) throw new Error('footprint reads /proc/<pid>: it runs on Linux only');
  const window = windowSeconds();
  const pin = pinnedTo();
  const external = options.external ?? false;
  const credentials = { apiKey: 'bench-footprint-key', apiSecret: 'bench-footprint-secret' };
  const simulator = external
    ? await startSimulatorProcess({
        seed: 1,
        speed: 1,
        clock: systemClock,
        credentials,
        // MEXC runs on other machines: its stand-in takes only what the bot leaves of the CPU.
        priority: constants.priority.PRIORITY_LOW,
      })
    : undefined;
  const SIM_SPEED = external ? 1 : SIM_SPEED_BUILT_IN;
  const ticks = clockTicksPerSecond();
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-footprint-'));
  const dbPath = join(dir, 'autopilot.db');
  const logDir = join(dir, 'logs');
  const port = await freePort();
  // Every variable the bot reads is set here, so a developer's .env cannot change the run
  // (environment values win over .env; an empty value means "not set").
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXCHANGE: external ? 'mexc' : 'simulator',
    TRADING_MODE: 'paper',
    LIVE_TRADING_ACK: '',
    PAPER_BALANCES: 'USDC=1000,USDT=500',
    MEXC_API_KEY: external ? credentials.apiKey : '',
    MEXC_API_SECRET: external ? credentials.apiSecret : '',
    ...(simulator ? { MEXC_BASE_URL: simulator.url, MEXC_WS_URL: simulator.wsUrl } : {}),
    TELEGRAM_BOT_TOKEN: '',
    TELEGRAM_OWNER_IDS: '',
    TELEGRAM_VIEWER_IDS: '',
    DATABASE_PATH: dbPath,
    LOG_DIR: logDir,
    LOG_LEVEL: 'info',
    HTTP_PORT: String(port),
    TZ_REPORTS: 'UTC',
    SIM_SPEED: String(SIM_SPEED),
    SIM_SEED: '1',
    MEXC_WEIGHT_PER_10S: '250',
    // BENCH_FOOTPRINT_STREAMS=off measures the polling-only bot (the "before" of the API weight).
    STREAMS: streamsSetting(),
  };

  const startedAt = performance.now();
  const bot = startBot(env, pin);
  const samples: ProcSample[] = [];
  // At zero config the bot runs the simulator as its child process: sampled too, reported apart.
  const simSamples: ProcSample[] = [];
  let simPid: number | undefined;
  let alive = true;
  void bot.exited.then(() => (alive = false));
  const sample = () => {
    if (!alive) return;
    try {
      samples.push(readProcSample(bot.pid, ticks));
      if (!external) {
        simPid ??= childPids(bot.pid, 'simulator/serve')[0];
        if (simPid !== undefined) simSamples.push(readProcSample(simPid, ticks));
      }
    } catch {
      // The process ended between the check and the read; the exit handler says why.
    }
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  try {
    const readyAt = await bot.ready;
    const atReady = readProcSample(bot.pid, ticks);
    const metricsAtReady = await scrape(port);
    const dbAtReady = logicalDbBytes(dbPath);
    const logsAtReady = dirBytes(logDir);

    const died = bot.exited.then(({ code, signal }) => {
      throw new Error(`the bot exited (${code ?? signal}) during the measurement:\n${bot.tail()}`);
    });
    if (external) {
      // At speed 1 the scanner's quarter-hour may not fall into the window: the owner asks for a
      // scan at once (cold: 80 candidates' candles) and again at 40 % (warm), as real use has one
      // every 15 minutes; the steady half then holds a scanned kline cache.
      bot.type('/scan');
      await Promise.race([sleep(window * 400), died]);
      bot.type('/scan');
      await Promise.race([sleep(window * 600), died]);
    } else {
      await Promise.race([sleep(window * 1000), died]);
    }
    died.catch(() => undefined);

    const atEnd = readProcSample(bot.pid, ticks);
    samples.push(atEnd);
    const metricsAtEnd = await scrape(port);
    const dbAtEnd = logicalDbBytes(dbPath);
    const dbFilesAtEnd = dbFilesBytes(dbPath);
    const logsAtEnd = dirBytes(logDir);

    const stopAt = performance.now();
    bot.process.kill('SIGINT');
    const exit = await Promise.race([bot.exited, sleep(EXIT_TIMEOUT_MS).then(() => undefined)]);
    clearInterval(sampler);
    const dbAfterExit = fileBytes(dbPath);
    const described = describeDb(dbPath);

    const windowReal = (atEnd.at - readyAt) / 1000;
    const simHours = (windowReal * SIM_SPEED) / 3600;
    const perHour = (v: number) => v / simHours;
    const day = (v: number) => perHour(v) * HOURS_PER_DAY;
    const delta = (name: string) =>
      (metricSum(metricsAtEnd, name) ?? 0) - (metricSum(metricsAtReady, name) ?? 0);

    const secondHalf = samples.filter((s) => s.at >= readyAt + (window * 1000) / 2);
    const steadyRss = percentile(
      secondHalf.map((s) => s.rssBytes),
      50,
    );
    // Trend of the resident set over the second half, in bytes per simulated hour.
    const rssTrend = slope(
      secondHalf.map((s) => ({ x: ((s.at - readyAt) / 1000) * (SIM_SPEED / 3600), y: s.rssBytes })),
    );
    const peakRss = Math.max(atEnd.peakRssBytes, ...samples.map((s) => s.peakRssBytes));
    // The resident set saws up and down with garbage collection; a trend smaller than that
    // swing over the half it was fitted on is noise and is not extrapolated over a day.
    const rssValues = secondHalf.map((s) => s.rssBytes);
    const gcSwing = percentile(rssValues, 90) - percentile(rssValues, 10);
    const rssGrows = Math.abs(rssTrend * (simHours / 2)) > gcSwing;
    const steadyDay = rssGrows ? steadyRss + rssTrend * (HOURS_PER_DAY - simHours) : steadyRss;
    const cpu = atEnd.cpuSeconds - atReady.cpuSeconds;
    const dbGrowth = dbAtEnd - dbAtReady;
    const logGrowth = logsAtEnd - logsAtReady;
    const placed = delta('autopilot_orders_placed_total');
    const filled = delta('autopilot_orders_filled_total');
    const refused = delta('autopilot_orders_rejected_total');
    const weight = delta('autopilot_api_weight_used_total');
    const requests = delta('autopilot_api_requests_total');
    const rateLimited = delta('autopilot_api_rate_limited_total');

    const mib = (bytes: number) => bytes / MIB;
    // Node's delay histogram records each whole interval of its timer, so an idle loop reads the
    // resolution itself: the delay is what exceeds it.
    const lagMs = (stat: 'max' | 'p99' | 'p50') =>
      Math.max(
        0,
        (nodeMetric(metricsAtEnd, `eventloop_lag_${stat}_seconds`) ?? Number.NaN) * 1000 -
          EVENT_LOOP_RESOLUTION_MS,
      );
    const row = (figure: string, measured: Figure, hour: Figure, projected: Figure) => ({
      figure,
      'measured window': measured,
      'per simulated hour': hour,
      'simulated day (projected)': projected,
    });
    const rows = [
      // At speed 1 the window is minutes of a day: a memory trend over it says nothing about the
      // day (the first scans fill the caches), so only the zero-config run projects memory.
      row(
        'resident memory, peak MiB (VmHWM)',
        mib(peakRss),
        '',
        external ? '' : mib(Math.max(peakRss, steadyDay)),
      ),
      row(
        'resident memory, steady MiB (median of 2nd half; trend/h)',
        mib(steadyRss),
        external ? '' : mib(rssTrend),
        external ? '' : mib(steadyDay),
      ),
      row('CPU seconds (user + system)', cpu, perHour(cpu), day(cpu)),
      row('CPU, % of one core', (cpu / windowReal) * 100, '', ''),
      // prom-client's event-loop monitor restarts at every scrape: the end figures cover the
      // window since the scrape at "running", i.e. everything after start-up.
      row('event-loop delay, max ms (after start-up)', lagMs('max'), '', ''),
      row('event-loop delay, p99 ms (after start-up)', lagMs('p99'), '', ''),
      row('event-loop delay, p50 ms (after start-up)', lagMs('p50'), '', ''),
      row('database growth MiB (pages in use)', mib(dbGrowth), mib(perHour(dbGrowth)), mib(day(dbGrowth))),
      row('log growth MiB (info level)', mib(logGrowth), mib(perHour(logGrowth)), mib(day(logGrowth))),
      row('orders placed', placed, perHour(placed), day(placed)),
      row('orders filled', filled, perHour(filled), day(filled)),
      row('orders refused', refused, perHour(refused), day(refused)),
      row('API requests', requests, perHour(requests), day(requests)),
      row('API weight used', weight, perHour(weight), day(weight)),
    ];
    const simSteady = simSamples.filter((x) => x.at >= readyAt + (window * 1000) / 2);
    const simLast = simSamples.at(-1);
    if (simLast) {
      const simCpu = simLast.cpuSeconds - (simSamples.find((x) => x.at >= readyAt) ?? simLast).cpuSeconds;
      rows.push(
        row(
          'simulator child process: resident memory, steady MiB (not the bot)',
          mib(
            percentile(
              simSteady.map((x) => x.rssBytes),
              50,
            ),
          ),
          '',
          '',
        ),
        row('simulator child process: resident memory, peak MiB (VmHWM)', mib(simLast.peakRssBytes), '', ''),
        row('simulator child process: CPU seconds', simCpu, perHour(simCpu), day(simCpu)),
      );
    }
    const mode = external ? 'EXCHANGE=mexc' : `zero config at SIM_SPEED ${SIM_SPEED}`;
    const loopTargets = [
      atMost(`bot event-loop delay after start-up, ${mode}: max`, lagMs('max'), 50, 'ms'),
      atMost(`bot event-loop delay after start-up, ${mode}: p99`, lagMs('p99'), 10, 'ms'),
    ];
    const memoryTargets: TargetCheck[] = external
      ? [
          atMost(
            'bot memory, EXCHANGE=mexc, all strategies on: steady RSS (median of 2nd half)',
            mib(steadyRss),
            120,
            'MiB',
          ),
          atMost('bot memory, EXCHANGE=mexc, all strategies on: peak RSS (VmHWM)', mib(peakRss), 160, 'MiB'),
        ]
      : [
          atMost(
            `bot memory, zero config at SIM_SPEED ${SIM_SPEED} (simulator in its child process): peak RSS (VmHWM)`,
            mib(peakRss),
            180,
            'MiB',
          ),
          ...(streamsSetting() === 'on'
            ? [
                atMost(
                  `API weight per simulated hour, all strategies on, streams on (0.10 × ${WEIGHT_PER_HOUR_BEFORE_STREAMS} polling before the streams)`,
                  perHour(weight),
                  WEIGHT_PER_HOUR_BEFORE_STREAMS / 10,
                  'weight',
                ),
              ]
            : []),
        ];
    const targets = [...memoryTargets, ...loopTargets];

    const exitText =
      exit === undefined
        ? `did not exit within ${EXIT_TIMEOUT_MS / 1000} s (PROBLEM)`
        : exit.code === 0
          ? `0 after ${Math.round(exit.at - stopAt)} ms (ok)`
          : `${exit.code ?? exit.signal} after ${Math.round(exit.at - stopAt)} ms (PROBLEM: expected 0)`;
    if (exit === undefined || exit.code !== 0) {
      process.stderr.write(`footprint: the bot did not exit 0 on SIGINT: ${exitText}\n${bot.tail()}\n`);
      process.exitCode = 1;
    }
    const every30s = samples
      .filter((_, i) => i % 30 === 0)
      .map((s) => mib(s.rssBytes).toFixed(0))
      .join(' ');

    return {
      name: external ? 'footprint-mexc' : 'footprint',
      description: `the whole bot process (${Object.entries(startEnv())
        .map(([k, v]) => `${k}=${v} `)
        .join(
          '',
        )}node ${startFlags().join(' ')} dist/main.js, as npm start runs it), ${external ? `EXCHANGE=mexc against the simulator in a separate process of the benchmark (speed 1, REST and WebSocket)` : `the built-in simulator at SIM_SPEED ${SIM_SPEED} in the bot's child process (sampled apart)`}, paper trading, all strategies on (defaults), STREAMS=${streamsSetting()}, console chat${external ? ' (the owner types /scan at start and at 40 % of the window)' : ''}${pin ? `; the bot pinned to CPU ${pin.cpu} (BENCH_FOOTPRINT_ONE_CPU=1)` : ''}; ${windowReal.toFixed(0)} s measured after start-up = ${simHours.toFixed(2)} simulated hours`,
      columns: ['figure', 'measured window', 'per simulated hour', 'simulated day (projected)'],
      rows,
      targets,
      summary: {
        'simulated day column':
          'PROJECTED from the measured window (per-hour figure × 24; memory: steady, plus trend × remaining hours only when the trend exceeds the GC swing), not measured',
        'measured window': `${windowReal.toFixed(1)} s real = ${simHours.toFixed(2)} simulated h, sampled every ${SAMPLE_MS} ms from /proc (${samples.length} samples)`,
        'start-up (spawn to "running")': `${((readyAt - startedAt) / 1000).toFixed(1)} s, ${atReady.cpuSeconds.toFixed(2)} CPU s, RSS ${mib(atReady.rssBytes).toFixed(0)} MiB`,
        'RSS MiB every 30 s from spawn': every30s,
        'RSS trend': rssGrows
          ? `${mib(rssTrend).toFixed(1)} MiB per simulated hour, larger than the GC swing (${mib(gcSwing).toFixed(0)} MiB p10–p90): extrapolated`
          : `${mib(rssTrend).toFixed(1)} MiB per simulated hour, within the GC swing (${mib(gcSwing).toFixed(0)} MiB p10–p90): no growth measurable, day = steady`,
        'threads at end': atEnd.threads,
        'exit code on SIGINT': exitText,
        'API weight per simulated 10 s (budget 250)': weight / (simHours * 360),
        [`API weight per simulated hour / ${WEIGHT_PER_HOUR_BEFORE_STREAMS} (the polling bot before the streams)`]:
          perHour(weight) / WEIGHT_PER_HOUR_BEFORE_STREAMS,
        'API answers 429/418': rateLimited,
        'database at end': `${mib(dbAtEnd).toFixed(2)} MiB in pages, ${mib(dbFilesAtEnd).toFixed(2)} MiB on disk with WAL and shm, ${mib(dbAfterExit).toFixed(2)} MiB after exit (checkpointed)`,
        'largest tables at end (dbstat)': described.largest,
        'rows at end (whole run)': Object.entries(described.rows)
          .map(([t, n]) => `${t} ${n}`)
          .join(', '),
        'heap used at end MiB (/metrics)': mib(nodeMetric(metricsAtEnd, 'heap_size_used_bytes') ?? 0),
      },
    };
  } finally {
    clearInterval(sampler);
    if (alive) {
      bot.process.kill('SIGKILL');
      await bot.exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await simulator?.close();
  }
}
