/**
 * Benchmark reporting: every benchmark returns rows of named figures; they are printed as an
 * aligned table and written to `bench/results/<name>.json` with the machine they ran on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export type Figure = string | number;

export interface BenchResult {
  readonly name: string;
  readonly description: string;
  /** Column names, in order. */
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Record<string, Figure>>;
  /** Free-form key figures (ratios, settings) shown under the table. */
  readonly summary?: Record<string, Figure>;
  /**
   * The figures this benchmark measures against a stated target; `npm run bench` lists every one
   * of them, from every benchmark, in one summary at the end (with the machine).
   */
  readonly targets?: readonly TargetCheck[];
}

/** One measured figure next to the target it is held to (a line of the closing summary). */
export interface TargetCheck {
  /** What was measured, in words a reader of the summary understands without the table above. */
  readonly figure: string;
  /** The measured value, with its unit where it is a number (`'127 MiB'`, `'4.2 ms'`). */
  readonly measured: string;
  /** The target, as a comparison with its unit (`'≤ 120 MiB'`). */
  readonly target: string;
  readonly met: boolean;
}

/**
 * A target check for a figure that must not exceed `limit`: `atMost('…', 127.4, 120, 'MiB')`
 * gives measured `'127 MiB'`, target `'≤ 120 MiB'`, met `false`.
 */
export function atMost(figure: string, measured: number, limit: number, unit: string): TargetCheck {
  return {
    figure,
    measured: `${formatFigure(measured)} ${unit}`,
    target: `≤ ${formatFigure(limit)} ${unit}`,
    met: Number.isFinite(measured) && measured <= limit,
  };
}

/** A target check for a figure that must reach at least `floor` (sample counts, rates). */
export function atLeast(figure: string, measured: number, floor: number, unit: string): TargetCheck {
  return {
    figure,
    measured: `${formatFigure(measured)} ${unit}`,
    target: `≥ ${formatFigure(floor)} ${unit}`,
    met: Number.isFinite(measured) && measured >= floor,
  };
}

export function machine(): Record<string, string | number> {
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
  };
}

export function formatTable(result: BenchResult): string {
  const cols = result.columns;
  const cells = result.rows.map((row) => cols.map((c) => formatFigure(row[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  // Numbers line up on the right; the first column and columns of words only on the left.
  const left = cols.map((c, i) => i === 0 || result.rows.every((r) => typeof r[c] !== 'number'));
  const line = (values: string[]) =>
    values
      .map((v, i) => (left[i] ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `## ${result.name}: ${result.description}`,
    line([...cols]),
    widths.map((w) => '-'.repeat(w)).join('  '),
  ];
  for (const r of cells) out.push(line(r));
  if (result.summary) {
    for (const [k, v] of Object.entries(result.summary)) out.push(`${k}: ${formatFigure(v)}`);
  }
  return out.join('\n');
}

function formatFigure(v: Figure | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = `${RESULTS_DIR}${result.name}.json`;
  writeFileSync(
    path,
    `${JSON.stringify({ ...result, machine: machine(), at: new Date().toISOString() }, null, 2)}\n`,
  );
  return path;
}

/** Percentile of sorted or unsorted samples (nearest-rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
