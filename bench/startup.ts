/**
 * startup: a new owner's first start on an account that already trades. The built-in simulator
 * (in this process, real time, its default limits) plays a MEXC account holding 1, 5 or 20
 * assets (BTC, then ETH, then altcoins), each with a month of trades (40 per symbol); the bot
 * runs as its own process exactly as `npm start` runs it (the compiled `dist/main.js` with the
 * start script's V8 flags, built once before the cases) with `EXCHANGE=mexc` at the
 * simulator's address, live trading, default rate limits and a fresh database, and the owner
 * types `/status` into the console chat the moment it is spawned.
 *
 * Measured from the spawn (process start): when `/status` answers, when the first strategy
 * decision is recorded (a strategy run ending `ok`, read from `/healthz`), when the ledger is
 * complete (`/healthz` turns from `starting` to `ok`: every held symbol's month is read), and
 * whether `/healthz` ever answered with a failure status (polled every 250 ms). Then the fill
 * latency of a busy account right after start (test/helpers/fillLatency.ts).
 *
 * `STARTUP_ASSETS=1,5` runs only those cases.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STRATEGY_IDS } from '../src/domain/strategy.js';
import { startFirstHourAccount } from '../test/helpers/firstHourAccount.js';
import { measureFillLatency } from '../test/helpers/fillLatency.js';
import type { BenchResult, Figure } from './lib/report.js';
import { startCommand } from './lib/startCommand.js';

const CASES: readonly number[] = process.env.STARTUP_ASSETS
  ? process.env.STARTUP_ASSETS.split(',').map(Number)
  : [1, 5, 20];
const FILLS_PER_SYMBOL = 40;
/** Give up on a case after this long. */
const CASE_TIMEOUT_MS = 20 * 60_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface CaseFigures {
  readonly statusMs?: number;
  readonly firstDecisionMs?: number;
  readonly ledgerCompleteMs?: number;
  readonly healthFailures: number;
  readonly healthSamples: number;
  readonly symbols: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCase(assets: number): Promise<CaseFigures> {
  const account = await startFirstHourAccount({
    altcoins: Math.max(0, assets - 2),
    fillsPerSymbol: FILLS_PER_SYMBOL,
  });
  const held = account.tradedSymbols.slice(0, assets);
  // Fewer than BTC and ETH: sell off what was staged beyond the first `assets`.
  for (const symbol of account.tradedSymbols.slice(assets)) {
    account.sim.account.setBalance(symbol.replace(/(USDT|USDC)$/, ''), '0');
  }
  const { config } = account;
  const env = {
    ...process.env,
    EXCHANGE: 'mexc',
    MEXC_BASE_URL: config.mexc.baseUrl,
    MEXC_WS_URL: account.sim.wsUrl,
    MEXC_API_KEY: config.mexc.apiKey ?? '',
    MEXC_API_SECRET: config.mexc.apiSecret ?? '',
    TRADING_MODE: 'live',
    LIVE_TRADING_ACK: 'yes',
    DATABASE_PATH: config.databasePath,
    LOG_DIR: `${config.databasePath}.logs`,
    HTTP_PORT: String(account.httpPort),
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: '',
  };
  const t0 = Date.now();
  const start = startCommand();
  const child: ChildProcess = spawn(process.execPath, [...start.args], {
    cwd: ROOT,
    env: { ...env, ...start.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', () => undefined);
  child.stdin!.write('/status\n');

  let statusMs: number | undefined;
  let firstDecisionMs: number | undefined;
  let ledgerCompleteMs: number | undefined;
  let healthFailures = 0;
  let healthSamples = 0;
  const strategies = new Set<string>(STRATEGY_IDS);
  try {
    while (Date.now() - t0 < CASE_TIMEOUT_MS && ledgerCompleteMs === undefined) {
      const at = Date.now() - t0;
      if (statusMs === undefined && stdout.includes('trade history')) statusMs = at;
      try {
        const response = await fetch(`http://127.0.0.1:${account.httpPort}/healthz`);
        const body = (await response.json()) as {
          status: string;
          checks: { jobs: { list: { id: string; lastOkAt?: number }[] } };
        };
        healthSamples += 1;
        if (response.status !== 200) healthFailures += 1;
        if (
          firstDecisionMs === undefined &&
          body.checks.jobs.list.some((j) => strategies.has(j.id) && j.lastOkAt !== undefined)
        ) {
          firstDecisionMs = at;
        }
        if (body.status === 'ok' && firstDecisionMs !== undefined) ledgerCompleteMs = at;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await account.close();
  }
  return { statusMs, firstDecisionMs, ledgerCompleteMs, healthFailures, healthSamples, symbols: held.length };
}

const seconds = (ms: number | undefined): Figure =>
  ms === undefined || !Number.isFinite(ms) ? 'never' : Number((ms / 1000).toFixed(1));
/** Fill latencies are tens of milliseconds when the budget is free: tenths of a second would show 0. */
const millis = (ms: number | undefined): Figure =>
  ms === undefined || !Number.isFinite(ms) ? 'never' : Math.round(ms);

/** Builds `dist/` once (as `npm start` does), runs the cases one after the other, then the fill latency. */
export async function runStartupBench(): Promise<BenchResult> {
  const buildStarted = Date.now();
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const buildMs = Date.now() - buildStarted;
  const rows: Record<string, Figure>[] = [];
  for (const assets of CASES) {
    const f = await runCase(assets);
    rows.push({
      'held assets': assets,
      'status answered s': seconds(f.statusMs),
      'first decision s': seconds(f.firstDecisionMs),
      'ledger complete s': seconds(f.ledgerCompleteMs),
      'healthz failures': `${f.healthFailures} of ${f.healthSamples}`,
    });
  }
  // A busy account right after start: 20 resting buys over 5 held symbols reached by the market
  // about once a second while strategies run and the history is read.
  const fills = await measureFillLatency({ fills: 20, gapMs: 1_000 });
  rows.push({
    'held assets': '5: 20 fills',
    'status answered s': '-',
    'first decision s': '-',
    'ledger complete s': '-',
    'healthz failures': '-',
    'fill p50 ms': millis(fills.p50Ms),
    'fill p95 ms': millis(fills.p95Ms),
    'fill max ms': millis(fills.maxMs),
  });
  return {
    name: 'startup',
    description:
      'process start (compiled dist/, as npm start runs it) to /status, first strategy decision and a complete ledger (a month of fills per held asset, simulator at default limits, EXCHANGE=mexc, live); then fill latency, match to announcement',
    columns: [
      'held assets',
      'status answered s',
      'first decision s',
      'ledger complete s',
      'healthz failures',
      'fill p50 ms',
      'fill p95 ms',
      'fill max ms',
    ],
    rows,
    summary: {
      'fills per symbol': FILLS_PER_SYMBOL,
      'weight budget': '250 per 10 s (default)',
      'dist build s': seconds(buildMs),
      'fills announced': `${fills.announced} of ${fills.fills}`,
    },
  };
}
