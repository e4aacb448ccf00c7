/**
 * The scanner's verdicts as stored for /why and /scan and read by the other strategies: one per
 * analysed symbol, with every gate and its numbers.
 */

/** One gate of the scanner's verdict on a symbol, with its numbers, for /why. */
export interface ScanGate {
  readonly gate: string;
  readonly ok: boolean;
  /** The measured value, formatted. */
  readonly value?: string;
  /** The threshold it was compared with, formatted. */
  readonly limit?: string;
  /** Score points this gate contributed. */
  readonly points?: number;
}

/** The scanner's verdict on one symbol: its score, whether it passed and why. */
export interface ScanVerdict {
  readonly symbol: string;
  readonly score: number;
  readonly passed: boolean;
  readonly gates: readonly ScanGate[];
}

/** One scan: how many symbols were considered, the leaders and every verdict. */
export interface ScanSummary {
  /** Symbols that passed the universe filters. */
  readonly universe: number;
  /** Symbols analysed with klines. */
  readonly analysed: number;
  /** Passing symbols, best first. */
  readonly leaders: readonly string[];
  readonly verdicts: readonly ScanVerdict[];
  /** Exchange requests and weight the scan used, when measured. */
  readonly requests?: number;
  readonly weight?: number;
}
