/**
 * Measures `/whatif` on a bot with a week of history: the whole runtime on the built-in simulator
 * (the runtime harness: manual clock, paper trading, a database file), whose candle store is
 * filled with eight simulated days of candles through the market — one-minute candles of the core
 * markets, fifteen-minute candles of every symbol — as a bot that has run for a week keeps them.
 * Then the real grammY bot over the runtime's use cases talks to the fake Bot API: the owner sends
 * `/whatif <key> <value>` and, while the replay runs in its child process, `/status` in the same chat
 * every {@link STATUS_EVERY_MS}. Used by the what-if load test and `npm run bench whatif`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandleRepository } from '../../src/persistence/CandleRepository.js';
import { backfillCandles } from '../../src/replay/candleBackfill.js';
import { createBot } from '../../src/telegram/createBot.js';
import { TelegramTransport } from '../../src/telegram/TelegramTransport.js';
import { FakeBotApi, type RecordedCall } from './fakeBotApi.js';
import { DAY, HOUR, startRuntimeHarness } from './runtimeHarness.js';
import { textUpdate } from './updates.js';

/** How often `/status` is asked while the replay runs. */
export const STATUS_EVERY_MS = 250;
/** The what-if should answer within this (the target for seven days on this machine; the bench checks it). */
export const WHATIF_LIMIT_MS = 15_000;
/** Longer than this, the measurement gives up (an engine far off its target, or a stuck replay). */
const GIVE_UP_MS = 240_000;
/** Every `/status` during the replay must answer within this. */
export const STATUS_LIMIT_MS = 1_000;

const OWNER = 4242;
/** The simulator keeps 25 hours of one-minute candles: record in steps shorter than that. */
const RECORD_STEP = 20 * HOUR;
const CORE_SYMBOLS = ['BTCUSDC', 'ETHUSDC', 'BTCUSDT', 'ETHUSDT', 'USDCUSDT'];

/** What one measured `/whatif` took, and `/status` meanwhile. */
export interface WhatIfLoadFigures {
  readonly days: number;
  /** Wall time to record the week of candles (set-up, not part of the what-if). */
  readonly recordMs: number;
  /** From the `/whatif` update to the progress message. */
  readonly firstReplyMs: number;
  /** From the `/whatif` update to the edit with both columns. */
  readonly answerMs: number;
  readonly progressEdits: number;
  readonly statusCount: number;
  readonly statusP50Ms: number;
  readonly statusP95Ms: number;
  readonly statusMaxMs: number;
  /** The answer's text (both columns), for the test to check. */
  readonly answer: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs the measurement once; see the module comment. */
export async function measureWhatIfUnderLoad(
  options: {
    readonly key?: string;
    readonly value?: string;
    readonly days?: number;
    /** Altcoins in the simulator, all of them in the scanner's universe (default 40). */
    readonly altcoins?: number;
  } = {},
): Promise<WhatIfLoadFigures> {
  const key = options.key ?? 'scanner.minScore';
  const value = options.value ?? '70';
  const days = options.days ?? 7;
  const dir = mkdtempSync(join(tmpdir(), 'autopilot-whatif-'));
  const h = await startRuntimeHarness({
    databasePath: join(dir, 'autopilot.db'),
    // Nothing trades while the history is recorded: only the candles matter here.
    only: [],
    altcoins: options.altcoins ?? 40,
  });
  const api = await new FakeBotApi().start();
  let transport: TelegramTransport | undefined;
  try {
    const t0 = Date.now();
    const start = h.now();
    const store = new CandleRepository(h.runtime.db);
    const symbols = [...(await h.runtime.exchange.getRules()).keys()].sort();
    // One more day than replayed: the scanner's indicators warm up on the day before the span.
    for (let from = start; from < start + (days + 1) * DAY; from += RECORD_STEP) {
      await h.advance(RECORD_STEP, RECORD_STEP);
      const to = h.now();
      await backfillCandles({
        store,
        source: h.runtime.market,
        request: { symbols: CORE_SYMBOLS, interval: '1m', from, to, now: to },
      });
      await backfillCandles({
        store,
        source: h.runtime.market,
        request: { symbols, interval: '15m', from, to, now: to },
      });
    }
    const recordMs = Date.now() - t0;
    h.set('scanner.enabled', 'on');

    const bot = createBot({
      token: api.token,
      apiRoot: api.apiRoot,
      ownerIds: [OWNER],
      app: h.runtime.app,
      db: h.runtime.db,
      clock: h.clock,
      rateLimit: false,
    });
    transport = new TelegramTransport({ bot, pollTimeoutSec: 1 });
    await transport.start();

    const statusTimes: number[] = [];
    let answerAt: number | undefined;
    let firstReplyAt: number | undefined;
    let progressEdits = 0;
    let answer = '';
    const sentAt = new Map<number, number>();
    let statusAsked = 0;
    const stopListening = api.onCall((call: RecordedCall) => {
      const at = performance.now();
      if (!call.ok) return;
      const text = String(call.payload.text ?? '');
      if (call.method === 'sendMessage' && text.startsWith('<b>Autopilot</b>')) {
        const asked = sentAt.get(statusTimes.length);
        if (asked !== undefined) statusTimes.push(at - asked);
      } else if (call.method === 'sendMessage' && text.startsWith('🔮') && firstReplyAt === undefined) {
        firstReplyAt = at;
      } else if (call.method === 'editMessageText' && text.startsWith('🔮')) {
        if (/<pre>/.test(text)) {
          answerAt = at;
          answer = text;
        } else progressEdits += 1;
      } else if (call.method === 'editMessageText' && text.startsWith('⚠️')) {
        answerAt = at;
        answer = text;
      }
    });

    const askedAt = performance.now();
    api.pushUpdate(textUpdate(OWNER, `/whatif ${key} ${value} ${days}`));
    const deadline = askedAt + GIVE_UP_MS;
    while (answerAt === undefined && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, STATUS_EVERY_MS));
      if (answerAt !== undefined) break;
      // The next /status waits for the previous answer, so latencies are never queued behind each other.
      if (statusTimes.length < statusAsked) continue;
      sentAt.set(statusAsked, performance.now());
      statusAsked += 1;
      api.pushUpdate(textUpdate(OWNER, '/status'));
    }
    stopListening();
    if (answerAt === undefined) {
      const last = api.calls.filter((c) => String(c.payload.text ?? '').startsWith('🔮')).at(-1);
      throw new Error(
        `no what-if answer within ${GIVE_UP_MS} ms (recording took ${recordMs} ms; ${progressEdits} progress edits, last: ${String(last?.payload.text ?? 'none').replace(/\n/g, ' | ')}; ${statusTimes.length} /status answers)`,
      );
    }
    const sorted = [...statusTimes].sort((a, b) => a - b);
    return {
      days,
      recordMs,
      firstReplyMs: (firstReplyAt ?? Number.NaN) - askedAt,
      answerMs: answerAt - askedAt,
      progressEdits,
      statusCount: sorted.length,
      statusP50Ms: percentile(sorted, 50),
      statusP95Ms: percentile(sorted, 95),
      statusMaxMs: sorted.at(-1) ?? Number.NaN,
      answer,
    };
  } finally {
    await transport?.stop();
    await api.close();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
