/**
 * The whole chat side in one object for src/main.ts: with a bot token, the Telegram bot
 * (polling) plus the outbox sender to every owner chat; without one, the console chat on
 * stdin/stdout with notifications printed. Both share the notifier on the event bus.
 *
 * Telegram is never waited for: polling starts in the background and survives conflicts and
 * outages (see TelegramTransport).
 *
 * Shutdown order in `stop()`: stop turning events into messages, stop taking updates (grammY
 * confirms the offset), then let the sender finish the message in flight.
 */
import type { Readable, Writable } from 'node:stream';
import { Api } from 'grammy';
import type { AppApi } from '../app/AppApi.js';
import type { EventBus } from '../domain/events.js';
import type { SymbolPrecision } from '../domain/market.js';
import type { Config } from '../config/config.js';
import { Notifier } from '../notify/Notifier.js';
import { Outbox } from '../notify/Outbox.js';
import { OutboxSender } from '../notify/OutboxSender.js';
import { telegramSend } from '../telegram/telegramSend.js';
import type { Db } from '../persistence/db.js';
import type { SettingsStore } from '../settings/SettingsStore.js';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { ConsoleChat } from '../telegram/console/ConsoleChat.js';
import { createBot } from '../telegram/createBot.js';
import { TelegramTransport, type TelegramLinkStatus } from '../telegram/TelegramTransport.js';

/** What the chat is built from: configuration, use cases, database, settings, event bus and streams. */
export interface ChatInterfaceOptions {
  readonly config: Pick<Config, 'telegram' | 'tzReports'>;
  /** The use cases (an AppService). */
  readonly app: AppApi;
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly bus: EventBus;
  readonly logger?: Logger;
  /** Time of records and notifications (the simulated clock in simulator mode). */
  readonly clock?: Clock;
  /** The exchange's tick and step of a symbol, for the numbers of notifications. */
  readonly precisionOf: (symbol: string) => SymbolPrecision | undefined;
  /**
   * What the outbox sender paces by: the per-chat interval, `429 retry_after` and backoff.
   * Default the system clock, whatever `clock` is: Telegram's limits are in real seconds, and a
   * simulated clock running SIM_SPEED times faster would send that many times too fast and
   * retry refused messages too early.
   */
  readonly senderClock?: Clock;
  /** Console mode streams (default process.stdin / process.stdout). */
  readonly input?: Readable;
  readonly output?: Writable;
}

/** The running chat (Telegram or console) with its outbox and notifier, plus start and stop. */
export interface ChatInterface {
  readonly mode: 'telegram' | 'console';
  readonly outbox: Outbox;
  readonly notifier: Notifier;
  /** Present in console mode. */
  readonly console?: ConsoleChat;
  /** The link to Telegram (for `/healthz`); undefined in console mode. */
  telegramStatus(): TelegramLinkStatus | undefined;
  /**
   * Starts the chat. Telegram polling starts in the background: this never waits for Telegram,
   * so an outage cannot delay trading; the transport retries and reports its state.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the Telegram chat when a token is set, otherwise the console chat, with notifications wired to the
 * bus.
 */
export function createChatInterface(options: ChatInterfaceOptions): ChatInterface {
  const { config, app, db, settings, bus } = options;
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  const senderClock = options.senderClock ?? systemClock;
  const outbox = new Outbox(db, clock);
  const token = config.telegram.token;

  let transport: TelegramTransport | undefined;
  let consoleChat: ConsoleChat | undefined;
  let chatIds: readonly (number | string)[];
  let sender: OutboxSender;
  if (token) {
    const bot = createBot({
      token,
      apiRoot: config.telegram.apiRoot,
      ownerIds: config.telegram.ownerIds,
      viewerIds: config.telegram.viewerIds,
      app,
      db,
      logger,
      clock,
      timeZone: config.tzReports,
    });
    transport = new TelegramTransport({ bot, logger });
    chatIds = config.telegram.ownerIds;
    // Its own Api without auto-retry: the sender persists retry times instead of blocking.
    const api = new Api(token, { apiRoot: config.telegram.apiRoot });
    sender = new OutboxSender({ outbox, send: telegramSend(api), clock: senderClock, logger });
  } else {
    consoleChat = new ConsoleChat({
      app,
      db,
      input: options.input ?? process.stdin,
      output: options.output ?? process.stdout,
      clock,
      logger,
      timeZone: config.tzReports,
      userId: config.telegram.ownerIds[0] ?? 1,
    });
    chatIds = [consoleChat.chatId];
    sender = new OutboxSender({
      outbox,
      send: consoleChat.send,
      clock: senderClock,
      logger,
      perChatIntervalMs: 0,
    });
  }
  const notifier = new Notifier({
    outbox,
    db,
    settings,
    chatIds,
    clock,
    timeZone: config.tzReports,
    logger,
    precisionOf: options.precisionOf,
  });
  let detach: (() => void) | undefined;

  return {
    mode: token ? 'telegram' : 'console',
    outbox,
    notifier,
    console: consoleChat,
    telegramStatus: () => transport?.status(),
    async start() {
      detach = notifier.attach(bus);
      notifier.start();
      sender.start();
      // A refused token was logged by the transport and stays visible in /healthz.
      if (transport) transport.start().catch(() => undefined);
      else consoleChat!.start();
    },
    async stop() {
      detach?.();
      await notifier.stop();
      if (transport) await transport.stop();
      else await consoleChat!.stop();
      await sender.stop();
    },
  };
}
