/**
 * Long polling that survives Telegram: grammY's runner (concurrent handling, bounded, with
 * per-chat order kept by `sequentialize` in createBot) fed by our own `getUpdates` loop that
 * retries every failure with backoff for as long as the process runs. A 409 Conflict (another
 * client polling with the same token), a network failure or a Telegram outage only changes the
 * link state — logged once when it begins and once when it ends, and shown in `/healthz` — and
 * polling resumes by itself as soon as Telegram answers again. Only a 401 at start (a wrong
 * token) ends it, since no retry can fix that.
 *
 * An update is confirmed to Telegram (the `getUpdates` offset moves past it) only once its
 * handler has finished, so a process killed with updates fetched but not yet handled gets them
 * again at its next start. While a handler runs, the offset stays at its update and the
 * following polls return it again; those repeats are dropped, and polling slows to a short
 * interval instead of spinning.
 *
 * `start()` never has to be awaited by the rest of the bot: trading and reconciliation start
 * without waiting for Telegram.
 */
import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from '@grammyjs/runner';
import { GrammyError, HttpError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { botCommands } from './commandList.js';
import type { BotContext } from './context.js';

/** Where the link to Telegram stands (`/healthz` shows it; anything but `polling` is degraded). */
export type TelegramLinkState =
  | 'starting'
  | 'polling'
  /** Another client polls with the same token (a second instance, an old container, a curl). */
  | 'conflict'
  /** Network failure, timeout or a 5xx from Telegram. */
  | 'unreachable'
  /** Telegram refused the token. */
  | 'unauthorized'
  | 'stopped';

/** The link state with when it began and what caused it. */
export interface TelegramLinkStatus {
  readonly state: TelegramLinkState;
  /** Unix ms when this state began. */
  readonly since: number;
  /** The failure that caused a degraded state, in plain words. */
  readonly detail?: string;
}

/** Options of {@link TelegramTransport}. */
export interface TelegramTransportOptions {
  readonly bot: Bot<BotContext>;
  readonly logger?: Logger;
  /** Long-poll timeout in seconds (30 in production; tests use 0–1). */
  readonly pollTimeoutSec?: number;
  /** First and longest wait between failed `getUpdates` calls. Default 250 ms doubling to 5 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Updates handled at once at most (different chats; one chat is sequential). Default 20. */
  readonly concurrency?: number;
  readonly clock?: Clock;
}

const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 5_000 };

/**
 * Pause between polls while a handler holds the offset back (Telegram then answers at once with
 * the update still being handled): new updates still arrive within this time.
 */
const HELD_POLL_MS = 300;

/** Runs the bot's long polling; see the module comment. */
export class TelegramTransport {
  readonly #bot: Bot<BotContext>;
  readonly #logger: Logger;
  readonly #pollTimeoutSec: number;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #concurrency: number;
  readonly #clock: Clock;
  readonly #inFlight = new Set<Promise<unknown>>();
  #status: TelegramLinkStatus;
  #runner: RunnerHandle | undefined;
  #starting: Promise<void> | undefined;
  #stopped = new AbortController();
  /** One past the highest update id fetched so far. */
  #nextId = 0;
  /** Updates fetched whose handler has not finished: the offset may not pass the lowest. */
  readonly #unhandled = new Set<number>();
  /** Ends the held-back pause early when a handler finishes (its update can be confirmed now). */
  #wakeHeld: (() => void) | undefined;

  constructor(options: TelegramTransportOptions) {
    this.#bot = options.bot;
    this.#logger = options.logger ?? silentLogger();
    this.#pollTimeoutSec = options.pollTimeoutSec ?? 30;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#concurrency = options.concurrency ?? 20;
    this.#clock = options.clock ?? systemClock;
    this.#status = { state: 'starting', since: this.#clock.now() };
  }

  /** The current link state. */
  status(): TelegramLinkStatus {
    return this.#status;
  }

  /**
   * Learns the bot (`getMe`, retried with backoff while Telegram is unreachable), registers the
   * command list and starts polling. Resolves once polling runs; rejects only when Telegram
   * refuses the token. Callers that must not wait for Telegram do not await it.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const signal = this.#stopped.signal;
    await this.#retrying(
      signal,
      async () => {
        // Not bot.init(): it retries network failures silently, and we want to report them.
        if (!this.#bot.isInited()) this.#bot.botInfo = await this.#bot.api.getMe(asGrammySignal(signal));
      },
      true,
    );
    if (signal.aborted) return;
    try {
      await this.#bot.api.setMyCommands(botCommands(), undefined, asGrammySignal(signal));
    } catch (error) {
      // The bot still works without the command menu; say so and go on.
      this.#logger.warn({ err: error }, 'setMyCommands failed');
    }
    if (signal.aborted) return;
    const source = createSource<Update>({
      supply: (batch, s) => this.#fetch(batch, s as unknown as AbortSignal),
    });
    const sink = createConcurrentSink<Update, unknown>(
      { consume: (update) => this.#handle(update) },
      async (error) => {
        // bot.handleUpdate already passed handler errors to bot.catch; this is the last resort.
        this.#logger.error({ err: error }, 'update handling failed outside the error handler');
      },
      { concurrency: this.#concurrency },
    );
    this.#runner = createRunner(source, sink);
    this.#runner.start();
    this.#logger.info({ username: this.#bot.botInfo.username }, 'telegram bot polling');
  }

  /** Resolves once no update is being handled (tests: after Telegram saw the update fetched). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Stops polling, waits for the handlers in progress and confirms the offset to Telegram. */
  async stop(): Promise<void> {
    this.#stopped.abort();
    const runner = this.#runner;
    this.#runner = undefined;
    await this.#starting?.catch(() => undefined);
    if (runner) {
      await runner.stop()?.catch(() => undefined);
      await Promise.allSettled([...this.#inFlight]);
      // Confirm what was handled so a restart does not handle it again (as bot.stop() does).
      const offset = this.#confirmedOffset();
      if (offset > 0) {
        try {
          await this.#bot.api.getUpdates({ offset, limit: 1, timeout: 0 });
        } catch (error) {
          this.#logger.debug({ err: error }, 'could not confirm the last updates at stop');
        }
      }
    }
    this.#setStatus('stopped');
  }

  #handle(update: Update): Promise<void> {
    const task = this.#bot.handleUpdate(update);
    this.#inFlight.add(task);
    return task.finally(() => {
      this.#inFlight.delete(task);
      this.#unhandled.delete(update.update_id);
      this.#wakeHeld?.();
    });
  }

  /** The offset that confirms every handled update and none still being handled. */
  #confirmedOffset(): number {
    let lowest = this.#nextId;
    for (const id of this.#unhandled) lowest = Math.min(lowest, id);
    return lowest;
  }

  async #fetch(batchSize: number, signal: AbortSignal): Promise<Update[]> {
    let updates: Update[] | undefined;
    const offset = this.#confirmedOffset();
    await this.#retrying(signal, async () => {
      updates = await this.#bot.api.getUpdates(
        {
          offset,
          limit: Math.max(1, Math.min(batchSize, 100)),
          timeout: this.#pollTimeoutSec,
          allowed_updates: ['message', 'callback_query'],
        },
        asGrammySignal(signal),
      );
    });
    if (signal.aborted || updates === undefined) throw new Error('polling stopped');
    // Updates at or past the offset but already handed to a handler come back: drop them.
    const fresh = updates.filter((u) => u.update_id >= this.#nextId);
    for (const u of fresh) {
      this.#unhandled.add(u.update_id);
      this.#nextId = Math.max(this.#nextId, u.update_id + 1);
    }
    if (fresh.length === 0 && offset < this.#nextId) {
      const held = new AbortController();
      this.#wakeHeld = () => held.abort();
      signal.addEventListener('abort', this.#wakeHeld);
      await abortableSleep(HELD_POLL_MS, held.signal);
      signal.removeEventListener('abort', this.#wakeHeld);
      this.#wakeHeld = undefined;
    }
    return fresh;
  }

  /** Calls `fn` until it succeeds or `signal` aborts, waiting with backoff between failures. */
  async #retrying(signal: AbortSignal, fn: () => Promise<void>, fatalUnauthorized = false): Promise<void> {
    let waitMs = this.#backoff.initialMs;
    for (;;) {
      if (signal.aborted) return;
      try {
        await fn();
        this.#setStatus('polling');
        return;
      } catch (error) {
        if (signal.aborted) return;
        const failure = classify(error);
        if (failure.state === 'unauthorized' && fatalUnauthorized) {
          this.#setStatus('unauthorized', failure.detail, error);
          throw error instanceof Error ? error : new Error(String(error));
        }
        this.#setStatus(failure.state, failure.detail, error);
        const retryAfterMs = failure.retryAfterSec === undefined ? 0 : failure.retryAfterSec * 1000;
        await abortableSleep(Math.max(waitMs, retryAfterMs), signal);
        waitMs = Math.min(this.#backoff.maxMs, waitMs * 2);
      }
    }
  }

  #setStatus(state: TelegramLinkState, detail?: string, error?: unknown): void {
    const previous = this.#status;
    if (previous.state === state) return;
    const now = this.#clock.now();
    this.#status = { state, since: now, ...(detail ? { detail } : {}) };
    // Logged once per episode: when the state changes, not on every retry.
    if (state === 'conflict') {
      this.#logger.warn(
        { err: error },
        'telegram: another client is polling with this bot token (a second instance?); retrying until it stops',
      );
    } else if (state === 'unreachable') {
      this.#logger.warn({ err: error }, 'telegram unreachable; retrying with backoff');
    } else if (state === 'unauthorized') {
      this.#logger.error({ err: error }, 'telegram refused the bot token: check TELEGRAM_BOT_TOKEN');
    } else if (state === 'polling' && previous.state !== 'starting') {
      this.#logger.info(
        { after: previous.state, degradedForMs: now - previous.since },
        'telegram polling again',
      );
    }
  }
}

function classify(error: unknown): {
  state: 'conflict' | 'unreachable' | 'unauthorized';
  detail: string;
  retryAfterSec?: number;
} {
  if (error instanceof GrammyError) {
    if (error.error_code === 409) return { state: 'conflict', detail: `409 ${error.description}` };
    if (error.error_code === 401) {
      return {
        state: 'unauthorized',
        detail: `401 ${error.description}: Telegram refused TELEGRAM_BOT_TOKEN; chat is off until it is fixed and the bot restarted`,
      };
    }
    return {
      state: 'unreachable',
      detail: `${error.error_code} ${error.description}`,
      retryAfterSec: error.parameters.retry_after,
    };
  }
  // An HttpError's message quotes the request URL, and so the token: only its error code is kept.
  if (error instanceof HttpError) {
    const code = (error.error as { code?: unknown } | undefined)?.code;
    return { state: 'unreachable', detail: `network error${typeof code === 'string' ? ` (${code})` : ''}` };
  }
  return { state: 'unreachable', detail: 'request failed' };
}

/** grammY types its signal with an older AbortSignal shim; at run time both are Node's. */
type GrammySignal = Parameters<Bot['api']['getMe']>[0];
function asGrammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
