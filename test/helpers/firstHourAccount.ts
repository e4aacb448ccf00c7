/**
 * A new owner's first hour, as the start-up test and `bench startup` stage it: the built-in
 * simulator in real time at its default limits plays a MEXC account that already holds BTC, ETH
 * and some altcoins with a month of trades each, and the bot is configured as for a real account
 * (`EXCHANGE=mexc` at the simulator's address, live trading, a fresh database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config/config.js';
import { STABLECOINS } from '../../src/domain/market.js';
import { dec, toWire } from '../../src/domain/money.js';
import { startSimulator, type SimulatorHandle } from '../../src/exchange/simulator/index.js';

const DAY = 86_400_000;

/** What to hold. */
export interface FirstHourOptions {
  /** Held altcoins besides BTC and ETH. */
  readonly altcoins: number;
  /** Past fills per held symbol, spread over the last 30 days. */
  readonly fillsPerSymbol: number;
  readonly seed?: number;
  /** HTTP_PORT for /healthz; a free one by default. */
  readonly httpPort?: number;
}

/** A running simulator with the account staged, and the bot's configuration for it. */
export interface FirstHourAccount {
  readonly sim: SimulatorHandle;
  readonly config: Config;
  /** Held base assets, BTC and ETH first. */
  readonly assets: readonly string[];
  /** The symbol each held asset's history was traded on. */
  readonly tradedSymbols: readonly string[];
  readonly httpPort: number;
  close(): Promise<void>;
}

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the simulator with the account staged; `close()` stops it and removes the database. */
export async function startFirstHourAccount(options: FirstHourOptions): Promise<FirstHourAccount> {
  const seed = options.seed ?? 5;
  const sim = await startSimulator({ seed, speed: 1, altcoins: Math.max(30, options.altcoins * 2) });
  // Altcoins the API may trade, as the exchange lists them.
  const [info, defaults] = (await Promise.all([
    fetch(`${sim.url}/api/v3/exchangeInfo`).then((r) => r.json()),
    fetch(`${sim.url}/api/v3/defaultSymbols`).then((r) => r.json()),
  ])) as [
    { symbols: { symbol: string; status: string; isSpotTradingAllowed: boolean }[] },
    { data: string[] },
  ];
  const apiTradable = new Set(defaults.data);
  const alts = info.symbols
    .filter((s) => s.status === '1' && s.isSpotTradingAllowed && apiTradable.has(s.symbol))
    .map((s) => s.symbol)
    .filter((s) => s.endsWith('USDT') && !/^(BTC|ETH|.*[35][LS])USDT$/.test(s))
    .filter((s) => !STABLECOINS.has(s.slice(0, -4)))
    .slice(0, options.altcoins);
  const tradedSymbols = ['BTCUSDC', 'ETHUSDC', ...alts];
  const now = sim.clock.now();
  const balances: Record<string, string> = { USDC: '5000', USDT: '3000' };
  const assets: string[] = [];
  for (const symbol of tradedSymbols) {
    const base = symbol.replace(/(USDT|USDC)$/, '');
    assets.push(base);
    const top = sim.market.bookTop(symbol);
    const mid = dec(top.bid).plus(dec(top.ask)).div(2);
    const decimals = top.bid.split('.')[1]?.length ?? 0;
    // Each trade worth about 20 in the quote asset: three buys, then a sell of one of them.
    const unit = dec(20).div(mid).toSignificantDigits(3);
    let held = dec(0);
    const trades = [];
    for (let i = 0; i < options.fillsPerSymbol; i++) {
      const side = i % 4 === 3 ? ('SELL' as const) : ('BUY' as const);
      const drift = 1 + 0.02 * Math.sin(i);
      trades.push({
        symbol,
        side,
        price: mid.times(drift).toFixed(decimals),
        qty: toWire(unit),
        time: now - 29 * DAY + Math.floor((i * 29 * DAY) / options.fillsPerSymbol),
      });
      held = side === 'BUY' ? held.plus(unit) : held.minus(unit);
    }
    sim.account.addPastTrades(trades);
    balances[base] = toWire(held);
  }
  for (const [asset, free] of Object.entries(balances)) sim.account.setBalance(asset, free);

  const dir = mkdtempSync(join(tmpdir(), 'autopilot-first-hour-'));
  const httpPort = options.httpPort ?? (await freePort());
  const config = loadConfig({
    EXCHANGE: 'mexc',
    MEXC_BASE_URL: sim.url,
    MEXC_WS_URL: sim.wsUrl,
    MEXC_API_KEY: sim.credentials.apiKey,
    MEXC_API_SECRET: sim.credentials.apiSecret,
    TRADING_MODE: 'live',
    LIVE_TRADING_ACK: 'yes',
    DATABASE_PATH: join(dir, 'autopilot.db'),
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'silent',
  });
  return {
    sim,
    config,
    assets,
    tradedSymbols,
    httpPort,
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
