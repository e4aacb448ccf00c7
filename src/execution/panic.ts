/**
 * The kill switch (§3.7): pause every strategy first (so no run places anything new; the executor
 * refuses paused strategies' orders), cancel every open order the bot placed, wait for runs in
 * flight, then sweep once more for orders placed meanwhile. Returns what it did. The chat layer
 * wraps it in a one-time confirmation.
 */
import type { OrderRepository } from '../persistence/OrderRepository.js';
import type { StrategyId } from '../domain/strategy.js';
import type { EventPublisher } from './EventPublisher.js';
import type { CancelResult } from './OrderExecutor.js';

export interface PanicDeps {
  readonly executor: { cancel(clientOrderId: string, reason: string): Promise<CancelResult> };
  readonly events: EventPublisher;
  readonly orders: OrderRepository;
  readonly pauses: { pauseEverything(actor: string): StrategyId[] };
  /** Waits for strategy runs in flight (Scheduler.waitIdle); skipped when absent. */
  readonly waitIdle?: (timeoutMs: number) => Promise<boolean>;
  readonly waitIdleMs?: number;
}

export interface PanicReport {
  readonly paused: readonly StrategyId[];
  readonly cancelled: readonly string[];
  /** Already finished when we got to them (filled, cancelled elsewhere). */
  readonly alreadyDone: readonly string[];
  /** Cancel accepted or not yet visible (PENDING/UNKNOWN/LOST); tracking keeps checking them. */
  readonly pending: readonly string[];
  readonly failed: readonly { readonly clientOrderId: string; readonly reason: string }[];
  readonly runsIdle: boolean;
}

export async function panic(deps: PanicDeps, actor: string): Promise<PanicReport> {
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
  const runsIdle = deps.waitIdle ? await deps.waitIdle(deps.waitIdleMs ?? 30_000) : true;
  await sweep();

  deps.events.publish({
    type: 'alert',
    severity: 'critical',
    key: 'panic',
    message:
      `Kill switch by ${actor}: every strategy paused; ${cancelled.length} order(s) cancelled` +
      (failed.length ? `, ${failed.length} cancel(s) failed` : '') +
      (pending.size ? `, ${pending.size} still being checked` : ''),
  });
  return { paused, cancelled, alreadyDone, pending: [...pending], failed, runsIdle };
}

/** One line for the owner on what the kill switch did. */
export function describePanic(report: PanicReport): string {
  const failed =
    report.failed.length > 0
      ? `; failed: ${report.failed.map((f) => `${f.clientOrderId}: ${f.reason}`).join(', ')}`
      : '';
  const pending = report.pending.length > 0 ? `; ${report.pending.length} still being checked` : '';
  return `every strategy paused; ${report.cancelled.length} order(s) cancelled${failed}${pending}`;
}
