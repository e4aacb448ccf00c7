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
  SetSettingResult,
  SettingInfo,
  StatusView,
  SymbolListResult,
  TradeView,
  UnexplainedHoldingView,
  WhyView,
} from './appViews.js';

export type * from './appViews.js';

/** Settings use cases (wrapping SettingsStore with display details). */
export interface SettingsApi {
  /** Every setting whose key starts with `prefix`, in declaration order. */
  list(prefix?: string): SettingInfo[];
  get(key: string): SettingInfo | undefined;
  /** Parses without writing: the canonical value, or why it is refused (names the valid range). */
  validate(key: string, text: string): { ok: true; value: string } | { ok: false; error: string };
  set(key: string, text: string, actor: Actor): SetSettingResult;
  /** The value after one −/+ step, clamped to the range; undefined for non-numeric settings. */
  step(key: SettingKey, direction: 1 | -1): string | undefined;
  /** Versions of one setting (or of all), newest first. */
  history(key?: string, limit?: number): SettingVersion[];
  /**
   * Asks the owner to confirm a change: validates the value (a bad one is refused and nothing is
   * asked), then creates a one-time confirmation that writes it only if the setting still has the
   * value shown.
   */
  proposeChange(key: string, text: string): ProposeSettingResult;
  /**
   * Asks the owner to confirm undoing version `id`: restoring the value it replaced, as a new
   * version. Refused when the setting changed after that version (undoing it would overwrite the
   * later change).
   */
  proposeUndo(id: number): ProposeSettingResult;
}

/**
 * Everything the chat can ask of the bot, one method per use case; the Telegram bot and the console chat call
 * only this.
 */
export interface AppApi {
  readonly settings: SettingsApi;
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
   * Excludes a symbol checked against the exchange's symbols. A bare asset (`OP`) answers `ask`
   * with its pairs unless `allPairs` is set (the owner confirmed); an unknown name is refused.
   */
  exclude(text: string, actor: Actor, options?: { readonly allPairs?: boolean }): Promise<SymbolListResult>;
  /** Allows an excluded symbol again; a bare asset asks before including its excluded pairs. */
  include(text: string, actor: Actor, options?: { readonly allPairs?: boolean }): Promise<SymbolListResult>;
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
