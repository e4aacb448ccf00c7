/**
 * A fake Telegram Bot API server on 127.0.0.1 (node:http, port 0) for integration tests and
 * benchmarks. Point a bot at it with `new Bot(token, { client: { apiRoot: server.apiRoot } })`.
 *
 * It enforces Telegram's limits: message text ≤ 4 096 visible characters, captions ≤ 1 024,
 * callback_data ≤ 64 bytes, callback answers ≤ 200 characters and only once per query, valid
 * HTML parse mode (400 "can't parse entities"), "message is not modified" on identical edits,
 * 401 for a wrong token, 404 for unknown methods. It serves `getUpdates` from a queue with
 * offsets, answers 429 with `parameters.retry_after` on demand (and optionally per chat when a
 * chat is sent to faster than a minimum interval), and records every call.
 *
 * It fails as Telegram does: a `getUpdates` arriving while another one is held open ends the held
 * one with 409 Conflict ("terminated by other getUpdates request"), so a second poller with the
 * same token is a real conflict; {@link FakeBotApi.goDown} resets every connection (methods
 * chosen or all) until {@link FakeBotApi.comeBack}; {@link FakeBotApi.delay} holds answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { parseTelegramHtml } from './telegramHtml.js';

export interface RecordedCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
  readonly at: number;
  readonly ok: boolean;
  readonly errorCode?: number;
  readonly description?: string;
}

export interface FakeBotApiOptions {
  readonly token?: string;
  /** How long an empty `getUpdates` is held open at most (ms). Default 100. */
  readonly pollHoldMs?: number;
  /** When set, a send to a chat sooner than this after the previous one gets a 429. */
  readonly perChatMinIntervalMs?: number;
}

export const FAKE_BOT_INFO = {
  id: 4242,
  is_bot: true as const,
  first_name: 'Autopilot',
  username: 'autopilot_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

const SEND_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'editMessageText',
  'editMessageReplyMarkup',
  'editMessageCaption',
]);

class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

export class FakeBotApi {
  readonly token: string;
  readonly calls: RecordedCall[] = [];
  #server: Server | undefined;
  #port = 0;
  readonly #pollHoldMs: number;
  readonly #perChatMinIntervalMs: number | undefined;
  readonly #updates: Update[] = [];
  #nextUpdateId = 1;
  #nextMessageId = 1000;
  #pollWaiters: (() => void)[] = [];
  #confirmedBelow = 0;
  #handledWaiters: { id: number; resolve: () => void }[] = [];
  #callWaiters: { method: string; n: number; resolve: () => void }[] = [];
  readonly #callCounts = new Map<string, number>();
  readonly #callListeners = new Set<(call: RecordedCall) => void>();
  readonly #failures = new Map<
    string,
    { count: number; retryAfter: number; code: number; description?: string }
  >();
  readonly #messages = new Map<string, { text: string; markup: string }>();
  readonly #answered = new Set<string>();
  readonly #lastSendAt = new Map<string, number>();
  /** The held getUpdates, ended with 409 when another one arrives. */
  #heldPoll: (() => void) | undefined;
  #down: ReadonlySet<string> | 'all' | undefined;
  #delayMs = 0;
  /** Requests refused with a reset connection while down, per method. */
  readonly resets = new Map<string, number>();

  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? '123456:TEST-token-for-the-fake-bot-api';
    this.#pollHoldMs = options.pollHoldMs ?? 100;
    this.#perChatMinIntervalMs = options.perChatMinIntervalMs;
  }

  /** The Bot API root to give grammY (`client.apiRoot`). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.#pollWaiters.splice(0)) w();
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#server = undefined;
  }

  /** Queues an update for `getUpdates` (its update_id is assigned here) and returns it. */
  pushUpdate(update: Omit<Update, 'update_id'>): Update {
    const full = { ...update, update_id: this.#nextUpdateId++ } as Update;
    this.#updates.push(full);
    for (const w of this.#pollWaiters.splice(0)) w();
    return full;
  }

  /** Answers the next `count` calls of `method` with an error (429 with retry_after by default). */
  failNext(
    method: string,
    count: number,
    options: { retryAfter?: number; code?: number; description?: string } = {},
  ): void {
    this.#failures.set(method, {
      count,
      retryAfter: options.retryAfter ?? 1,
      code: options.code ?? 429,
      description: options.description,
    });
  }

  /**
   * Resets the connection of every request (or of the methods named) until {@link comeBack}, as a
   * Telegram outage or a broken network does: the client sees ECONNRESET / socket hang up.
   */
  goDown(methods?: readonly string[]): void {
    this.#down = methods ? new Set(methods) : 'all';
  }

  /** Ends {@link goDown}. */
  comeBack(): void {
    this.#down = undefined;
  }

  /** Holds every answer for `ms` before sending it (0 ends it). */
  delay(ms: number): void {
    this.#delayMs = ms;
  }

  /**
   * Polls `getUpdates` with this bot's token from a second client, as a second instance or a
   * curl would, until the returned function is called; updates it receives are not confirmed.
   */
  foreignPoller(timeoutSec = 30): () => Promise<void> {
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          await fetch(`${this.apiRoot}/bot${this.token}/getUpdates?timeout=${timeoutSec}`);
        } catch {
          // a closed server ends the loop below
          if (!this.#server) return;
        }
      }
    })();
    return async () => {
      running = false;
      this.#heldPoll?.();
      await loop;
    };
  }

  /** Resolves when the n-th (1-based, counted from the start) call of `method` has been answered. */
  waitForCall(method: string, n = 1, timeoutMs = 5000): Promise<RecordedCall> {
    const done = () => this.calls.filter((c) => c.method === method)[n - 1];
    const found = done();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = this.calls.filter((c) => c.method === method).length;
        reject(new Error(`timed out waiting for call #${n} of ${method} (saw ${seen})`));
      }, timeoutMs);
      this.#callWaiters.push({
        method,
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve(done()!);
        },
      });
    });
  }

  /**
   * Resolves once the bot has confirmed `updateId` (asked for updates past it), which grammY's
   * sequential polling does only after its handler finished.
   */
  waitForHandled(updateId: number, timeoutMs = 5000): Promise<void> {
    if (updateId < this.#confirmedBelow) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`update ${updateId} not handled in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#handledWaiters.push({
        id: updateId,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /**
   * Calls `listener` synchronously for every call as it is answered (benchmarks time replies
   * with it). Returns the function that stops listening.
   */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.#callListeners.add(listener);
    return () => this.#callListeners.delete(listener);
  }

  /** Calls addressed to a chat (any method with that chat_id). */
  callsTo(chatId: number | string): RecordedCall[] {
    return this.calls.filter((c) => String(c.payload.chat_id) === String(chatId));
  }

  /** Successful calls of a method. */
  sent(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): number {
    return this.#updates.length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const body = await readBody(req);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m as unknown as [string, string, string];
    if (this.#down === 'all' || this.#down?.has(method)) {
      this.resets.set(method, (this.resets.get(method) ?? 0) + 1);
      req.socket.destroy();
      return;
    }
    if (this.#delayMs > 0) await new Promise((r) => setTimeout(r, this.#delayMs));
    let payload: Record<string, unknown>;
    try {
      payload = {
        ...Object.fromEntries(url.searchParams),
        ...parsePayload(req.headers['content-type'] ?? '', body),
      };
    } catch {
      return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid body' });
    }
    if (token !== this.token) {
      return this.#reply(res, method, payload, new ApiFailure(401, 'Unauthorized'));
    }
    if (method === 'getUpdates') return this.#getUpdates(res, payload);
    try {
      const result = this.#call(method, payload);
      this.#reply(res, method, payload, undefined, result);
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : new ApiFailure(500, `Internal: ${String(error)}`);
      this.#reply(res, method, payload, failure);
    }
  }

  #reply(
    res: ServerResponse,
    method: string,
    payload: Record<string, unknown>,
    failure?: ApiFailure,
    result?: unknown,
  ): void {
    const call: RecordedCall = {
      method,
      payload,
      at: Date.now(),
      ok: !failure,
      errorCode: failure?.code,
      description: failure?.description,
    };
    this.calls.push(call);
    if (failure) {
      send(res, failure.code, {
        ok: false,
        error_code: failure.code,
        description: failure.description,
        ...(failure.parameters ? { parameters: failure.parameters } : {}),
      });
    } else send(res, 200, { ok: true, result });
    // A running count per method: filtering every recorded call here would make a long
    // benchmark quadratic.
    const count = (this.#callCounts.get(method) ?? 0) + 1;
    this.#callCounts.set(method, count);
    for (const listener of this.#callListeners) listener(call);
    for (const w of [...this.#callWaiters]) {
      if (w.method === method && w.n <= count) {
        this.#callWaiters.splice(this.#callWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  async #getUpdates(res: ServerResponse, payload: Record<string, unknown>): Promise<void> {
    const offset = Number(payload.offset ?? 0);
    const limit = Math.min(100, Number(payload.limit ?? 100));
    // Telegram forgets every update below the offset: that is how it learns what was handled.
    while (this.#updates.length > 0 && this.#updates[0]!.update_id < offset) this.#updates.shift();
    if (offset > this.#confirmedBelow) {
      this.#confirmedBelow = offset;
      for (const w of [...this.#handledWaiters]) {
        if (w.id < offset) {
          this.#handledWaiters.splice(this.#handledWaiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
    // Telegram allows one getUpdates at a time per token: a new one ends the one held open.
    this.#heldPoll?.();
    const timeoutMs = Math.min(Number(payload.timeout ?? 0) * 1000, this.#pollHoldMs);
    let conflict = false;
    if (this.#updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const end = () => {
          clearTimeout(timer);
          if (this.#heldPoll === terminate) this.#heldPoll = undefined;
          resolve();
        };
        const terminate = () => {
          conflict = true;
          end();
        };
        const timer = setTimeout(end, timeoutMs);
        this.#heldPoll = terminate;
        this.#pollWaiters.push(end);
      });
    }
    if (res.destroyed || res.writableEnded) return;
    if (conflict) {
      return this.#reply(
        res,
        'getUpdates',
        payload,
        new ApiFailure(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    const batch = this.#updates.slice(0, limit);
    this.#reply(res, 'getUpdates', payload, undefined, batch);
  }

  #call(method: string, p: Record<string, unknown>): unknown {
    const failure = this.#failures.get(method);
    if (failure && failure.count > 0) {
      failure.count--;
      throw failure.code === 429
        ? new ApiFailure(429, `Too Many Requests: retry after ${failure.retryAfter}`, {
            retry_after: failure.retryAfter,
          })
        : new ApiFailure(failure.code, failure.description ?? `Error ${failure.code}`);
    }
    const chat = String(p.chat_id ?? '');
    if (this.#perChatMinIntervalMs !== undefined && (method === 'sendMessage' || method === 'sendPhoto')) {
      const last = this.#lastSendAt.get(chat);
      const now = Date.now();
      if (last !== undefined && now - last < this.#perChatMinIntervalMs) {
        throw new ApiFailure(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
      }
      this.#lastSendAt.set(chat, now);
    }
    if (SEND_METHODS.has(method)) checkMarkup(p.reply_markup);
    switch (method) {
      case 'getMe':
        return FAKE_BOT_INFO;
      case 'deleteWebhook':
      case 'setMyCommands':
      case 'deleteMessage':
      case 'sendChatAction':
        if (method === 'setMyCommands') checkCommands(p.commands);
        return true;
      case 'sendMessage': {
        const text = checkText(p.text, p.parse_mode, 4096, 'message text');
        return this.#newMessage(chat, text, p.reply_markup);
      }
      case 'sendPhoto': {
        const caption =
          p.caption === undefined ? '' : checkText(p.caption, p.parse_mode, 1024, 'caption', true);
        if (!p.photo) throw new ApiFailure(400, 'Bad Request: there is no photo in the request');
        return {
          ...this.#newMessage(chat, caption, p.reply_markup),
          photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }],
        };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const key = `${chat}:${String(p.message_id)}`;
        const known = this.#messages.get(key);
        const text =
          method === 'editMessageText'
            ? checkText(p.text, p.parse_mode, 4096, 'message text')
            : (known?.text ?? '');
        const markup = JSON.stringify(p.reply_markup ?? null);
        if (known && known.text === text && known.markup === markup) {
          throw new ApiFailure(
            400,
            'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          );
        }
        this.#messages.set(key, { text, markup });
        return {
          message_id: Number(p.message_id),
          date: nowSec(),
          chat: { id: Number(chat), type: 'private' },
          text,
        };
      }
      case 'answerCallbackQuery': {
        const id = String(p.callback_query_id ?? '');
        if (this.#answered.has(id)) {
          throw new ApiFailure(
            400,
            'Bad Request: query is too old and response timeout expired or query ID is invalid',
          );
        }
        this.#answered.add(id);
        if (typeof p.text === 'string' && p.text.length > 200)
          throw new ApiFailure(400, 'Bad Request: MESSAGE_TOO_LONG');
        return true;
      }
      default:
        throw new ApiFailure(404, 'Not Found: method not found');
    }
  }

  #newMessage(chat: string, text: string, markup: unknown) {
    const message_id = this.#nextMessageId++;
    this.#messages.set(`${chat}:${message_id}`, { text, markup: JSON.stringify(markup ?? null) });
    return {
      message_id,
      date: nowSec(),
      chat: { id: Number(chat), type: 'private' },
      from: FAKE_BOT_INFO,
      text,
    };
  }
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function checkText(
  value: unknown,
  parseMode: unknown,
  max: number,
  what: string,
  allowEmpty = false,
): string {
  const raw = typeof value === 'string' ? value : '';
  let visible = raw;
  if (parseMode === 'HTML') {
    const parsed = parseTelegramHtml(raw);
    if (!parsed.ok) throw new ApiFailure(400, `Bad Request: can't parse entities: ${parsed.error}`);
    visible = parsed.text;
  } else if (parseMode !== undefined) {
    throw new ApiFailure(400, `Bad Request: unsupported parse_mode ${String(parseMode)}`);
  }
  if (!allowEmpty && visible.trim() === '') throw new ApiFailure(400, `Bad Request: ${what} is empty`);
  if (visible.length > max) throw new ApiFailure(400, `Bad Request: ${what} is too long`);
  return raw;
}

function checkMarkup(markup: unknown): void {
  if (markup === undefined) return;
  const m = (typeof markup === 'string' ? JSON.parse(markup) : markup) as { inline_keyboard?: unknown };
  if (!Array.isArray(m.inline_keyboard)) return;
  for (const row of m.inline_keyboard as unknown[]) {
    if (!Array.isArray(row)) throw new ApiFailure(400, 'Bad Request: inline keyboard row must be an array');
    for (const button of row as { text?: unknown; callback_data?: unknown }[]) {
      if (typeof button.text !== 'string' || button.text === '')
        throw new ApiFailure(400, 'Bad Request: button text is empty');
      if (button.callback_data !== undefined) {
        if (
          typeof button.callback_data !== 'string' ||
          Buffer.byteLength(button.callback_data) > 64 ||
          button.callback_data === ''
        ) {
          throw new ApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
        }
      }
    }
  }
}

function checkCommands(commands: unknown): void {
  const list = (typeof commands === 'string' ? JSON.parse(commands) : commands) as {
    command: string;
    description: string;
  }[];
  if (!Array.isArray(list) || list.length > 100) throw new ApiFailure(400, 'Bad Request: commands invalid');
  for (const c of list) {
    if (!/^[a-z0-9_]{1,32}$/.test(c.command) || !c.description || c.description.length > 256) {
      throw new ApiFailure(400, `Bad Request: BOT_COMMAND_INVALID (${c.command})`);
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, form-encoded or multipart (files become `{ filename, bytes }`). */
function parsePayload(contentType: string, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  if (contentType.includes('application/json'))
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error('unknown body');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const out: Record<string, unknown> = {};
  const raw = new Map<string, { filename?: string; content: Buffer }>();
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /name="?([^";\r\n]+)"?/.exec(headers)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/.exec(headers)?.[1];
    if (name) raw.set(name, { filename, content: part.subarray(headerEnd + 4) });
    start = next;
  }
  // grammY sends a file as `photo: "attach://<id>"` plus a part named <id>.
  const attached = new Set<string>();
  for (const [name, part] of raw) {
    const text = part.content.toString('utf8');
    if (text.startsWith('attach://')) {
      const file = raw.get(text.slice(9));
      attached.add(text.slice(9));
      out[name] = { filename: file?.filename ?? '', bytes: file?.content.length ?? 0 };
    } else if (part.filename !== undefined) {
      out[name] = { filename: part.filename, bytes: part.content.length };
    } else {
      try {
        out[name] = /^[[{]/.test(text) ? JSON.parse(text) : text;
      } catch {
        out[name] = text;
      }
    }
  }
  for (const name of attached) delete out[name];
  return out;
}
