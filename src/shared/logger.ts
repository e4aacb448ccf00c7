/**
 * pino logging: stdout plus a daily/size-rotated NDJSON file under the log directory, with
 * secrets redacted on every path a key, secret, signature or token could travel: the known
 * field paths below, and then every finished line through the {@link SecretRedactor} (nested
 * errors, URLs, stack traces), before it reaches any transport.
 */
import pino, { type Logger } from 'pino';
import { SecretRedactor } from './redact.js';

export type { Logger };

/** Log fields that may carry secrets and are always replaced before writing. */
export const REDACT_PATHS = [
  'apiKey',
  'apiSecret',
  'secret',
  'token',
  'signature',
  '*.apiKey',
  '*.apiSecret',
  '*.secret',
  '*.token',
  '*.signature',
  'headers["X-MEXC-APIKEY"]',
  '*.headers["X-MEXC-APIKEY"]',
  'config.mexc.apiKey',
  'config.mexc.apiSecret',
  'config.telegram.token',
];

/** Level, file directory and output format of the process logger. */
export interface LoggerOptions {
  readonly level: string;
  /** Directory for rotated files; omitted in tests. */
  readonly dir?: string;
  /** Pretty stdout for humans (the console chat); JSON otherwise. */
  readonly pretty?: boolean;
  /** A higher level for stdout than for the file, so the console chat is not drowned in logs. */
  readonly stdoutLevel?: string;
  /** Removes secrets from every line; secrets added to it later are removed from then on. */
  readonly redactor?: SecretRedactor;
}

/** The process logger: stdout plus rotated files, with secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const targets: pino.TransportTargetOptions[] = [];
  if (options.pretty) {
    targets.push({
      target: 'pino-pretty',
      level: options.stdoutLevel ?? options.level,
      options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
    });
  } else {
    targets.push({
      target: 'pino/file',
      level: options.stdoutLevel ?? options.level,
      options: { destination: 2 },
    });
  }
  if (options.dir) {
    targets.push({
      target: 'pino-roll',
      level: options.level,
      options: {
        file: `${options.dir}/autopilot`,
        extension: '.log',
        frequency: 'daily',
        size: '10m',
        limit: { count: 7 },
        mkdir: true,
      },
    });
  }
  const redactor = options.redactor ?? new SecretRedactor();
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line) => redactor.redact(line) },
    },
    pino.transport({ targets }),
  );
}

/** A silent logger for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
