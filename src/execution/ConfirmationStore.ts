/**
 * The one confirmation service: every one-time, expiring question to the owner —
 * proposed trades of strategies in `confirm` mode, the kill switch, manual actions from chat — is
 * created, answered and carried out here. What confirming a kind does is a registered handler
 * (`order` is built in; the execution core registers `panic`), so neither the chat nor the
 * notifier knows how a payload is encoded.
 *
 * Ids are ≤ 16 callback-safe characters, so callback data (`c:y:<id>`) stays far below Telegram's
 * 64 bytes and the id itself is the button's reference. `resolve` claims the row atomically before
 * acting, so a double tap executes once; stale, repeated and unknown ids get a clear outcome
 * instead of an action.
 */
import { randomBytes } from 'node:crypto';
import type { Decimal } from '../domain/money.js';
import { ZERO } from '../domain/money.js';
import { prepareOrder } from '../domain/orderRules.js';
import type { ExchangePort } from '../exchange/ExchangePort.js';
import type {
  Confirmation,
  ConfirmationOutcome,
  ConfirmationRepository,
} from '../persistence/ConfirmationRepository.js';
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { Clock } from '../common/clock.js';
import type { OrderIntent } from '../domain/intent.js';
import type { SettingsReader } from '../strategies/contract.js';
import { describeIntent } from './describeIntent.js';
import type { EventPublisher } from './EventPublisher.js';
import { reserveFor } from './headroom.js';
import { decodeIntent, encodeIntent } from './intentCodec.js';
import type { ExecutionResult } from './OrderExecutor.js';

/** What a confirmed action did. `ok: false` records the confirmation as failed. */
export interface HandlerResult {
  readonly ok: boolean;
  readonly detail: string;
  readonly result?: unknown;
}

/** Carries out a confirmed confirmation of one kind, given its stored payload and who confirmed. */
export type ConfirmationHandler = (payload: string, actor: string) => Promise<HandlerResult>;

/** What answering a confirmation did; only `confirmed` and `failed` ran a handler. */
export type ResolveOutcome =
  | {
      readonly status: 'confirmed';
      readonly id: string;
      readonly summary: string;
      readonly detail: string;
      readonly result?: unknown;
    }
  | {
      readonly status: 'failed';
      readonly id: string;
      readonly summary: string;
      readonly detail: string;
      readonly result?: unknown;
    }
  | { readonly status: 'skipped'; readonly id: string; readonly summary: string }
  | { readonly status: 'expired'; readonly id: string; readonly summary: string; readonly expiredAt: number }
  /** Used before: a repeated or stale tap. */
  | {
      readonly status: 'already-resolved';
      readonly id: string;
      readonly summary: string;
      readonly outcome: ConfirmationOutcome;
      readonly resolvedAt: number;
    }
  | { readonly status: 'unknown'; readonly id: string };

/** What proposing an order for confirmation did. */
export type ProposeResult =
  | { readonly status: 'proposed'; readonly id: string; readonly summary: string; readonly expiresAt: number }
  /** The same origin already waits for an answer on this symbol and side. */
  | { readonly status: 'duplicate'; readonly id: string }
  | { readonly status: 'refused'; readonly reason: string };

/** What the confirmation service needs. */
export interface ConfirmationStoreOptions {
  readonly clock: Clock;
  readonly repo: ConfirmationRepository;
  readonly events: EventPublisher;
  readonly exchange: ExchangePort;
  readonly executor: { execute(intent: OrderIntent): Promise<ExecutionResult> };
  readonly orders: OrderRepository;
  /** confirmTtlMin, reserves. */
  readonly settings: SettingsReader;
  readonly newId?: () => string;
}

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function randomId(): string {
  let id = '';
  for (const b of randomBytes(12)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/** Confirmations and what confirming each kind does. */
export class ConfirmationStore {
  readonly #o: ConfirmationStoreOptions;
  readonly #handlers = new Map<string, ConfirmationHandler>();

  constructor(options: ConfirmationStoreOptions) {
    this.#o = options;
    this.registerHandler('order', async (payload) => {
      const result = await options.executor.execute(decodeIntent(payload));
      return {
        ok: result.status === 'placed' || result.status === 'unknown',
        detail: describeResult(result),
        result,
      };
    });
  }

  /** Registers what confirming a kind does (e.g. `panic` from the chat layer). */
  registerHandler(kind: string, handler: ConfirmationHandler): void {
    this.#handlers.set(kind, handler);
  }

  /** Stores any confirmation; `ttlMs` defaults to `confirmTtlMin`. */
  create(input: {
    readonly kind: string;
    readonly payload: string;
    readonly summary: string;
    readonly ttlMs?: number;
  }): Confirmation {
    const now = this.#o.clock.now();
    const ttl = input.ttlMs ?? this.#o.settings.get('confirmTtlMin') * 60_000;
    const id = (this.#o.newId ?? randomId)();
    if (id.length > 16 || !/^[A-Za-z0-9_-]+$/.test(id))
      throw new Error(`confirmation id ${id} is not ≤ 16 safe characters`);
    return this.#o.repo.insert({
      id,
      kind: input.kind,
      payload: input.payload,
      summary: input.summary,
      createdAt: now,
      expiresAt: now + ttl,
    });
  }

  /**
   * Proposes an order for the owner's confirmation: rounds it with the rules (so the confirmed
   * order is exactly the one shown), describes it with the reserve after it, stores it and
   * publishes `intent.proposed`. One waiting proposal per origin, symbol and side.
   */
  async proposeOrder(intent: OrderIntent): Promise<ProposeResult> {
    const now = this.#o.clock.now();
    const waiting = this.#pendingOrders(now).find((p) => {
      const i = decodeIntent(p.payload);
      return i.origin === intent.origin && i.symbol === intent.symbol && i.side === intent.side;
    });
    if (waiting) return { status: 'duplicate', id: waiting.id };
    const rules = (await this.#o.exchange.getRules()).get(intent.symbol);
    if (!rules) return { status: 'refused', reason: `${intent.symbol} is not listed` };
    const prepared = prepareOrder(intent, rules);
    if (!prepared.ok) return { status: 'refused', reason: prepared.reason };
    const balances = await this.#o.exchange.getBalances();
    const quoteFree: Decimal = balances.find((b) => b.asset === rules.quoteAsset)?.free ?? ZERO;
    const exact: OrderIntent = {
      ...intent,
      price: prepared.price ?? intent.price,
      quantity: prepared.quantity,
      quoteAmount: undefined,
    };
    const summary = describeIntent({
      intent: exact,
      rules,
      prepared,
      quoteFree,
      openBuys: this.#o.orders.openBuyNotionalByQuote().get(rules.quoteAsset) ?? ZERO,
      reserve: reserveFor(rules.quoteAsset, this.#o.settings),
    });
    const created = this.create({ kind: 'order', payload: encodeIntent(exact), summary });
    this.#o.events.publish({
      type: 'intent.proposed',
      confirmationId: created.id,
      origin: intent.origin,
      summary,
      expiresAt: created.expiresAt,
    });
    return { status: 'proposed', id: created.id, summary, expiresAt: created.expiresAt };
  }

  /** The confirmation with this id (also its callback reference), if any. */
  get(id: string): Confirmation | undefined {
    return this.#o.repo.get(id);
  }

  /** Confirms or skips, once. Expired, repeated and unknown ids are answered, never acted on. */
  async resolve(id: string, action: 'confirm' | 'skip', actor: string, now: number): Promise<ResolveOutcome> {
    const { repo } = this.#o;
    const found = this.get(id);
    if (!found) return { status: 'unknown', id };
    if (found.resolvedAt !== undefined && found.outcome) {
      return {
        status: 'already-resolved',
        id,
        summary: found.summary,
        outcome: found.outcome,
        resolvedAt: found.resolvedAt,
      };
    }
    if (now >= found.expiresAt) {
      repo.expire(id, now);
      return { status: 'expired', id, summary: found.summary, expiredAt: found.expiresAt };
    }
    const outcome = action === 'confirm' ? 'confirmed' : 'skipped';
    // Claim first: only the caller whose UPDATE changes the row acts (a double tap acts once).
    if (!repo.decide(id, outcome, now)) {
      const after = this.get(id)!;
      return {
        status: 'already-resolved',
        id,
        summary: after.summary,
        outcome: after.outcome ?? 'expired',
        resolvedAt: after.resolvedAt ?? now,
      };
    }
    this.#o.events.audit({
      type: `confirmation.${outcome}`,
      severity: 'info',
      message: `${outcome} by ${actor}: ${found.summary}`,
      data: { id, actor, kind: found.kind },
    });
    if (action === 'skip') return { status: 'skipped', id, summary: found.summary };
    const handler = this.#handlers.get(found.kind);
    let result: HandlerResult;
    try {
      if (!handler) throw new Error(`nothing handles confirmations of kind ${found.kind}`);
      result = await handler(found.payload, actor);
    } catch (error) {
      result = { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
    if (!result.ok) {
      repo.markFailed(id);
      return { status: 'failed', id, summary: found.summary, detail: result.detail, result: result.result };
    }
    return { status: 'confirmed', id, summary: found.summary, detail: result.detail, result: result.result };
  }

  /** Confirmations still waiting for an answer. */
  pending(now: number): Confirmation[] {
    return this.#o.repo.pending(now);
  }

  #pendingOrders(now: number): Confirmation[] {
    return this.pending(now).filter((c) => c.kind === 'order');
  }
}

/** One line on what executing a confirmed intent did. */
export function describeResult(result: ExecutionResult): string {
  switch (result.status) {
    case 'placed':
      return `order placed (${result.order.clientOrderId}, ${result.order.status})`;
    case 'unknown':
      return `sent, outcome not yet confirmed by the exchange: ${result.reason}`;
    case 'refused':
      return `not placed (${result.code}): ${result.reason}`;
    case 'failed':
      return `the exchange refused it (${result.code}): ${result.reason}`;
  }
}
