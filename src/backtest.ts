/**
 * `npm run backtest -- --days 30 --strategies scanner,alt-profit --set scanner.minScore=65`:
 * replays the strategies over the recent past from the bot's own settings, holdings and kept
 * candles (the missing ones fetched at the rate limiter's background priority), prints a summary
 * with its assumptions, and writes the value chart (PNG, the `/chart` style) and the full result
 * (JSON) under `backtests/`.
 *
 * It reads the same `.env` as the bot and opens its database without the instance lock, so it
 * runs next to a running bot: the bot's settings are only read, candles are only added.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/config.js';
import type { ChartRange } from './domain/chartRange.js';
import { dec, ZERO } from './domain/money.js';
import { STRATEGY_IDS } from './domain/strategy.js';
import { renderPortfolioChart } from './ops/charts/renderPortfolioChart.js';
import { openDatabase } from './persistence/db.js';
import { migrate } from './persistence/migrate.js';
import { replayAssumptions } from './replay/assumptions.js';
import { backtestReport } from './replay/backtestReport.js';
import { buildExchange } from './runtime/build/exchange.js';
import { buildLedger } from './runtime/build/ledger.js';
import { buildMarket } from './runtime/build/market.js';
import { runReplaysInChild } from './runtime/replayProcess.js';
import {
  buildReplaySpec,
  MAX_REPLAY_DAYS,
  prepareCandles,
  ReplayRequestError,
} from './runtime/replaySetup.js';
import { SettingsStore } from './settings/SettingsStore.js';
import { createLogger } from './common/logger.js';
import { SecretRedactor } from './common/redact.js';

const USAGE = `usage: npm run backtest -- [--days N] [--strategies a,b] [--set key=value]… [--slippage-bps N] [--portfolio USDC=1000,USDT=500]
  --days          days back from now to replay (1–${MAX_REPLAY_DAYS}, default 7)
  --strategies    strategies to run (default: the enabled ones): ${STRATEGY_IDS.join(', ')}
  --set           a setting for the replay only, as /set takes it (repeatable)
  --slippage-bps  extra price move against orders that take liquidity (default 0)
  --portfolio     start from these balances instead of today's holdings`;

/** A mistake in the command line: printed with the usage, exit code 2, nothing done. */
class UsageError extends Error {}

interface Options {
  readonly days: number;
  readonly strategies?: readonly string[];
  readonly overrides: Record<string, string>;
  readonly slippage: number;
  readonly portfolio?: Record<string, string>;
}

function parseOptions(argv: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        days: { type: 'string' },
        strategies: { type: 'string' },
        set: { type: 'string', multiple: true },
        'slippage-bps': { type: 'string' },
        portfolio: { type: 'string' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const days = Number(parsed.days ?? '7');
  if (!Number.isInteger(days) || days < 1 || days > MAX_REPLAY_DAYS)
    throw new UsageError(`--days must be a whole number from 1 to ${MAX_REPLAY_DAYS}, got "${parsed.days}"`);
  const overrides: Record<string, string> = {};
  for (const item of parsed.set ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`--set takes key=value, got "${item}"`);
    overrides[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  const bps = Number(parsed['slippage-bps'] ?? '0');
  if (!Number.isFinite(bps) || bps < 0 || bps > 500)
    throw new UsageError(`--slippage-bps must be from 0 to 500, got "${parsed['slippage-bps']}"`);
  let portfolio: Record<string, string> | undefined;
  if (parsed.portfolio !== undefined) {
    portfolio = {};
    for (const part of parsed.portfolio.split(',')) {
      const [asset, qty] = part.split('=').map((s) => s.trim());
      if (!asset || !/^[A-Z0-9]+$/.test(asset) || qty === undefined || !/^\d+(\.\d+)?$/.test(qty))
        throw new UsageError(`--portfolio takes ASSET=amount pairs like USDC=1000,USDT=500, got "${part}"`);
      portfolio[asset] = qty;
    }
  }
  return {
    days,
    ...(parsed.strategies !== undefined
      ? {
          strategies: parsed.strategies
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    overrides,
    slippage: bps / 10_000,
    ...(portfolio ? { portfolio } : {}),
  };
}

function chartRangeFor(days: number): ChartRange {
  return days <= 1 ? '1d' : days <= 7 ? '7d' : '30d';
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig();
  const redactor = new SecretRedactor([config.telegram.token, config.mexc.apiKey, config.mexc.apiSecret]);
  const logger = createLogger({ redactor, level: 'warn', dir: config.logDir, stdoutLevel: 'error' });
  const db = openDatabase(config.databasePath);
  migrate(db);
  const marketStep = await buildMarket({
    config,
    clock: undefined,
    sleep: undefined,
    simulator: undefined,
    logger,
  });
  const { clock, sleep } = marketStep;
  try {
    const { market, exchange, candles } = buildExchange({
      config,
      db,
      clock,
      sleep,
      logger,
      redactor,
      simulator: marketStep.endpoint,
    });
    const ledger = buildLedger({ config, db, clock, sleep, logger, market, exchange });
    const settings = new SettingsStore(db, clock);
    const source = {
      settings,
      snapshot: () => ledger.portfolio.snapshot(),
      market,
      candles,
      timeZone: config.tzReports,
    };
    const strategies = options.strategies ?? STRATEGY_IDS.filter((id) => settings.get(`${id}.enabled`));
    const now = clock.now();
    let spec;
    try {
      spec = await buildReplaySpec(source, {
        days: options.days,
        overrides: options.overrides,
        strategies,
        slippage: options.slippage,
        now,
      });
    } catch (error) {
      // A refused setting or strategy: the owner's input, answered like any bad argument.
      if (error instanceof ReplayRequestError) throw new UsageError(error.message);
      throw error;
    }
    if (options.portfolio) spec = { ...spec, start: { balances: options.portfolio, costs: {} } };

    process.stderr.write(`reading candles for ${options.days} days…\n`);
    const requests = await prepareCandles(source, [spec], now);
    process.stderr.write(`${requests} candle requests made; replaying…\n`);
    let shown = -1;
    const { outcomes } = await runReplaysInChild(
      { specs: [spec], candles: config.databasePath === ':memory:' ? db.serialize() : config.databasePath },
      (_i, fraction) => {
        const pct = Math.floor(fraction * 10) * 10;
        if (pct !== shown) process.stderr.write(`${(shown = pct)} %\n`);
      },
    );
    const outcome = outcomes[0]!;
    const assumptions = replayAssumptions(spec, outcome);
    process.stdout.write(
      `${backtestReport(spec, outcome, { strategies, overrides: options.overrides, assumptions })}\n`,
    );

    const dir = join(process.cwd(), 'backtests');
    mkdirSync(dir, { recursive: true });
    const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const base = join(dir, `backtest-${stamp}`);
    writeFileSync(
      `${base}.json`,
      `${JSON.stringify({ request: { ...options, strategies }, spec: { ...spec, rules: undefined }, assumptions, outcome }, null, 1)}\n`,
    );
    const last = outcome.equity.at(-1);
    const png = await renderPortfolioChart({
      points: outcome.equity.map((p) => ({
        at: p.at,
        totalUsdc: dec(p.totalUsdc),
        coreUsdc: dec(p.coreUsdc),
        altsUsdc: dec(p.altsUsdc),
      })),
      trades: outcome.trades.map((t) => ({ ...t, value: dec(t.value) })),
      range: chartRangeFor(options.days),
      now: outcome.toMs,
      ...(last
        ? {
            current: {
              totalUsdc: dec(last.totalUsdc),
              coreUsdc: dec(last.coreUsdc),
              altsUsdc: dec(last.altsUsdc),
            },
          }
        : { current: { totalUsdc: ZERO, coreUsdc: ZERO, altsUsdc: ZERO } }),
      timeZone: config.tzReports,
    });
    writeFileSync(`${base}.png`, png);
    process.stdout.write(`\nwrote ${base}.json and ${base}.png\n`);
  } finally {
    await marketStep.endpoint?.close();
    db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nFix these in .env or the environment (see .env.example).\n`);
    process.exit(2);
  }
  process.stderr.write(`backtest failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
