import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from '../../src/config/config.js';

function errorLines(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.lines];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const LIVE_OK = {
  EXCHANGE: 'mexc',
  TRADING_MODE: 'live',
  MEXC_API_KEY: 'mx0vglAAAAAAAAAA',
  MEXC_API_SECRET: '0123456789abcdef0123456789abcdef',
  LIVE_TRADING_ACK: 'yes',
};

describe('loadConfig', () => {
  it('gives the zero-configuration defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.exchange).toBe('simulator');
    expect(c.tradingMode).toBe('paper');
    expect(c.mexc.baseUrl).toBe('https://api.mexc.com');
    expect(c.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(c.telegram.token).toBeUndefined();
    expect(c.databasePath).toBe('./data/autopilot.db');
    expect(c.httpPort).toBe(9464);
    expect(c.logLevel).toBe('info');
    expect(c.tzReports).toBe('UTC');
    expect(c.sim).toEqual({ speed: 1, seed: 1 });
    expect([...c.paperBalances].map(([k, v]) => `${k}=${v.toFixed()}`)).toEqual(['USDC=1000', 'USDT=500']);
  });

  it("streams by default from MEXC's WebSocket; STREAMS=off turns them off and MEXC_WS_URL moves them", () => {
    const c = loadConfig({});
    expect(c.streams).toBe(true);
    expect(c.mexc.wsUrl).toBe('wss://wbs-api.mexc.com/ws');
    const off = loadConfig({ STREAMS: 'OFF', MEXC_WS_URL: 'ws://127.0.0.1:9999/ws/' });
    expect(off.streams).toBe(false);
    expect(off.mexc.wsUrl, 'trailing slash removed').toBe('ws://127.0.0.1:9999/ws');
    expect(errorLines({ STREAMS: 'maybe', MEXC_WS_URL: 'https://wbs-api.mexc.com/ws' })).toEqual([
      'MEXC_WS_URL ("https://wbs-api.mexc.com/ws"): must be a ws:// or wss:// URL; example: MEXC_WS_URL=wss://wbs-api.mexc.com/ws',
      'STREAMS ("maybe"): must be on or off; example: STREAMS=off',
    ]);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ EXCHANGE: '', TRADING_MODE: ' ', HTTP_PORT: '' }).exchange).toBe('simulator');
  });

  it('returns a frozen object', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.telegram)).toBe(true);
  });

  it('names a bad TRADING_MODE with the valid values and an example', () => {
    const lines = errorLines({ TRADING_MODE: 'bogus' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^TRADING_MODE \("bogus"\)/);
    expect(lines[0]).toMatch(/paper/);
    expect(lines[0]).toMatch(/example: TRADING_MODE=paper/);
  });

  it('refuses live mode without keys, acknowledgement and the real exchange, one line per variable', () => {
    const lines = errorLines({ TRADING_MODE: 'live' });
    const vars = lines.map((l) => l.split(' ')[0]);
    expect(vars.sort()).toEqual(['EXCHANGE', 'LIVE_TRADING_ACK', 'MEXC_API_KEY', 'MEXC_API_SECRET']);
  });

  it('refuses live mode when LIVE_TRADING_ACK is anything but yes', () => {
    const lines = errorLines({ ...LIVE_OK, LIVE_TRADING_ACK: 'true' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LIVE_TRADING_ACK/);
  });

  it('accepts live mode with keys, acknowledgement and EXCHANGE=mexc', () => {
    expect(loadConfig(LIVE_OK).tradingMode).toBe('live');
  });

  it('requires owner ids with a bot token', () => {
    const lines = errorLines({ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^TELEGRAM_OWNER_IDS \(not set\): is required with TELEGRAM_BOT_TOKEN/);
  });

  it('parses owner and viewer ids and refuses an id in both lists', () => {
    const c = loadConfig({ TELEGRAM_OWNER_IDS: '1, 2', TELEGRAM_VIEWER_IDS: '3' });
    expect(c.telegram.ownerIds).toEqual([1, 2]);
    expect(c.telegram.viewerIds).toEqual([3]);
    expect(errorLines({ TELEGRAM_OWNER_IDS: '1', TELEGRAM_VIEWER_IDS: '1' })[0]).toMatch(
      /^TELEGRAM_VIEWER_IDS/,
    );
    expect(errorLines({ TELEGRAM_OWNER_IDS: 'me' })[0]).toMatch(/numeric Telegram user id/);
  });

  it('reports every bad variable at once', () => {
    const lines = errorLines({
      HTTP_PORT: '70000',
      SIM_SPEED: 'fast',
      TZ_REPORTS: 'Mars/Olympus',
      PAPER_BALANCES: 'USDC:10',
    });
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([
      'HTTP_PORT',
      'PAPER_BALANCES',
      'SIM_SPEED',
      'TZ_REPORTS',
    ]);
  });

  it('reports rules across variables in the same round as the bad values', () => {
    const lines = errorLines({
      HTTP_PORT: '70000',
      TRADING_MODE: 'live',
      TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkll',
    });
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([
      'EXCHANGE',
      'HTTP_PORT',
      'LIVE_TRADING_ACK',
      'MEXC_API_KEY',
      'MEXC_API_SECRET',
      'TELEGRAM_OWNER_IDS',
    ]);
  });

  it('never shows secret values in error lines', () => {
    const lines = errorLines({ TRADING_MODE: 'live', MEXC_API_KEY: 'k3yXz', MEXC_API_SECRET: 's3cQw' });
    const text = lines.join('\n');
    expect(text).not.toContain('k3yXz');
    expect(text).not.toContain('s3cQw');
    expect(text).toMatch(/MEXC_API_KEY \(set\)/);
  });

  it('redacts secrets for display', () => {
    const shown = JSON.stringify(
      redactConfig(
        loadConfig({
          ...LIVE_OK,
          TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
          TELEGRAM_OWNER_IDS: '1',
        }),
      ),
    );
    expect(shown).not.toContain(LIVE_OK.MEXC_API_KEY);
    expect(shown).not.toContain(LIVE_OK.MEXC_API_SECRET);
    expect(shown).not.toContain('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(shown).toContain('[redacted]');
  });
});

describe('readEnvironment', () => {
  it('reads .env values under the process environment', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { readEnvironment } = await import('../../src/config/config.js');
    const file = join(mkdtempSync(join(tmpdir(), 'env-')), '.env');
    writeFileSync(file, '# comment\nSIM_SEED=7\nPATH=overridden-not\n');
    const env = readEnvironment(file);
    expect(env.SIM_SEED).toBe('7');
    expect(env.PATH, 'the real environment wins').toBe(process.env.PATH);
    expect(loadConfig(env).sim.seed).toBe(7);
  });
});
