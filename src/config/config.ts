/**
 * The only reader of `process.env`. Parses, validates with zod and returns a
 * frozen typed object; every bad variable yields one readable line naming it, the problem and
 * an example of a good value. Secrets are kept out of anything printable via {@link redactConfig}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { dec, type Decimal } from '../domain/money.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const idList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  )
  .pipe(z.array(z.string().regex(/^\d{1,20}$/, { message: 'each id must be a numeric Telegram user id' })))
  .transform((ids) => ids.map(Number));

const balances = z.string().transform((s, ctx) => {
  const out = new Map<string, Decimal>();
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Z0-9]{2,15})=(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not ASSET=AMOUNT` });
      return z.NEVER;
    }
    out.set(m[1]!, dec(m[2]!));
  }
  return out;
});

const port = (def: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65_535).default(def));

const url = (def: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .default(def)
      .transform((u) => u.replace(/\/+$/, '')),
  );

const optionalSecret = z.preprocess(
  emptyToUndefined,
  z.string().min(8, { message: 'looks too short' }).optional(),
);

/** A WebSocket URL (ws:// or wss://), trailing slashes removed. */
const wsUrl = (def: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^wss?$/, message: 'must be a ws:// or wss:// URL' })
      .default(def)
      .transform((u) => u.replace(/\/+$/, '')),
  );

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Example values shown in error messages, one per variable. */
const EXAMPLES: Record<string, string> = {
  EXCHANGE: 'simulator',
  MEXC_BASE_URL: 'https://api.mexc.com',
  MEXC_API_KEY: 'mx0vgl...(from MEXC API management)',
  MEXC_API_SECRET: '(the secret shown once when the key was created)',
  TRADING_MODE: 'paper',
  LIVE_TRADING_ACK: 'yes',
  PAPER_BALANCES: 'USDC=1000,USDT=500',
  TELEGRAM_BOT_TOKEN: '123456789:AA... (from @BotFather)',
  TELEGRAM_API_ROOT: 'https://api.telegram.org',
  TELEGRAM_OWNER_IDS: '123456789',
  TELEGRAM_VIEWER_IDS: '987654321,555555555',
  DATABASE_PATH: './data/autopilot.db',
  HTTP_PORT: '9464',
  LOG_LEVEL: 'info',
  LOG_DIR: './data/logs',
  TZ_REPORTS: 'Europe/Berlin',
  SIM_SPEED: '60',
  SIM_SEED: '1',
  MEXC_WEIGHT_PER_10S: '250',
  MEXC_WS_URL: 'wss://wbs-api.mexc.com/ws',
  STREAMS: 'off',
};

const envSchema = z.object({
  EXCHANGE: z.preprocess(emptyToUndefined, z.enum(['simulator', 'mexc']).default('simulator')),
  MEXC_BASE_URL: url('https://api.mexc.com'),
  MEXC_API_KEY: optionalSecret,
  MEXC_API_SECRET: optionalSecret,
  TRADING_MODE: z.preprocess(emptyToUndefined, z.enum(['paper', 'live']).default('paper')),
  LIVE_TRADING_ACK: z.preprocess(emptyToUndefined, z.string().optional()),
  PAPER_BALANCES: z.preprocess(
    emptyToUndefined,
    balances.default(
      new Map([
        ['USDC', dec(1000)],
        ['USDT', dec(500)],
      ]),
    ),
  ),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'is not a bot token (digits:letters)' })
      .optional(),
  ),
  TELEGRAM_API_ROOT: url('https://api.telegram.org'),
  TELEGRAM_OWNER_IDS: z.preprocess(emptyToUndefined, idList.default([])),
  TELEGRAM_VIEWER_IDS: z.preprocess(emptyToUndefined, idList.default([])),
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/autopilot.db')),
  HTTP_PORT: port(9464),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_DIR: z.preprocess(emptyToUndefined, z.string().default('./data/logs')),
  TZ_REPORTS: z.preprocess(
    emptyToUndefined,
    z.string().refine(validTimeZone, { message: 'is not an IANA time zone' }).default('UTC'),
  ),
  SIM_SPEED: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(10_000).default(1)),
  SIM_SEED: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  ),
  MEXC_WEIGHT_PER_10S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(500).default(250)),
  MEXC_WS_URL: wsUrl('wss://wbs-api.mexc.com/ws'),
  STREAMS: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.trim().toLowerCase()) : v),
    z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  ),
});

/** A problem that involves more than one variable, reported under `name`. */
interface CrossFieldIssue {
  readonly name: string;
  readonly message: string;
}

/**
 * Rules across variables, checked on every variable that is valid by itself, so one start-up
 * reports every problem at once (zod skips an object's refinements when a field fails).
 */
function crossFieldIssues(env: Partial<Env>): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  if (env.TRADING_MODE === 'live') {
    if (env.EXCHANGE !== undefined && env.EXCHANGE !== 'mexc')
      issues.push({
        name: 'EXCHANGE',
        message: 'must be mexc when TRADING_MODE=live (the simulator has no real money)',
      });
    if (!env.MEXC_API_KEY)
      issues.push({ name: 'MEXC_API_KEY', message: 'is required when TRADING_MODE=live' });
    if (!env.MEXC_API_SECRET)
      issues.push({ name: 'MEXC_API_SECRET', message: 'is required when TRADING_MODE=live' });
    if (env.LIVE_TRADING_ACK !== 'yes')
      issues.push({
        name: 'LIVE_TRADING_ACK',
        message: 'must be "yes" to trade real money with TRADING_MODE=live',
      });
  }
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_OWNER_IDS?.length === 0) {
    issues.push({
      name: 'TELEGRAM_OWNER_IDS',
      message: 'is required with TELEGRAM_BOT_TOKEN (who may control the bot)',
    });
  }
  const owners = env.TELEGRAM_OWNER_IDS ?? [];
  const overlap = (env.TELEGRAM_VIEWER_IDS ?? []).filter((id) => owners.includes(id));
  if (overlap.length > 0) {
    issues.push({
      name: 'TELEGRAM_VIEWER_IDS',
      message: `lists owner id(s) ${overlap.join(', ')}; an id is either owner or viewer`,
    });
  }
  return issues;
}

type Env = z.output<typeof envSchema>;

/** The process configuration read from the environment once at start, validated and frozen. */
export interface Config {
  readonly exchange: 'simulator' | 'mexc';
  readonly mexc: {
    readonly baseUrl: string;
    readonly apiKey?: string;
    readonly apiSecret?: string;
    readonly weightPer10s: number;
    /** MEXC's WebSocket endpoint (MEXC_WS_URL); the built-in simulator serves its own. */
    readonly wsUrl: string;
  };
  /** Whether market and account data stream over WebSocket (STREAMS=on) or are only polled. */
  readonly streams: boolean;
  readonly tradingMode: 'paper' | 'live';
  readonly paperBalances: ReadonlyMap<string, Decimal>;
  readonly telegram: {
    readonly token?: string;
    readonly apiRoot: string;
    readonly ownerIds: readonly number[];
    readonly viewerIds: readonly number[];
  };
  readonly databasePath: string;
  readonly httpPort: number;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly logDir: string;
  readonly tzReports: string;
  readonly sim: { readonly speed: number; readonly seed: number };
}

/** Thrown when the environment is invalid; `lines` holds one readable line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(`Invalid configuration:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The process environment over the values of a `.env` file (when present): variables set in the
 * environment win, as with most dotenv loaders.
 */
export function readEnvironment(envFile = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** Parses the environment (defaults to `.env` plus `process.env`). Throws {@link ConfigError}. */
export function loadConfig(source: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = envSchema.safeParse(source);
  // Every variable valid by itself takes part in the cross-variable rules, whatever the others.
  const valid: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(envSchema.shape)) {
    const one = (field as z.ZodType).safeParse(source[name]);
    if (one.success) valid[name] = one.data;
  }
  const byVar = new Map<string, string[]>();
  const add = (name: string, message: string) => byVar.set(name, [...(byVar.get(name) ?? []), message]);
  if (!parsed.success)
    for (const issue of parsed.error.issues) add(String(issue.path[0] ?? 'environment'), issue.message);
  for (const issue of crossFieldIssues(valid as Partial<Env>)) add(issue.name, issue.message);
  if (!parsed.success || byVar.size > 0) {
    const lines = [...byVar].map(([name, msgs]) => {
      const shown = source[name] === undefined ? 'not set' : isSecretVar(name) ? 'set' : `"${source[name]}"`;
      const exampleValue = name === 'EXCHANGE' && source.TRADING_MODE === 'live' ? 'mexc' : EXAMPLES[name];
      const example = exampleValue ? `; example: ${name}=${exampleValue}` : '';
      return `${name} (${shown}): ${msgs.join('; ')}${example}`;
    });
    throw new ConfigError(lines);
  }
  const env = parsed.data;
  return deepFreeze({
    exchange: env.EXCHANGE,
    mexc: {
      baseUrl: env.MEXC_BASE_URL,
      apiKey: env.MEXC_API_KEY,
      apiSecret: env.MEXC_API_SECRET,
      weightPer10s: env.MEXC_WEIGHT_PER_10S,
      wsUrl: env.MEXC_WS_URL,
    },
    streams: env.STREAMS === 'on',
    tradingMode: env.TRADING_MODE,
    paperBalances: env.PAPER_BALANCES,
    telegram: {
      token: env.TELEGRAM_BOT_TOKEN,
      apiRoot: env.TELEGRAM_API_ROOT,
      ownerIds: env.TELEGRAM_OWNER_IDS,
      viewerIds: env.TELEGRAM_VIEWER_IDS,
    },
    databasePath: env.DATABASE_PATH,
    httpPort: env.HTTP_PORT,
    logLevel: env.LOG_LEVEL,
    logDir: env.LOG_DIR,
    tzReports: env.TZ_REPORTS,
    sim: { speed: env.SIM_SPEED, seed: env.SIM_SEED },
  });
}

function isSecretVar(name: string): boolean {
  return name === 'MEXC_API_KEY' || name === 'MEXC_API_SECRET' || name === 'TELEGRAM_BOT_TOKEN';
}

/** The configuration with secrets replaced, safe for logs and chat. */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    exchange: config.exchange,
    mexcBaseUrl: config.mexc.baseUrl,
    mexcApiKey: config.mexc.apiKey ? '[redacted]' : undefined,
    mexcApiSecret: config.mexc.apiSecret ? '[redacted]' : undefined,
    weightPer10s: config.mexc.weightPer10s,
    mexcWsUrl: config.mexc.wsUrl,
    streams: config.streams,
    tradingMode: config.tradingMode,
    paperBalances: Object.fromEntries([...config.paperBalances].map(([k, v]) => [k, v.toFixed()])),
    telegramBotToken: config.telegram.token ? '[redacted]' : undefined,
    telegramApiRoot: config.telegram.apiRoot,
    ownerIds: config.telegram.ownerIds,
    viewerIds: config.telegram.viewerIds,
    databasePath: config.databasePath,
    httpPort: config.httpPort,
    logLevel: config.logLevel,
    tzReports: config.tzReports,
    sim: config.sim,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Map) && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
