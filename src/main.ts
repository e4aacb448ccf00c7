/**
 * Entry point: configuration → logging → the runtime (src/runtime/createRuntime.ts wires every
 * module), started, and stopped in reverse order on SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig, redactConfig, type Config } from './config/config.js';
import { createRuntime } from './runtime/createRuntime.js';
import { createLogger } from './common/logger.js';
import { SecretRedactor } from './common/redact.js';

/** Every line this process writes about itself passes through it (the logger's included). */
const redactor = new SecretRedactor();

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\nFix these in .env or the environment (see .env.example) and start again.\n`,
      );
      process.exit(2);
    }
    throw error;
  }
}

function describeStart(config: Config): string {
  const market =
    config.exchange === 'simulator'
      ? 'the built-in simulated MEXC market (no internet needed)'
      : `MEXC at ${config.mexc.baseUrl}`;
  const trading =
    config.tradingMode === 'paper'
      ? 'paper trading (orders and balances are simulated locally; no real money moves)'
      : 'LIVE trading with real money';
  const chat = config.telegram.token
    ? 'Telegram (only the owner ids you configured can use it)'
    : 'this terminal (type /help; no Telegram token is set)';
  return (
    `Autopilot is running on ${market}, in ${trading}. ` +
    `Talk to it in ${chat}. Data lives in ${config.databasePath}, logs in ${config.logDir}. Stop with Ctrl-C.`
  );
}

async function main(): Promise<void> {
  const config = readConfig();
  const consoleChat = !config.telegram.token;
  redactor.add(config.telegram.token, config.mexc.apiKey, config.mexc.apiSecret);
  const logger = createLogger({
    redactor,
    level: config.logLevel,
    dir: config.logDir,
    pretty: consoleChat,
    stdoutLevel: consoleChat ? 'warn' : undefined,
  });
  logger.info({ config: redactConfig(config) }, 'starting');

  // The simulator of a zero-config start and the chart drawing run in child processes: the
  // market's rings and vega's and resvg's memory are not the bot's.
  const runtime = await createRuntime({
    config,
    logger,
    redactor,
    simulator: { placement: 'child-process' },
    charts: 'child-process',
  });
  const closers: Array<{ name: string; close: () => Promise<void> | void }> = [];
  closers.push({ name: 'runtime', close: () => runtime.stop() });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    for (const closer of closers.reverse()) {
      try {
        await closer.close();
      } catch (error) {
        logger.error({ err: error, closer: closer.name }, 'error while stopping');
      }
    }
    logger.info('stopped');
    logger.flush();
    process.stdout.write('Autopilot stopped.\n');
    // The log streams write asynchronously; give them a moment to flush before exiting.
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const { healthPort, reconciled } = await runtime.start();
  process.stdout.write(`${describeStart(config)}\n`);
  if (healthPort) logger.info({ port: healthPort }, 'health and metrics on 127.0.0.1');
  if (!reconciled) logger.warn('start-up reconciliation did not finish; strategies wait for the next one');
  // Keep the process alive until a signal arrives.
  const keepAlive = setInterval(() => {}, 1 << 30);
  closers.unshift({ name: 'keep-alive', close: () => clearInterval(keepAlive) });
}

main().catch((error: unknown) => {
  process.stderr.write(
    redactor.redact(`Autopilot failed to start: ${error instanceof Error ? error.message : String(error)}\n`),
  );
  process.exit(1);
});
