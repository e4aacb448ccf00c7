/**
 * The six strategies as the runner loads them. Keep the returned array for the life of
 * the process: the scanner's kline cache lives in its definition.
 */
import type { StrategyDefinition } from './contract.js';
import { createAccumulate } from './accumulate.js';
import { createAltProfit } from './altProfit.js';
import { createCoreBalance } from './coreBalance.js';
import { createScanner } from './scanner/scanner.js';
import type { KlineCache } from './scanner/KlineCache.js';
import { createSplitBalance } from './splitBalance.js';
import { createTakeProfit } from './takeProfit.js';

export { chooseCoreAsset, type CoreChoice } from './chooseCoreAsset.js';
export { createScanner, type ScannerDefinition, type ScannerExtra } from './scanner/scanner.js';
export { KlineCache } from './scanner/KlineCache.js';
export { universeVerdict } from './scanner/universe.js';

/** Any strategy definition, whatever its `prepare` result type. */
export type AnyStrategyDefinition = StrategyDefinition<unknown>;

/** Creates all six strategies, in STRATEGY_IDS order. */
export function createStrategies(
  options: { readonly klineCache?: KlineCache } = {},
): AnyStrategyDefinition[] {
  return [
    createAccumulate(),
    createTakeProfit(),
    createScanner(options.klineCache ? { klineCache: options.klineCache } : {}),
    createAltProfit(),
    createSplitBalance(),
    createCoreBalance(),
  ];
}
