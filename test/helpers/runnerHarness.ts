/** Adds the confirmation store and the strategy runner to an execution harness. */
import { ConfirmationStore } from '../../src/execution/ConfirmationStore.js';
import { StrategyRunner } from '../../src/execution/StrategyRunner.js';
import { ConfirmationRepository } from '../../src/persistence/ConfirmationRepository.js';
import { ScanRepository } from '../../src/persistence/ScanRepository.js';
import { silentLogger } from '../../src/common/logger.js';
import type { Harness } from './executionHarness.js';

export function withRunner(h: Harness): Harness & {
  confirmations: ConfirmationStore;
  runner: StrategyRunner;
  scans: ScanRepository;
} {
  const confirmations = new ConfirmationStore({
    clock: h.clock,
    repo: new ConfirmationRepository(h.db),
    events: h.publisher,
    exchange: h.exchange,
    executor: h.executor,
    orders: h.orders,
    settings: h.settings,
  });
  const scans = new ScanRepository(h.db);
  const runner = new StrategyRunner({
    blocks: h.blocks,
    clock: h.clock,
    confirmations,
    events: h.publisher,
    exchange: h.exchange,
    executor: h.executor,
    logger: silentLogger(),
    orders: h.orders,
    positions: () => new Map(),
    recentFills: () => [],
    scans,
    settings: h.settings,
    state: h.state,
  });
  return Object.assign(h, { confirmations, runner, scans });
}
