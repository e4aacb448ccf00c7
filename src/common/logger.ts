/**
 * pino logging: stdout plus a daily/size-rotated NDJSON file under the log directory, with
 * secrets redacted on every path a key, secret, signature or token could travel: the known
 * field paths below, and then every finished line through the {@link SecretRedactor} (nested
 * errors, URLs, stack traces), before it reaches any stream.
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { SecretRedactor } from './redact.js';

const require = createRequire(import.meta.url);

/** pino-roll's stream factory (the package ships no types): a rotating file stream, in-process. */
const pinoRoll = require('pino-roll') as (options: {
  readonly file: string;
  readonly extension: string;
  readonly frequency: string;
  readonly size: string;
  readonly limit: { readonly count: number };
  readonly mkdir: boolean;
}) => Promise<NodeJS.WritableStream>;

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

/**
 * The process logger: stdout plus rotated files, with secrets redacted. Everything is written
 * in-process (pino's multistream): no transport worker thread, which would cost its own V8 heap
 * for a few lines a second. The rotating file stream opens asynchronously; lines logged before
 * it is open wait in a buffer and are written then.
 */
export function createLogger(options: LoggerOptions): Logger {
  const streams: pino.StreamEntry[] = [
    {
      level: (options.stdoutLevel ?? options.level) as pino.Level,
      stream: options.pretty
        ? // Loaded only for the console chat: JSON needs no formatter.
          (require('pino-pretty') as (o: PrettyOptions) => NodeJS.WritableStream)({
            destination: 2,
            colorize: true,
            translateTime: 'SYS:HH:MM:ss',
            ignore: 'pid,hostname',
          })
        : pino.destination({ dest: 2, sync: false }),
    },
  ];
  if (options.dir) {
    const pending = new PassThrough();
    streams.push({ level: options.level as pino.Level, stream: pending });
    pinoRoll({
      file: `${options.dir}/autopilot`,
      extension: '.log',
      frequency: 'daily',
      size: '10m',
      limit: { count: 7 },
      mkdir: true,
    }).then(
      (file) => pending.pipe(file),
      (error: unknown) => {
        process.stderr.write(
          `log file under ${options.dir} not opened; logging to stderr only: ${String(error)}\n`,
        );
        pending.resume();
      },
    );
  }
  const redactor = options.redactor ?? new SecretRedactor();
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line) => redactor.redact(line) },
    },
    pino.multistream(streams),
  );
}

/** A silent logger for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
