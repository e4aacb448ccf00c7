/**
 * The transport-neutral use cases behind every chat command (freqtrade's rpc.py to the
 * Telegram layer's telegram.py). Each returns typed data ({@link ./appViews.ts}); the Telegram
 * bot and the console chat only parse arguments, call one of these and format the result.
 */
import type { SettingKey } from '../settings/definitions.js';
import type { SettingVersion } from '../persistence/SettingsRepository.js';
import type {
  Actor,
  BalancesView,
  CancelOrderResult,
  ChartRange,
  ChartResult,
  ConfirmationView,
  CostBasisResult,
  ListPageView,
  OpenOrderView,
  PageCursor,
  PauseResult,
  PauseTarget,
  PnlView,
  ProposeSettingResult,
  DailyReportResult,
  ReportView,
  ResolveOutcome,
  RunScanResult,
  ScanView,
  SettingInfo,
  StatusView,
  SymbolListResult,
  TradeView,
  UnexplainedHoldingView,
  WhyView,
} from './appViews.js';

import type { WhatIfCheck, WhatIfPlan, WhatIfStart } from './WhatIfApiImpl.js';

export type * from './appViews.js';
export type { WhatIfCheck, WhatIfPlan, WhatIfStart } from './WhatIfApiImpl.js';

/** What-if use cases: replay a setting change over recent history before saving it. */
export interface WhatIfApi {
  /** Checks a key, a proposed value and a day count (empty: `whatIf.days`); a refusal says why. */
  check(key: string, value: string, daysText?: string): WhatIfCheck;
  /** Starts a checked replay (one at a time), or answers it from the cache of recent results. */
  start(plan: WhatIfPlan, onProgress?: (fraction: number, label: string) => void): WhatIfStart;
}

/** Settings use cases (wrapping SettingsStore with display details). */
export interface SettingsApi {
  /** Every setting whose key starts with `prefix`, in declaration order. */
  list(prefix?: string): SettingInfo[];
  get(key: string): SettingInfo | undefined;
  /** Parses without writing: the canonical value, or why it is refused (names the valid range). */
  validate(key: string, text: string): { ok: true; value: string } | { ok: false; error: string };
  /**
   * The value one −/+ step from `from` (default: the current value), clamped to the range;
   * undefined for settings without a step.
   */
  step(key: SettingKey, direction: 1 | -1, from?: string): string | undefined;
  /** Versions of one setting (or of all), newest first. */
  history(key?: string, limit?: number): SettingVersion[];
  /**
   * Asks the owner to confirm a change: validates the value (a bad one is refused and nothing is
   * asked), then creates a one-time confirmation that writes it only if the setting still has the
   * value shown.
   */
  proposeChange(key: string, text: string): ProposeSettingResult;
  /**
   * The −/+ buttons of a confirm screen: proposes the value one step from the one that
   * confirmation proposes (clamped to the range) and skips the old confirmation, so only the
   * value shown can be saved. Refused for an undo, a setting without steps, a limit already
   * reached, or a confirmation already answered.
   */
  adjustProposal(confirmationId: string, direction: 1 | -1, actor: Actor): Promise<ProposeSettingResult>;
  /**
   * Asks the owner to confirm undoing version `id`: restoring the value it replaced, as a new
   * version. Refused when the setting changed after that version (undoing it would overwrite the
   * later change).
   */
  proposeUndo(id: number): ProposeSettingResult;
  /**
   * The change a `setting` confirmation proposes (for the what-if button of its confirm screen), and
   * whether it can still be confirmed; undefined for an unknown id or another kind.
   */
  proposal(
    confirmationId: string,
  ): { readonly key: string; readonly old: string; readonly new: string; readonly open: boolean } | undefined;
}

/**
 * Everything the chat can ask of the bot, one method per use case; the Telegram bot and the console chat call
 * only this.
 */
export interface AppApi {
  readonly settings: SettingsApi;
  readonly whatIf: WhatIfApi;
  getStatus(): Promise<StatusView>;
  getBalances(): Promise<BalancesView>;
  getPnl(): Promise<PnlView>;
  /** One page of the fills, newest first, `size` rows (1–50). */
  getTrades(cursor: PageCursor, size: number): Promise<ListPageView<TradeView>>;
  /** One page of the bot's open orders, oldest first, `size` rows (1–50). */
  getOpenOrders(cursor: PageCursor, size: number): Promise<ListPageView<OpenOrderView>>;
  cancelOrder(clientOrderId: string, actor: Actor): Promise<CancelOrderResult>;
  pause(target: PauseTarget, actor: Actor): PauseResult;
  resume(target: PauseTarget, actor: Actor): PauseResult;
  /**
   * Proposes adding a symbol, checked against the exchange's symbols, to the `exclusions` setting
   * on the confirm screen of setting changes; a bare asset (`OP`) proposes all its pairs; an
   * unknown name is refused. Nothing is written until the owner saves.
   */
  exclude(text: string): Promise<SymbolListResult>;
  /** Proposes removing an excluded symbol (or every excluded pair of a bare asset), like {@link exclude}. */
  include(text: string): Promise<SymbolListResult>;
  getScan(): ScanView;
  /** Starts a scan in the background (never awaited by a chat handler); `done` resolves with it. */
  runScan(): RunScanResult;
  why(symbol: string): WhyView;
  getReport(): Promise<ReportView>;
  /** The daily report as it is sent at the chosen hour, when the report port is wired. */
  getDailyReport(): Promise<DailyReportResult>;
  getChart(range: ChartRange): Promise<ChartResult>;
  /** Creates the kill-switch confirmation; nothing happens until it is confirmed. */
  requestPanic(actor: Actor): ConfirmationView;
  /** Confirms or skips a confirmation once; later taps get `already-resolved` or `expired`. */
  resolveConfirmation(ref: string, decision: 'confirm' | 'skip', actor: Actor): Promise<ResolveOutcome>;
  /** Holdings the fills cannot explain (costed at an owner-set or first-seen price). */
  getUnexplainedHoldings(): Promise<readonly UnexplainedHoldingView[]>;
  /**
   * Sets the owner's cost basis of a holding the fills cannot explain, from the owner's text
   * (`BTC`, `61000`); bad input is answered and changes nothing.
   */
  setCostBasis(asset: string, priceText: string, actor: Actor): Promise<CostBasisResult>;
}
