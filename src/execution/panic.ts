/**
 * The kill switch (docs/safety-rules.md): pause every strategy first (so no run places anything new; the
 * executor refuses paused strategies' orders), cancel every open order the bot placed, wait for runs in
 * flight, then sweep once more for orders placed meanwhile. {@link KillSwitch} is the one way in: the chat
 * reaches it through a one-time `panic` confirmation; it answers at once and repeats such rounds until the
 * exchange confirms every order final.
 */
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { StrategyId } from '../domain/strategy.js';
import type { EventPublisher } from './EventPublisher.js';
import type { CancelResult } from './OrderExecutor.js';

/** What the kill switch acts through: pauses, orders, the executor's cancel and the scheduler's idle wait. */
export interface PanicDeps {
  readonly executor: { cancel(clientOrderId: string, reason: string): Promise<CancelResult> };
  readonly events: EventPublisher;
  readonly orders: OrderRepository;
  readonly pauses: { pauseEverything(actor: string): StrategyId[] };
  /** Waits for strategy runs in flight (Scheduler.waitIdle): a run may be placing an order right now. */
  readonly waitIdle: (timeoutMs: number) => Promise<boolean>;
  readonly waitIdleMs?: number;
}

/** What one round of the kill switch did: strategies paused, orders cancelled, found finished, still pending or failed. */
interface PanicReport {
  readonly paused: readonly StrategyId[];
  readonly cancelled: readonly string[];
  /** Already finished when we got to them (filled, cancelled elsewhere). */
  readonly alreadyDone: readonly string[];
  /** Cancel accepted or not yet visible (PENDING/UNKNOWN/LOST); tracking keeps checking them. */
  readonly pending: readonly string[];
  readonly failed: readonly { readonly clientOrderId: string; readonly reason: string }[];
  readonly runsIdle: boolean;
}

/** One round of the kill switch: pause everything, cancel every open bot order (two sweeps around the idle wait). */
async function panicRound(deps: PanicDeps, actor: string): Promise<PanicReport> {
  const paused = deps.pauses.pauseEverything(actor);
  const cancelled: string[] = [];
  const alreadyDone: string[] = [];
  const pending = new Set<string>();
  const failed: { clientOrderId: string; reason: string }[] = [];
  const tried = new Set<string>();

  const sweep = async () => {
    for (const order of deps.orders.listNonFinal()) {
      if (tried.has(order.clientOrderId) && !pending.has(order.clientOrderId)) continue;
      tried.add(order.clientOrderId);
      const result = await deps.executor.cancel(order.clientOrderId, `kill switch by ${actor}`);
      pending.delete(order.clientOrderId);
      switch (result.status) {
        case 'cancelled':
          cancelled.push(order.clientOrderId);
          break;
        case 'not-open':
          if (result.order.finalAt !== undefined) alreadyDone.push(order.clientOrderId);
          else pending.add(order.clientOrderId);
          break;
        case 'pending':
          pending.add(order.clientOrderId);
          break;
        case 'failed':
          failed.push({ clientOrderId: order.clientOrderId, reason: result.reason });
          break;
        case 'unknown-order':
          break;
      }
    }
  };

  await sweep();
  const runsIdle = await deps.waitIdle(deps.waitIdleMs ?? 30_000);
  await sweep();
  return { paused, cancelled, alreadyDone, pending: [...pending], failed, runsIdle };
}

/** The owner's answer when the kill switch is engaged with `open` orders still to cancel. */
export function describeEngaged(open: number): string {
  return open === 0
    ? 'every strategy paused; no open order to cancel'
    : `every strategy paused; cancelling ${open} open order(s) until the exchange confirms each one (you will be told)`;
}

/** Options of {@link KillSwitch}. */
export interface KillSwitchOptions {
  readonly deps: PanicDeps;
  /** How retry waits pass (real time, or the simulator's). */
  readonly sleep: (ms: number) => Promise<void>;
  /** First and longest wait between rounds. Default 2 s doubling to 30 s. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
}

/**
 * The kill switch as the owner uses it: `engage` pauses every strategy at once and returns, and
 * the cancelling goes on in the background, round after round with backoff, until every order
 * the bot placed is confirmed final by the exchange. The owner is told after the first round,
 * after each round that left orders open (which, and why), and when the last one is final.
 */
export class KillSwitch {
  readonly #o: KillSwitchOptions;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: KillSwitchOptions) {
    this.#o = options;
  }

  /** Pauses everything now and starts (or joins) the cancelling; returns how many orders are open. */
  engage(actor: string): { readonly paused: readonly StrategyId[]; readonly open: number } {
    const paused = this.#o.deps.pauses.pauseEverything(actor);
    const open = this.#o.deps.orders.listNonFinal().length;
    this.#running ??= this.#cancelUntilFinal(actor).finally(() => (this.#running = undefined));
    return { paused, open };
  }

  /** Resolves when no cancelling is going on (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#running;
  }

  /** Ends the retrying after the round in progress (shutdown; the next start reconciles). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  async #cancelUntilFinal(actor: string): Promise<void> {
    const { deps, sleep } = this.#o;
    const retry = this.#o.retry ?? { initialMs: 2_000, maxMs: 30_000 };
    let waitMs = retry.initialMs;
    let cancelled = 0;
    for (let round = 1; !this.#stopped; round++) {
      let report: PanicReport | undefined;
      let error: unknown;
      try {
        report = await panicRound(deps, actor);
        cancelled += report.cancelled.length;
      } catch (e) {
        error = e;
      }
      const open = deps.orders.listNonFinal();
      if (open.length === 0) {
        deps.events.publish({
          type: 'alert',
          severity: 'critical',
          key: 'panic',
          message:
            `Kill switch by ${actor}: every strategy paused; ${cancelled} order(s) cancelled` +
            (round > 1 ? ` after ${round} rounds` : '') +
            '; every order the bot placed is confirmed final.',
        });
        return;
      }
      const reasons = [
        ...(report?.failed.map((f) => `${f.clientOrderId}: ${f.reason}`) ?? []),
        ...(error ? [error instanceof Error ? error.message : String(error)] : []),
      ];
      deps.events.publish({
        type: 'alert',
        severity: 'warning',
        key: `panic:round:${round}`,
        message:
          `Kill switch: ${cancelled} order(s) cancelled so far; ${open.length} not confirmed final yet` +
          ` (${open.map((o) => o.clientOrderId).join(', ')})` +
          (reasons.length ? `; ${reasons.join('; ')}` : '') +
          `. Trying again in ${Math.round(waitMs / 1000)} s.`,
      });
      // Short naps so that stop() is not held up by a long wait.
      for (let slept = 0; slept < waitMs && !this.#stopped; slept += 500)
        await sleep(Math.min(500, waitMs - slept));
      waitMs = Math.min(retry.maxMs, waitMs * 2);
    }
  }
}
